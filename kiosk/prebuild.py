"""Screens built ahead of the guest, in the quiet moments at the welcome screen.

A screen's first visit loads its .kv and builds its widgets (100-400 ms on a software-rendered
kiosk); a guest should not wait for that. While the kiosk shows its welcome screen and nobody has
touched it for a moment, the screens of a check-in are built one at a time, a short gap apart, so
a touch is never held up by more than one screen's build.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from kivy.clock import Clock

START_S = 1.0  # after the welcome screen is drawn
GAP_S = 0.4  # between two screens: the Clock keeps serving touches and frames in between
QUIET_S = 2.0  # no touch for this long, or the guest may be about to need the UI thread


class Prebuilder:
    def __init__(self, build: Callable[[str], Any], names: Iterable[str], idle: Callable[[], bool]) -> None:
        self._build, self._idle = build, idle
        self._names = list(dict.fromkeys(names))
        self.build_ms: dict[str, float] = {}  # per screen built ahead: for the bench

    @property
    def done(self) -> bool:
        return not self._names

    def start(self) -> None:
        Clock.schedule_once(self._next, START_S)

    def _next(self, _dt: float) -> None:
        if not self._names:
            return
        if not self._idle():
            Clock.schedule_once(self._next, QUIET_S)
            return
        name = self._names.pop(0)
        started = time.perf_counter()
        self._build(name)
        self.build_ms[name] = (time.perf_counter() - started) * 1000
        Clock.schedule_once(self._next, GAP_S)
