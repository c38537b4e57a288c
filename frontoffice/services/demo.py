"""Demo data: one hotel in Jakarta with the arrivals a real desk sees on a busy day.

Dates are relative to the property's business date on the day the data is made, so the demo
always has arrivals "today"; ``is_stale`` tells when it is time to make it again.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from frontoffice.models import (
    Base,
    Charge,
    ChargeType,
    Guest,
    Housekeeping,
    Kiosk,
    Occupancy,
    Payment,
    PaymentKind,
    Property,
    Rate,
    Reservation,
    ReservationStatus,
    Room,
    RoomNight,
    RoomType,
)
from frontoffice.services import booking, changes, folio

TIMEZONE = "Asia/Jakarta"
CURRENCY = "IDR"  # ISO 4217 exponent 2: Rp 850.000 is 85_000_000 minor units
RUPIAH = 100


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    description: str
    bed: str
    size_m2: int
    max_adults: int
    max_children: int
    rate: int
    rooms_per_floor: int


ROOM_TYPES = (
    TypeSpec("STD", "Standard Room", "A quiet room facing the garden.", "Queen bed", 24, 2, 1, 850_000, 4),
    TypeSpec("DLX", "Deluxe Room", "More space and a city view.", "King bed", 32, 2, 1, 1_250_000, 3),
    TypeSpec(
        "FAM", "Family Room", "Two beds and room for children.", "King + twin beds", 42, 3, 2, 1_650_000, 2
    ),
    TypeSpec(
        "STE", "Junior Suite", "A lounge, a bathtub and the skyline.", "King bed", 56, 2, 2, 2_750_000, 1
    ),
)

# (given names, surname, case) — the awkward cases first.
ARRIVALS: tuple[tuple[str, str, str], ...] = (
    ("Ayu", "Lestari", "paid"),
    ("Budi", "Santoso", "balance"),
    ("", "Sukarno", "balance"),  # a single-word name
    ("", "Dewi", "deposit"),
    ("Thị Ánh", "Nguyễn", "balance"),
    ("Seán", "O'Brien", "paid"),
    ("Anne-Marie", "Dubois-Lefèvre", "balance"),
    ("Maximilian Alexander Friedrich", "von Hohenzollern-Sigmaringen", "balance"),
    ("Putri Ayu", "Kusumawardhani", "deposit"),
    ("José María", "García Márquez", "partial"),
    ("Zoë", "Ångström", "paid"),
    ("Jürgen", "Müller", "balance"),
    ("Pieter", "van der Berg", "balance"),
    ("John", "Smith", "two_rooms"),
    ("Maria", "D'Angelo", "balance"),
    ("Olivia", "Brown", "dirty_room"),
    ("Ahmad", "Fauzi", "preassigned"),
    ("Nur", "Aini", "deposit"),
    ("Rahmat", "Hidayat", "balance"),
    ("Ketut", "Sudarsana", "paid"),
    ("Made", "Wirawan", "balance"),
    ("Xiaoming", "Wang", "balance"),
    ("Yuki", "Tanaka", "partial"),
    ("Min-jun", "Kim", "balance"),
    ("Li Na", "Chen", "balance"),
    ("Emma", "Johnson", "paid"),
    ("Lucas", "Silva", "balance"),
    ("Fatimah", "Az-Zahra", "deposit"),
    ("Ibrahim", "bin Abdullah", "balance"),
)
IN_HOUSE: tuple[tuple[str, str], ...] = (
    ("Hendra", "Gunawan"),
    ("Sarah", "Williams"),
    ("Wayan", "Sutama"),
    ("Mei Ling", "Tan"),
    ("", "Suharti"),
    ("Pierre", "Martin"),
    ("Agus", "Salim"),
    ("Hannah", "Schmidt"),
)
DEPARTURES: tuple[tuple[str, str], ...] = (
    ("David", "Lee"),
    ("Rina", "Marlina"),
    ("Oliver", "Taylor"),
    ("Siti", "Rahayu"),
    ("Kenji", "Sato"),
    ("Laura", "Rossi"),
)
DEPOSIT = 500_000 * RUPIAH


def property_today(tz: str = TIMEZONE) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def current_property(session: Session) -> Property | None:
    return session.scalars(select(Property).order_by(Property.code)).first()


def is_stale(session: Session) -> bool:
    prop = current_property(session)
    return prop is None or prop.business_date < property_today(prop.timezone)


# What a running install is, kept when the demo hotel is made again: the property's identity,
# its kiosks (ids and tokens), dashboard users, the ops already applied (a repeat still gets its
# first answer) and the change log (each kiosk's pull cursor stays valid).
KEPT = {"property", "kiosk", "kiosk_heartbeat", "staff_user", "processed_op", "change_log"}
# A kiosk heard from this recently is running (it heartbeats every minute).
RUNNING_WITHIN = timedelta(minutes=3)


def wipe(session: Session) -> Property | None:
    """Empty the hotel but keep ``KEPT``; what goes is logged as deleted, so kiosks drop it."""
    prop = current_property(session)
    gone = []
    if prop is not None:
        gone = [(changes.RESERVATION, i) for i in session.scalars(select(Reservation.id))]
        gone += [(changes.ROOM, i) for i in session.scalars(select(Room.id))]
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT:
            session.execute(delete(table))
    if prop is not None:
        for entity, entity_id in gone:
            changes.record(session, prop.id, entity, entity_id)
    return prop


def busy_kiosks(session: Session, now: datetime) -> list[str]:
    """Why remaking the demo now would destroy a running install's work: kiosks heard from
    lately, or still holding records for the server (they would be refused once it is gone)."""
    found = []
    for kiosk in session.scalars(select(Kiosk).where(Kiosk.revoked_at.is_(None)).order_by(Kiosk.name)):
        if kiosk.outbox_depth:
            found.append(f"kiosk {kiosk.name!r} holds {kiosk.outbox_depth} record(s) not yet sent")
        elif kiosk.last_seen_at is not None and now - kiosk.last_seen_at < RUNNING_WITHIN:
            seconds = int((now - kiosk.last_seen_at).total_seconds())
            found.append(f"kiosk {kiosk.name!r} is running (heard from {seconds} s ago)")
    return found


def _fill(prop: Property, **values: object) -> None:
    for name, value in values.items():
        setattr(prop, name, value)


def _rooms(session: Session, prop: Property, types: dict[str, RoomType], floors: int) -> list[Room]:
    rooms = []
    directions = {1: "Ground floor, past the lobby bar", 2: "Take the lift to floor 2, then left"}
    indonesian = {1: "Lantai dasar, melewati bar lobi", 2: "Naik lift ke lantai 2, lalu ke kiri"}
    for floor in range(1, floors + 1):
        number = 1
        for spec in ROOM_TYPES:
            for _ in range(spec.rooms_per_floor):
                wing, sayap = ("left", "kiri") if number <= 5 else ("right", "kanan")
                rooms.append(
                    Room(
                        property_id=prop.id,
                        room_type=types[spec.code],
                        number=f"{floor}{number:02d}",
                        floor=floor,
                        directions=directions.get(floor, f"Take the lift to floor {floor}, then {wing}"),
                        directions_local={
                            "id": indonesian.get(floor, f"Naik lift ke lantai {floor}, lalu ke {sayap}")
                        },
                    )
                )
                number += 1
    session.add_all(rooms)
    return rooms


def _rates(session: Session, types: dict[str, RoomType], today: date) -> None:
    # Friday and Saturday nights cost 15 % more for the next two months.
    for spec in ROOM_TYPES:
        for offset in range(-7, 60):
            night = today + timedelta(days=offset)
            if night.weekday() in (4, 5):
                session.add(
                    Rate(
                        room_type_id=types[spec.code].id, night=night, amount=spec.rate * RUPIAH * 115 // 100
                    )
                )


def _guest(session: Session, prop: Property, rng: random.Random, given: str, surname: str) -> Guest:
    guest = Guest(
        property_id=prop.id,
        surname=surname,
        given_names=given,
        birth_date=date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        nationality=rng.choice(["IDN", "IDN", "IDN", "AUS", "SGP", "DEU", "USA", "JPN"]),
    )
    session.add(guest)
    return guest


def _pay(session: Session, prop: Property, reservation: Reservation, amount: int, rng: random.Random) -> None:
    session.add(
        Payment(
            id=uuid.uuid4(),
            reservation_id=reservation.id,
            idempotency_key=f"demo-{reservation.id}",
            kind=PaymentKind.SALE,
            amount=amount,
            currency=prop.currency,
            card_brand=rng.choice(["VISA", "Mastercard", "JCB"]),
            masked_pan=f"************{rng.randint(1000, 9999)}",
            auth_code=f"{rng.randint(0, 999999):06d}",
            terminal_id="OTA",
            terminal_ref=f"{rng.randint(1, 9999):04d}",
            business_date=prop.business_date - timedelta(days=rng.randint(1, 30)),
        )
    )


def _occupy(session: Session, reservation: Reservation, room: Room, first: date, last: date) -> None:
    reservation.room = room
    night = first
    while night < last:
        session.add(RoomNight(room_id=room.id, night=night, reservation_id=reservation.id))
        night += timedelta(days=1)


def build(session: Session, today: date | None = None, *, floors: int = 4, seed: int = 7) -> Property:
    """Make the demo hotel anew with ``today`` as its business date (see ``wipe``: its kiosks,
    their ids and tokens, and its staff users stay)."""
    rng = random.Random(seed)
    today = today or property_today()
    prop = wipe(session) or Property()
    _fill(
        prop,
        code="SBT-JKT",
        name="Hotel Sambut Jakarta",
        address="Jl. M.H. Thamrin No. 10, Jakarta Pusat 10230",
        timezone=TIMEZONE,
        currency=CURRENCY,
        business_date=today,
        check_in_time=time(14, 0),
        check_out_time=time(12, 0),
        service_rate_bp=1000,
        tax_rate_bp=1000,
        tax_id="01.234.567.8-073.000",  # an NPWP: 15 digits, as the tax office writes it
        wifi_ssid="Sambut-Guest",
        wifi_password="selamat-datang",
        breakfast_hours="06:30–10:30, restaurant on floor 1",
        qr_secret=secrets.token_bytes(32),
    )
    session.add(prop)
    session.flush()
    types = {
        s.code: RoomType(
            property=prop,
            code=s.code,
            name=s.name,
            description=s.description,
            bed=s.bed,
            size_m2=s.size_m2,
            max_adults=s.max_adults,
            max_children=s.max_children,
            base_rate=s.rate * RUPIAH,
        )
        for s in ROOM_TYPES
    }
    session.add_all(types.values())
    session.flush()
    rooms = _rooms(session, prop, types, floors)
    _rates(session, types, today)
    session.flush()
    free = list(rooms)

    def take(code: str) -> Room:
        room = next(r for r in free if r.room_type.code == code)
        free.remove(room)
        return room

    def reserve(
        given: str, surname: str, code: str, arrival: date, departure: date, **kw: object
    ) -> Reservation:
        guest = _guest(session, prop, rng, given, surname)
        return booking.create_reservation(session, prop, types[code], guest, arrival, departure, **kw)  # type: ignore[arg-type]

    def in_house(given: str, surname: str, code: str, arrival: date, departure: date) -> Reservation:
        r = reserve(given, surname, code, arrival, departure)
        # Checked in on the day they arrived, in the afternoon as guests do (not when this was made).
        at = time(14 + len(surname) % 6, 7 * len(given) % 60)
        r.status, r.checked_in_at, r.checked_in_by = (
            ReservationStatus.CHECKED_IN,
            datetime.combine(arrival, at, ZoneInfo(TIMEZONE)),
            "desk",
        )
        room = take(code)
        room.occupancy = Occupancy.OCCUPIED
        _occupy(session, r, room, arrival, departure)
        return r

    codes = [s.code for s in ROOM_TYPES]
    for i, (given, surname) in enumerate(IN_HOUSE):
        in_house(
            given, surname, codes[i % 3], today - timedelta(days=1 + i % 3), today + timedelta(days=1 + i % 4)
        )
    departures = [  # leaving today: no night left in the room
        in_house(given, surname, codes[i % 2], today - timedelta(days=2 + i % 2), today)
        for i, (given, surname) in enumerate(DEPARTURES)
    ]
    for room in free[-3:-1]:
        room.housekeeping = Housekeeping.DIRTY
    free[-1].housekeeping = Housekeeping.OUT_OF_ORDER
    session.flush()

    for i, (given, surname, case) in enumerate(ARRIVALS):
        code = "FAM" if case == "two_rooms" else codes[(i * 7) % 4] if i % 5 == 0 else codes[i % 2]
        if case == "dirty_room":  # an early arrival whose pre-assigned room is still being cleaned
            dirty = next(room for room in free if room.housekeeping is Housekeeping.DIRTY)
            free.remove(dirty)
            code = dirty.room_type.code
        nights = 1 + i % 4
        departure = today + timedelta(days=nights)
        deposit = DEPOSIT if case == "deposit" else 0
        r = reserve(given, surname, code, today, departure, adults=1 + i % 2, deposit_amount=deposit)
        if case == "two_rooms":
            second = booking.create_reservation(
                session,
                prop,
                types["STD"],
                r.guest,
                today,
                departure,
                adults=2,
                confirmation_code=r.confirmation_code,
            )
            session.flush()
            _pay(session, prop, second, folio.totals(session, [second.id])[second.id].total, rng)
        session.flush()
        total = folio.totals(session, [r.id])[r.id].total
        if case in ("paid", "preassigned", "two_rooms"):
            _pay(session, prop, r, total, rng)
        elif case == "partial":
            _pay(session, prop, r, total // nights, rng)
        if case == "preassigned":
            _occupy(session, r, take(code), today, departure)
        elif case == "dirty_room":
            _occupy(session, r, dirty, today, departure)
    # A few guests tomorrow, so a kiosk's cache has something ahead of it.
    for i, (given, surname) in enumerate((("Andi", "Pratama"), ("Grace", "Kelly"))):
        reserve(given, surname, codes[i], today + timedelta(days=1), today + timedelta(days=3))
    session.flush()
    _deposit_and_minibar(session, prop, departures[-1], rng)
    for room in rooms:
        changes.record(session, prop.id, changes.ROOM, room.id)
    return prop


def _deposit_and_minibar(session: Session, prop: Property, stay: Reservation, rng: random.Random) -> None:
    """A departing guest who prepaid, left a deposit on the card at check-in and took from the
    minibar: at check-out the kiosk takes the minibar from the deposit. (Made last, so the random
    draws of everything before stay as they were.)"""
    _pay(session, prop, stay, folio.totals(session, [stay.id])[stay.id].total, rng)
    session.add(
        Payment(
            id=uuid.uuid4(),
            reservation_id=stay.id,
            idempotency_key=f"demo-deposit-{stay.id}",
            kind=PaymentKind.PREAUTH,
            amount=DEPOSIT,
            currency=prop.currency,
            card_brand="VISA",
            masked_pan="************1111",
            auth_code=f"{rng.randint(0, 999999):06d}",
            terminal_id="52500038",
            terminal_ref=str(rng.randint(1, 9999)),  # the terminal's receipt number: what a capture books on
            business_date=stay.arrival,
        )
    )
    session.add(
        Charge(
            reservation_id=stay.id,
            type=ChargeType.EXTRA,
            description="Minibar",
            night=None,
            amount=185_000 * RUPIAH,
            currency=prop.currency,
            business_date=prop.business_date,  # counted this morning
        )
    )
    session.flush()


def arrivals_today(session: Session, prop: Property) -> list[Reservation]:
    return list(
        session.scalars(
            select(Reservation)
            .where(Reservation.property_id == prop.id, Reservation.arrival == prop.business_date)
            .order_by(Reservation.confirmation_code)
        )
    )
