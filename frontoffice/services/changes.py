"""The change log behind the sync pull: which entities changed, sent as their current state."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from frontoffice.models import ChangeLog, Property, Reservation, ReservationStatus, Room
from frontoffice.schemas import Change, PullOut
from frontoffice.services.views import RESERVATION_LOADS, reservations_out, room_out

RESERVATION = "reservation"
ROOM = "room"


def record(session: Session, property_id: uuid.UUID, entity: str, entity_id: uuid.UUID) -> None:
    session.add(ChangeLog(property_id=property_id, entity=entity, entity_id=entity_id))


def kiosk_relevant(prop: Property, reservation: Reservation) -> bool:
    """A kiosk keeps today's and tomorrow's arrivals, in-house stays and today's departures."""
    today = prop.business_date
    if reservation.status is ReservationStatus.CHECKED_IN:
        return True
    return reservation.status is ReservationStatus.CONFIRMED and (
        today <= reservation.arrival <= today + timedelta(days=1)
    )


def pull(session: Session, prop: Property, cursor: int, limit: int) -> PullOut:
    rows = session.execute(
        select(ChangeLog.id, ChangeLog.entity, ChangeLog.entity_id)
        .where(ChangeLog.property_id == prop.id, ChangeLog.id > cursor)
        .order_by(ChangeLog.id)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1].id if rows else cursor
    # Latest change per entity wins; the state sent is the current one.
    latest: dict[tuple[str, uuid.UUID], int] = {(r.entity, r.entity_id): r.id for r in rows}
    order = sorted(latest, key=latest.__getitem__)
    res_ids = [eid for entity, eid in order if entity == RESERVATION]
    room_ids = [eid for entity, eid in order if entity == ROOM]

    reservations = {
        r.id: r
        for r in session.scalars(
            select(Reservation)
            .where(Reservation.id.in_(res_ids), Reservation.property_id == prop.id)
            .options(*RESERVATION_LOADS)
        )
    }
    relevant = [r for r in reservations.values() if kiosk_relevant(prop, r)]
    res_data = {out.id: out.model_dump(mode="json") for out in reservations_out(session, prop, relevant)}
    rooms = {
        r.id: room_out(r).model_dump(mode="json")
        for r in session.scalars(
            select(Room).where(Room.id.in_(room_ids)).options(selectinload(Room.room_type))
        )
    }
    changes = [
        Change(entity=entity, id=eid, data=(res_data if entity == RESERVATION else rooms).get(eid))
        for entity, eid in order
    ]
    return PullOut(changes=changes, cursor=next_cursor, more=more)
