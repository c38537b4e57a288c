"""When the X server goes away under the kiosk, stop the devices' threads before the process ends.

Xlib answers a lost display connection by calling exit() from inside the window system's event
poll: Python's own shutdown never runs, C++ static objects are destroyed while the camera's
threads are still inside OpenCV, and the process aborts (cv::Exception) instead of exiting. A
handler of our own stops those threads first and ends the process with status 1 (a kiosk
supervisor restarts it once the display is back).
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable

log = logging.getLogger(__name__)
_IOErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_installed: list[object] = []  # keeps the C callback alive


def on_display_lost(stop: Callable[[], None]) -> bool:
    """Call ``stop`` and end the process when the X connection is lost; False without Xlib."""
    try:
        xlib = ctypes.CDLL("libX11.so.6")
    except OSError:
        return False  # not on X (Wayland, another platform): nothing to guard

    def lost(_display: int) -> int:
        log.critical("the X display went away: stopping the devices and exiting")
        try:
            stop()
        finally:
            os._exit(1)

    handler = _IOErrorHandler(lost)
    xlib.XSetIOErrorHandler.argtypes = [_IOErrorHandler]
    xlib.XSetIOErrorHandler(handler)
    _installed.append(handler)
    return True
