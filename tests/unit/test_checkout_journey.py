"""The check-out part of the journey without a screen: finding the stay, the bill, paying (from the
deposit held or by card), checking out, the invoice, and every way it sends the guest to the desk."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from drivers.money import Money
from drivers.payment.model import Operation, Outcome, PaymentResult
from drivers.printer.document import Row
from drivers.printer.drivers import PaperOutError
from drivers.printer.status import PrinterStatus
from kiosk.frontdesk import Booking, Folio, FolioCharge, FolioPayment, Hold, NotFound, Offline, Refused
from kiosk.journey.checkin import Action, CheckinJourney, Step
from kiosk.journey.checkout import folio_lines
from tests.unit.test_checkin_journey import (
    ROOM,
    Doc,
    Fields,
    Office,
    Rig,
    Terminal,
    booking,
    rig,
)

NIGHTS = (date(2026, 11, 25), date(2026, 11, 26))
STAY = booking(status="checked_in", room=ROOM, arrival=NIGHTS[0], departure=date(2026, 11, 27))
TOKEN = "SBT1.JKT.0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA"


def folio(balance: int = 300_000_00, hold: Hold | None = None, paid: int = 0, **changes) -> Folio:
    charges = [
        FolioCharge(t, t, n, a, False) for n in NIGHTS for t, a in (("room", 1_000_00), ("tax", 100_00))
    ]
    charges.append(FolioCharge("extra", "Minibar", None, 50_00, False))
    payments = [FolioPayment("sale", paid, "VISA", "************1111", datetime.now(UTC))] if paid else []
    base = Folio("IDR", charges, payments, balance + paid, paid, balance, hold, True, "")
    return replace(base, **changes)


class CheckoutOffice(Office):
    """The front office as far as check-out goes: stays found, folios served in order."""

    def __init__(self) -> None:
        super().__init__([])
        self.stays: list[Booking] | Exception = [STAY]
        self.folios: list[Folio | Exception] = [folio()]
        self.stay_queries: list[dict] = []
        self.settled: list[PaymentResult] = []
        self.settle_error: Exception | None = None
        self.checkouts: list[str] = []
        self.checkout_errors: list[Exception] = []

    def find_stay(self, **query) -> list[Booking]:
        self.stay_queries.append(query)
        if isinstance(self.stays, Exception):
            raise self.stays
        return self.stays

    def folio(self, b: Booking) -> Folio:
        item = self.folios.pop(0) if len(self.folios) > 1 else self.folios[0]
        if isinstance(item, Exception):
            raise item
        return item

    def settle_payment(self, b: Booking, result: PaymentResult) -> None:
        if self.settle_error is not None:
            raise self.settle_error
        self.settled.append(result)

    def check_out(self, b: Booking, key: str) -> Booking:
        self.checkouts.append(key)
        if self.checkout_errors:
            raise self.checkout_errors.pop(0)
        return replace(b, status="checked_out", invoice_number=f"JKT-{len(self.checkouts):06d}")


class CaptureTerminal(Terminal):
    def __init__(self) -> None:
        super().__init__()
        self.preauths: list[PaymentResult] = []

    def capture(self, preauth, amount, reference, idempotency_key=None):
        self.preauths.append(preauth)
        return self._run(Operation.CAPTURE, amount, reference, idempotency_key)


def checkout_rig() -> Rig:
    return rig(office=CheckoutOffice(), terminal=CaptureTerminal())


def by_room(r: Rig, room: str = "305", surname: str = "santoso") -> CheckinJourney:
    j = r.journey
    j.start_check_out()
    assert j.step is Step.OUT_FIND and j.checking_out
    j.type_room()
    assert j.step is Step.OUT_ENTER
    j.submit_room(room, surname)
    assert j.step is Step.WAIT
    return r.go()


def test_happy_path_room_and_surname_bill_card_check_out_invoice():
    r = checkout_rig()
    r.office.folios = [folio(), folio(balance=0, paid=300_000_00)]
    j = by_room(r)
    assert r.office.stay_queries == [{"room": "305", "surname": "santoso"}]
    assert j.step is Step.OUT_FOLIO
    assert j.session.due == Money(300_000_00, "IDR") and j.session.operation is Operation.SALE
    j.confirm_folio()
    assert j.step is Step.PAYMENT
    j.pay()
    assert j.step is Step.PAYING and j.timer_paused
    r.go()
    assert [p.operation for p in r.office.settled] == [Operation.SALE]
    r.go()
    assert r.office.checkouts == [j.session.checkout.key]
    assert j.step is Step.OUT_FINISH and j.session.checkout.printed
    invoice = r.printer.printed[0]
    assert invoice.kind == "invoice"
    # The invoice the server numbered, under the property's tax id; the room by night and the
    # extras, then the tax at its rate, the total, then what was paid; the card masked.
    text = repr(invoice)
    assert "'JKT-000001'" in text and "Tax ID 01.234.567.8-073.000" in text
    assert "Room, night of 26 Nov 2026" in text and "Minibar" in text and "************1111" in text
    rows = [e.left for e in invoice.elements if isinstance(e, Row)]
    assert rows.index("Tax 10%") < rows.index("Total") < rows.index("Card payment") < rows.index("Balance")
    r.clock.now += 60
    j.tick()
    assert j.step is Step.ATTRACT and j.session is None


def test_receipt_qr_finds_the_stay_and_nothing_due_checks_out_at_once():
    r = checkout_rig()
    r.office.folios = [folio(balance=0, paid=300_000_00)]
    j = r.journey
    j.start_check_out()
    j.scanned(Doc(kind="booking", fields=Fields(booking_token=TOKEN)))
    r.go()
    assert r.office.stay_queries == [{"qr_token": TOKEN}]
    assert j.step is Step.OUT_FOLIO and j.session.due is None
    j.confirm_folio()
    r.go()
    assert r.terminal.calls == [] and j.step is Step.OUT_FINISH


def test_a_passport_or_unreadable_code_at_check_out_is_answered_kindly():
    r = checkout_rig()
    j = r.journey
    j.start_check_out()
    j.scanned(Doc())  # a passport is no check-in receipt
    assert j.problem.kind == "checkout_unreadable"
    assert j.problem.actions == (Action.TRY_AGAIN, Action.OTHER_WAY, Action.STAFF)
    j.act(Action.OTHER_WAY)
    assert j.step is Step.OUT_ENTER
    j.back()
    j.scanned(Doc(kind="booking", fields=Fields(booking_token=TOKEN)))
    r.office.stays = Refused("bad_qr_token", "this booking code is not valid here")
    r.go()
    assert j.problem.kind == "checkout_unreadable"
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.OUT_FIND


def test_typing_mistakes_are_said_on_the_same_screen():
    r = checkout_rig()
    j = r.journey
    j.start_check_out()
    j.type_room()
    j.submit_room("  ", "Santoso")
    assert j.step is Step.OUT_ENTER and j.field_error == "Please type your room number."
    j.submit_room("305", "12")
    assert j.field_error == "Please type your surname."
    assert r.office.stay_queries == []


@pytest.mark.parametrize("error", [[], NotFound("no such stay")])
def test_stay_not_found_try_again_keeps_the_screen(error):
    r = checkout_rig()
    r.office.stays = error
    j = by_room(r)
    assert j.problem.kind == "stay_not_found"
    assert j.problem.actions == (Action.TRY_AGAIN, Action.OTHER_WAY, Action.STAFF)
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.OUT_ENTER


def test_offline_says_so_kindly_charges_nothing_and_retries():
    r = checkout_rig()
    r.office.stays = Offline("server unreachable")
    j = by_room(r)
    assert j.problem.kind == "checkout_offline"
    assert j.problem.actions == (Action.TRY_AGAIN, Action.STAFF)
    assert r.terminal.calls == []
    r.office.stays = [STAY]
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.OUT_ENTER
    j.submit_room("305", "Santoso")
    r.go()
    assert j.step is Step.OUT_FOLIO


@pytest.mark.parametrize(
    ("reason", "status", "kind"),
    [
        ("disputed_charges", "checked_in", "checkout_disputed_charges"),
        ("payment_review", "checked_in", "checkout_payment_review"),
        ("not_in_house", "checked_out", "checkout_reservation_checked_out"),
        ("not_in_house", "confirmed", "checkout_reservation_confirmed"),
        ("something_new", "checked_in", "checkout_something_new"),
        # The desk found the ID photo is not this guest's: to the desk, without saying why aloud.
        ("identity_rejected", "checked_in", "checkout_identity_rejected"),
    ],
)
def test_reasons_for_the_desk_are_said_kindly(reason, status, kind):
    r = checkout_rig()
    r.office.stays = [replace(STAY, status=status)]
    r.office.folios = [folio(can_check_out=False, reason=reason)]
    j = by_room(r)
    assert j.problem.kind == kind
    assert j.problem.actions == (Action.STAFF, Action.START_OVER)
    assert j.problem.title and j.problem.body
    assert r.terminal.calls == [] and r.office.checkouts == []


def test_two_guests_in_one_room_go_to_the_desk():
    r = checkout_rig()
    r.office.stays = [STAY, replace(STAY, confirmation_code="XX")]
    j = by_room(r)
    assert j.problem.kind == "checkout_several_stays"


def test_declined_card_other_card_then_paid_once():
    r = checkout_rig()
    r.office.folios = [folio(), folio(balance=0, paid=300_000_00)]
    r.terminal.outcomes = [Outcome.DECLINED]
    j = by_room(r)
    j.confirm_folio()
    j.pay()
    r.go()
    assert j.problem.kind == "payment_declined"
    assert j.problem.actions == (Action.OTHER_CARD, Action.RETRY_PAYMENT, Action.STAFF)
    j.act(Action.OTHER_CARD)
    assert j.step is Step.PAYMENT
    j.pay()
    r.go()
    r.go()
    assert j.step is Step.OUT_FINISH
    assert len(r.terminal.calls) == 2 and len(r.office.settled) == 1


def test_back_from_payment_returns_to_the_bill():
    r = checkout_rig()
    j = by_room(r)
    j.confirm_folio()
    j.back()
    assert j.step is Step.OUT_FOLIO
    j.back()
    assert j.step is Step.OUT_FIND
    j.back()
    assert j.step is Step.ATTRACT and j.session is None


def test_deposit_hold_is_captured_then_the_rest_paid_by_card():
    r = checkout_rig()
    hold = Hold(500_00, "52500038", "17")
    r.office.folios = [
        folio(balance=800_00, hold=hold),
        folio(balance=300_00, paid=500_00),  # the hold is used up
        folio(balance=0, paid=800_00),
    ]
    j = by_room(r)
    assert j.session.operation is Operation.CAPTURE and j.session.due == Money(500_00, "IDR")
    j.confirm_folio()
    j.pay()
    r.go()
    assert r.terminal.preauths[0].receipt_no == 17 and r.terminal.calls[0] == (
        "capture",
        Money(500_00, "IDR"),
    )
    r.go()
    assert j.step is Step.OUT_FOLIO
    assert j.session.operation is Operation.SALE and j.session.due == Money(300_00, "IDR")
    j.confirm_folio()
    j.pay()
    r.go()
    r.go()
    assert j.step is Step.OUT_FINISH
    assert j.session.checkout.captured == Money(500_00, "IDR") and j.session.checkout.hold_left is None
    assert r.office.assistance == []


def test_deposit_declined_other_card_pays_by_sale():
    r = checkout_rig()
    r.office.folios = [folio(balance=200_00, hold=Hold(500_00, "52500038", "17"))]
    r.terminal.outcomes = [Outcome.DECLINED]
    j = by_room(r)
    j.confirm_folio()
    j.pay()
    r.go()
    j.act(Action.OTHER_CARD)
    assert j.session.operation is Operation.SALE and j.session.due == Money(200_00, "IDR")


def test_a_hold_nothing_is_taken_from_is_left_for_the_desk_to_release():
    r = checkout_rig()
    r.office.folios = [folio(balance=0, paid=800_00, hold=Hold(500_00, "52500038", "17"))]
    j = by_room(r)
    j.confirm_folio()
    r.go()
    assert j.step is Step.OUT_FINISH
    assert j.session.checkout.hold_left == Money(500_00, "IDR")
    assert r.office.assistance and "release the deposit hold" in r.office.assistance[0][1]


def test_a_hold_without_receipt_number_is_not_captured():
    r = checkout_rig()
    r.office.folios = [folio(balance=200_00, hold=Hold(500_00, "", ""))]
    j = by_room(r)
    assert j.session.operation is Operation.SALE


def test_payment_taken_but_not_confirmed_never_asks_again_and_calls_staff():
    r = checkout_rig()
    r.office.settle_error = Offline("payment not delivered yet")
    j = by_room(r)
    j.confirm_folio()
    j.pay()
    r.go()
    r.go()
    assert j.problem.kind == "checkout_payment_unconfirmed"
    assert j.problem.actions == (Action.STAFF, Action.START_OVER)
    assert r.office.assistance and r.office.assistance[0][0] == "checkout"
    assert r.office.checkouts == []


def test_a_charge_posted_meanwhile_shows_the_new_bill():
    r = checkout_rig()
    r.office.folios = [folio(balance=0, paid=800_00), folio(balance=50_00, paid=800_00)]
    r.office.checkout_errors = [Refused("balance_due", "the bill is not settled")]
    j = by_room(r)
    j.confirm_folio()
    r.go()
    assert j.step is Step.OUT_FOLIO and j.session.due == Money(50_00, "IDR")


def test_check_out_retried_offline_uses_the_same_key():
    r = checkout_rig()
    r.office.folios = [folio(balance=0, paid=800_00)]
    r.office.checkout_errors = [Offline("lost on the way")]
    j = by_room(r)
    j.confirm_folio()
    r.go()
    assert j.problem.kind == "checkout_offline"
    j.act(Action.TRY_AGAIN)
    r.go()
    assert j.step is Step.OUT_FINISH
    assert len(set(r.office.checkouts)) == 1 and len(r.office.checkouts) == 2


def test_printer_fails_the_invoice_is_shown_on_screen():
    r = checkout_rig()
    r.printer.error = PaperOutError("paper out before printing", PrinterStatus())
    r.office.folios = [folio(balance=0, paid=800_00)]
    j = by_room(r)
    j.confirm_folio()
    r.go()
    assert j.step is Step.OUT_FINISH and not j.session.checkout.printed


def test_folio_lines_group_each_night_and_keep_extras_and_payments():
    lines = folio_lines(folio(paid=100_00, hold=Hold(500_00, "1", "2")))
    assert [(line.kind, line.amount) for line in lines] == [
        ("night", 1_100_00),
        ("night", 1_100_00),
        ("extra", 50_00),
        ("payment", 100_00),
        ("hold", 500_00),
    ]


def test_not_found_other_way_goes_back_to_scanning_or_typing():
    r = checkout_rig()
    r.office.stays = []
    j = by_room(r)
    j.act(Action.OTHER_WAY)
    assert j.step is Step.OUT_FIND


# -- confirm before anything irreversible ---------------------------------------------------------

JAKARTA_MORNING = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta, 27 November
LATE = (date(2026, 11, 27), date(2026, 11, 28))  # the nights the guest will not use


def early_rig() -> Rig:
    r = checkout_rig()
    r.office.stays = [replace(STAY, departure=date(2026, 11, 29))]
    nights = [FolioCharge("room", "room", n, 1_000_00, False) for n in (*NIGHTS, *LATE)]
    r.office.folios = [
        folio(balance=1_000_00, paid=3_000_00, charges=nights),
        folio(balance=0, paid=4_000_00),
    ]
    r.journey.now = lambda: JAKARTA_MORNING
    return r


def test_early_check_out_is_confirmed_first_naming_the_departure_and_the_unused_nights():
    r = early_rig()
    j = by_room(r)
    j.confirm_folio()
    assert j.step is Step.OUT_EARLY
    asked = j.confirmation()
    assert asked.kind == "early_check_out" and asked.params == {"departure": date(2026, 11, 29), "nights": 2}
    # The nights not used, as the bill has them: they stay on it (the server only frees the room).
    assert [(row.params["date"], row.amount) for row in asked.rows] == [
        (n, Money(1_000_00, "IDR")) for n in LATE
    ]
    assert "does not refund" in asked.body
    j.back()
    assert j.step is Step.OUT_FOLIO and r.office.checkouts == [] and r.terminal.calls == []
    j.confirm_folio()
    j.confirm()
    assert j.step is Step.PAYMENT  # the balance, with its own confirmation
    j.pay()
    r.go()
    assert j.step is Step.OUT_FINISH and len(r.office.checkouts) == 1


def test_early_check_out_with_nothing_due_checks_out_only_once_confirmed():
    r = early_rig()
    r.office.folios = [folio(balance=0, paid=4_000_00)]
    j = by_room(r)
    j.confirm_folio()
    assert j.step is Step.OUT_EARLY and r.office.checkouts == []
    j.confirm()
    r.go()
    assert j.step is Step.OUT_FINISH and len(r.office.checkouts) == 1


def test_leaving_on_the_departure_day_in_the_hotels_time_zone_asks_nothing():
    r = checkout_rig()
    r.office.folios = [folio(balance=0, paid=300_000_00)]
    # 23:30 UTC on the 26th is already the 27th, the departure day, in Jakarta.
    r.journey.now = lambda: datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    j = by_room(r)
    j.confirm_folio()
    r.go()
    assert j.step is Step.OUT_FINISH


def test_the_balance_is_shown_line_by_line_before_the_terminal_and_back_charges_nothing():
    r = checkout_rig()
    r.office.folios = [folio(balance=1_250_00, paid=1_000_00)]
    j = by_room(r)
    j.confirm_folio()
    assert j.step is Step.PAYMENT and r.terminal.calls == []
    asked = j.confirmation()
    assert asked.kind == "charge" and asked.params == {"amount": Money(1_250_00, "IDR")}
    rows = [(row.kind, row.label, row.amount.minor) for row in asked.rows]
    assert rows == [
        ("item", "Room, {nights} nights", 2_000_00),
        ("item", "Tax", 200_00),
        ("item", "Minibar", 50_00),
        ("total", "Total", 2_250_00),
        ("paid", "Already paid", 1_000_00),
        ("charge", "To pay now by card", 1_250_00),
    ]
    assert asked.rows[0].params == {"nights": 2}
    j.back()
    assert j.step is Step.OUT_FOLIO
    j.pay()  # a late press from the bill charges nothing
    assert r.terminal.calls == [] and j.step is Step.OUT_FOLIO


def test_a_capture_shows_what_is_taken_from_the_deposit_and_what_is_not():
    r = checkout_rig()
    hold = Hold(5_000_00, "52500001", "42")
    r.office.folios = [folio(balance=2_250_00, hold=hold)]
    j = by_room(r)
    j.confirm_folio()
    asked = j.confirmation()
    assert [(row.kind, row.label, row.amount.minor) for row in asked.rows[-2:]] == [
        ("charge", "Taken from the deposit held on your card", 2_250_00),
        ("note", "Rest of the deposit, not charged", 2_750_00),
    ]
