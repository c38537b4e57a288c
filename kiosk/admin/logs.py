"""Recent log records for the technician's logs viewer, kept in a ring buffer, filterable by device.

A record belongs to a device when it was logged on that device's threads (``dev-NAME_…`` workers,
``scanner-NAME`` readers) or its message starts with ``NAME:``, as the drivers write them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class LogLine:
    at: datetime
    level: str
    logger: str
    device: str  # "" when the record is not about one device
    message: str

    def __str__(self) -> str:
        where = f" [{self.device}]" if self.device else ""
        at = self.at.isoformat(timespec="milliseconds")
        return f"{at} {self.level:<7} {self.logger}{where}: {self.message}"


class LogBuffer(logging.Handler):
    def __init__(self, device_names: Callable[[], Iterable[str]], capacity: int = 2000) -> None:
        super().__init__(logging.DEBUG)
        self._device_names = device_names
        self._lines: deque[LogLine] = deque(maxlen=capacity)
        self._guard = threading.Lock()

    def attach(self, logger: logging.Logger | None = None) -> LogBuffer:
        (logger or logging.getLogger()).addHandler(self)
        return self

    def detach(self, logger: logging.Logger | None = None) -> None:
        (logger or logging.getLogger()).removeHandler(self)

    def _device_of(self, record: logging.LogRecord, message: str) -> str:
        thread = record.threadName or ""
        for name in self._device_names():
            if (
                thread.startswith(f"dev-{name}_")
                or thread == f"scanner-{name}"
                or message.startswith(f"{name}:")
            ):
                return name
        return ""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            line = LogLine(
                datetime.fromtimestamp(record.created, UTC),
                record.levelname,
                record.name,
                self._device_of(record, message),
                message,
            )
        except Exception:
            self.handleError(record)
            return
        with self._guard:
            self._lines.append(line)

    def lines(
        self, device: str | None = None, min_level: int = logging.DEBUG, limit: int = 200
    ) -> list[LogLine]:
        """The newest ``limit`` lines, oldest first; only ``device``'s when given."""
        with self._guard:
            lines = list(self._lines)
        wanted = [
            line
            for line in lines
            if (device is None or line.device == device) and logging.getLevelName(line.level) >= min_level
        ]
        return wanted[-limit:]
