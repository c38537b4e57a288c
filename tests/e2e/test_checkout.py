"""Check-out through the kiosk's front desk against a real server: found by room + surname or the
receipt's QR, paid through the outbox and only then checked out, a lost answer replayed under the
same key, and nothing at all while the server is away."""

from __future__ import annotations

import time

import pytest

from frontoffice.models import Payment, Reservation, ReservationStatus
from kiosk.frontdesk import Offline, Refused
from tests.e2e.test_faults import approved


def _room(kiosk, surname):
    return next(
        d["room"]["number"]
        for d in kiosk.store.reservations()
        if d["guest"]["surname"] == surname and d["status"] == "checked_in"
    )


def _server(db, booking_id):
    with db.session() as session:
        row = session.get_one(Reservation, booking_id)
        payments = session.query(Payment).filter_by(reservation_id=booking_id).count()
        return row.status, row.room.housekeeping.value, payments


def test_find_pay_through_the_outbox_then_check_out(kiosk, db):
    [lee] = kiosk.desk.find_stay(room=_room(kiosk, "Lee"), surname="LEE")
    assert [b.id for b in kiosk.desk.find_stay(qr_token=lee.qr_token)] == [lee.id]
    folio = kiosk.desk.folio(lee)
    assert folio.can_check_out and folio.balance > 0 and folio.hold is None
    with pytest.raises(Refused) as refused:
        kiosk.desk.check_out(lee, "early-key-1")
    assert refused.value.code == "balance_due"
    # The payment goes through the outbox; settle_payment returns once the server has it.
    kiosk.desk.settle_payment(lee, approved(lee, folio.balance))
    assert kiosk.desk.folio(lee).balance == 0
    done = kiosk.desk.check_out(lee, "checkout-key-1")
    assert done.status == "checked_out"
    assert _server(db, lee.id) == (ReservationStatus.CHECKED_OUT, "dirty", 1)


def test_a_lost_check_out_answer_is_replayed_under_the_same_key(kiosk, server, db):
    [sato] = kiosk.desk.find_stay(room=_room(kiosk, "Sato"), surname="Sato")
    kiosk.desk.settle_payment(sato, approved(sato, kiosk.desk.folio(sato).balance))
    server.faults.swallow.add("/check-out")  # it commits; its answer never comes
    with pytest.raises(Offline):
        kiosk.desk.check_out(sato, "checkout-key-2")
    server.faults.swallow.clear()
    assert kiosk.worker.link.wait_for(True, 10)
    assert kiosk.desk.check_out(sato, "checkout-key-2").status == "checked_out"
    assert _server(db, sato.id)[0] is ReservationStatus.CHECKED_OUT


def test_server_away_nothing_is_found_and_a_payment_waits_in_the_outbox(kiosk, server, db):
    [marlina] = kiosk.desk.find_stay(room=_room(kiosk, "Marlina"), surname="Marlina")
    balance = kiosk.desk.folio(marlina).balance
    server.stop()
    with pytest.raises(Offline):
        kiosk.desk.find_stay(room=_room(kiosk, "Marlina"), surname="Marlina")
    assert kiosk.worker.link.wait_for(False, 5)
    started = time.monotonic()
    with pytest.raises(Offline):
        kiosk.desk.settle_payment(marlina, approved(marlina, balance))
    assert time.monotonic() - started < 2  # offline is said at once, not after the deadline
    assert kiosk.store.depth() >= 1
    server.start()
    kiosk.worker.nudge()
    assert kiosk.worker.link.wait_for(True, 10) and kiosk.worker.wait_drained(10)
    assert _server(db, marlina.id) == (ReservationStatus.CHECKED_IN, "clean", 1)
