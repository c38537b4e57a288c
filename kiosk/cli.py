"""Kiosk commands: `kiosk` (the UI), `dev` (what `make run` starts) and `tour` (screenshots)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import traceback
from pathlib import Path

from kiosk.config import KioskSettings, load_settings
from kiosk.display import NO_DISPLAY, has_display, xvfb_command


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kiosk", help="start the kiosk UI (the default command)")
    p.set_defaults(func=run_kiosk)
    p = sub.add_parser("dev", help="what `make run` does: demo data, local server, kiosk in a window")
    p.set_defaults(func=run_dev)
    p = sub.add_parser(
        "tour", help="write a screenshot of every screen to OUTDIR (uses Xvfb if there is no display)"
    )
    p.add_argument("outdir", type=Path)
    p.add_argument("--size", default="1920x1080", help="window size WxH, e.g. 1080x1920 for portrait")
    p.set_defaults(func=run_tour)


def _start_app(settings: KioskSettings) -> None:
    from kiosk import kivyenv

    kivyenv.prepare(settings)
    from kiosk.app import KioskApp

    KioskApp(settings).run()


def run_kiosk(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    _start_app(settings)
    return 0


def run_dev(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    from kiosk.devstack import LOG_DIR, local_server, simulators

    with local_server(settings), simulators(settings):
        try:
            _start_app(settings)
        except Exception:
            # The local server and the simulators stop with the kiosk: say why, where to look.
            traceback.print_exc()
            print(
                "The kiosk stopped with the error above; the local server and the simulators stop"
                f" with it (their logs are in {LOG_DIR}).",
                file=sys.stderr,
            )
            return 1
    print("The kiosk was closed; the local server and the simulators are stopped.")
    return 0


def run_tour(args: argparse.Namespace) -> int:
    if not has_display():
        wrapped = xvfb_command([sys.executable, *sys.argv])
        if wrapped is None:
            print("The tour needs a display or Xvfb (apt-get install xvfb).", file=sys.stderr)
            return 2
        return subprocess.call(wrapped, env={**os.environ})
    settings = load_settings()
    width, height = (int(v) for v in args.size.lower().split("x"))
    settings.kiosk.window_size = (width, height)
    from kiosk import kivyenv
    from kiosk.devstack import local_server

    kivyenv.prepare(settings)
    from kiosk.tour import run as tour

    # Fresh demo data: the tour checks guests in and expects them not to be yet.
    with local_server(settings, fresh=True):
        shots = tour(settings, args.outdir)
    print(f"{len(shots)} screenshots and index.html in {args.outdir}")
    return 0
