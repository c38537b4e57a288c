"""The kiosk's walk-in calls (kiosk.frontdesk) against a real server on SQLite and PostgreSQL: the
offer as priced, booking with the terminal's payment in one transaction, a repeated call, a sell-out
that writes nothing, and the payment's later hand-over through the outbox counted once."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from drivers.payment.model import Money, Operation, Outcome, PaymentResult
from frontoffice.models import Payment, Reservation
from kiosk.frontdesk import Offline, Refused, WalkInGuest

GUEST = WalkInGuest("Lestari", "Dewi Ayu", nationality="IDN")


def sale(offer, booking_id: uuid.UUID) -> PaymentResult:
    return PaymentResult(
        Outcome.APPROVED,
        Operation.SALE,
        Money(offer.total, offer.currency),
        0,
        "approved",
        card_brand="VISA",
        masked_pan="************4242",
        auth_code="123456",
        trace_no=42,
        receipt_no=7,
        terminal_id="52500038",
        reference=str(booking_id),
        idempotency_key=f"pay-{uuid.uuid4()}",
    )


def payments(db, booking_id: uuid.UUID) -> list[tuple[str, int]]:
    with db.session() as session:
        rows = session.query(Payment).filter_by(reservation_id=booking_id).all()
        return [(p.kind.value, p.amount) for p in rows]


def test_offers_carry_the_servers_price_parts(kiosk):
    offers = kiosk.desk.availability(2, 2)
    assert offers and offers == sorted(offers, key=lambda o: o.total)
    for o in offers:
        assert len(o.nightly) == 2 and o.room == sum(a for _, a in o.nightly)
        assert o.total == o.room + o.service + o.tax and o.service > 0 and o.tax > 0
        assert o.currency == "IDR" and o.room_type.max_adults >= 2


def test_walk_in_with_its_payment_is_one_commit_and_the_hand_over_counts_once(kiosk, db):
    offer = next(o for o in kiosk.desk.availability(1) if o.ready_now)
    booking_id = uuid.uuid4()
    paid = sale(offer, booking_id)
    booked = kiosk.desk.book_walk_in(offer, 1, GUEST, booking_id=booking_id, payment=paid)
    assert booked.id == booking_id and booked.room is not None and booked.room.ready
    assert booked.paid == offer.total and booked.balance == 0
    assert payments(db, booking_id) == [("sale", offer.total)]
    # The same call again (an answer lost on the way) replays: one booking, one payment.
    again = kiosk.desk.book_walk_in(offer, 1, GUEST, booking_id=booking_id, payment=paid)
    assert again.id == booking_id and again.room == booked.room
    # The journey also queues the payment so the journal is acknowledged: still one payment.
    kiosk.desk.record_payment(booked, paid)
    kiosk.worker.nudge()
    assert kiosk.worker.wait_drained(10)
    assert payments(db, booking_id) == [("sale", offer.total)]
    assert kiosk.store.dead_letters() == []
    checked_in = kiosk.desk.check_in(booked)
    assert checked_in.status == "checked_in"


def test_sold_out_is_refused_and_writes_nothing(kiosk, db):
    offer = next(o for o in kiosk.desk.availability(1) if o.ready_now)
    for _ in range(offer.ready_now):
        kiosk.desk.book_walk_in(offer, 1, WalkInGuest("Desk"))
    booking_id = uuid.uuid4()
    with pytest.raises(Refused) as refused:
        kiosk.desk.book_walk_in(offer, 1, GUEST, booking_id=booking_id, payment=sale(offer, booking_id))
    assert refused.value.code == "sold_out"
    with db.session() as session:
        assert session.get(Reservation, booking_id) is None
    assert payments(db, booking_id) == []
    after = {o.room_type.code: o.ready_now for o in kiosk.desk.availability(1)}
    assert after.get(offer.room_type.code, 0) == 0


def test_changed_price_is_refused_not_charged(kiosk, db):
    offer = next(o for o in kiosk.desk.availability(1) if o.ready_now)
    stale = replace(offer, total=offer.total - 1)
    booking_id = uuid.uuid4()
    with pytest.raises(Refused) as refused:
        kiosk.desk.book_walk_in(stale, 1, GUEST, booking_id=booking_id, payment=sale(stale, booking_id))
    assert refused.value.code == "price_changed"
    assert payments(db, booking_id) == []


def test_walk_ins_need_the_server(kiosk, server):
    offer = next(o for o in kiosk.desk.availability(1) if o.ready_now)
    server.stop()
    with pytest.raises(Offline):
        kiosk.desk.availability(1)
    with pytest.raises(Offline):
        kiosk.desk.book_walk_in(offer, 1, GUEST)
