"""The check-in journey in the real Kivy app under Xvfb, by simulated touches, against a real local
server and the device simulators: what the screens said, and what the server recorded."""

import uuid

import pytest
from sqlalchemy import select

from frontoffice.models import AssistanceRequest, Payment, Reservation
from tests.ui.harness import run_app

pytestmark = [pytest.mark.ui, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("checkin-ui")
    with run_app("checkin_app.py", tmp) as (data, session):
        yield data, session


def _reservation(session, booking_id: str) -> Reservation:
    return session.get(Reservation, uuid.UUID(booking_id))


def test_happy_path_checks_in_pays_and_prints(run):
    data, session = run
    assert "Your room is ready" in data["room"][0]
    # The charge line by line before the terminal is asked, and Back charges nothing.
    said = data["payment"][0]
    assert "Please check before you pay" in said and "Total" in said and "To pay now by card" in said
    assert "Pay Rp " in said  # money as the property writes it (en_ID), as on every screen
    assert data["back_from_payment"] == ["room", 0, None]
    assert "You are checked in. Enjoy your stay!" in data["finish"][0]
    assert "Please take your receipt" in data["finish"][0]
    reservation = _reservation(session, data["bookings"]["Santoso"])
    assert reservation.status.value == "checked_in"
    assert reservation.terms_version == "2026-01"
    assert reservation.room.number in data["finish"][0]
    payments = session.scalars(select(Payment).where(Payment.reservation_id == reservation.id)).all()
    assert [p.kind.value for p in payments] == ["sale"]
    assert payments[0].amount > 0 and sum(c.isdigit() for c in payments[0].masked_pan) <= 4


def test_not_found_is_said_kindly_and_keeps_the_typed_code(run):
    data, _ = run
    assert "We could not find your booking" in data["not_found"][0]
    assert "Find it another way" in data["not_found"][0] and "Call staff" in data["not_found"][0]
    assert data["kept_after_try_again"] == "ZZ9ZZ9"


def test_id_mismatch_asks_for_staff_and_records_it(run):
    data, session = run
    assert "This document does not match the booking" in data["id_mismatch"][0]
    assert "Help is on its way" in data["help"][0]
    booking = uuid.UUID(data["bookings"]["Wirawan"])
    requests = session.scalars(select(AssistanceRequest).where(AssistanceRequest.reservation_id == booking))
    assert [(r.screen, r.reason) for r in requests] == [("problem", "id_mismatch")]
    assert _reservation(session, str(booking)).status.value == "confirmed"


def test_a_mismatch_ends_identity_no_retry_no_photo_of_an_empty_desk(run):
    """The path that gave a room on the old kiosk: wrong passport -> Try again -> "My ID card has
    no lines of letters" -> a photo of the empty camera frame. Now the mismatch offers staff and
    start over only, and nothing passes identity afterwards."""
    data, session = run
    assert data["mismatch_actions"] == ["staff", "start_over"]
    assert "We have called our staff" in data["id_mismatch"][0]
    assert data["after_mismatch"] == ["problem", "id_mismatch"] and not data["after_mismatch_photo"]
    assert _reservation(session, data["bookings"]["Wirawan"]).status.value == "confirmed"


def test_an_id_photo_must_show_a_card(run):
    data, _ = run
    assert data["after_empty_photo"] == ["problem", "photo_no_document"]
    assert "We cannot see an ID card in the photo" in data["photo_empty"][0]
    assert data["after_card_photo"] == "registration"
    # Before identity the booking's name is shown with initials only (Yuki Tanaka: "Y. Tanaka").
    assert "Y. Tanaka" in data["identity"][0] and "Yuki" not in data["identity"][0]


def test_declined_card_then_another_card_is_paid_once(run):
    data, session = run
    assert "Your card was declined. You have not been charged." in data["declined"][0]
    reservation = _reservation(session, data["declined_booking"])
    payments = session.scalars(select(Payment).where(Payment.reservation_id == reservation.id)).all()
    assert len(payments) == 1
    assert reservation.status.value == "checked_in"


def test_printer_out_of_paper_shows_the_qr_on_screen(run):
    data, _ = run
    assert "The printer is not working right now" in data["no_paper"][0]
    assert data["qr_shown"] is True


def test_server_unreachable_a_preassigned_guest_still_checks_in_and_it_syncs(run):
    data, session = run
    assert data["offline_booking"] is True  # answered from the kiosk's copy
    assert "Your room is ready" in data["offline_room"][0]
    assert "You are checked in. Enjoy your stay!" in data["offline_finish"][0]
    reservation = _reservation(session, data["bookings"]["Fauzi"])
    assert reservation.status.value == "checked_in"
    payments = session.scalars(select(Payment).where(Payment.reservation_id == reservation.id)).all()
    assert len(payments) <= 1  # paid at most once, whichever way the records arrived


def test_inactivity_asks_then_wipes_what_was_typed(run):
    data, _ = run
    assert "Are you still there?" in data["still_there"][0]
    assert data["after_timeout"] == {"code": "", "surname": "", "session": True}


def test_the_house_rules_and_privacy_notice_are_read_on_screen_before_accepting(run):
    data, _ = run
    said = data["terms"][0]
    assert "House rules and privacy notice" in said and "Version 2026-01" in said
    assert "Quiet hours are from 22:00 to 07:00" in said and "Personal Data Protection Law" in said
    assert "Read them" in data["registration"][0]
    # The server here sends no e-mail: the field promises no receipt.
    assert "E-mail" in data["registration"][0] and "for your receipt" not in data["registration"][0]
