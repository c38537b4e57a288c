"""Run a kiosk's operation once, in its own transaction, whichever way it arrived (API or push)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontoffice.db import Database
from frontoffice.models import DeadLetter, Kiosk, ProcessedOp, Property
from frontoffice.schemas import OpIn, OpResult
from frontoffice.services import idempotency
from frontoffice.services.errors import DomainError, Invalid, NotFound
from frontoffice.services.operations import OPERATIONS, Caller


def load_caller(session: Session, kiosk_id: uuid.UUID) -> Caller:
    row = session.execute(
        select(Kiosk, Property).join(Property, Property.id == Kiosk.property_id).where(Kiosk.id == kiosk_id)
    ).first()
    if row is None:
        raise NotFound("no such kiosk")
    return Caller(row[0], row[1])


def perform(
    db: Database, kiosk_id: uuid.UUID, key: str, op_type: str, payload: dict[str, Any], status_code: int = 200
) -> idempotency.Answer:
    """Apply an operation unless its key was seen before (then replay the first answer).

    Raises DomainError / ValidationError for a request that cannot be applied; nothing is stored.
    """
    model, operation = OPERATIONS[op_type]
    digest = idempotency.request_hash({"type": op_type, "payload": payload})
    try:
        with db.session(write=True) as session:
            caller = load_caller(session, kiosk_id)
            data = model.model_validate(payload)
            return idempotency.run_once(
                session,
                kiosk_id,
                key,
                op_type,
                digest,
                lambda: (status_code, operation(session, caller, data, key)),
            )
    except IntegrityError:
        # A concurrent twin claimed the key first and has committed: answer what it answered.
        with db.session() as session:
            answer = idempotency.stored(session, kiosk_id, key, digest)
        if answer is None:
            raise
        return answer


def _reject(db: Database, kiosk_id: uuid.UUID, op: OpIn, digest: str, code: str, reason: str) -> None:
    """Remember the refusal (so a repeat gets the same answer) and put the op in dead letters."""
    try:
        with db.session(write=True) as session:
            session.add(
                ProcessedOp(
                    kiosk_id=kiosk_id,
                    op_id=op.op_id,
                    type=op.type,
                    request_hash=digest,
                    status_code=409,
                    response={"error": code, "message": reason},
                )
            )
            session.add(
                DeadLetter(
                    kiosk_id=kiosk_id,
                    op_id=op.op_id,
                    seq=op.seq,
                    type=op.type,
                    payload=op.payload,
                    reason=reason,
                )
            )
    except IntegrityError:
        pass  # a concurrent repeat already recorded it


def push_one(db: Database, kiosk_id: uuid.UUID, op: OpIn) -> OpResult:
    digest = idempotency.request_hash({"type": op.type, "payload": op.payload})
    try:
        if op.type not in OPERATIONS:
            raise Invalid(f"unknown op type {op.type!r}", code="unknown_op_type")
        answer = perform(db, kiosk_id, op.op_id, op.type, op.payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        code, message = "invalid_payload", f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    except DomainError as exc:
        if exc.code == "idempotency_key_reused":  # not this op's fault: nothing to dead-letter
            return OpResult(op_id=op.op_id, status="rejected", reason=f"{exc.code}: {exc.message}")
        code, message = exc.code, exc.message
    else:
        if answer.status_code < 300:
            status = "duplicate" if answer.replayed else "applied"
            return OpResult(op_id=op.op_id, status=status, result=answer.body)
        code, message = answer.body["error"], answer.body["message"]
        return OpResult(op_id=op.op_id, status="rejected", reason=f"{code}: {message}")
    _reject(db, kiosk_id, op, digest, code, message)
    return OpResult(op_id=op.op_id, status="rejected", reason=f"{code}: {message}")
