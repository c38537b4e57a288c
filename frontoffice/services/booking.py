"""Creating reservations and their folio charges (walk-ins at a kiosk, demo data, the desk)."""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontoffice.models import Charge, ChargeType, Guest, Property, Reservation, RoomType
from frontoffice.services import changes, money

# No 0/O, 1/I/L: codes are read from paper and typed on a touchscreen.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_confirmation_code(session: Session, prop: Property) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        clash = session.scalars(
            select(Reservation.id).where(
                Reservation.property_id == prop.id, Reservation.confirmation_code == code
            )
        ).first()
        if clash is None:
            return code


def post_stay_charges(
    session: Session,
    prop: Property,
    reservation: Reservation,
    quote: money.Quote,
    kiosk_id: uuid.UUID | None = None,
) -> None:
    """The stay is priced when booked: one room charge per night, then service and tax.

    The night audit posts nights added later (an overstay) through here too, one at a time.
    """
    posted = {"business_date": prop.business_date, "kiosk_id": kiosk_id, "currency": prop.currency}
    for night, amount in quote.nights:
        session.add(
            Charge(
                reservation_id=reservation.id,
                type=ChargeType.ROOM,
                description=reservation.room_type.name,
                night=night,
                amount=amount,
                **posted,
            )
        )
    for kind, amount, label in (
        (ChargeType.SERVICE, quote.service, "Service charge"),
        (ChargeType.TAX, quote.tax, "Tax"),
    ):
        if amount:
            session.add(
                Charge(reservation_id=reservation.id, type=kind, description=label, amount=amount, **posted)
            )


def create_reservation(
    session: Session,
    prop: Property,
    room_type: RoomType,
    guest: Guest,
    arrival: date,
    departure: date,
    *,
    adults: int = 1,
    children: int = 0,
    deposit_amount: int = 0,
    source: str = "desk",
    confirmation_code: str | None = None,
    reservation_id: uuid.UUID | None = None,
    kiosk_id: uuid.UUID | None = None,
) -> Reservation:
    reservation = Reservation(
        id=reservation_id or uuid.uuid4(),
        property_id=prop.id,
        confirmation_code=confirmation_code or new_confirmation_code(session, prop),
        arrival=arrival,
        departure=departure,
        adults=adults,
        children=children,
        room_type=room_type,
        guest=guest,
        deposit_amount=deposit_amount,
        source=source,
    )
    session.add(reservation)
    session.flush()
    quote = money.quote(session, prop, room_type, arrival, departure)
    post_stay_charges(session, prop, reservation, quote, kiosk_id)
    changes.record(session, prop.id, changes.RESERVATION, reservation.id)
    return reservation
