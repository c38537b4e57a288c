"""Run a kiosk's operation once, whichever way it arrived (API call or sync push).

A direct call runs in its own transaction. A push runs its ops in order in one transaction
(one commit, its op ids claimed in one statement) instead of one transaction per op; the
idempotency store and the dead letters keep the same rows as for ops pushed one by one.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from frontoffice.db import Database
from frontoffice.models import DeadLetter, Kiosk, ProcessedOp, Property
from frontoffice.schemas import OpIn, OpResult
from frontoffice.services import idempotency
from frontoffice.services.errors import DomainError, Invalid, NotFound
from frontoffice.services.operations import OPERATIONS, Caller

log = logging.getLogger(__name__)


def load_caller(session: Session, kiosk_id: uuid.UUID) -> Caller:
    row = session.execute(
        select(Kiosk, Property).join(Property, Property.id == Kiosk.property_id).where(Kiosk.id == kiosk_id)
    ).first()
    if row is None:
        raise NotFound("no such kiosk")
    return Caller(row[0], row[1])


def _digest(op_type: str, payload: dict[str, Any]) -> str:
    """The request's hash as the server reads it (validated, defaults filled in): the same operation
    sent once as a call and once queued, or by kiosks that omit a default, hashes alike."""
    entry = OPERATIONS.get(op_type)
    # An unknown or invalid op is refused anyway; its raw form still tells a reused key apart.
    with contextlib.suppress(ValidationError):
        payload = entry[0].model_validate(payload).model_dump(mode="json") if entry else payload
    return idempotency.request_hash({"type": op_type, "payload": payload})


def _attempt(
    session: Session, caller: Caller, key: str, op_type: str, payload: dict[str, Any], status_code: int
) -> idempotency.Answer:
    """Apply under a savepoint unless the key was seen (then replay the first answer).

    Raises DomainError / ValidationError for a request that cannot be applied; nothing is kept.
    """
    if op_type not in OPERATIONS:
        raise Invalid(f"unknown op type {op_type!r}", code="unknown_op_type")
    model, operation = OPERATIONS[op_type]
    digest = _digest(op_type, payload)
    try:
        with session.begin_nested():
            data = model.model_validate(payload)
            return idempotency.run_once(
                session,
                caller.kiosk.id,
                key,
                op_type,
                digest,
                lambda: (status_code, operation(session, caller, data, key)),
            )
    except IntegrityError:
        # A concurrent twin claimed the key first and has committed: answer what it answered.
        answer = idempotency.stored(session, caller.kiosk.id, key, digest)
        if answer is None:
            raise
        return answer


def perform(
    db: Database, kiosk_id: uuid.UUID, key: str, op_type: str, payload: dict[str, Any], status_code: int = 200
) -> idempotency.Answer:
    """One operation in its own transaction (a direct API call)."""
    with db.session(write=True) as session:
        return _attempt(session, load_caller(session, kiosk_id), key, op_type, payload, status_code)


class _Refused(Exception):
    """An op was refused in a batch run without savepoints: run the batch again with them."""


def _claim(session: Session, kiosk_id: uuid.UUID, ops: list[OpIn], digests: dict[str, str]) -> dict[str, Any]:
    """Claim every op id of the batch in one statement; returns each id's row (status 0: ours).

    A key another transaction is claiming right now makes PostgreSQL wait for it, then keep its
    row, whose answer is then replayed; SQLite writers are serialized anyway.
    """
    table = ProcessedOp.__table__
    insert = (pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert)(table)
    fresh = {op.op_id: op for op in ops}  # the same op twice in one push is claimed once
    session.execute(
        insert.on_conflict_do_nothing(),
        [
            {
                "kiosk_id": kiosk_id,
                "op_id": op.op_id,
                "type": op.type,
                "request_hash": digests[op.op_id],
                "status_code": 0,
                "response": {},
            }
            for op in fresh.values()
        ],
    )
    rows = session.execute(
        select(table.c.op_id, table.c.request_hash, table.c.status_code, table.c.response).where(
            table.c.kiosk_id == kiosk_id, table.c.op_id.in_(fresh)
        )
    )
    return {row.op_id: row for row in rows}


def _work(session: Session, caller: Caller, op: OpIn) -> dict[str, Any]:
    if op.type not in OPERATIONS:
        raise Invalid(f"unknown op type {op.type!r}", code="unknown_op_type")
    model, operation = OPERATIONS[op.type]
    return operation(session, caller, model.model_validate(op.payload), op.op_id)


# What refuses one op for good. A constraint or a column's range the op breaks (data the checks
# did not foresee) is the op's fault too: it must not block the ops behind it in the outbox.
REFUSALS = (ValidationError, DomainError, IntegrityError, DataError)


def _refusal(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return "invalid_payload", f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    if isinstance(exc, DomainError):
        return exc.code, exc.message
    if isinstance(exc, IntegrityError):
        return "constraint_violated", "the op conflicts with the data stored on the server"
    return "invalid_value", "a value of the op is out of range for the server's database"


def _apply(session: Session, caller: Caller, op: OpIn) -> dict[str, Any]:
    """One op under its own savepoint. A constraint hit twice is the op's own: the first may be a
    concurrent writer's row, committed meanwhile, that the second attempt then sees."""
    try:
        with session.begin_nested():
            return _work(session, caller, op)
    except IntegrityError:
        with session.begin_nested():
            return _work(session, caller, op)


def _push_batch(db: Database, kiosk_id: uuid.UUID, ops: list[OpIn], safe: bool) -> list[OpResult]:
    """The batch in one transaction. ``safe``: each op under its own savepoint, so a refused op
    rolls back alone and is recorded (processed_op 409 and a dead letter); otherwise the first
    refusal raises ``_Refused`` and nothing is kept."""
    digests = {op.op_id: _digest(op.type, op.payload) for op in ops}
    with db.session(write=True) as session:
        caller = load_caller(session, kiosk_id)
        stored = _claim(session, kiosk_id, ops, digests)
        answers: dict[str, tuple[int, dict[str, Any]]] = {}  # decided in this batch
        results = []
        for op in ops:
            row = stored[op.op_id]
            if row.request_hash != digests[op.op_id]:  # not this op's fault: nothing to dead-letter
                reason = "idempotency_key_reused: this op id was already used for a different request"
                results.append(OpResult(op_id=op.op_id, status="rejected", reason=reason))
                continue
            if row.status_code or op.op_id in answers:
                status_code, body = answers.get(op.op_id) or (row.status_code, row.response)
                if status_code < 300:
                    results.append(OpResult(op_id=op.op_id, status="duplicate", result=body))
                else:
                    reason = f"{body['error']}: {body['message']}"
                    results.append(OpResult(op_id=op.op_id, status="rejected", reason=reason))
                continue
            try:
                body = _apply(session, caller, op) if safe else _work(session, caller, op)
            except REFUSALS as exc:
                if not safe:
                    raise _Refused from exc
                if isinstance(exc, IntegrityError | DataError):
                    log.warning("op %s of kiosk %s refused by the database: %s", op.op_id, kiosk_id, exc.orig)
                code, message = _refusal(exc)
                answers[op.op_id] = (409, {"error": code, "message": message})
                session.add(
                    DeadLetter(
                        kiosk_id=kiosk_id,
                        op_id=op.op_id,
                        seq=op.seq,
                        type=op.type,
                        payload=op.payload,
                        reason=message,
                    )
                )
                results.append(OpResult(op_id=op.op_id, status="rejected", reason=f"{code}: {message}"))
                continue
            answers[op.op_id] = (200, body)
            results.append(OpResult(op_id=op.op_id, status="applied", result=body))
        if answers:
            table = ProcessedOp.__table__
            session.execute(
                update(table)
                .where(table.c.kiosk_id == kiosk_id, table.c.op_id == bindparam("key"))
                .values(status_code=bindparam("status"), response=bindparam("body")),
                [{"key": k, "status": s, "body": b} for k, (s, b) in answers.items()],
            )
        return results


def push(db: Database, kiosk_id: uuid.UUID, ops: list[OpIn]) -> list[OpResult]:
    """Apply a kiosk's ops in order, each once; answers per op applied | duplicate | rejected.

    The usual batch (nothing refused) runs without savepoints, its rows flushed together; a
    batch with a refusal runs again with a savepoint per op.
    """
    if not ops:
        return []
    try:
        try:
            return _push_batch(db, kiosk_id, ops, safe=False)
        except (_Refused, IntegrityError, DataError):  # the latter two: met when the rows are flushed
            return _push_batch(db, kiosk_id, ops, safe=True)
    except OperationalError:
        if len(ops) == 1:
            raise
        # A deadlock with another writer (PostgreSQL) undid the whole batch: go one op at a time.
        return [result for op in ops for result in push(db, kiosk_id, [op])]
