"""The check-in journey without a screen: every path through it, with fakes for the world."""

from __future__ import annotations

import subprocess
import sys
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest

from drivers.base import DataEvent, DeviceOfflineError
from drivers.camera.types import IdPhoto, PhotoContent
from drivers.money import Money
from drivers.payment.model import DisplayText, Operation, Outcome, PaymentResult, ReceiptLine
from drivers.printer.drivers import PaperOutError
from drivers.printer.status import PrinterStatus
from kiosk.config import CheckinSection
from kiosk.frontdesk import (
    Booking,
    Guest,
    NotFound,
    Offline,
    PropertyInfo,
    Registration,
    Room,
    RoomNotReady,
    RoomType,
)
from kiosk.i18n import translate
from kiosk.journey import identity
from kiosk.journey.checkin import Action, CheckinJourney, HelpState, Overlay, Step

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 27)
PROPERTY = PropertyInfo(
    "JKT", "Hotel Sambut Jakarta", "Jl. Sudirman 1", "Asia/Jakarta", "IDR", TODAY, "14:00", "12:00",
    "Sambut-Guest", "selamat-datang", "06:30–10:30, restaurant on floor 1", "01.234.567.8-073.000", 0, 1000,
)  # fmt: skip
ROOM = Room(uuid.uuid4(), "305", 3, "Take the lift to floor 3, then right", "DLX", "vacant", "clean", True)


def booking(**changes) -> Booking:
    base = Booking(
        id=uuid.uuid4(),
        confirmation_code="AUM2C9",
        status="confirmed",
        arrival=TODAY,
        departure=date(2026, 11, 29),
        nights=2,
        adults=2,
        children=0,
        room_type=RoomType("DLX", "Deluxe", "", "king", 32, 2, 1),
        room=None,
        guest=Guest("Santoso", "Budi", date(1985, 3, 14), "IDN", "budi@example.org", "+62 811 000"),
        currency="IDR",
        total=250000000,
        paid=0,
        balance=125000000,
        deposit_amount=0,
        deposit_held=0,
        checked_in_at=None,
        qr_token="SBT1.JKT.0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA",
    )
    return replace(base, **changes)


@dataclass
class Fields:
    surname: str = "SANTOSO"
    given_names: str = "BUDI"
    birth_date: date | None = date(1985, 3, 14)
    expiry_date: date | None = date(2030, 1, 1)
    document_number: str = "X1234567"
    nationality: str = "IDN"
    booking_token: str = ""
    names_truncated: bool = False


@dataclass
class Doc:
    kind: str = "td3"
    valid: bool = True
    fields: Fields = field(default_factory=Fields)


class Runner:
    """Queues work; tests run it with ``drain`` so they can look at the waiting screen first."""

    def __init__(self) -> None:
        self.jobs: list = []

    def run(self, work, done) -> None:
        self.jobs.append((work, done))

    def post(self, fn) -> None:
        fn()

    def drain(self) -> None:
        while self.jobs:
            work, done = self.jobs.pop(0)
            try:
                result = work()
            except Exception as exc:
                done(None, exc)
            else:
                done(result, None)


class Office:
    def __init__(self, found: list[Booking] | Exception) -> None:
        self.found = found
        self.assign: Booking | Exception | None = None
        self.searches: list[dict] = []
        self.checkins: list[Registration] = []
        self.payments: list[PaymentResult] = []
        self.assistance: list[tuple[str, str]] = []

    def property(self) -> PropertyInfo:
        return PROPERTY

    def search(self, **query) -> list[Booking]:
        self.searches.append(query)
        if isinstance(self.found, Exception):
            raise self.found
        return self.found

    def assign_room(self, b: Booking) -> Booking:
        if isinstance(self.assign, Exception):
            raise self.assign
        return self.assign or replace(b, room=ROOM)

    def check_in(self, b: Booking, registration: Registration | None = None) -> Booking:
        assert registration is not None
        self.checkins.append(registration)
        return replace(b, status="checked_in", access_code="204871")

    def record_payment(self, b: Booking, result: PaymentResult) -> None:
        self.payments.append(result)

    def request_assistance(self, screen: str, reason: str = "", booking_id=None) -> None:
        self.assistance.append((screen, reason))


class Terminal:
    def __init__(self) -> None:
        self.outcomes: list[Outcome | Exception] = []
        self.listeners: list = []
        self.calls: list[tuple[str, Money]] = []

    def subscribe(self, listener):
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def _run(self, op: Operation, amount: Money, reference: str, key: str | None) -> Future:
        self.calls.append((op.value, amount))
        for listener in self.listeners:
            listener(DataEvent("card_terminal", DisplayText(0x0A, "Insert card")))
            listener(DataEvent("card_terminal", ReceiptLine("VISA ************1111", "customer")))
        fut: Future = Future()
        outcome = self.outcomes.pop(0) if self.outcomes else Outcome.APPROVED
        if isinstance(outcome, Exception):
            fut.set_exception(outcome)
        else:
            code = {Outcome.APPROVED: 0, Outcome.DECLINED: 0x05, Outcome.UNKNOWN: None}.get(outcome, 0x6C)
            fut.set_result(
                PaymentResult(
                    outcome,
                    op,
                    amount,
                    code,
                    "",
                    "VISA",
                    "************1111",
                    "A1B2C3",
                    trace_no=7,
                    idempotency_key=key or "",
                    reference=reference,
                )
            )
        return fut

    def sale(self, amount, reference, idempotency_key=None):
        return self._run(Operation.SALE, amount, reference, idempotency_key)

    def preauthorise(self, amount, reference, idempotency_key=None):
        return self._run(Operation.PREAUTH, amount, reference, idempotency_key)


class Printer:
    def __init__(self) -> None:
        self.error: Exception | None = None
        self.printed: list = []

    def print_receipt(self, doc, *, job_id=None) -> Future:
        fut: Future = Future()
        if self.error:
            fut.set_exception(self.error)
        else:
            self.printed.append(doc)
            fut.set_result("printed")
        return fut


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Rig:
    journey: CheckinJourney
    office: Office
    runner: Runner
    terminal: Terminal
    printer: Printer
    clock: Clock

    def go(self) -> CheckinJourney:
        self.runner.drain()
        return self.journey


def rig(
    found: list[Booking] | Exception | None = None,
    camera=None,
    *,
    office: Office | None = None,
    terminal: Terminal | None = None,
    **settings,
) -> Rig:
    """A journey on fakes; ``office`` and ``terminal`` replace the default ones (other journeys' tests)."""
    office = office or Office([booking()] if found is None else found)
    terminal = terminal or Terminal()
    runner, printer, clock = Runner(), Printer(), Clock()
    j = CheckinJourney(
        office,
        runner,
        CheckinSection(**settings),
        terminal=terminal,
        printer=printer,
        camera=camera,
        clock=clock,
    )
    j.refresh_property()
    runner.drain()
    return Rig(j, office, runner, terminal, printer, clock)


def to_registration(r: Rig) -> CheckinJourney:
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "santoso")
    r.go()
    j.scanned(Doc())
    assert j.step is Step.REGISTRATION
    return j


def to_room(r: Rig) -> CheckinJourney:
    j = to_registration(r)
    j.submit_registration("budi@example.org", "+62 811 000", True)
    j.submit_signature(b"\x89PNG...")
    assert j.step is Step.WAIT
    r.go()
    return j


# -- the happy path -------------------------------------------------------------------------------


def test_happy_path_code_surname_id_sign_pay_print():
    r = rig()
    j = r.journey
    assert j.step is Step.ATTRACT
    j.set_language("id")
    j.start()
    assert j.step is Step.FIND
    j.choose(Step.ENTER_CODE)
    j.submit_code(" AUM2C9 ", "Santoso")
    assert j.step is Step.WAIT and j.wait_text == "Looking for your booking…"
    r.go()
    assert r.office.searches == [{"confirmation_code": "AUM2C9", "surname": "Santoso"}]
    assert j.step is Step.IDENTITY
    j.scanned(Doc(fields=Fields(surname="SANTOSO", given_names="BUDI")))
    assert j.step is Step.REGISTRATION
    j.submit_registration("budi@new.example", "+62 811 999", True)
    assert j.step is Step.SIGNATURE
    j.submit_signature(b"png")
    r.go()
    assert j.step is Step.ROOM and j.session.booking.room.number == "305"
    j.room_seen()
    assert j.step is Step.PAYMENT and j.session.due == Money(125000000, "IDR")
    j.pay()
    assert j.step is Step.PAYING
    r.terminal.listeners[0](DataEvent("card_terminal", DisplayText(0x01, "PIN")))
    assert j.session.terminal_prompt == 0x01  # the terminal's "watch the PIN pad", mirrored
    assert j.timer_paused
    r.go()  # payment result, record, check-in, print
    r.go()
    assert j.step is Step.FINISH and j.session.printed
    assert r.terminal.calls == [("sale", Money(125000000, "IDR"))]
    assert len(r.office.payments) == 1 and r.office.payments[0].reference == str(j.session.booking.id)
    assert r.office.checkins == [
        Registration("budi@new.example", "+62 811 999", "2026-01", language="id", signature_png=b"png")
    ]  # the guest's language: what the front office e-mails them is in it
    receipt = r.printer.printed[0]
    assert receipt.qr_payloads() == [booking().qr_token]
    texts = " ".join(getattr(e, "text", "") + getattr(e, "right", "") for e in receipt.elements)
    assert "305" in texts and "Sambut-Guest" in texts and "A1B2C3" in texts and "204871" in texts
    # A payment receipt that says what was paid for, in the property's formats (en_ID, no ",00").
    rows = {getattr(e, "left", ""): getattr(e, "right", "") for e in receipt.elements}
    assert rows["Your stay, 2 nights"] == "Rp 1.250.000" and "Payment receipt" in texts
    assert rows["Arrival"] == "27 Nov 2026"
    # The finish screen goes back to the welcome screen by itself, and the session is gone.
    r.clock.now += 21
    j.tick()
    assert j.step is Step.ATTRACT and j.session is None and j.language == "en"


def test_scanning_a_passport_finds_the_booking_and_proves_identity_at_once():
    r = rig()
    j = r.journey
    j.start()
    j.scanned(Doc())
    r.go()
    assert r.office.searches == [{"surname": "SANTOSO", "birth_date": date(1985, 3, 14)}]
    assert j.step is Step.REGISTRATION


def test_booking_qr_searches_by_token():
    r = rig()
    j = r.journey
    j.start()
    j.scanned(Doc(kind="booking", fields=Fields(booking_token="SBT1.X")))
    r.go()
    assert r.office.searches == [{"qr_token": "SBT1.X"}]
    assert j.step is Step.IDENTITY


def test_surname_and_arrival_date():
    r = rig()
    j = r.journey
    j.start()
    j.choose(Step.ENTER_NAME)
    j.submit_name("Santoso", TODAY)
    r.go()
    assert r.office.searches == [{"surname": "Santoso", "arrival": TODAY}]


def test_nothing_due_skips_payment():
    r = rig([booking(balance=0, paid=250000000)])
    j = to_room(r)
    j.room_seen()
    r.go()
    r.go()
    assert j.step is Step.FINISH and r.terminal.calls == []


def test_deposit_is_a_preauthorisation():
    r = rig([booking(balance=0, deposit_amount=50000000, deposit_held=0)])
    j = to_room(r)
    j.room_seen()
    j.pay()
    r.go()
    assert r.terminal.calls == [("preauth", Money(50000000, "IDR"))]


def test_identity_off_goes_straight_to_registration():
    r = rig(identity="off")
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    assert j.step is Step.REGISTRATION


# -- finding fails --------------------------------------------------------------------------------


def test_not_found_offers_try_again_another_way_and_staff():
    r = rig([])
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("XXXXXX", "Nobody")
    r.go()
    assert j.step is Step.PROBLEM and j.problem.kind == "not_found"
    assert j.problem.actions == (Action.TRY_AGAIN, Action.OTHER_WAY, Action.STAFF)
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.ENTER_CODE
    j.submit_code("XXXXXX", "Nobody")
    r.go()
    j.act(Action.OTHER_WAY)
    assert j.step is Step.FIND


def test_server_404_is_not_found_too():
    r = rig(NotFound("no"))
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("XXXXXX", "Nobody")
    r.go()
    assert j.problem.kind == "not_found"


def test_several_matches_let_the_guest_choose():
    a, b = booking(), booking(confirmation_code="AUM2C9")
    r = rig([a, b])
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    assert j.step is Step.CHOOSE and j.session.matches == [a, b]
    j.select(b)
    assert j.step is Step.IDENTITY and j.session.booking is b


def test_typing_mistakes_are_said_on_the_same_screen():
    r = rig()
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("A", "Santoso")
    assert j.step is Step.ENTER_CODE and j.field_error == "Please type your confirmation code."
    j.submit_code("AUM2C9", "  ")
    assert j.field_error == "Please type your surname."
    assert r.runner.jobs == []


def test_the_message_about_a_typing_mistake_goes_once_the_guest_corrects_it():
    r = rig()
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "")
    seen = []
    j.subscribe(lambda: seen.append(j.field_error))
    j.edited()  # a key typed in a field (every field's on_text)
    assert j.step is Step.ENTER_CODE and j.field_error == "" and seen == [""]
    j.edited()  # nothing more to take back: no redraw
    assert seen == [""]


def test_unreadable_scan_at_find():
    r = rig()
    j = r.journey
    j.start()
    j.scanned(Doc(kind="unknown", valid=False))
    assert j.problem.kind == "code_unreadable"


def test_already_checked_in_says_nothing_of_the_stay():
    """Whoever knows a code and a surname learns no room number (nor anything else) before identity."""
    r = rig([booking(status="checked_in", room=ROOM)])
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    assert j.problem.kind == "already_checked_in"
    shown = " ".join(translate(lang, m).format(**j.problem.params) for lang in ("en", "id")
                     for m in (j.problem.title, j.problem.body))  # fmt: skip
    assert "305" not in shown and not j.problem.params


def test_names_before_identity_are_masked():
    assert identity.masked_name(Guest("Santoso", "Budi Agus", None, "IDN", "", "")) == "B. A. Santoso"
    assert identity.masked_name(Guest("Sukarno", "", None, "IDN", "", "")) == "Sukarno"


def test_server_unreachable_then_try_again_keeps_the_typed_search():
    r = rig(Offline("connection refused"))
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    assert j.problem.kind == "offline"
    assert j.problem.actions == (Action.TRY_AGAIN, Action.STAFF)
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.ENTER_CODE


# -- identity fails -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "kind"),
    [
        (Doc(fields=Fields(expiry_date=date(2026, 11, 26))), "id_expired"),
        (Doc(valid=False), "id_unreadable"),
        (Doc(kind="booking"), "id_unreadable"),
    ],
)
def test_identity_never_passes_silently(doc, kind):
    r = rig()
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    j.scanned(doc)
    assert j.step is Step.PROBLEM and j.problem.kind == kind
    assert Action.STAFF in j.problem.actions and Action.SKIP not in j.problem.actions
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.IDENTITY


def to_mismatch(r: Rig, doc: Doc) -> CheckinJourney:
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    j.scanned(doc)
    r.go()
    return j


@pytest.mark.parametrize("identity_setting", ["required", "optional"])
@pytest.mark.parametrize(
    "doc",
    [
        Doc(fields=Fields(surname="WIJAYA", given_names="ANDI")),
        Doc(fields=Fields(birth_date=date(1990, 1, 1))),
    ],
)
def test_mismatch_ends_identity_for_the_session_and_calls_staff(doc, identity_setting):
    """After another person's document no route passes identity: not the matching passport, not
    a card without lines (photo), not a skip; staff are called at once, and only staff or start
    over are offered."""
    r = rig(camera=lambda: IdPhoto(b"jpeg", PhotoContent.DOCUMENT), identity=identity_setting)
    j = to_mismatch(r, doc)
    assert j.problem.kind == "id_mismatch"
    assert j.problem.actions == (Action.STAFF, Action.START_OVER)
    assert r.office.assistance == [("problem", "id_mismatch")]
    for route in (
        lambda: j.act(Action.TRY_AGAIN),
        lambda: j.act(Action.SKIP),
        lambda: j.act(Action.OTHER_WAY),
        j.back,
        j.no_mrz,
        j.take_photo,
        j.skip_identity,
        lambda: j.scanned(Doc()),  # the matching passport, now
    ):
        route()
        r.go()
        assert j.step is Step.PROBLEM and j.problem.kind == "id_mismatch", route
    # The journey's own ways in, called directly, are closed too.
    j._go(Step.IDENTITY)
    j.scanned(Doc())
    assert j.problem.kind == "id_mismatch"
    j._go(Step.ID_PHOTO)
    j.take_photo()
    r.go()
    assert j.step is Step.PROBLEM and j.session.id_photo is None
    # "Call staff" shows they are coming, without asking twice.
    j.act(Action.STAFF)
    r.go()
    assert j.overlay is Overlay.HELP and j.help_state is HelpState.SENT
    assert r.office.assistance == [("problem", "id_mismatch")]
    # Starting over on this kiosk finds the booking but goes to staff again, not to identity.
    j.close_overlay()
    j.act(Action.START_OVER)
    assert j.step is Step.ATTRACT
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    assert j.problem.kind == "id_mismatch" and r.office.assistance[-1] == ("problem", "id_mismatch")


def test_id_photo_must_show_a_document():
    photos = [IdPhoto(b"empty", PhotoContent.NOTHING), IdPhoto(b"card", PhotoContent.DOCUMENT)]
    r = rig(camera=lambda: photos.pop(0))
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    j.no_mrz()
    j.take_photo()
    r.go()
    assert j.step is Step.PROBLEM and j.problem.kind == "photo_no_document"
    assert j.problem.actions == (Action.TRY_AGAIN, Action.STAFF) and j.session.id_photo is None
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.ID_PHOTO
    j.take_photo()
    r.go()
    assert j.step is Step.REGISTRATION and j.session.id_photo == b"card"


def test_names_match_like_the_server_accents_order_single_word():
    r = rig([booking(guest=Guest("Nguyễn", "Thị Ánh", None, "VNM", "", ""))])
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("9PZRPN", "Nguyen")
    r.go()
    j.scanned(Doc(fields=Fields(surname="THI ANH", given_names="NGUYEN")))
    assert j.step is Step.REGISTRATION
    r = rig([booking(guest=Guest("Sukarno", "", None, "IDN", "", ""))])
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("4QADGH", "Sukarno")
    r.go()
    j.scanned(Doc(fields=Fields(surname="SUKARNO", given_names="")))
    assert j.step is Step.REGISTRATION


def test_optional_identity_can_be_skipped_after_a_failure():
    r = rig(identity="optional")
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    j.scanned(Doc(valid=False))
    assert Action.SKIP in j.problem.actions
    j.act(Action.SKIP)
    assert j.step is Step.REGISTRATION


def test_card_without_mrz_photo_or_staff():
    r = rig(camera=lambda: IdPhoto(b"jpeg", PhotoContent.DOCUMENT))
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    j.no_mrz()
    assert j.step is Step.ID_PHOTO
    j.take_photo()
    r.go()
    assert j.step is Step.REGISTRATION and j.session.id_photo == b"jpeg"
    j.submit_registration("", "", True)
    j.submit_signature(b"png")
    r.go()
    j.room_seen()
    j.pay()
    r.go()
    r.go()
    # The photo and the signature go with the registration; the desk verifies the photo there.
    assert r.office.checkins[-1].id_photo_jpeg == b"jpeg"
    assert r.office.checkins[-1].signature_png == b"png"
    r2 = rig(id_without_mrz="staff", camera=lambda: IdPhoto(b"jpeg", PhotoContent.DOCUMENT))
    j = r2.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r2.go()
    j.no_mrz()
    assert j.problem.kind == "id_needs_staff"


# -- registration ---------------------------------------------------------------------------------


def test_registration_checks_email_phone_and_terms():
    r = rig()
    j = to_registration(r)
    assert j.session.email == "budi@example.org"  # prefilled from the booking
    j.submit_registration("not-an-email", "", True)
    assert j.field_error == "This e-mail address does not look right."
    j.submit_registration("a@b.co", "12", True)
    assert j.field_error == "This phone number does not look right."
    j.submit_registration("a@b.co", "", False)
    assert j.step is Step.REGISTRATION and "accept" in j.field_error
    j.submit_registration("a@b.co", "", True)
    assert j.step is Step.SIGNATURE
    j.submit_signature(None)
    assert j.step is Step.SIGNATURE and "sign" in j.field_error


# -- room -----------------------------------------------------------------------------------------


def test_no_room_ready_offers_a_text_or_staff():
    r = rig()
    r.office.assign = RoomNotReady("no room ready")
    j = to_room(r)
    assert j.problem.kind == "room_not_ready"
    assert j.problem.params["time"] == "14:00"
    assert j.problem.actions == (Action.NOTIFY_ME, Action.STAFF)
    j.act(Action.NOTIFY_ME)
    r.go()
    assert j.problem.kind == "notify_booked"
    assert r.office.assistance[-1][0] == "room" and "+62 811 000" in r.office.assistance[-1][1]


def test_assigned_room_still_dirty_is_not_ready():
    r = rig()
    r.office.assign = booking(room=replace(ROOM, ready=False, housekeeping="dirty"))
    j = to_room(r)
    assert j.problem.kind == "room_not_ready"


def test_server_unreachable_at_the_room_retries_the_room():
    r = rig()
    r.office.assign = Offline("gone")
    j = to_room(r)
    assert j.problem.kind == "offline"
    r.office.assign = None
    j.act(Action.TRY_AGAIN)
    r.go()
    assert j.step is Step.ROOM


# -- payment --------------------------------------------------------------------------------------


def test_declined_card_try_again_other_card_or_staff():
    r = rig()
    r.terminal.outcomes = [Outcome.DECLINED]
    j = to_room(r)
    j.room_seen()
    j.pay()
    r.go()
    assert j.problem.kind == "payment_declined"
    assert j.problem.actions == (Action.OTHER_CARD, Action.RETRY_PAYMENT, Action.STAFF)
    assert r.office.payments == [] and r.office.checkins == []
    j.act(Action.OTHER_CARD)
    assert j.step is Step.PAYMENT
    j.pay()
    r.go()
    r.go()
    assert j.step is Step.FINISH
    keys = [c for c in r.terminal.calls]
    assert len(keys) == 2 and len(r.office.payments) == 1


def test_terminal_error_and_unknown_result():
    r = rig()
    r.terminal.outcomes = [DeviceOfflineError("terminal gone"), Outcome.UNKNOWN]
    j = to_room(r)
    j.room_seen()
    j.pay()
    r.go()
    assert j.problem.kind == "terminal_error" and Action.RETRY_PAYMENT in j.problem.actions
    j.act(Action.RETRY_PAYMENT)
    j.pay()
    r.go()
    # A result nobody knows is never retried: the money may have moved.
    assert j.problem.kind == "payment_unknown" and j.problem.actions == (Action.STAFF,)


# -- receipt --------------------------------------------------------------------------------------


def test_printer_out_of_paper_shows_the_qr_on_screen():
    r = rig()
    r.printer.error = PaperOutError("paper out before printing", PrinterStatus())
    j = to_room(r)
    j.room_seen()
    j.pay()
    r.go()
    r.go()
    assert j.step is Step.FINISH and not j.session.printed
    assert j.session.receipt_qr == booking().qr_token


# -- time, help, wipe -----------------------------------------------------------------------------


def test_inactivity_asks_then_wipes():
    r = rig()
    j = to_registration(r)
    r.clock.now += 44
    j.tick()
    assert j.overlay is Overlay.NONE
    r.clock.now += 1
    j.tick()
    assert j.overlay is Overlay.STILL_THERE and j.seconds_left() == 15
    j.still_here()
    assert j.overlay is Overlay.NONE and j.step is Step.REGISTRATION
    r.clock.now += 45
    j.tick()
    r.clock.now += 15
    j.tick()
    assert j.step is Step.ATTRACT and j.session is None and j.generation == 1


def test_a_fault_of_the_kiosk_apologises_and_keeps_the_session():
    r = rig()
    j = to_registration(r)
    j.overlay = Overlay.STILL_THERE  # up when its overlay failed to build
    j.fault()
    assert j.step is Step.PROBLEM and j.problem.kind == "fault" and j.overlay is Overlay.NONE
    assert j.problem.actions == (Action.STAFF, Action.START_OVER) and j.session is not None
    j.act(Action.STAFF)
    r.go()
    assert j.overlay is Overlay.HELP and r.office.assistance[-1][1] == "fault"


def test_a_second_fault_in_a_row_or_without_a_guest_goes_back_to_the_welcome_screen():
    r = rig()
    j = to_registration(r)
    j.fault()
    j.fault()  # the apology itself failed, or the idle prompt that would have wiped it
    assert j.step is Step.ATTRACT and j.session is None
    j.fault()
    assert j.step is Step.ATTRACT and j.generation == 2


def test_a_fault_while_paying_leaves_the_terminal_to_finish():
    r = rig()
    j = to_room(r)
    j.room_seen()
    j.pay()
    j.fault()
    assert j.step is Step.PAYING
    r.go()
    r.go()
    assert j.step is Step.FINISH and len(r.office.payments) == 1


def test_the_timer_waits_while_the_guest_is_at_the_terminal():
    r = rig()
    j = to_room(r)
    j.room_seen()
    j.pay()
    r.clock.now += 300
    j.tick()
    assert j.step is Step.PAYING and j.overlay is Overlay.NONE
    r.go()


def test_a_result_arriving_after_the_wipe_is_dropped():
    r = rig()
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    j.end()
    r.go()
    assert j.step is Step.ATTRACT and j.session is None


def test_help_records_an_assistance_request_everywhere():
    r = rig()
    j = to_registration(r)
    j.help()
    assert j.overlay is Overlay.HELP and j.help_state is HelpState.SENDING
    r.go()
    assert j.help_state is HelpState.SENT
    assert r.office.assistance == [("registration", "guest pressed Help")]
    j.close_overlay()
    assert j.step is Step.REGISTRATION


def test_help_when_the_server_is_away_says_to_walk_to_the_desk():
    r = rig()
    j = r.journey
    j.start()

    def fail(*_a, **_k):
        raise Offline("gone")

    r.office.request_assistance = fail
    j.help()
    r.go()
    assert j.help_state is HelpState.FAILED


def test_back_goes_one_step_and_ends_at_find():
    r = rig()
    j = to_registration(r)
    j.back()
    assert j.step is Step.IDENTITY
    j.back()
    assert j.step is Step.FIND
    j.back()
    assert j.step is Step.ATTRACT and j.session is None


def test_the_journey_does_not_import_kivy():
    code = "import sys, kiosk.journey.checkin; sys.exit(any(m.split('.')[0] == 'kivy' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


# -- the breakdown before a charge ----------------------------------------------------------------


class BillOffice(Office):
    """Serves the booking's bill (two nights of room, service and tax)."""

    def folio(self, b: Booking):
        from kiosk.frontdesk import Folio, FolioCharge

        charges = [
            FolioCharge(t, t, n, a, False)
            for n in (TODAY, date(2026, 11, 28))
            for t, a in (("room", 100_000_000), ("service", 10_000_000), ("tax", 15_000_000))
        ]
        return Folio("IDR", charges, [], 250_000_000, 0, 250_000_000, None, False, "not_in_house")


def test_the_charge_is_shown_line_by_line_and_confirmed_before_the_terminal():
    r = rig(office=BillOffice([booking(balance=250_000_000)]))
    j = to_room(r)
    j.room_seen()
    assert j.step is Step.PAYMENT and r.terminal.calls == []
    asked = j.confirmation()
    assert [(row.kind, row.label, row.amount.minor) for row in asked.rows] == [
        ("item", "Room, {nights} nights", 200_000_000),
        ("item", "Service charge", 20_000_000),
        ("item", "Tax", 30_000_000),
        ("total", "Total", 250_000_000),
        ("charge", "To pay now by card", 250_000_000),
    ]
    assert asked.confirm == "Pay {amount}" and asked.params == {"amount": Money(250_000_000, "IDR")}
    j.back()
    assert j.step is Step.ROOM and r.terminal.calls == []  # back from the confirmation: no charge
    j.pay()
    assert r.terminal.calls == []  # nor from a late press on another screen
    j.room_seen()
    j.confirm()
    assert j.step is Step.PAYING
    r.go()
    assert r.terminal.calls == [("sale", Money(250_000_000, "IDR"))]


def test_without_the_bill_the_breakdown_is_the_bookings_total_and_what_is_paid():
    r = rig([booking(total=250_000_000, paid=125_000_000, balance=125_000_000)])  # no folio: offline
    j = to_room(r)
    j.room_seen()
    asked = j.confirmation()
    assert [(row.kind, row.label, row.amount.minor) for row in asked.rows] == [
        ("item", "Your stay, {nights} nights", 250_000_000),
        ("total", "Total", 250_000_000),
        ("paid", "Already paid", 125_000_000),
        ("charge", "To pay now by card", 125_000_000),
    ]


def test_a_deposit_is_confirmed_as_a_hold_not_a_charge():
    r = rig([booking(total=250_000_000, paid=250_000_000, balance=0, deposit_amount=50_000_000)])
    j = to_room(r)
    j.room_seen()
    asked = j.confirmation()
    assert asked.rows[-1].label == "Deposit held on your card (not charged)"
    assert asked.confirm == "Hold {amount} on my card" and "not charged" in asked.body


# -- one booking, several rooms -------------------------------------------------------------------


def test_a_booking_with_two_rooms_asks_which_room_not_which_booking():
    rooms = [booking(), booking(room_type=RoomType("STD", "Standard", "", "twin", 22, 2, 1))]
    r = rig(rooms)
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "santoso")
    r.go()
    assert j.step is Step.CHOOSE and j.session.party and j.session.matches == rooms
    title, body, params = j.choose_texts()
    assert title == "Your booking has {count} rooms" and "Which room" in body and params == {"count": 2}
    assert j.choice_title(rooms[1]) == (
        "Room {index} of {count} · {room_type}",
        {
            "guest": "B. Santoso",
            "room_type": "Standard",
            "index": 2,
            "count": 2,
        },  # given names as initials before identity
    )


def test_the_room_of_a_booking_not_yet_checked_in_is_taken_without_asking():
    done, waiting = booking(status="checked_in", room=ROOM), booking()
    r = rig([done, waiting])
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "santoso")
    r.go()
    assert j.step is Step.IDENTITY and j.session.booking is waiting


def test_different_bookings_still_ask_which_booking():
    r = rig([booking(), booking(confirmation_code="QX7P2M")])
    j = r.journey
    j.start()
    j.choose(Step.ENTER_NAME)
    j.submit_name("santoso", TODAY)
    r.go()
    assert j.step is Step.CHOOSE and not j.session.party
    assert j.choose_texts()[0] == "Which booking is yours?"


# -- promises kept: the terms readable, the receipt e-mailed only when it is sent -----------------


def test_the_house_rules_and_privacy_notice_open_in_full_over_the_registration_card():
    from kiosk.journey.ports import Terms

    terms = {
        "en": Terms("2026-01", "House rules\n\nQuiet", "Privacy notice\n\nData"),
        "id": Terms("2026-01", "Tata", "Privasi"),
    }
    r = rig()
    r.journey.terms = terms
    j = r.journey
    j.read_terms()
    assert j.overlay is Overlay.NONE  # only from the registration card
    to_registration(r)
    j.read_terms()
    assert j.overlay is Overlay.TERMS and j.terms_text() is terms["en"]
    j.set_language("id")
    assert j.terms_text() is terms["id"]
    j.back()
    assert j.overlay is Overlay.NONE and j.step is Step.REGISTRATION


def test_the_email_field_promises_a_receipt_only_when_the_front_office_sends_it():
    r = rig()
    assert PROPERTY.email_receipts is False and r.journey.email_label() == "E-mail"
    r.journey.property = replace(PROPERTY, email_receipts=True)
    assert r.journey.email_label() == "E-mail (for your receipt)"


def test_a_bill_arriving_after_the_breakdown_is_shown_does_not_change_it():
    r = rig(office=BillOffice([booking(balance=250_000_000)]))
    j = to_registration(r)
    j.submit_registration("budi@example.org", "+62 811 000", True)
    j.submit_signature(b"png")
    work, done = r.runner.jobs.pop(0)  # the room only; the bill is still on its way
    done(work(), None)
    assert j.step is Step.ROOM
    j.room_seen()
    shown = j.confirmation()
    r.go()
    assert j.confirmation() == shown and shown.rows[0].label == "Your stay, {nights} nights"


def test_the_property_says_whether_receipts_are_emailed_and_a_newer_servers_extras_are_left():
    data = {
        "code": "JKT", "name": "Hotel", "address": "", "timezone": "Asia/Jakarta", "currency": "IDR",
        "business_date": "2026-11-27", "check_in_time": "14:00", "check_out_time": "12:00",
        "wifi_ssid": "", "wifi_password": "", "breakfast_hours": "",
    }  # fmt: skip
    assert PropertyInfo.parse(data).email_receipts is False  # an older server: nothing promised
    assert PropertyInfo.parse({**data, "email_receipts": True, "something_new": 1}).email_receipts is True
