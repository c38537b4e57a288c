"""Self check-out in the real Kivy app under Xvfb, by simulated touches, against a real local
server and the device simulators: what the screens said, and what the server recorded."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from frontoffice.models import AssistanceRequest, Charge, Guest, Payment, Property, Reservation, RoomNight
from tests.ui.harness import run_app

pytestmark = [pytest.mark.ui, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("checkout-ui")
    with run_app("checkout_app.py", tmp, timeout=200) as (data, session):
        yield data, session


def _stay(session, surname: str) -> Reservation:
    return session.scalars(select(Reservation).join(Reservation.guest).where(Guest.surname == surname)).one()


def _payments(session, stay: Reservation) -> list[Payment]:
    return list(session.scalars(select(Payment).where(Payment.reservation_id == stay.id)))


def test_attract_offers_check_out(run):
    data, _ = run
    assert "Check in" in data["attract"][0] and "Check out" in data["attract"][0]


def test_happy_path_bill_paid_checked_out_room_left_dirty(run):
    data, session = run
    assert (
        "Your bill" in data["folio"][0]
        and "Night of" in data["folio"][0]
        and "Pay and check out" in data["folio"][0]
    )
    said = data["payment"][0]
    assert "Please check before you pay" in said and "Total" in said and "To pay now by card" in said
    assert "You are checked out. Thank you for staying with us!" in data["finish"][0]
    assert "Please take your invoice from the printer" in data["finish"][0]
    stay = _stay(session, "Taylor")
    assert stay.status.value == "checked_out" and stay.checked_out_at is not None
    assert stay.room.number == data["stays"]["Taylor"]
    assert (stay.room.occupancy.value, stay.room.housekeeping.value) == ("vacant", "dirty")
    payments = _payments(session, stay)
    assert [(p.kind.value, p.amount) for p in payments] == [("sale", data["due"])]
    assert sum(c.isdigit() for c in payments[0].masked_pan) <= 4


def test_the_same_receipt_again_says_already_checked_out(run):
    data, _ = run
    assert "You have already checked out" in data["already_out"][0]


def test_disputed_charge_goes_to_the_desk_and_staff_are_called(run):
    data, session = run
    assert "Our staff will go through your bill with you" in data["disputed"][0]
    stay = _stay(session, "Rahayu")
    assert stay.status.value == "checked_in" and _payments(session, stay) == []
    requests = session.scalars(select(AssistanceRequest).where(AssistanceRequest.reservation_id == stay.id))
    assert [r.reason for r in requests] == ["checkout_disputed_charges"]


def test_declined_card_then_another_card_paid_once_invoice_on_screen(run):
    data, session = run
    assert "Your card was declined. You have not been charged." in data["declined"][0]
    assert "The printer is not working right now, so here is your invoice" in data["no_paper"][0]
    assert "Night of" in data["no_paper"][0] and "Card payment" in data["no_paper"][0]
    stay = _stay(session, "Sato")
    assert stay.status.value == "checked_out"
    assert len(_payments(session, stay)) == 1


def test_offline_is_said_kindly_and_nothing_changes(run):
    data, session = run
    assert "We cannot check you out right now" in data["offline"][0]
    stay = _stay(session, "Lee")
    assert stay.status.value == "checked_in" and _payments(session, stay) == []


def test_minibar_taken_from_the_deposit_held_at_check_in(run):
    data, session = run
    assert data["deposit_operation"] == "preauth"
    assert "Minibar" in data["deposit_folio"][0] and "Deposit held on your card" in data["deposit_folio"][0]
    assert "taken from the deposit held on your card" in data["deposit_payment"][0]
    # Money as the property writes it (en_ID), the same on screen as on the receipt.
    assert "We took Rp 150.000 from the deposit held on your card" in data["deposit_finish"][0]
    stay = _stay(session, "Dewi")
    assert stay.status.value == "checked_out"
    kinds = sorted((p.kind.value, p.amount) for p in _payments(session, stay))
    assert [k for k, _ in kinds] == ["capture", "preauth", "sale"]
    assert dict(kinds)["capture"] == 150_000_00


def test_an_early_check_out_is_confirmed_first_and_the_unused_nights_stay_on_the_bill(run):
    data, session = run
    said = data["early"][0]
    assert "You are leaving before your departure date" in said and "Check out now" in said
    assert "does not refund" in said and "Night of" in said
    assert data["early_back"] == "checked_in"  # Back from the question changed nothing
    stay = _stay(session, "Gunawan")
    business_date = session.scalars(select(Property)).one().business_date
    assert stay.status.value == "checked_out" and stay.departure > business_date
    # What the server does with the nights left: the room is free for them, their charges stay.
    held = [n.night for n in session.scalars(select(RoomNight).where(RoomNight.reservation_id == stay.id))]
    assert held and all(night < business_date for night in held)
    charges = session.scalars(select(Charge).where(Charge.reservation_id == stay.id))
    assert max(c.night for c in charges if c.night) == stay.departure - timedelta(days=1)
