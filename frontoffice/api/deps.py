"""Per-request dependencies: a database session and the calling kiosk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from frontoffice.db import Database
from frontoffice.models import Kiosk
from frontoffice.models.base import utcnow
from frontoffice.services import kiosks
from frontoffice.services.executor import perform
from frontoffice.services.operations import Caller


async def get_db(request: Request) -> Database:  # async: no I/O, so no hop to the thread pool
    return request.app.state.db


DB = Annotated[Database, Depends(get_db)]


def get_session(db: DB) -> Iterator[Session]:
    with db.session() as session:
        yield session


ReadSession = Annotated[Session, Depends(get_session)]


# Declares the scheme in the OpenAPI; a missing or other scheme is answered below, as a JSON 401.
_bearer = HTTPBearer(
    scheme_name="kioskToken",
    auto_error=False,
    description="The kiosk's own token (sbk_...), shown once at set-up.",
)


def get_caller(
    db: DB, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    # Its own short session, closed before the route runs: a request never holds two
    # connections at once, so a burst of requests cannot starve the pool.
    token = credentials.credentials.strip() if credentials else ""
    with db.session() as session:
        caller = kiosks.authenticate(session, token) if token else None
    if caller is None:
        if token:
            refuse_revoked(db, token)
        raise HTTPException(401, "a valid kiosk token is required", headers={"WWW-Authenticate": "Bearer"})
    return caller


def refuse_revoked(db: Database, token: str) -> None:
    """A revoked kiosk still calling: staff see it on the dashboard (it cannot be heard otherwise)."""
    with db.session(write=True) as session:
        kiosk = kiosks.refused_token_owner(session, token)
        if kiosk is not None:
            kiosks.record_refusal(session, kiosk.id, "its token was revoked", utcnow())


def refuse(db: Database, caller: Caller, reason: str) -> None:
    with db.session(write=True) as session:
        kiosks.record_refusal(session, caller.kiosk.id, reason, utcnow())


KioskCaller = Annotated[Caller, Depends(get_caller)]

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=80,
        description="A key the kiosk makes once per operation; a repeat replays the first answer.",
    ),
]


def touch(db: Database, caller: Caller) -> None:
    """Remember when a kiosk was last heard from (push and pull, not every read)."""
    with db.session(write=True) as session:
        kiosk = session.get(Kiosk, caller.kiosk.id)
        if kiosk is not None:
            kiosk.last_seen_at = utcnow()
            kiosk.refused_at, kiosk.refused_reason, kiosk.refused_count = None, "", 0  # heard again


def run_idempotent(
    db: Database,
    caller: Caller,
    key: str,
    op_type: str,
    payload: dict[str, Any],
    response: Response,
    status_code: int = 200,
) -> dict[str, Any]:
    """Run a kiosk's operation once under its Idempotency-Key; a repeat replays the first answer."""
    answer = perform(db, caller.kiosk.id, key, op_type, payload, status_code=status_code)
    response.status_code = answer.status_code
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return answer.body
