"""Finding bookings and moving a stay along: room, check-in, payments, folio, check-out."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy import select

from frontoffice.api.deps import DB, IdempotencyKey, KioskCaller, ReadSession, run_idempotent
from frontoffice.api.responses import COMMON, errors
from frontoffice.models import Charge, Payment
from frontoffice.schemas import (
    CheckInIn,
    CheckInOut,
    CheckOutOut,
    FolioOut,
    PaymentIn,
    PaymentOut,
    ReservationOut,
    SearchIn,
    SearchOut,
    StaySearchIn,
)
from frontoffice.services import checkout, folio, lookup, rooms, stays
from frontoffice.services.views import reservation_out, reservations_out

router = APIRouter(prefix="/api/v1/reservations", tags=["reservations"], responses=errors(*COMMON))
# A reservation id is a UUID in the path itself: /search is then no id, and GET on it is 405.
BY_ID = "/{reservation_id:uuid}"


@router.post(
    "/search", response_model=SearchOut, summary="Find a booking arriving today", responses=errors(400)
)
def search(query: SearchIn, caller: KioskCaller, session: ReadSession) -> SearchOut:
    found = lookup.search(session, caller.property, query)
    return SearchOut(matches=reservations_out(session, caller.property, found))


@router.post(
    "/search-stay",
    response_model=SearchOut,
    summary="Find a stay to check out: the check-in receipt's QR token, or room number + surname",
    responses=errors(400),
)
def search_stay(query: StaySearchIn, caller: KioskCaller, session: ReadSession) -> SearchOut:
    found = checkout.find(session, caller.property, query)
    return SearchOut(matches=reservations_out(session, caller.property, found))


@router.get(BY_ID, response_model=ReservationOut, responses=errors(404))
def get_reservation(reservation_id: uuid.UUID, caller: KioskCaller, session: ReadSession) -> ReservationOut:
    reservation = stays.get_reservation(session, caller.property, reservation_id, lock=False)
    return reservation_out(session, caller.property, reservation)


@router.post(
    BY_ID + "/assign-room",
    response_model=ReservationOut,
    summary="Give the reservation a clean, vacant room of its type (idempotent)",
    responses=errors(404, 409),
)
def assign_room(reservation_id: uuid.UUID, caller: KioskCaller, db: DB) -> ReservationOut:
    with db.session(write=True) as session:
        reservation = stays.get_reservation(session, caller.property, reservation_id, lock=True)
        rooms.assign_room(session, reservation)
        return reservation_out(session, caller.property, reservation)


@router.post(BY_ID + "/check-in", response_model=CheckInOut, responses=errors(400, 404, 409))
def check_in(
    reservation_id: uuid.UUID,
    body: CheckInIn,
    caller: KioskCaller,
    db: DB,
    key: IdempotencyKey,
    response: Response,
) -> dict[str, Any]:
    payload = {"reservation_id": str(reservation_id), "body": body.model_dump(mode="json")}
    return run_idempotent(db, caller, key, "check_in", payload, response)


@router.post(BY_ID + "/check-out", response_model=CheckOutOut, responses=errors(404, 409))
def check_out(
    reservation_id: uuid.UUID, caller: KioskCaller, db: DB, key: IdempotencyKey, response: Response
) -> dict[str, Any]:
    return run_idempotent(db, caller, key, "check_out", {"reservation_id": str(reservation_id)}, response)


@router.post(
    BY_ID + "/payments",
    status_code=201,
    response_model=PaymentOut,
    summary="Record a card payment (idempotent)",
    responses=errors(400, 404, 409),
)
def record_payment(
    reservation_id: uuid.UUID,
    body: PaymentIn,
    caller: KioskCaller,
    db: DB,
    key: IdempotencyKey,
    response: Response,
) -> dict[str, Any]:
    payload = {"reservation_id": str(reservation_id), "payment": body.model_dump(mode="json")}
    return run_idempotent(db, caller, key, "payment", payload, response, status_code=201)


@router.get(
    BY_ID + "/folio",
    response_model=FolioOut,
    responses=errors(404),
    summary="The bill, what is held on the card, and whether the stay can check out at a kiosk",
)
def get_folio(reservation_id: uuid.UUID, caller: KioskCaller, session: ReadSession) -> FolioOut:
    reservation = stays.get_reservation(session, caller.property, reservation_id, lock=False)
    sums = folio.totals(session, [reservation.id])[reservation.id]
    charges = session.scalars(
        select(Charge).where(Charge.reservation_id == reservation.id).order_by(Charge.night)
    )
    payments = session.scalars(
        select(Payment).where(Payment.reservation_id == reservation.id).order_by(Payment.created_at)
    )
    return FolioOut.model_validate(
        {
            "reservation_id": reservation.id,
            "currency": caller.property.currency,
            "charges": list(charges),
            "payments": list(payments),
            "total": sums.total,
            "paid": sums.paid,
            "balance": sums.balance,
            "deposit_held": sums.held,
            "hold": checkout.open_hold(session, reservation),
            "check_out": {
                "allowed": not (reason := checkout.refusal(session, reservation)),
                "reason": reason,
            },
        }
    )
