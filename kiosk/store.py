"""The kiosk's own SQLite: outbox, dead letters, the pulled copy of the property, sync cursor, audit.

One file in WAL mode with ``synchronous=FULL`` (a committed op survives a power cut). The schema
carries its version in ``PRAGMA user_version`` and is upgraded on open. Every local change is
written together with its outbox row in one transaction (``Store.transaction``), so a crash
leaves either both or neither.

Plain Python and thread-safe: one connection behind a lock, used by the sync worker and by the
front-desk calls of the journey alike. Reservations and rooms are kept as the server's JSON
(``frontoffice.schemas.ReservationOut`` / ``RoomOut``) plus the columns a lookup needs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kiosk.names import normalize_code, tokens, typed_matches

# Each entry upgrades the schema by one version; never edit a shipped entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    -- seq: the per-kiosk sequence number; AUTOINCREMENT never reuses one, even after a delete.
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL,
        type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX outbox_entity ON outbox (entity_id);
    CREATE TABLE dead_letter (
        id INTEGER PRIMARY KEY,
        op_id TEXT NOT NULL UNIQUE,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        failed_at TEXT NOT NULL
    );
    CREATE TABLE reservation (
        id TEXT PRIMARY KEY,
        confirmation_code TEXT NOT NULL,
        arrival TEXT NOT NULL,
        birth_date TEXT,
        qr_token TEXT NOT NULL,
        -- The guest's name as kiosk.names.tokens splits it: family and given words space-joined,
        -- all words between spaces (" a b c ", for LIKE '% b %'), the family words run together.
        family TEXT NOT NULL,
        given TEXT NOT NULL,
        words TEXT NOT NULL,
        joined TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX reservation_code ON reservation (confirmation_code);
    CREATE INDEX reservation_arrival ON reservation (arrival);
    CREATE INDEX reservation_birth ON reservation (birth_date);
    CREATE INDEX reservation_qr ON reservation (qr_token);
    CREATE TABLE room (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
)


@dataclass(frozen=True)
class Op:
    """A queued change for the server, as the push sends it."""

    seq: int
    op_id: str
    idempotency_key: str
    type: str
    entity_id: str
    payload: dict[str, Any]
    created_at: datetime
    attempts: int
    last_error: str

    def wire(self) -> dict[str, Any]:
        return {
            "op_id": self.op_id,
            "seq": self.seq,
            "type": self.type,
            "entity_id": self.entity_id,
            "payload": self.payload,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class DeadLetter:
    """An op the server refused: kept for staff with the server's reason."""

    op_id: str
    seq: int
    type: str
    entity_id: str
    payload: dict[str, Any]
    created_at: datetime
    reason: str
    failed_at: datetime


def _now() -> str:
    return datetime.now(UTC).isoformat()


class Tx:
    """Writes inside one ``Store.transaction``: all of them commit together or not at all."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def enqueue(
        self,
        op_type: str,
        entity_id: str,
        payload: dict[str, Any],
        created_at: datetime,
        op_id: str | None = None,
    ) -> str:
        """Queue an op; an ``op_id`` already queued is kept as it is (a repeat is not a second op).

        The op id is also the server-side idempotency key, so a direct API call made under the
        same key and this op are applied once between them.
        """
        op_id = op_id or str(uuid.uuid4())
        self._conn.execute(
            "INSERT OR IGNORE INTO outbox (op_id, idempotency_key, type, entity_id, payload, created_at)"
            " VALUES (?,?,?,?,?,?)",
            (op_id, op_id, op_type, entity_id, json.dumps(payload), created_at.isoformat()),
        )
        return op_id

    def audit(
        self, at: datetime, actor: str, action: str, entity: str, entity_id: str, **detail: Any
    ) -> None:
        """Write to the local audit trail and queue the same event for the server's."""
        self._conn.execute(
            "INSERT INTO audit (at, actor, action, entity, entity_id, detail) VALUES (?,?,?,?,?,?)",
            (at.isoformat(), actor, action, entity, entity_id, json.dumps(detail)),
        )
        event = {"actor": actor, "action": action, "entity": entity, "entity_id": entity_id}
        self.enqueue("audit", entity_id, {**event, "detail": detail, "at": at.isoformat()}, at)

    def put_reservation(self, data: dict[str, Any]) -> None:
        guest = data["guest"]
        family, given = tokens(guest["surname"]), tokens(guest["given_names"])
        self._conn.execute(
            "INSERT OR REPLACE INTO reservation (id, confirmation_code, arrival, birth_date, qr_token,"
            " family, given, words, joined, data) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                data["id"],
                normalize_code(data["confirmation_code"]),
                data["arrival"],
                guest.get("birth_date"),
                data["qr_token"],
                " ".join(family),
                " ".join(given),
                f" {' '.join(family + given)} ",
                "".join(family),
                json.dumps(data),
            ),
        )
        if data.get("room"):
            self.put_room(data["room"])

    def put_room(self, data: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO room (id, data) VALUES (?, ?)", (data["id"], json.dumps(data))
        )

    def delete(self, entity: str, entity_id: str) -> None:
        table = {"reservation": "reservation", "room": "room"}[entity]
        self._conn.execute(f"DELETE FROM {table} WHERE id = ?", (entity_id,))

    def set_meta(self, key: str, value: Any) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def has_pending(self, entity_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM outbox WHERE entity_id = ? LIMIT 1", (entity_id,))
        return row.fetchone() is not None

    def merge_reservations(self, reservations: Iterable[dict[str, Any]]) -> None:
        """Take the server's state, except for a booking with ops still queued: the local state
        is newer there, and the server logs a change (so a later pull brings it) once they land."""
        for data in reservations:
            if not self.has_pending(data["id"]):
                self.put_reservation(data)


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        # Delivered ops may hold a signature or an ID photo: deleted rows are overwritten, not left.
        self._conn.execute("PRAGMA secure_delete=ON")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._upgrade()

    def _upgrade(self) -> None:
        with self._lock:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise RuntimeError(f"{self.path} has schema {version}, newer than this kiosk knows")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                # executescript commits first; the version bump rides in the script's own transaction.
                self._conn.executescript(
                    f"BEGIN IMMEDIATE; {script}; PRAGMA user_version = {number}; COMMIT;"
                )

    @property
    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # -- meta ----------------------------------------------------------------------------------

    def meta(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    @property
    def cursor(self) -> int:
        return self.meta("cursor", 0)

    # -- outbox --------------------------------------------------------------------------------

    def pending(self, limit: int = 500) -> list[Op]:
        rows = self._read(
            "SELECT seq, op_id, idempotency_key, type, entity_id, payload, created_at, attempts, last_error"
            " FROM outbox ORDER BY seq LIMIT ?",
            (limit,),
        )
        return [
            Op(seq, op_id, key, type_, entity, json.loads(payload), datetime.fromisoformat(at), tries, error)
            for seq, op_id, key, type_, entity, payload, at, tries, error in rows
        ]

    def depth(self) -> int:
        return self._read("SELECT count(*) FROM outbox")[0][0]

    def known_op(self, op_id: str) -> bool:
        """Queued, or refused and kept as a dead letter."""
        rows = self._read(
            "SELECT 1 FROM outbox WHERE op_id = ? UNION ALL SELECT 1 FROM dead_letter WHERE op_id = ?",
            (op_id, op_id),
        )
        return bool(rows)

    def settle(self, done: Iterable[str], refused: dict[str, str]) -> None:
        """The server answered: ``done`` ops are gone; ``refused`` ones (op id -> reason) become
        dead letters, in the same transaction, so none is lost or pushed again."""
        with self.transaction():
            now = _now()
            for op_id, reason in refused.items():
                self._conn.execute(
                    "INSERT OR IGNORE INTO dead_letter"
                    " (op_id, seq, type, entity_id, payload, created_at, reason, failed_at)"
                    " SELECT op_id, seq, type, entity_id, payload, created_at, ?, ?"
                    " FROM outbox WHERE op_id = ?",
                    (reason, now, op_id),
                )
            self._conn.executemany("DELETE FROM outbox WHERE op_id = ?", [(i,) for i in [*done, *refused]])

    def record_failure(self, op_ids: Iterable[str], error: str) -> None:
        with self.transaction():
            self._conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE op_id = ?",
                [(error, i) for i in op_ids],
            )

    def dead_letters(self) -> list[DeadLetter]:
        rows = self._read(
            "SELECT op_id, seq, type, entity_id, payload, created_at, reason, failed_at"
            " FROM dead_letter ORDER BY seq"
        )
        return [
            DeadLetter(op, seq, t, e, json.loads(p), datetime.fromisoformat(c), r, datetime.fromisoformat(f))
            for op, seq, t, e, p, c, r, f in rows
        ]

    # -- the pulled copy -----------------------------------------------------------------------

    def apply_changes(self, changes: list[dict[str, Any]], cursor: int) -> None:
        """One pull page and its cursor, in one transaction."""
        with self.transaction() as tx:
            for change in changes:
                entity, entity_id, data = change["entity"], change["id"], change["data"]
                if data is None:
                    if not tx.has_pending(entity_id):
                        tx.delete(entity, entity_id)
                elif entity == "room":
                    tx.put_room(data)
                else:
                    tx.merge_reservations([data])
            tx.set_meta("cursor", cursor)

    def reservation(self, reservation_id: str) -> dict[str, Any] | None:
        rows = self._read("SELECT data FROM reservation WHERE id = ?", (reservation_id,))
        return self._with_room(json.loads(rows[0][0])) if rows else None

    def room(self, room_id: str) -> dict[str, Any] | None:
        rows = self._read("SELECT data FROM room WHERE id = ?", (room_id,))
        return json.loads(rows[0][0]) if rows else None

    def _with_room(self, data: dict[str, Any]) -> dict[str, Any]:
        """A reservation with its room's latest state (rooms change without their bookings)."""
        if data.get("room") and (room := self.room(data["room"]["id"])) is not None:
            data["room"] = room
        return data

    def find(
        self,
        *,
        surname: str = "",
        confirmation_code: str | None = None,
        birth_date: date | None = None,
        arrival: date | None = None,
        qr_token: str | None = None,
    ) -> list[dict[str, Any]]:
        """Bookings by one indexed key, then by name as the server matches names."""
        if qr_token is not None:
            where, arg = "qr_token = ?", qr_token
        elif confirmation_code is not None:
            where, arg = "confirmation_code = ?", normalize_code(confirmation_code)
        elif birth_date is not None:
            where, arg = "birth_date = ?", birth_date.isoformat()
        elif arrival is not None:
            where, arg = "arrival = ?", arrival.isoformat()
        else:
            raise ValueError("give qr_token, confirmation_code, birth_date or arrival")
        typed = tokens(surname)
        args: tuple[Any, ...] = (arg,)
        if qr_token is None:
            if not typed:
                return []
            # SQL narrows a whole day's arrivals by name words (tokens are [0-9a-z] only, no LIKE
            # wildcards); the ported rule below has the last word.
            where += " AND (joined = ? OR (" + " AND ".join(["words LIKE ?"] * len(typed)) + "))"
            args += ("".join(typed), *(f"% {t} %" for t in typed))
        rows = self._read(f"SELECT id, family, given FROM reservation WHERE {where}", args)
        ids = [
            id_
            for id_, family, given in rows
            if qr_token is not None or typed_matches(typed, tuple(family.split()), tuple(given.split()))
        ]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = self._read(
            f"SELECT data FROM reservation WHERE id IN ({marks}) ORDER BY confirmation_code, id", tuple(ids)
        )
        return [self._with_room(json.loads(data)) for (data,) in found]

    def reservations(self) -> list[dict[str, Any]]:
        """Every cached booking (for staff pages)."""
        return [self._with_room(json.loads(d)) for (d,) in self._read("SELECT data FROM reservation")]

    def count_reservations(self) -> int:
        return self._read("SELECT count(*) FROM reservation")[0][0]

    def audit_trail(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._read(
            "SELECT at, actor, action, entity, entity_id, detail FROM audit ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            {"at": at, "actor": actor, "action": action, "entity": e, "entity_id": i, "detail": json.loads(d)}
            for at, actor, action, e, i, d in rows
        ]
