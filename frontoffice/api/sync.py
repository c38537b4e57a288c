"""The sync protocol: push a kiosk's ops, pull the changes since its cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from frontoffice.api.deps import DB, KioskCaller, ReadSession, refuse, touch
from frontoffice.api.responses import COMMON, errors
from frontoffice.schemas import MAX_SAFE_INT, PullOut, PushIn, PushOut
from frontoffice.services import changes, executor

router = APIRouter(prefix="/api/v1/sync", tags=["sync"], responses=errors(*COMMON))


@router.post(
    "/push",
    response_model=PushOut,
    summary="Apply a kiosk's queued ops, each once, in order",
    responses=errors(400, 403),
)
def push(body: PushIn, caller: KioskCaller, db: DB) -> PushOut:
    if body.kiosk_id != caller.kiosk.id:
        refuse(db, caller, f"pushed records of kiosk {body.kiosk_id}")
        raise HTTPException(403, "kiosk_id does not match the token")
    results = executor.push(db, caller.kiosk.id, body.ops)
    touch(db, caller)
    return PushOut(results=results)


@router.get("/pull", response_model=PullOut, summary="Changes since the cursor, as current state")
def pull(
    request: Request,
    caller: KioskCaller,
    session: ReadSession,
    db: DB,
    cursor: Annotated[int, Query(ge=0, le=MAX_SAFE_INT)] = 0,
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
) -> PullOut:
    out = changes.pull(session, caller.property, cursor, limit or request.app.state.pull_page_size)
    touch(db, caller)
    return out
