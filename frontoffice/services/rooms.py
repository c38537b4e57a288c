"""Race-free room assignment: one room_night row per room and night, under a primary key."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontoffice.models import READY_STATES, Occupancy, Reservation, Room, RoomNight
from frontoffice.services import changes
from frontoffice.services.errors import Conflict


def nights_of(reservation: Reservation) -> list[date]:
    return [reservation.arrival + timedelta(days=i) for i in range(reservation.nights)]


def _candidate(session: Session, reservation: Reservation, tried: set[uuid.UUID]) -> Room | None:
    taken = exists().where(
        RoomNight.room_id == Room.id,
        RoomNight.night >= reservation.arrival,
        RoomNight.night < reservation.departure,
    )
    stmt = (
        select(Room)
        .where(
            Room.property_id == reservation.property_id,
            Room.room_type_id == reservation.room_type_id,
            Room.housekeeping.in_(READY_STATES),
            Room.occupancy == Occupancy.VACANT,
            ~taken,
        )
        .order_by(Room.floor, Room.number)
        .limit(1)
    )
    if tried:
        stmt = stmt.where(Room.id.not_in(tried))
    # PostgreSQL: skip rooms another transaction is assigning right now instead of queueing on
    # them. SQLite writers are serialized (BEGIN IMMEDIATE); the primary key guards both.
    return session.scalars(stmt.with_for_update(skip_locked=True, of=Room)).first()


def assign_room(session: Session, reservation: Reservation) -> Room:
    """Give the reservation a clean, vacant room of its type (or its already assigned room).

    The caller holds the reservation row locked (``stays.get_reservation(..., lock=True)``).
    """
    if reservation.room is not None:
        return reservation.room
    tried: set[uuid.UUID] = set()
    while (room := _candidate(session, reservation, tried)) is not None:
        tried.add(room.id)
        try:
            with session.begin_nested():
                session.add_all(
                    RoomNight(room_id=room.id, night=n, reservation_id=reservation.id)
                    for n in nights_of(reservation)
                )
        except IntegrityError:
            continue  # another kiosk or the desk took it a moment ago
        reservation.room = room
        changes.record(session, reservation.property_id, changes.RESERVATION, reservation.id)
        return room
    raise Conflict(
        "no room of this type is ready yet",
        code="no_room_ready",
        room_type=reservation.room_type.code,
    )


def release_nights(session: Session, reservation: Reservation, from_night: date) -> None:
    """Free the room for the nights a guest will not use (early check-out)."""
    session.execute(
        delete(RoomNight).where(RoomNight.reservation_id == reservation.id, RoomNight.night >= from_night)
    )
