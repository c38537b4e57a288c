"""Check-in and check-out of a reservation."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontoffice.models import (
    READY_STATES,
    Housekeeping,
    ImageKind,
    Occupancy,
    Property,
    RegistrationImage,
    Reservation,
    ReservationStatus,
)
from frontoffice.schemas import RegistrationIn
from frontoffice.services import audit, changes, folio, invoices, mail, rooms, views
from frontoffice.services.errors import Conflict, NotFound

ACCESS_CODE_DIGITS = 6


def new_access_code() -> str:
    return f"{secrets.randbelow(10**ACCESS_CODE_DIGITS):0{ACCESS_CODE_DIGITS}d}"


def get_reservation(
    session: Session, prop: Property, reservation_id: uuid.UUID, *, lock: bool, related: bool = True
) -> Reservation:
    """A reservation of this property (a kiosk never sees another's); ``lock`` before changing it.

    ``related=False`` skips loading its guest, room type and room (a payment needs none of them).
    """
    stmt = select(Reservation).where(Reservation.id == reservation_id, Reservation.property_id == prop.id)
    if related:
        stmt = stmt.options(*views.RESERVATION_LOADS)
    reservation = session.scalars(stmt.with_for_update(of=Reservation) if lock else stmt).first()
    if reservation is None:
        raise NotFound("no such reservation", code="reservation_not_found")
    return reservation


def _require_status(reservation: Reservation, *allowed: ReservationStatus) -> None:
    if reservation.status not in allowed:
        raise Conflict(
            f"the reservation is {reservation.status.value.replace('_', ' ')}",
            code=f"reservation_{reservation.status.value}",
            status=reservation.status.value,
        )


def check_in(
    session: Session,
    prop: Property,
    reservation: Reservation,
    registration: RegistrationIn,
    actor: str,
    at: datetime,
) -> Reservation:
    _require_status(reservation, ReservationStatus.CONFIRMED)
    if not reservation.arrival <= prop.business_date < reservation.departure:
        raise Conflict(
            "the reservation does not arrive today",
            code="not_arriving_today",
            arrival=reservation.arrival.isoformat(),
        )
    room = rooms.assign_room(session, reservation)
    if room.housekeeping not in READY_STATES or room.occupancy is not Occupancy.VACANT:
        raise Conflict(
            "the room is not ready yet",
            code="room_not_ready",
            room=room.number,
            housekeeping=room.housekeeping.value,
        )
    room.occupancy = Occupancy.OCCUPIED
    reservation.status = ReservationStatus.CHECKED_IN
    reservation.checked_in_at = at
    reservation.checked_in_by = actor
    reservation.access_code = new_access_code()
    if registration.email is not None:
        reservation.guest.email = registration.email
    if registration.phone is not None:
        reservation.guest.phone = registration.phone
    if registration.terms_version:
        reservation.terms_version = registration.terms_version
    for kind, media_type, data in (
        (ImageKind.SIGNATURE, "image/png", registration.signature_png),
        (ImageKind.ID_PHOTO, "image/jpeg", registration.id_photo_jpeg),
    ):
        if data is not None:
            session.add(
                RegistrationImage(reservation_id=reservation.id, kind=kind, media_type=media_type, data=data)
            )
    changes.record(session, prop.id, changes.RESERVATION, reservation.id)
    changes.record(session, prop.id, changes.ROOM, room.id)
    audit.record(session, prop.id, actor, "check_in", "reservation", reservation.id, room=room.number)
    session.flush()  # the receipt reads the stay as it now is
    mail.queue_check_in(session, prop, reservation, registration.language)
    return reservation


def check_out(
    session: Session, prop: Property, reservation: Reservation, actor: str, at: datetime
) -> Reservation:
    _require_status(reservation, ReservationStatus.CHECKED_IN)
    balance = folio.totals(session, [reservation.id])[reservation.id].balance
    if balance > 0:
        raise Conflict("the bill is not settled", code="balance_due", balance=balance, currency=prop.currency)
    room = reservation.room
    assert room is not None  # a checked-in reservation always has a room
    rooms.release_nights(session, reservation, prop.business_date)
    room.occupancy = Occupancy.VACANT
    room.housekeeping = Housekeeping.DIRTY
    reservation.status = ReservationStatus.CHECKED_OUT
    reservation.access_code = ""
    reservation.checked_out_at = at
    changes.record(session, prop.id, changes.RESERVATION, reservation.id)
    changes.record(session, prop.id, changes.ROOM, room.id)
    invoice = invoices.issue(session, prop, reservation, at)
    audit.record(
        session,
        prop.id,
        actor,
        "check_out",
        "reservation",
        reservation.id,
        room=room.number,
        invoice=invoice.label,
    )
    session.flush()
    mail.queue_check_out(session, prop, reservation)
    return reservation
