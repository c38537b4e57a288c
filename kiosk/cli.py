"""Kiosk commands: run the kiosk UI."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kiosk", help="start the kiosk UI (the default command)")
    p.set_defaults(func=_run_kiosk)


def _run_kiosk(args: argparse.Namespace) -> int:
    raise SystemExit("kiosk UI: not built yet")
