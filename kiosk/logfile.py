"""The kiosk's log file: what the devices did, the journey's steps and outcomes, sync results
and refusals, rotated under var/log/. Never guest data: the code logging it says only kinds,
outcomes, ids the kiosk made and counts (tests search the file for a guest's name and code)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kiosk.config import KioskSettings

FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
# Libraries whose INFO lines carry what the kiosk sent (an HTTP client logs each URL with its query).
QUIET = ("httpx", "httpcore", "urllib3", "PIL")


def setup(settings: KioskSettings) -> RotatingFileHandler:
    """Log at the configured level to the rotating file (added once per process)."""
    section = settings.log
    path = settings.resolve(section.path)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path.resolve():
            return handler
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        path, maxBytes=section.max_bytes, backupCount=section.backups, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(section.level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def tail(path: Path, limit: int = 2_000_000) -> str:
    """The newest ``limit`` bytes of the log, across its last rotation (for diagnostics)."""
    text = b""
    for part in (path.with_name(path.name + ".1"), path):
        if part.is_file():
            text += part.read_bytes()
    return text[-limit:].decode("utf-8", "replace")
