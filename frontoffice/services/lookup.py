"""Finding a guest's booking: confirmation code + surname, booking QR token, surname + birth date
or surname + arrival date. Names match as ``names.surname_matches`` says."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from frontoffice.models import Guest, Property, Reservation, ReservationStatus, Room
from frontoffice.schemas import SearchIn
from frontoffice.services import names, qrtoken, views
from frontoffice.services.errors import Invalid

ACTIVE = (ReservationStatus.CONFIRMED, ReservationStatus.CHECKED_IN)


def normalize_code(code: str) -> str:
    """Codes are read aloud and typed: ignore case, spaces and dashes."""
    return re.sub(r"[\s-]", "", code).upper()


def _base(prop: Property) -> Select[tuple[Reservation]]:
    return (
        select(Reservation)
        .join(Reservation.guest)
        .where(Reservation.property_id == prop.id)
        .options(*views.RESERVATION_LOADS)
        .order_by(Reservation.confirmation_code, Reservation.id)
    )


def _by_surname(rows: list[Reservation], surname: str) -> list[Reservation]:
    return [r for r in rows if names.surname_matches(surname, r.guest.surname, r.guest.given_names)]


def search(session: Session, prop: Property, query: SearchIn) -> list[Reservation]:
    if query.qr_token is not None:
        return by_qr_token(session, prop, query.qr_token)
    assert query.surname is not None  # the schema guarantees it for every other mode
    stmt = _base(prop).where(Reservation.status.in_(ACTIVE))
    if query.confirmation_code is not None:
        stmt = stmt.where(
            Reservation.confirmation_code == normalize_code(query.confirmation_code),
            Reservation.arrival == prop.business_date,
        )
    elif query.birth_date is not None:
        stmt = stmt.where(Guest.birth_date == query.birth_date, Reservation.arrival == prop.business_date)
    else:
        stmt = stmt.where(Reservation.arrival == _arrival(prop, query.arrival))
    return _by_surname(list(session.scalars(stmt)), query.surname)


def _arrival(prop: Property, arrival: date | None) -> date:
    if arrival != prop.business_date:
        raise Invalid(
            "only today's arrivals can check in at the kiosk",
            code="not_today",
            business_date=prop.business_date.isoformat(),
        )
    return arrival


def by_qr_token(session: Session, prop: Property, token: str) -> list[Reservation]:
    """A signed token names one reservation of this property; anything else is refused."""
    parsed = qrtoken.parse(token)
    if parsed is None:
        raise Invalid("this is not a booking code", code="bad_qr_token")
    code, reservation_id, signature = parsed
    if code != prop.code or not qrtoken.verify(prop.qr_secret, code, reservation_id, signature):
        raise Invalid("this booking code is not valid here", code="bad_qr_token")
    return list(session.scalars(_base(prop).where(Reservation.id == reservation_id)))


def in_house(session: Session, prop: Property, room: str, surname: str) -> list[Reservation]:
    """The guests staying in room ``room`` now whose name matches (check-out by room + surname)."""
    stmt = (
        _base(prop)
        .join(Reservation.room)
        .where(Room.number == normalize_code(room), Reservation.status == ReservationStatus.CHECKED_IN)
    )
    return _by_surname(list(session.scalars(stmt)), surname)
