"""The night audit: close the business date, post the nights nobody charged yet, mark no-shows.

Stays are priced when booked: ``booking.post_stay_charges`` posts every night with its service
and tax, and the kiosk asks the guest to pay the whole stay at check-in. So the audit does not
post each night as a classic PMS does (that would charge every night twice). Closing date D:

1. No-shows. A reservation still confirmed that should have arrived by D did not come: it becomes
   ``no_show`` and its room-nights are freed. Its charges stay on the folio; a no-show fee or a
   refund is the desk's decision.
2. Overstays. A guest still checked in whose departure is on or before D stays on: the departure
   moves to D + 1 and the room is held for the nights added.
3. Posting. For every stay checked in over night D, each night up to D with no room charge is
   posted now, at that night's rate with its own service and tax. Normally there is none (the
   stay was priced when booked); it happens to overstays and extended stays.
4. The business date becomes D + 1 and the run is recorded, once per date. Every reservation a
   kiosk must see anew goes to the change log: the no-shows (the kiosk drops them), the stays
   that changed, and the arrivals that are now today or tomorrow (``changes.kiosk_relevant``).

A day is closed only once it is over in the property's time zone, so the business date never
runs ahead of the calendar and a second run on the same night is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontoffice.models import (
    Charge,
    ChargeType,
    NightAudit,
    Property,
    Reservation,
    ReservationStatus,
    RoomNight,
)
from frontoffice.services import audit, booking, changes, money, rooms
from frontoffice.services.errors import Conflict


@dataclass(frozen=True)
class AuditResult:
    closed: date
    business_date: date
    no_shows: list[str]  # confirmation codes
    overstays: list[str]
    nights_posted: int
    amount_posted: int
    currency: str


def _locked_property(session: Session, property_id: uuid.UUID) -> Property:
    # One audit at a time per property: a concurrent run waits here, then finds the date moved.
    return session.scalars(select(Property).where(Property.id == property_id).with_for_update()).one()


def _no_shows(session: Session, prop: Property, day: date) -> list[Reservation]:
    late = list(
        session.scalars(
            select(Reservation).where(
                Reservation.property_id == prop.id,
                Reservation.status == ReservationStatus.CONFIRMED,
                Reservation.arrival <= day,
            )
        )
    )
    for reservation in late:
        reservation.status = ReservationStatus.NO_SHOW
        rooms.release_nights(session, reservation, reservation.arrival)
        reservation.room_id = None
    return late


def _extend_overstays(session: Session, prop: Property, day: date) -> list[Reservation]:
    staying = list(
        session.scalars(
            select(Reservation).where(
                Reservation.property_id == prop.id,
                Reservation.status == ReservationStatus.CHECKED_IN,
                Reservation.departure <= day,
            )
        )
    )
    for reservation in staying:
        assert reservation.room_id is not None  # a checked-in stay always has a room
        night = reservation.departure
        while night <= day:
            # The primary key still guards the room: a clash aborts the whole audit.
            session.add(RoomNight(room_id=reservation.room_id, night=night, reservation_id=reservation.id))
            night += timedelta(days=1)
        reservation.departure = day + timedelta(days=1)
    session.flush()
    return staying


def _post_missing_nights(session: Session, prop: Property, day: date) -> tuple[list[Reservation], int, int]:
    in_house = list(
        session.scalars(
            select(Reservation).where(
                Reservation.property_id == prop.id,
                Reservation.status == ReservationStatus.CHECKED_IN,
                Reservation.arrival <= day,
                Reservation.departure > day,
            )
        )
    )
    posted: set[tuple[uuid.UUID, date]] = set(
        session.execute(
            select(Charge.reservation_id, Charge.night).where(
                Charge.reservation_id.in_([r.id for r in in_house]), Charge.type == ChargeType.ROOM
            )
        ).all()
    )
    touched, count, amount = [], 0, 0
    for reservation in in_house:
        missing = [n for n in rooms.nights_of(reservation) if n <= day and (reservation.id, n) not in posted]
        for night in missing:
            quote = money.quote(session, prop, reservation.room_type, night, night + timedelta(days=1))
            booking.post_stay_charges(session, prop, reservation, quote)
            count += 1
            amount += quote.total
        if missing:
            touched.append(reservation)
    return touched, count, amount


def run(session: Session, property_id: uuid.UUID, actor: str, now: datetime) -> AuditResult:
    """Close the property's business date; the caller's write transaction commits it all at once."""
    prop = _locked_property(session, property_id)
    day = prop.business_date
    local_today = now.astimezone(ZoneInfo(prop.timezone)).date()
    if day >= local_today:
        raise Conflict(
            f"the business date {day} is not over yet in {prop.timezone}",
            code="day_not_over",
            business_date=day.isoformat(),
        )
    if session.scalars(
        select(NightAudit.id).where(NightAudit.property_id == prop.id, NightAudit.business_date == day)
    ).first():
        raise Conflict(f"the night audit of {day} has already run", code="audit_already_run")

    no_shows = _no_shows(session, prop, day)
    overstays = _extend_overstays(session, prop, day)
    posted, nights, amount = _post_missing_nights(session, prop, day)

    prop.business_date = day + timedelta(days=1)
    session.add(
        NightAudit(
            property_id=prop.id,
            business_date=day,
            next_business_date=prop.business_date,
            actor=actor,
            no_shows=len(no_shows),
            overstays=len(overstays),
            nights_posted=nights,
            amount_posted=amount,
            ran_at=now,
        )
    )
    arrivals = session.scalars(
        select(Reservation.id).where(
            Reservation.property_id == prop.id,
            Reservation.status == ReservationStatus.CONFIRMED,
            Reservation.arrival.between(prop.business_date, prop.business_date + timedelta(days=1)),
        )
    ).all()
    for reservation_id in sorted({r.id for r in (*no_shows, *overstays, *posted)} | set(arrivals)):
        changes.record(session, prop.id, changes.RESERVATION, reservation_id)
    audit.record(
        session,
        prop.id,
        actor,
        "night_audit",
        "property",
        prop.id,
        at=now,
        closed=day.isoformat(),
        no_shows=len(no_shows),
        overstays=len(overstays),
        nights_posted=nights,
        amount_posted=amount,
    )
    return AuditResult(
        closed=day,
        business_date=prop.business_date,
        no_shows=sorted(r.confirmation_code for r in no_shows),
        overstays=sorted(r.confirmation_code for r in overstays),
        nights_posted=nights,
        amount_posted=amount,
        currency=prop.currency,
    )
