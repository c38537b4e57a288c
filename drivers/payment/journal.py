"""The kiosk's payment journal: an intent is on disk before the terminal is asked, the result after.

Its own SQLite file (WAL, synchronous=FULL: every commit is fsynced). A row is born PENDING when
the intent is written, becomes RECORDED when the result is known (live, by reconciliation with the
terminal, or by staff) or NEEDS_REVIEW when it could not be established. It holds no card data:
results are stored as ``PaymentResult.to_dict()``, whose card number is masked by construction.

The sync layer hands recorded payments to the server exactly once with ``unacknowledged()`` and
``mark_acknowledged()``; the idempotency key is the server-side key too.
"""

from __future__ import annotations

import enum
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drivers.money import Money
from drivers.payment.model import Operation, PaymentRequest, PaymentResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS payment (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    terminal TEXT NOT NULL,
    operation TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    reference TEXT NOT NULL,
    original_receipt_no INTEGER,
    original_trace_no INTEGER,
    -- The terminal's last trace number when the intent was written; reconciliation compares it
    -- with the terminal's last transaction to tell "ours, performed" from "never performed".
    prior_trace INTEGER,
    prior_known INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    result TEXT,
    resolved_by TEXT,
    review_reason TEXT NOT NULL DEFAULT '',
    finished_at TEXT,
    acked_at TEXT
);
CREATE INDEX IF NOT EXISTS payment_open ON payment (state) WHERE state != 'recorded';
"""


class EntryState(enum.StrEnum):
    PENDING = "pending"
    RECORDED = "recorded"
    NEEDS_REVIEW = "needs_review"


class ResolvedBy(enum.StrEnum):
    LIVE = "live"
    RECONCILE = "reconcile"
    STAFF = "staff"


class JournalError(Exception):
    pass


@dataclass(frozen=True)
class JournalEntry:
    id: int
    request: PaymentRequest
    terminal: str
    prior_trace: int | None
    prior_known: bool
    state: EntryState
    created_at: datetime
    result: PaymentResult | None
    resolved_by: ResolvedBy | None
    review_reason: str
    acked_at: datetime | None

    @property
    def idempotency_key(self) -> str:
        return self.request.idempotency_key


def _now() -> str:
    return datetime.now(UTC).isoformat()


class PaymentJournal:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        if created:  # the new file's directory entry must survive a power cut too
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writes ------------------------------------------------------------------------------

    def _write(self, sql: str, args: tuple[object, ...]) -> int:
        with self._lock:
            cur = self._db.execute("BEGIN IMMEDIATE")
            try:
                cur = self._db.execute(sql, args)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return cur.rowcount

    def begin(
        self, request: PaymentRequest, terminal: str, prior_trace: int | None, prior_known: bool
    ) -> JournalEntry:
        """Write the intent; returns only once it is on disk."""
        try:
            self._write(
                "INSERT INTO payment (idempotency_key, terminal, operation, amount_minor, currency,"
                " reference, original_receipt_no, original_trace_no, prior_trace, prior_known, state,"
                " created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    request.idempotency_key,
                    terminal,
                    request.operation.value,
                    request.amount.minor,
                    request.amount.currency,
                    request.reference,
                    request.original_receipt_no,
                    request.original_trace_no,
                    prior_trace,
                    int(prior_known),
                    EntryState.PENDING.value,
                    _now(),
                ),
            )
        except sqlite3.IntegrityError:
            raise JournalError(f"idempotency key {request.idempotency_key!r} already used") from None
        entry = self.get(request.idempotency_key)
        assert entry is not None
        return entry

    def finish(self, key: str, result: PaymentResult, resolved_by: ResolvedBy) -> None:
        """Record the result of an open (pending or needs-review) intent."""
        changed = self._write(
            "UPDATE payment SET state=?, result=?, resolved_by=?, finished_at=? "
            "WHERE idempotency_key=? AND state != ?",
            (
                EntryState.RECORDED.value,
                json.dumps(result.to_dict()),
                resolved_by.value,
                _now(),
                key,
                EntryState.RECORDED.value,
            ),
        )
        if not changed:
            raise JournalError(f"no open payment with key {key!r}")

    def mark_review(self, key: str, reason: str) -> None:
        self._write(
            "UPDATE payment SET state=?, review_reason=? WHERE idempotency_key=? AND state=?",
            (EntryState.NEEDS_REVIEW.value, reason, key, EntryState.PENDING.value),
        )

    def mark_acknowledged(self, key: str) -> None:
        """The server has stored this payment; it will not be handed out again."""
        self._write(
            "UPDATE payment SET acked_at=? WHERE idempotency_key=? AND acked_at IS NULL", (_now(), key)
        )

    # -- reads -------------------------------------------------------------------------------

    def _select(self, where: str, args: tuple[object, ...] = (), limit: int = -1) -> list[JournalEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, idempotency_key, terminal, operation, amount_minor, currency, reference,"
                " original_receipt_no, original_trace_no, prior_trace, prior_known, state, created_at,"
                f" result, resolved_by, review_reason, acked_at FROM payment WHERE {where}"
                " ORDER BY id LIMIT ?",
                (*args, limit),
            ).fetchall()
        return [self._entry(row) for row in rows]

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> JournalEntry:
        (id_, key, terminal, op, minor, currency, ref, orig_receipt, orig_trace, prior, known, state,
         created, result, resolved_by, reason, acked) = row  # fmt: skip
        request = PaymentRequest(Operation(op), Money(minor, currency), ref, key, orig_receipt, orig_trace)
        return JournalEntry(
            id=id_,
            request=request,
            terminal=terminal,
            prior_trace=prior,
            prior_known=bool(known),
            state=EntryState(state),
            created_at=datetime.fromisoformat(created),
            result=PaymentResult.from_dict(json.loads(result)) if result else None,
            resolved_by=ResolvedBy(resolved_by) if resolved_by else None,
            review_reason=reason,
            acked_at=datetime.fromisoformat(acked) if acked else None,
        )

    def get(self, key: str) -> JournalEntry | None:
        found = self._select("idempotency_key=?", (key,))
        return found[0] if found else None

    def pending(self) -> list[JournalEntry]:
        return self._select("state=?", (EntryState.PENDING.value,))

    def needs_review(self) -> list[JournalEntry]:
        return self._select("state=?", (EntryState.NEEDS_REVIEW.value,))

    def entries(self) -> list[JournalEntry]:
        return self._select("1")

    def unacknowledged(self, limit: int = 100) -> list[JournalEntry]:
        """Recorded payments the server has not confirmed yet, oldest first."""
        return self._select("state=? AND acked_at IS NULL", (EntryState.RECORDED.value,), limit)
