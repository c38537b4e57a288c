#!/usr/bin/env bash
# Installs the npm ESC/POS generators whose streams the virtual printer's tests render (see
# tests/drivers/escpos_generators/package.json), once per lockfile: the install lives under var/,
# keyed by the lockfile's hash, so a re-run is a no-op and a changed lock gets a fresh tree.
# Prints the node_modules directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/tests/drivers/escpos_generators
hash=$(sha1sum "$src/package-lock.json" | cut -c1-12)
dest=$root/var/npm/escpos-generators-$hash
if [ ! -f "$dest/.installed" ]; then
  command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 and npm" >&2; exit 1; }
  mkdir -p "$root/var/npm"
  exec 9>"$root/var/npm/.lock"
  flock 9  # parallel test runs install once
  if [ ! -f "$dest/.installed" ]; then
    rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
    cp "$src/package.json" "$src/package-lock.json" "$dest.tmp/"
    (cd "$dest.tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
    touch "$dest.tmp/.installed"
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
  fi
fi
echo "$dest/node_modules"
