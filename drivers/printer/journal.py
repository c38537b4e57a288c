"""The print journal: every job's bytes and outcome in a small SQLite file, so staff can reprint.

Receipts carry guest data (name, room access code, Wi-Fi password), so the journal keeps only the
newest ``keep`` jobs, none older than ``max_age``. Card data never reaches it beyond what a receipt
shows: a masked number. Used from the printer's worker thread only.
"""

from __future__ import annotations

import enum
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS print_job (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status_before TEXT NOT NULL,
    status_after TEXT,
    error TEXT,
    reprint_of TEXT,
    data BLOB NOT NULL
)
"""


class Outcome(enum.StrEnum):
    PRINTED = "printed"  # sent, and the printer answered fine afterwards
    UNVERIFIED = "unverified"  # sent, but the printer's status afterwards is unknown
    FAILED = "failed"  # sent, and the printer reported a fault afterwards (e.g. paper ran out)
    REFUSED = "refused"  # not sent: the printer was known not to be able to print


@dataclass(frozen=True)
class JournalEntry:
    job_id: str
    kind: str
    created_at: datetime
    outcome: Outcome
    status_before: dict[str, Any]
    status_after: dict[str, Any] | None
    error: str | None
    reprint_of: str | None
    data: bytes


class PrintJournal:
    def __init__(self, path: Path, keep: int = 20, max_age: timedelta = timedelta(hours=24)) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.max_age = max_age
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def record(self, entry: JournalEntry) -> None:
        with self._db:
            # A job retried under its id (after a refusal) replaces its earlier attempt.
            self._db.execute(
                f"INSERT OR REPLACE INTO print_job ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.job_id,
                    entry.kind,
                    entry.created_at.isoformat(),
                    entry.outcome.value,
                    json.dumps(entry.status_before),
                    None if entry.status_after is None else json.dumps(entry.status_after),
                    entry.error,
                    entry.reprint_of,
                    entry.data,
                ),
            )
            self._db.execute(
                "DELETE FROM print_job WHERE seq <= (SELECT MAX(seq) FROM print_job) - ?", (self.keep,)
            )
            # created_at is always UTC ISO 8601, so text order is time order.
            cutoff = (datetime.now(UTC) - self.max_age).isoformat()
            self._db.execute("DELETE FROM print_job WHERE created_at < ?", (cutoff,))

    def get(self, job_id: str) -> JournalEntry | None:
        return self._one("WHERE job_id = ?", (job_id,))

    def last(self, exclude_kinds: tuple[str, ...] = ("test",)) -> JournalEntry | None:
        """The newest job that was meant for a guest (test pages excluded)."""
        marks = ",".join("?" * len(exclude_kinds)) or "''"
        return self._one(f"WHERE kind NOT IN ({marks}) ORDER BY seq DESC LIMIT 1", exclude_kinds)

    def entries(self) -> list[JournalEntry]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM print_job ORDER BY seq").fetchall()
        return [_entry(row) for row in rows]

    def _one(self, where: str, params: tuple[Any, ...]) -> JournalEntry | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM print_job {where}", params).fetchone()
        return None if row is None else _entry(row)


_COLUMNS = "job_id, kind, created_at, outcome, status_before, status_after, error, reprint_of, data"


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    job_id, kind, created_at, outcome, before, after, error, reprint_of, data = row
    return JournalEntry(
        job_id=job_id,
        kind=kind,
        created_at=datetime.fromisoformat(created_at),
        outcome=Outcome(outcome),
        status_before=json.loads(before),
        status_after=None if after is None else json.loads(after),
        error=error,
        reprint_of=reprint_of,
        data=bytes(data),
    )
