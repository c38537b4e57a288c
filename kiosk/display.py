"""Whether there is a screen to draw on, and what to say when there is none."""

from __future__ import annotations

import os
import shutil
import sys

NO_DISPLAY = (
    "No display: the kiosk needs a screen. Run it where there is one; "
    "see the screens as images with `python main.py tour OUTDIR`; "
    "or check that it starts with `xvfb-run make run`."
)


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def xvfb_command(argv: list[str]) -> list[str] | None:
    """``argv`` wrapped in xvfb-run, or None where Xvfb is not installed."""
    if shutil.which("xvfb-run") is None:
        return None
    return ["xvfb-run", "-a", "-s", "-screen 0 1920x1920x24", *argv]
