"""The admin audit: every unlock, failure and staff or technician action, one JSON line each.

Append-only and fsynced per record, so a power cut loses at most the line being written (a torn
last line is skipped on reading). Each record carries a UUID so the sync layer can hand it to the
server once. Never a PIN, never card data: callers pass only what may be shown to staff.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AuditRecord:
    event: str  # "unlock", "unlock_failed", "locked_out", "out_of_service", "end_of_day", ...
    role: str  # "staff", "technician", or "" before anyone is known
    actor: str  # the badge holder's name when known, else the role
    at: datetime
    detail: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "at": self.at.isoformat()}, sort_keys=True, default=str)

    @classmethod
    def from_json(cls, line: str) -> AuditRecord:
        data = json.loads(line)
        data["at"] = datetime.fromisoformat(data["at"])
        return cls(**data)


class AuditLog:
    def __init__(self, path: Path, clock: WallClock = utc_now) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        # Told of each record once it is on disk: the kiosk hands it to the server's audit trail.
        self.sinks: list[Callable[[AuditRecord], None]] = []

    def record(self, event: str, role: str = "", actor: str = "", **detail: Any) -> AuditRecord:
        entry = AuditRecord(event, role, actor or role, self._clock(), detail)
        line = entry.to_json() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        log.info("audit: %s by %s", event, entry.actor or "nobody")
        for sink in list(self.sinks):
            try:
                sink(entry)
            except Exception:  # the local line is written; the server copy must not undo an action
                log.exception("audit: %s not handed on", entry.id)
        return entry

    def records(self, limit: int | None = None) -> list[AuditRecord]:
        """Oldest first; the last ``limit`` only when given."""
        if not self.path.exists():
            return []
        with self._lock:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        found = []
        for line in lines[-limit:] if limit else lines:
            try:
                found.append(AuditRecord.from_json(line))
            except (ValueError, TypeError, KeyError):
                log.warning("audit: skipped an unreadable line in %s", self.path)
        return found
