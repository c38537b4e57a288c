"""Hotels made to measure for a test: one room type, so supply and demand are exact."""

from __future__ import annotations

import secrets
from datetime import time, timedelta

from sqlalchemy.orm import Session

from frontoffice.models import Guest, Housekeeping, Property, Reservation, Room, RoomType
from frontoffice.services import booking
from tests.server.conftest import BUSINESS_DATE


def small_hotel(
    session: Session, *, code: str, rooms: int, arrivals: int, dirty: int = 0, out_of_order: int = 0
) -> tuple[Property, list[Reservation]]:
    prop = Property(
        code=code,
        name=f"Hotel {code}",
        timezone="Asia/Jakarta",
        currency="IDR",
        business_date=BUSINESS_DATE,
        check_in_time=time(14),
        check_out_time=time(12),
        service_rate_bp=1000,
        tax_rate_bp=1000,
        qr_secret=secrets.token_bytes(32),
    )
    room_type = RoomType(property=prop, code="STD", name="Standard", base_rate=50_000_000)
    session.add_all([prop, room_type])
    session.flush()
    for i in range(rooms + dirty + out_of_order):
        state = Housekeeping.CLEAN
        if i >= rooms:
            state = Housekeeping.DIRTY if i < rooms + dirty else Housekeeping.OUT_OF_ORDER
        session.add(
            Room(property_id=prop.id, room_type=room_type, number=f"{100 + i}", floor=1, housekeeping=state)
        )
    reservations = []
    for i in range(arrivals):
        guest = Guest(property_id=prop.id, surname=f"Guest{i}")
        session.add(guest)
        reservations.append(
            booking.create_reservation(
                session, prop, room_type, guest, BUSINESS_DATE, BUSINESS_DATE + timedelta(days=2)
            )
        )
    session.flush()
    return prop, reservations
