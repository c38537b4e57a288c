"""Kiosk commands: `kiosk` (the UI), `dev` (what `make run` starts) and `tour` (screenshots)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

from kiosk.config import SUPPORTED_SIZES, KioskSettings, load_settings
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
    p.add_argument(
        "--size",
        default="1920x1080",
        type=parse_sizes,
        help="window size WxH, e.g. 1080x1920 for portrait; several separated by commas, or 'all' for "
        f"every supported size ({', '.join(f'{w}x{h}' for w, h in SUPPORTED_SIZES)}), each in OUTDIR/WxH",
    )
    p.set_defaults(func=run_tour)


def parse_sizes(text: str) -> list[tuple[int, int]]:
    if text.strip().lower() == "all":
        return list(SUPPORTED_SIZES)
    try:
        sizes = [tuple(int(v) for v in part.lower().split("x")) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or any(len(s) != 2 or min(s) < 320 for s in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: give WxH (e.g. 1280x800), several with commas, or 'all'")
    return sizes  # type: ignore[return-value]


def _start_app(settings: KioskSettings) -> None:
    from kiosk import kivyenv, logfile

    logfile.setup(settings)
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
    from kiosk import kivyenv, logfile

    logfile.setup(settings)
    kivyenv.prepare(settings)  # before the scanner's feed may compose a passport (kiosk.robot)
    from kiosk.devscan import terminal_passports
    from kiosk.devstack import LOG_DIR, local_server, print_arrivals, simulators

    with (
        local_server(settings) as arrivals,
        simulators(settings),
        terminal_passports(settings, arrivals) as how,
    ):
        print_arrivals(arrivals, how)
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
    tour = tour_with_server(load_settings(), args.outdir, args.size)
    print(f"{tour.count} screens at {len(args.size)} size(s), each with index.html, in {args.outdir}")
    print(
        "seconds photographing at each size: "
        + ", ".join(f"{w}x{h} {s:.0f}" for (w, h), s in tour.seconds.items())
    )
    return 0


def tour_with_server(
    settings: KioskSettings, outdir: Path, sizes: list[tuple[int, int]], check: Any = None
) -> Any:
    """The tour (kiosk.tour.run) in a window of the first size, against a local server with fresh
    demo data (the tour checks guests in and expects them not to be yet)."""
    settings.kiosk.window_size = sizes[0]
    from kiosk import kivyenv
    from kiosk.devstack import local_server

    kivyenv.prepare(settings)
    from kiosk.tour import run as tour

    with local_server(settings, fresh=True):
        return tour(settings, outdir, sizes, check)
