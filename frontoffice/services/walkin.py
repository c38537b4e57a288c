"""Walk-in stays: what is free tonight, at what price, and booking it with a room, race-free."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontoffice.models import (
    READY_STATES,
    Guest,
    Housekeeping,
    Occupancy,
    PaymentKind,
    Property,
    Reservation,
    ReservationStatus,
    Room,
    RoomNight,
    RoomType,
)
from frontoffice.schemas import AvailabilityOut, NightRate, OfferOut, PaymentIn, RoomTypeOut, WalkInIn
from frontoffice.services import booking, money, rooms
from frontoffice.services.errors import Conflict, Invalid


def _free_per_type(session: Session, prop: Property, arrival: date, departure: date) -> dict:
    """Rooms of each type free on every night of the stay, and of those, ready right now."""
    sellable = dict(
        session.execute(
            select(Room.room_type_id, func.count())
            .where(Room.property_id == prop.id, Room.housekeeping != Housekeeping.OUT_OF_ORDER)
            .group_by(Room.room_type_id)
        ).all()
    )
    busy: dict = {}
    for type_id, night, count in session.execute(
        select(Room.room_type_id, RoomNight.night, func.count())
        .join(Room, Room.id == RoomNight.room_id)
        .where(Room.property_id == prop.id, RoomNight.night >= arrival, RoomNight.night < departure)
        .group_by(Room.room_type_id, RoomNight.night)
    ):
        busy[(type_id, night)] = busy.get((type_id, night), 0) + count
    # Booked but not yet given a room: they need a room of their type too.
    for type_id, r_arrival, r_departure in session.execute(
        select(Reservation.room_type_id, Reservation.arrival, Reservation.departure).where(
            Reservation.property_id == prop.id,
            Reservation.status == ReservationStatus.CONFIRMED,
            Reservation.room_id.is_(None),
            Reservation.arrival < departure,
            Reservation.departure > arrival,
        )
    ):
        night = max(r_arrival, arrival)
        while night < min(r_departure, departure):
            busy[(type_id, night)] = busy.get((type_id, night), 0) + 1
            night += timedelta(days=1)
    taken = (
        select(RoomNight.room_id)
        .where(RoomNight.night >= arrival, RoomNight.night < departure)
        .scalar_subquery()
    )
    ready = dict(
        session.execute(
            select(Room.room_type_id, func.count())
            .where(
                Room.property_id == prop.id,
                Room.housekeeping.in_(READY_STATES),
                Room.occupancy == Occupancy.VACANT,
                Room.id.not_in(taken),
            )
            .group_by(Room.room_type_id)
        ).all()
    )
    nights = [arrival + timedelta(days=i) for i in range((departure - arrival).days)]
    return {
        type_id: (min(total - busy.get((type_id, n), 0) for n in nights), ready.get(type_id, 0))
        for type_id, total in sellable.items()
    }


def availability(
    session: Session, prop: Property, nights: int, adults: int, children: int
) -> AvailabilityOut:
    arrival = prop.business_date
    departure = arrival + timedelta(days=nights)
    free = _free_per_type(session, prop, arrival, departure)
    offers = []
    for room_type in session.scalars(select(RoomType).where(RoomType.property_id == prop.id)):
        if adults > room_type.max_adults or children > room_type.max_children:
            continue
        available, ready = free.get(room_type.id, (0, 0))
        q = money.quote(session, prop, room_type, arrival, departure)
        offers.append(
            OfferOut(
                room_type=RoomTypeOut.model_validate(room_type),
                available=max(available, 0),
                ready_now=min(max(available, 0), ready),
                currency=q.currency,
                nights=[NightRate(night=n, amount=a) for n, a in q.nights],
                room=q.room,
                service=q.service,
                tax=q.tax,
                total=q.total,
            )
        )
    offers.sort(key=lambda o: o.total)
    return AvailabilityOut(arrival=arrival, departure=departure, offers=offers)


def check_payment(payment: PaymentIn, total: int) -> None:
    """A new stay is paid (a sale of at most its price) or secured (a pre-authorisation)."""
    if payment.kind not in (PaymentKind.SALE, PaymentKind.PREAUTH):
        raise Invalid(
            "a walk-in is paid by a sale or secured by a pre-authorisation", code="bad_payment_kind"
        )
    if payment.kind is PaymentKind.SALE and payment.amount > total:
        raise Invalid("the payment is more than the stay costs", code="overpayment", total=total)


def create_walkin(
    session: Session, prop: Property, data: WalkInIn, source: str, kiosk_id: uuid.UUID | None = None
) -> Reservation:
    if session.get(Reservation, data.id) is not None:
        raise Conflict("this booking id was already used", code="reservation_id_reused")
    room_type = session.scalars(
        select(RoomType).where(RoomType.property_id == prop.id, RoomType.code == data.room_type)
    ).first()
    if room_type is None:
        raise Invalid(f"no room type {data.room_type!r}", code="unknown_room_type")
    offers = availability(session, prop, data.nights, data.adults, data.children)
    offer = next((o for o in offers.offers if o.room_type.code == room_type.code), None)
    if offer is None:
        raise Invalid("this room type does not take that many guests", code="too_many_guests")
    alternatives = [o.model_dump(mode="json") for o in offers.offers if o.ready_now and o is not offer]
    if offer.ready_now < 1:
        raise Conflict("this room type has just sold out", code="sold_out", alternatives=alternatives)
    if offer.total != data.expected_total:
        raise Conflict("the price has changed", code="price_changed", offer=offer.model_dump(mode="json"))
    guest = Guest(property_id=prop.id, **data.guest.model_dump())
    session.add(guest)
    reservation = booking.create_reservation(
        session,
        prop,
        room_type,
        guest,
        offers.arrival,
        offers.departure,
        adults=data.adults,
        children=data.children,
        source=source,
        reservation_id=data.id,
        kiosk_id=kiosk_id,
    )
    try:
        rooms.assign_room(session, reservation)
    except Conflict as exc:
        raise Conflict(
            "this room type has just sold out", code="sold_out", alternatives=alternatives
        ) from exc
    return reservation
