"""The calling kiosk: who it is, its heartbeat, walk-ins and requests for help."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from frontoffice.api.deps import DB, IdempotencyKey, KioskCaller, ReadSession, run_idempotent
from frontoffice.api.responses import COMMON, errors
from frontoffice.models import Kiosk, KioskHeartbeat
from frontoffice.models.base import utcnow
from frontoffice.schemas import (
    AssistanceIn,
    AssistanceOut,
    AvailabilityOut,
    HeartbeatIn,
    KioskOut,
    ReservationOut,
    WalkInIn,
)
from frontoffice.services import walkin
from frontoffice.services.errors import Conflict, Invalid
from frontoffice.services.executor import perform
from frontoffice.services.views import property_out

router = APIRouter(prefix="/api/v1", tags=["kiosk"], responses=errors(*COMMON))


@router.get("/kiosk", response_model=KioskOut, summary="The calling kiosk and its property")
def whoami(caller: KioskCaller, db: DB) -> KioskOut:
    prop = property_out(caller.property).model_copy(update={"email_receipts": db.mail_enabled})
    return KioskOut(id=caller.kiosk.id, name=caller.kiosk.name, property=prop)


@router.post(
    "/kiosk/heartbeat",
    status_code=204,
    summary="Report version, outbox depth and device health",
    responses=errors(400),
)
def heartbeat(body: HeartbeatIn, caller: KioskCaller, db: DB) -> Response:
    with db.session(write=True) as session:
        kiosk = session.get_one(Kiosk, caller.kiosk.id)
        now = utcnow()
        kiosk.last_seen_at = now
        kiosk.app_version = body.app_version
        kiosk.outbox_depth = body.outbox_depth
        kiosk.last_sync_at = body.last_sync_at
        kiosk.devices = body.devices
        session.add(KioskHeartbeat(kiosk_id=kiosk.id, at=now, **body.model_dump()))
    return Response(status_code=204)


@router.get("/availability", response_model=AvailabilityOut, summary="Room types free tonight, with prices")
def availability(
    caller: KioskCaller,
    session: ReadSession,
    nights: Annotated[int, Query(ge=1, le=30)] = 1,
    adults: Annotated[int, Query(ge=1, le=8)] = 1,
    children: Annotated[int, Query(ge=0, le=8)] = 0,
) -> AvailabilityOut:
    return walkin.availability(session, caller.property, nights, adults, children)


@router.post(
    "/walk-ins",
    status_code=201,
    response_model=ReservationOut,
    summary="Book a walk-in stay with a room",
    responses=errors(400, 409),
)
def create_walkin(
    body: WalkInIn, caller: KioskCaller, db: DB, key: IdempotencyKey, response: Response
) -> dict[str, Any]:
    return run_idempotent(db, caller, key, "walk_in", body.model_dump(mode="json"), response, status_code=201)


@router.post(
    "/assistance-requests",
    status_code=201,
    response_model=AssistanceOut,
    summary="A guest asked for help",
    responses=errors(400, 404, 409),
)
def request_assistance(body: AssistanceIn, caller: KioskCaller, db: DB) -> dict[str, Any]:
    try:
        return perform(
            db, caller.kiosk.id, f"assist-{body.id}", "assistance_request", body.model_dump(mode="json")
        ).body
    except Invalid as exc:  # the key is the request's own id: a reused key is a reused id
        if exc.code != "idempotency_key_reused":
            raise
        message = "this assistance request id was used for another request"
        raise Conflict(message, code="assistance_id_reused") from exc
