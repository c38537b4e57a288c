"""Turn rows into the API's shapes (also what a sync pull sends)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session, joinedload

from frontoffice.models import READY_STATES, Occupancy, Property, Reservation, Room
from frontoffice.schemas import GuestOut, PropertyOut, ReservationOut, RoomOut, RoomTypeOut
from frontoffice.services import folio, qrtoken

# What a reservation's answer needs, loaded in the same query (one round trip, not four).
RESERVATION_LOADS = (
    joinedload(Reservation.guest),
    joinedload(Reservation.room_type),
    joinedload(Reservation.room).joinedload(Room.room_type),
)


def room_out(room: Room) -> RoomOut:
    return RoomOut(
        id=room.id,
        number=room.number,
        floor=room.floor,
        directions=room.directions,
        directions_local=room.directions_local or {},
        room_type=room.room_type.code,
        occupancy=room.occupancy.value,
        housekeeping=room.housekeeping.value,
        ready=room.housekeeping in READY_STATES and room.occupancy is Occupancy.VACANT,
    )


def property_out(prop: Property) -> PropertyOut:
    return PropertyOut(
        code=prop.code,
        name=prop.name,
        address=prop.address,
        timezone=prop.timezone,
        currency=prop.currency,
        business_date=prop.business_date,
        check_in_time=prop.check_in_time.strftime("%H:%M"),
        check_out_time=prop.check_out_time.strftime("%H:%M"),
        wifi_ssid=prop.wifi_ssid,
        wifi_password=prop.wifi_password,
        breakfast_hours=prop.breakfast_hours,
        tax_id=prop.tax_id,
        service_rate_bp=prop.service_rate_bp,
        tax_rate_bp=prop.tax_rate_bp,
    )


def reservations_out(
    session: Session, prop: Property, reservations: Sequence[Reservation]
) -> list[ReservationOut]:
    sums = folio.totals(session, [r.id for r in reservations])
    return [
        ReservationOut(
            id=r.id,
            confirmation_code=r.confirmation_code,
            status=r.status,
            arrival=r.arrival,
            departure=r.departure,
            nights=r.nights,
            adults=r.adults,
            children=r.children,
            room_type=RoomTypeOut.model_validate(r.room_type),
            room=room_out(r.room) if r.room else None,
            guest=GuestOut.model_validate(r.guest),
            currency=prop.currency,
            total=sums[r.id].total,
            paid=sums[r.id].paid,
            balance=sums[r.id].balance,
            deposit_amount=r.deposit_amount,
            deposit_held=sums[r.id].held,
            checked_in_at=r.checked_in_at,
            qr_token=qrtoken.sign(prop.qr_secret, prop.code, r.id),
        )
        for r in reservations
    ]


def reservation_out(session: Session, prop: Property, reservation: Reservation) -> ReservationOut:
    return reservations_out(session, prop, [reservation])[0]
