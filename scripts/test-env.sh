#!/usr/bin/env bash
# Makes the machine ready for the test suite: Debian packages for the UI tests (Xvfb, Mesa GL),
# Chromium for the dashboard tests (Playwright drives Debian's build; no browser download)
# a reachable PostgreSQL for the server tests, and the npm ESC/POS generators the virtual
# printer's tests render (npm ci from the lockfile, cached under var/npm by its hash).
#   --check          install what is missing (as root) or print the exact apt-get line, start PostgreSQL
#   --run CMD ...    run CMD under a virtual screen
set -euo pipefail

DEB_PACKAGES=(xvfb xauth libgl1-mesa-dri libgl1 libegl1 libmtdev1 postgresql-client chromium)
PG_HOST=127.0.0.1
PG_PORT=5432

missing_debs() {
  local p
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

ensure_debs() {
  local missing
  missing=$(missing_debs | tr '\n' ' ')
  [ -z "${missing// }" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages for the tests: $missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Missing Debian packages for the tests. Run:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
    exit 1
  fi
}

pg_ready() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
  else
    (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
  fi
}

ensure_postgres() {
  pg_ready && return 0
  if command -v pg_ctlcluster >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Starting PostgreSQL on $PG_HOST:$PG_PORT"
    local version
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 30); do pg_ready && return 0; sleep 1; done
  fi
  echo "PostgreSQL is not reachable on $PG_HOST:$PG_PORT; the server tests need it." >&2
  echo "Start it (e.g. 'pg_ctlcluster --skip-systemctl-redirect 15 main start') or install postgresql." >&2
  exit 1
}

ensure_npm_generators() {
  bash "$(dirname "$0")/npm-generators.sh" >/dev/null
}

case "${1:-}" in
  --check)
    ensure_debs
    ensure_postgres
    ensure_npm_generators
    ;;
  --run)
    shift
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$@"
    ;;
  *)
    echo "usage: $0 --check | --run CMD ..." >&2
    exit 2
    ;;
esac
