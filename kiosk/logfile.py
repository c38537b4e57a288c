"""The kiosk's log file: what the devices did, the journey's steps and outcomes, sync results
and refusals, rotated under var/log/. Never guest data: the code logging it says only kinds,
outcomes, ids the kiosk made and counts (tests search the file for a guest's name and code)."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kiosk.config import KioskSettings

FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
# Libraries whose INFO lines carry what the kiosk sent (an HTTP client logs each URL with its query).
QUIET = ("httpx", "httpcore", "urllib3", "PIL")


def setup(settings: KioskSettings, *, console: bool = True) -> RotatingFileHandler:
    """Log at the configured level to the rotating file (added once per process); with
    ``console``, warnings and errors to stderr too, as before there was a file."""
    section = settings.log
    path = settings.resolve(section.path)
    root = logging.getLogger()
    if console:
        # python-escpos calls logging.basicConfig() when imported: that stderr handler, or ours,
        # shows warnings only (the file has the rest).
        terminals = [h for h in root.handlers if type(h) is logging.StreamHandler]
        if not terminals:
            terminals = [logging.StreamHandler(sys.stderr)]
            terminals[0].setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            root.addHandler(terminals[0])
        for terminal in terminals:
            terminal.setLevel(max(terminal.level, logging.WARNING))
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
