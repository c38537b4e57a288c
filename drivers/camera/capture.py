"""Frame capture in its own thread, handing out only the newest frame.

A webcam delivers 30 frames a second and decoding one takes tens of milliseconds; a queue would
fill with stale frames and the guest would wait for the past. The capture thread overwrites one
slot, the decoder takes whatever is newest, and frames in between are dropped on purpose.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


log = logging.getLogger(__name__)


class FrameSource(Protocol):
    def read(self) -> np.ndarray | None:
        """The next frame, or None when none could be read (the loop counts that as a failure)."""

    def close(self) -> None: ...


class LatestFrame:
    """A one-slot mailbox: writers overwrite, readers wait for something newer than they saw."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: np.ndarray | None = None
        self._seq = 0
        self._closed = False
        self.at = 0.0  # monotonic time of the newest frame

    def put(self, frame: np.ndarray) -> None:
        with self._cond:
            self._frame, self._seq, self.at = frame, self._seq + 1, time.monotonic()
            self._cond.notify_all()

    def newest(self) -> tuple[int, np.ndarray | None]:
        with self._cond:
            return self._seq, self._frame

    def wait_newer(self, seen: int, timeout: float) -> tuple[int, np.ndarray] | None:
        """The newest frame once it is newer than ``seen``; None on timeout or close."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq > seen or self._closed, timeout)
            if self._closed or self._seq <= seen or self._frame is None:
                return None
            return self._seq, self._frame

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._frame = None  # the last picture may show an ID: do not keep it
            self._cond.notify_all()


class CaptureThread(threading.Thread):
    """Reads ``source`` into ``slot`` until stopped; counts consecutive read failures."""

    def __init__(self, source: FrameSource, slot: LatestFrame, name: str) -> None:
        super().__init__(name=f"capture-{name}", daemon=True)
        self.source, self.slot = source, slot
        self.failures = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                frame = self.source.read()
            except Exception:  # a driver error is a missed frame, counted like one
                log.exception("%s: reading a frame failed", self.name)
                frame = None
            if frame is None:
                self.failures += 1
                self._stop_event.wait(0.05)  # a camera that lost its USB link: do not spin
                continue
            self.failures = 0
            self.slot.put(frame)

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop and wait; False when a read is still stuck in the driver after ``timeout``."""
        self._stop_event.set()
        self.join(timeout)
        return not self.is_alive()
