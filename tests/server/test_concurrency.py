"""Races: 20 kiosks at once for 10 clean vacant rooms; one payment sent 20 times; two kiosks, one room."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from frontoffice.models import Charge, Guest, Payment, ProcessedOp, Reservation, RoomNight
from frontoffice.services import kiosks, money
from tests.server.factories import small_hotel
from tests.server.helpers import card_payment
from tests.server.live import live_server


def _setup(db, arrivals=20):
    with db.session(write=True) as session:
        prop, reservations = small_hotel(
            session, code="RACE", rooms=10, dirty=1, out_of_order=1, arrivals=arrivals
        )
        token = kiosks.add_kiosk(session, prop, "k1")[1]
        return [r.id for r in reservations], token


def _all_at_once(n, call):
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_twenty_simultaneous_assignments_for_ten_rooms(db):
    ids, token = _setup(db)
    with live_server(db) as base:
        headers = {"Authorization": f"Bearer {token}"}

        def assign(i):
            with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
                return c.post(f"/api/v1/reservations/{ids[i]}/assign-room")

        responses = _all_at_once(20, assign)
    ok = [r.json()["room"]["number"] for r in responses if r.status_code == 200]
    refused = [r.json()["error"] for r in responses if r.status_code == 409]
    assert len(ok) == 10 and len(set(ok)) == 10
    assert refused == ["no_room_ready"] * 10
    with db.session() as session:
        per_room_night = session.execute(
            select(RoomNight.room_id, RoomNight.night, func.count()).group_by(
                RoomNight.room_id, RoomNight.night
            )
        ).all()
    assert len(per_room_night) == 20 and all(count == 1 for *_, count in per_room_night)


def test_the_same_payment_sent_twenty_times_at_once_is_recorded_once(db):
    ids, token = _setup(db, arrivals=1)
    payment = card_payment(1000)
    with live_server(db) as base:
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"pay-{uuid.uuid4()}"}

        def pay(_):
            with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
                return c.post(f"/api/v1/reservations/{ids[0]}/payments", json=payment)

        responses = _all_at_once(20, pay)
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        with httpx.Client(base_url=base, headers=headers) as c:
            assert c.get(f"/api/v1/reservations/{ids[0]}/folio").json()["paid"] == 1000


def test_two_kiosks_sell_the_last_room_at_once(db):
    """One walk-in gets the room and its payment; the other a clear sold_out and nothing written."""
    with db.session(write=True) as session:
        prop, _ = small_hotel(session, code="LAST", rooms=1, arrivals=0)
        tokens = [kiosks.add_kiosk(session, prop, name)[1] for name in ("k1", "k2")]
        total = money.quote(
            session, prop, prop.room_types[0], prop.business_date, prop.business_date + timedelta(days=1)
        ).total
    bodies = [
        {
            "id": str(uuid.uuid4()),
            "room_type": "STD",
            "nights": 1,
            "guest": {"surname": f"Walker{i}"},
            "expected_total": total,
            "payment": card_payment(total, currency="IDR"),
        }
        for i in range(2)
    ]
    with live_server(db) as base:

        def sell(i):
            headers = {"Authorization": f"Bearer {tokens[i]}", "Idempotency-Key": f"walk-{uuid.uuid4()}"}
            with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
                return c.post("/api/v1/walk-ins", json=bodies[i])

        responses = _all_at_once(2, sell)
    assert sorted(r.status_code for r in responses) == [201, 409]
    won = next(r.json() for r in responses if r.status_code == 201)
    lost = next(r.json() for r in responses if r.status_code == 409)
    assert lost["error"] == "sold_out" and won["balance"] == 0 and won["room"]["number"] == "100"
    with db.session() as session:
        assert session.scalars(select(Reservation.id)).all() == [uuid.UUID(won["id"])]
        assert session.scalar(select(func.count()).select_from(Guest)) == 1
        assert session.scalars(select(Payment.reservation_id)).all() == [uuid.UUID(won["id"])]
        assert set(session.scalars(select(Charge.reservation_id))) == {uuid.UUID(won["id"])}
        assert session.scalar(select(func.count()).select_from(RoomNight)) == 1
        assert session.scalar(select(func.count()).select_from(ProcessedOp)) == 1
