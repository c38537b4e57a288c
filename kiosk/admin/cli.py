"""Admin commands: `admin set-pin ROLE`, `admin add-badge NAME ROLE`, `admin diagnostics OUTDIR`.

PINs and badge UIDs are typed at a hidden prompt and only their scrypt hashes are written, into
the [admin] section of config/kiosk.toml (the previous file kept as a timestamped backup).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from kiosk.admin.credentials import ROLES, CredentialError, check_pin_format


def register(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="staff PINs and badges for the kiosk's admin mode; diagnostics")
    asub = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    p = asub.add_parser("set-pin", help="set a role's PIN (asked twice, stored as a scrypt hash)")
    p.add_argument("role", choices=ROLES)
    p.add_argument("--add", action="store_true", help="keep the role's other PINs (default: replace them)")
    p.set_defaults(func=_set_pin)
    p = asub.add_parser("add-badge", help="map a staff badge to a person and role (UID asked, stored hashed)")
    p.add_argument("name", help="who holds the badge, as the audit should name them")
    p.add_argument("role", choices=ROLES)
    p.set_defaults(func=_add_badge)
    p = asub.add_parser(
        "diagnostics", help="write a diagnostics zip (config with secrets redacted, versions) to OUTDIR"
    )
    p.add_argument("outdir", type=Path)
    p.set_defaults(func=_diagnostics)


def _config_path() -> Path:
    from kiosk.config import config_path

    return config_path()


def _save_admin(update: dict[str, Any]) -> int:
    from kiosk.admin.configfile import ConfigFile

    saved = ConfigFile(_config_path()).save_keys(("admin",), update)
    backup = f" (previous file kept as {saved.backup})" if saved.backup else ""
    print(f"Saved [admin] in {saved.path}{backup}")
    return 0


def _set_pin(args: argparse.Namespace) -> int:
    from kiosk.admin.credentials import hash_pin

    pin = getpass.getpass(f"New {args.role} PIN: ")
    try:
        check_pin_format(pin)
    except CredentialError as exc:
        print(exc, file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != pin:
        print("The two PINs differ; nothing changed.", file=sys.stderr)
        return 1
    from kiosk.admin.configfile import ConfigFile

    pins = ConfigFile(_config_path()).read().get("admin", {}).get("pins", {})
    kept = list(pins.get(args.role, [])) if args.add else []
    return _save_admin({"pins": pins | {args.role: [*kept, hash_pin(pin)]}})


def _add_badge(args: argparse.Namespace) -> int:
    from drivers.badge.drivers import normalise_uid
    from kiosk.admin.configfile import ConfigFile
    from kiosk.admin.credentials import hash_badge, new_badge_salt

    uid = normalise_uid(getpass.getpass("Badge UID (hex, as the reader prints it): "))
    if uid is None:
        print("That is not a card UID (hex digits, separators allowed).", file=sys.stderr)
        return 1
    admin = ConfigFile(_config_path()).read().get("admin", {})
    salt = admin.get("badge_salt") or new_badge_salt()
    entry = {"name": args.name, "role": args.role, "uid_hash": hash_badge(uid, salt)}
    return _save_admin({"badge_salt": salt, "badges": [*admin.get("badges", []), entry]})


def _diagnostics(args: argparse.Namespace) -> int:
    from kiosk.admin.diagnostics import write_bundle
    from kiosk.config import load_settings

    path = write_bundle(args.outdir, load_settings(_config_path()), config_path=_config_path())
    print(f"Diagnostics written to {path}")
    return 0
