"""Do a kiosk's request once: the first answer to an op id / idempotency key is stored and replayed.

The processed_op row is written before the work, in the same transaction: a concurrent repeat
blocks on (or collides with) that row and then replays the stored answer.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from frontoffice.models import ProcessedOp
from frontoffice.services.errors import Invalid


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]
    replayed: bool


def request_hash(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def stored(session: Session, kiosk_id: uuid.UUID, key: str, digest: str) -> Answer | None:
    row = session.get(ProcessedOp, (kiosk_id, key))
    if row is None:
        return None
    if row.request_hash != digest:
        raise Invalid(
            "this idempotency key was already used for a different request", code="idempotency_key_reused"
        )
    return Answer(row.status_code, row.response, replayed=True)


def run_once(
    session: Session,
    kiosk_id: uuid.UUID,
    key: str,
    op_type: str,
    digest: str,
    work: Callable[[], tuple[int, dict[str, Any]]],
) -> Answer:
    """Run ``work`` unless ``key`` was seen; the caller commits. Raises what ``work`` raises."""
    previous = stored(session, kiosk_id, key, digest)
    if previous is not None:
        return previous
    row = ProcessedOp(
        kiosk_id=kiosk_id, op_id=key, type=op_type, request_hash=digest, status_code=0, response={}
    )
    session.add(row)
    session.flush()  # claims the key now; a concurrent twin waits here
    status_code, body = work()
    row.status_code, row.response = status_code, body
    return Answer(status_code, body, replayed=False)
