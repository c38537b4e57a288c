"""The walk-in booking journey without a screen: every path, each fault named, with fakes for the
world (the check-in journey's, plus rooms, prices and reversals)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from datetime import date, timedelta

import pytest

from drivers.camera.types import IdPhoto, PhotoContent
from drivers.money import Money
from drivers.payment.model import Operation, Outcome, PaymentResult
from kiosk.frontdesk import Booking, Offer, Offline, Refused, RoomType, WalkInGuest
from kiosk.i18n import money, translate
from kiosk.journey import walkin
from kiosk.journey.checkin import Action, CheckinJourney, Step
from kiosk.journey.walkin import (
    NOTICE_PRICE,
    NOTICE_PRICE_REFUNDED,
    NOTICE_TAKEN,
    NOTICE_TAKEN_REFUNDED,
    next_best,
    quote_lines,
)
from tests.unit.test_checkin_journey import (
    PROPERTY,
    ROOM,
    TODAY,
    Doc,
    Fields,
    Office,
    Rig,
    Terminal,
    booking,
    rig,
)

STD = RoomType("STD", "Standard", "", "queen", 22, 2, 1)
DLX = RoomType("DLX", "Deluxe", "", "king", 32, 2, 1)
STE = RoomType("STE", "Suite", "", "king", 55, 3, 2)


def offer(rt: RoomType, total: int, ready: int = 2, nights: int = 1) -> Offer:
    room = total * 100 // 121  # 10 % service then 10 % tax, near enough for a fake
    nightly = [(TODAY + timedelta(days=i), room // nights) for i in range(nights)]
    return Offer(
        rt, ready, ready, "IDR", total, nightly, room, (total - room) // 2, total - room - (total - room) // 2
    )


OFFERS = [offer(STD, 100_000_000), offer(DLX, 150_000_000), offer(STE, 300_000_000)]


class WalkInOffice(Office):
    def __init__(self) -> None:
        super().__init__([])
        self.offers: list[list[Offer] | Exception] = []
        self.booked: list[Booking | Exception] = []
        self.walk_ins: list[dict] = []
        self.queries: list[tuple[int, int, int]] = []

    def availability(self, nights: int, adults: int = 1, children: int = 0) -> list[Offer]:
        self.queries.append((nights, adults, children))
        answer = self.offers.pop(0) if self.offers else OFFERS
        if isinstance(answer, Exception):
            raise answer
        return answer

    def book_walk_in(self, offer, nights, guest, adults=1, children=0, *, booking_id=None, payment=None):
        self.walk_ins.append(
            dict(offer=offer, nights=nights, guest=guest, adults=adults, children=children,
                 booking_id=booking_id, payment=payment)
        )  # fmt: skip
        answer = self.booked.pop(0) if self.booked else None
        if isinstance(answer, Exception):
            raise answer
        return answer or booking(
            id=booking_id,
            room=ROOM,
            room_type=offer.room_type,
            total=offer.total,
            paid=offer.total,
            balance=0,
        )


class ReversingTerminal(Terminal):
    def __init__(self) -> None:
        super().__init__()
        self.reversals: list[tuple[PaymentResult, str, str | None]] = []
        self.reversal: Outcome | Exception = Outcome.APPROVED

    def reverse(self, original, reference, idempotency_key=None) -> Future:
        self.reversals.append((original, reference, idempotency_key))
        self.calls.append(("reversal", original.amount))
        fut: Future = Future()
        if isinstance(self.reversal, Exception):
            fut.set_exception(self.reversal)
        else:
            fut.set_result(
                PaymentResult(self.reversal, Operation.REVERSAL, original.amount, 0, "", trace_no=8)
            )
        return fut


def walkin_rig(**settings) -> Rig:
    return rig(office=WalkInOffice(), terminal=ReversingTerminal(), **settings)


def to_rooms(r: Rig, nights: int = 2, adults: int = 2) -> CheckinJourney:
    j = r.journey
    j.start_walk_in()
    j.set_nights(nights)
    j.stay_chosen()
    j.set_adults(adults)
    j.guests_chosen()
    r.go()
    assert j.step is Step.WALKIN_ROOMS
    return j


def to_payment(r: Rig, code: str = "DLX") -> CheckinJourney:
    j = to_rooms(r)
    j.choose_offer(next(o for o in j.walk_in.offers if o.room_type.code == code))
    j.book_offer()
    j.scanned(Doc())
    j.submit_registration("budi@example.org", "+62 811 000", True)
    j.submit_signature(b"png")
    r.go()
    assert j.step is Step.PAYMENT
    return j


# -- the happy path -------------------------------------------------------------------------------


def test_happy_path_stay_guests_room_id_sign_pay_book_check_in_print():
    r = walkin_rig()
    j = r.journey
    j.start_walk_in()
    assert j.step is Step.WALKIN_DATES and j.walk_in.nights == 1  # tonight, one night
    assert j.walk_in_departure() == TODAY + timedelta(days=1)
    j.set_nights(3)
    assert j.walk_in_departure() == TODAY + timedelta(days=3)
    j.stay_chosen()
    assert j.step is Step.WALKIN_GUESTS and (j.walk_in.adults, j.walk_in.children) == (1, 0)
    j.set_adults(2)
    j.set_children(1)
    j.guests_chosen()
    assert j.step is Step.WAIT and j.wait_text == "Looking for free rooms…"
    r.go()
    assert r.office.queries == [(3, 2, 1)]
    assert j.step is Step.WALKIN_ROOMS and [o.room_type.code for o in j.walk_in.offers] == [
        "STD",
        "DLX",
        "STE",
    ]
    j.choose_offer(j.walk_in.offers[1])
    assert j.step is Step.WALKIN_QUOTE and j.walk_in.offer.room_type.code == "DLX"
    j.book_offer()
    assert j.step is Step.IDENTITY
    j.scanned(Doc(fields=Fields(surname="SANTOSO", given_names="BUDI AGUS")))
    assert j.step is Step.REGISTRATION
    assert j.walk_in.guest == WalkInGuest("Santoso", "Budi Agus", date(1985, 3, 14), "IDN")
    j.submit_registration("budi@example.org", "+62 811 000", True)
    assert j.step is Step.SIGNATURE
    j.submit_signature(b"png")
    assert j.step is Step.WAIT and j.wait_text == "Checking the room is still free…"
    r.go()
    assert j.step is Step.PAYMENT
    assert j.session.due == Money(150_000_000, "IDR") and j.session.operation is Operation.SALE
    j.pay()
    assert j.step is Step.PAYING
    r.go()
    assert j.step is Step.FINISH and r.printer.printed
    [call] = r.office.walk_ins
    sale = call["payment"]
    assert sale.approved and sale.amount == Money(150_000_000, "IDR")
    # The booking's own id is the terminal's reference: the payment journal points at the booking.
    assert sale.reference == str(call["booking_id"]) == str(j.session.booking.id)
    assert (call["nights"], call["adults"], call["children"]) == (3, 2, 1)
    assert r.office.payments == [sale]  # queued too, so the journal entry is acknowledged
    assert [reg.email for reg in r.office.checkins] == ["budi@example.org"]
    assert [c[0] for c in r.terminal.calls] == ["sale"] and not r.terminal.reversals
    assert j.session.booking.room.number == "305" and j.session.receipt_qr


def test_steppers_keep_to_the_servers_limits():
    r = walkin_rig()
    j = r.journey
    j.start_walk_in()
    for bad in (0, 31):
        j.set_nights(bad)
    assert j.walk_in.nights == 1
    j.set_nights(30)
    assert j.walk_in.nights == 30
    j.set_adults(0)
    j.set_adults(9)
    j.set_children(-1)
    assert (j.walk_in.adults, j.walk_in.children) == (1, 0)


def test_session_end_wipes_the_walk_in():
    r = walkin_rig()
    j = to_payment(r)
    j.end()
    assert j.session is None and j.walk_in is None and j.step is Step.ATTRACT


# -- offline and full: said before any money ------------------------------------------------------


def test_offline_walk_in_is_refused_kindly_before_any_money_then_try_again():
    r = walkin_rig()
    j = r.journey
    r.office.offers = [Offline("down")]
    j.start_walk_in()
    j.stay_chosen()
    j.guests_chosen()
    r.go()
    assert j.step is Step.PROBLEM and j.problem.kind == "walkin_offline"
    assert "Nothing has been charged" in j.problem.body
    assert Action.STAFF in j.problem.actions and not r.terminal.calls
    j.act(Action.TRY_AGAIN)  # the server is back
    r.go()
    assert j.step is Step.WALKIN_ROOMS


def test_offline_at_the_last_check_before_paying_takes_no_money():
    r = walkin_rig()
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[0])
    j.book_offer()
    j.scanned(Doc())
    j.submit_registration("", "", True)
    r.office.offers = [Offline("down")]
    j.submit_signature(b"png")
    r.go()
    assert j.problem.kind == "walkin_offline" and not r.terminal.calls


def test_no_room_free_sends_to_staff():
    r = walkin_rig()
    j = r.journey
    r.office.offers = [[replace(o, ready_now=0) for o in OFFERS]]
    j.start_walk_in()
    j.stay_chosen()
    j.guests_chosen()
    r.go()
    assert j.problem.kind == "walkin_full" and j.problem.actions == (Action.STAFF, Action.START_OVER)


# -- sold out or repriced while the guest decides ----------------------------------------------------


def test_sold_out_before_paying_says_so_and_offers_the_next_best_first():
    r = walkin_rig()
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[1])  # DLX at 1.5 M
    j.book_offer()
    j.scanned(Doc())
    j.submit_registration("", "", True)
    r.office.offers = [[OFFERS[0], replace(OFFERS[1], ready_now=0, available=0), OFFERS[2]]]
    j.submit_signature(b"png")
    r.go()
    w = j.walk_in
    assert j.step is Step.WALKIN_ROOMS and not r.terminal.calls
    assert (w.notice, w.notice_room_type) == (NOTICE_TAKEN, "Deluxe")
    assert [o.room_type.code for o in w.offers] == ["STD", "STE"] and w.suggested == "STD"
    # Taking the suggestion goes straight to paying: details and signature stand.
    j.choose_offer(w.offers[0])
    j.book_offer()
    r.go()
    assert j.step is Step.PAYMENT and j.session.due == Money(100_000_000, "IDR")


def test_price_changed_before_paying_shows_the_new_price():
    r = walkin_rig()
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[1])
    j.book_offer()
    j.scanned(Doc())
    j.submit_registration("", "", True)
    r.office.offers = [[OFFERS[0], replace(OFFERS[1], total=160_000_000), OFFERS[2]]]
    j.submit_signature(b"png")
    r.go()
    assert j.step is Step.WALKIN_ROOMS and j.walk_in.notice == NOTICE_PRICE and not r.terminal.calls
    assert j.walk_in.offers[1].total == 160_000_000


def test_sold_out_in_the_race_after_paying_reverses_and_offers_the_next_best():
    r = walkin_rig()
    j = to_payment(r, "DLX")
    first_id = j.walk_in.booking_id
    r.office.booked = [Refused("sold_out", "this room type has just sold out")]
    r.office.offers = [OFFERS, [OFFERS[0], replace(OFFERS[1], ready_now=0), OFFERS[2]]]
    j.pay()
    r.go()
    sale = r.office.walk_ins[0]["payment"]
    assert [c[0] for c in r.terminal.calls] == ["sale", "reversal"]
    original, reference, key = r.terminal.reversals[0]
    assert original is sale and reference == str(first_id) and key == f"{sale.idempotency_key}-reversal"
    w = j.walk_in
    assert j.step is Step.WALKIN_ROOMS and w.notice == NOTICE_TAKEN_REFUNDED
    assert "you have not been charged" in w.notice and w.suggested == "STD"
    assert j.session.payments == [] and w.booking_id != first_id  # a new booking, a new key
    # The next best, paid once, booked with the new id.
    j.choose_offer(w.offers[0])
    j.book_offer()
    r.go()
    j.pay()
    r.go()
    assert j.step is Step.FINISH
    assert [c[0] for c in r.terminal.calls] == ["sale", "reversal", "sale"]
    assert r.office.walk_ins[1]["booking_id"] == w.booking_id and len(r.office.payments) == 1


def test_price_changed_after_paying_reverses_and_shows_the_new_price():
    r = walkin_rig()
    j = to_payment(r)
    r.office.booked = [Refused("price_changed", "the price has changed")]
    j.pay()
    r.go()
    assert j.step is Step.WALKIN_ROOMS and j.walk_in.notice == NOTICE_PRICE_REFUNDED
    assert len(r.terminal.reversals) == 1


def test_other_refusal_after_paying_reverses_and_sends_to_staff_not_charged():
    r = walkin_rig()
    j = to_payment(r)
    r.office.booked = [Refused("too_many_guests", "no")]
    j.pay()
    r.go()
    assert j.problem.kind == "walkin_refused" and "not been charged" in j.problem.body
    assert len(r.terminal.reversals) == 1 and not r.office.checkins


@pytest.mark.parametrize("reversal", [Outcome.DECLINED, Outcome.UNKNOWN, OSError("cable pulled")])
def test_reversal_not_confirmed_sends_to_staff_and_never_pays_again(reversal):
    r = walkin_rig()
    j = to_payment(r)
    r.terminal.reversal = reversal
    r.office.booked = [Refused("sold_out", "gone")]
    j.pay()
    r.go()
    sale = r.office.walk_ins[0]["payment"]
    assert j.problem.kind == "walkin_reversal_unconfirmed" and j.problem.actions == (Action.STAFF,)
    [(screen, reason)] = r.office.assistance
    assert screen == "payment" and sale.idempotency_key in reason and str(j.walk_in.booking_id) in reason
    assert [c[0] for c in r.terminal.calls] == ["sale", "reversal"]


def test_no_timeout_while_a_charge_is_being_booked_or_reversed():
    r = walkin_rig()
    j = to_payment(r)
    j.pay()
    work, done = r.runner.jobs.pop(0)  # the sale only; the booking call is queued next
    done(work(), None)
    assert j.step is Step.WAIT and j.walk_in.charged
    r.clock.now += j.settings.inactivity_s + j.settings.still_there_s + 1
    j.tick()
    j.tick()
    assert j.session is not None and j.overlay.value == "none"
    r.go()
    assert j.step is Step.FINISH


def test_booking_unconfirmed_after_paying_is_never_reversed_blindly(monkeypatch):
    monkeypatch.setattr(walkin, "BOOK_RETRY_S", (0, 0))
    r = walkin_rig()
    j = to_payment(r)
    r.office.booked = [Offline("the server went silent")] * 3
    j.pay()
    r.go()
    assert j.problem.kind == "walkin_unconfirmed" and j.problem.actions == (Action.STAFF,)
    assert not r.terminal.reversals and [c[0] for c in r.terminal.calls] == ["sale"]
    assert r.office.assistance and r.office.assistance[0][0] == "payment"
    # Each try was the same booking under the same id (the server applies it once).
    assert len(r.office.walk_ins) == 3 and len({w["booking_id"] for w in r.office.walk_ins}) == 1


def test_a_lost_booking_answer_is_asked_again_under_the_same_id(monkeypatch):
    monkeypatch.setattr(walkin, "BOOK_RETRY_S", (0, 0))
    r = walkin_rig()
    j = to_payment(r)
    r.office.booked = [Offline("answer lost")]
    j.pay()
    r.go()
    r.go()
    assert j.step is Step.FINISH and not r.office.assistance and not r.terminal.reversals
    assert [w["booking_id"] for w in r.office.walk_ins] == [r.office.walk_ins[0]["booking_id"]] * 2


def test_declined_card_books_nothing_and_offers_another_card():
    r = walkin_rig()
    j = to_payment(r)
    r.terminal.outcomes = [Outcome.DECLINED]
    j.pay()
    r.go()
    assert j.problem.kind == "payment_declined" and not r.office.walk_ins
    j.act(Action.OTHER_CARD)
    assert j.step is Step.PAYMENT
    j.pay()
    r.go()
    assert j.step is Step.FINISH and len(r.office.walk_ins) == 1


def test_no_card_terminal_books_nothing():
    r = walkin_rig()
    j = to_payment(r)
    j.terminal = None
    j.pay()
    assert j.problem.kind == "terminal_error" and not r.office.walk_ins


# -- who the guest is -----------------------------------------------------------------------------


def test_expired_document_is_refused():
    r = walkin_rig()
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[0])
    j.book_offer()
    j.scanned(Doc(fields=Fields(expiry_date=TODAY - timedelta(days=1))))
    assert j.problem.kind == "id_expired"
    j.act(Action.TRY_AGAIN)
    assert j.step is Step.IDENTITY


def test_unreadable_document_then_typed_details_where_the_property_allows_it():
    r = walkin_rig(walkin_identity="optional")
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[0])
    j.book_offer()
    j.scanned(Doc(valid=False))
    assert j.problem.kind == "id_unreadable" and Action.TYPE_DETAILS in j.problem.actions
    j.act(Action.TYPE_DETAILS)
    assert j.step is Step.WALKIN_DETAILS
    j.submit_details("  ", "Ana")
    assert j.field_error == "Please type your surname." and j.step is Step.WALKIN_DETAILS
    j.submit_details(" Wijaya  Kusuma ", "Ana")
    assert j.step is Step.REGISTRATION and j.walk_in.guest == WalkInGuest("Wijaya Kusuma", "Ana")
    j.back()
    assert j.step is Step.WALKIN_DETAILS


def test_walk_in_id_required_by_default_no_typing_without_a_document():
    """Walk-in ID is required unless the property turns it off: no "Type my details instead",
    no skip; a card without lines of letters is photographed (a document must show), and only
    then is the name typed from it."""
    r = walkin_rig(camera=lambda: IdPhoto(b"jpeg", PhotoContent.DOCUMENT))
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[0])
    j.book_offer()
    assert j.step is Step.IDENTITY and not j.walk_in_may_type
    j.type_details()
    j.skip_identity()
    assert j.step is Step.IDENTITY
    j.scanned(Doc(valid=False))
    assert j.problem.kind == "id_unreadable" and j.problem.actions == (Action.TRY_AGAIN, Action.STAFF)
    j.type_details()
    assert j.step is Step.PROBLEM
    j.act(Action.TRY_AGAIN)
    j.no_mrz()
    assert j.step is Step.ID_PHOTO
    j.take_photo()
    r.go()
    assert j.step is Step.WALKIN_DETAILS and j.session.id_photo == b"jpeg"
    j.submit_details("Lestari", "Dewi")
    assert j.step is Step.REGISTRATION
    # Without a camera (or with the desk checking cards), the guest sees staff.
    r2 = walkin_rig(id_without_mrz="staff")
    j2 = to_rooms(r2)
    j2.choose_offer(j2.walk_in.offers[0])
    j2.book_offer()
    j2.no_mrz()
    assert j2.problem.kind == "id_needs_staff" and Action.TYPE_DETAILS not in j2.problem.actions


def test_walk_in_empty_photo_is_refused_and_types_nothing():
    r = walkin_rig(camera=lambda: IdPhoto(b"jpeg", PhotoContent.NOTHING))
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[0])
    j.book_offer()
    j.no_mrz()
    j.take_photo()
    r.go()
    assert j.problem.kind == "photo_no_document" and j.session.id_photo is None
    j.type_details()
    assert j.step is Step.PROBLEM


def test_card_without_mrz_and_identity_off_go_to_typing():
    r = walkin_rig(walkin_identity="optional")
    j = to_rooms(r)
    j.choose_offer(j.walk_in.offers[0])
    j.book_offer()
    j.no_mrz()
    assert j.step is Step.WALKIN_DETAILS
    r2 = walkin_rig(walkin_identity="off")
    j2 = to_rooms(r2)
    j2.choose_offer(j2.walk_in.offers[0])
    j2.book_offer()
    assert j2.step is Step.WALKIN_DETAILS
    j2.back()
    assert j2.step is Step.WALKIN_QUOTE


def test_back_walks_the_walk_in_backwards_and_out():
    r = walkin_rig()
    j = to_payment(r)
    expected = [Step.SIGNATURE, Step.REGISTRATION, Step.IDENTITY, Step.WALKIN_QUOTE, Step.WALKIN_ROOMS,
                Step.WALKIN_GUESTS, Step.WALKIN_DATES, Step.ATTRACT]  # fmt: skip
    seen = []
    for _ in expected:
        j.back()
        seen.append(j.step)
    assert seen == expected and j.session is None


# -- the price as shown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "nightly", "service", "tax", "total", "en", "id_"),
    [
        # The server's hand-computed IDR case (tests/server/test_quote.py): Rp 333.333 a night,
        # 7.5 % service (2_499_997.5 -> 2_499_998 sen), 11 % tax (3_941_662.78 -> 3_941_663 sen).
        ("IDR", [33_333_300], 2_499_998, 3_941_663, 39_774_961,
         ["IDR 333,333", "IDR 24,999.98", "IDR 39,416.63", "IDR 397,749.61"],
         ["Rp 333.333", "Rp 24.999,98", "Rp 39.416,63", "Rp 397.749,61"]),
        # $10.10: 5 % service 50.5 cents -> 51; 10 % tax on $10.61 -> 106 cents.
        ("USD", [1010], 51, 106, 1167,
         ["$10.10", "$0.51", "$1.06", "$11.67"], ["US$10,10", "US$0,51", "US$1,06", "US$11,67"]),
        # Two nights of Rp 850.000 and Rp 977.500, 10 % and 10 %: whole rupiah, no decimals shown.
        ("IDR", [85_000_000, 97_750_000], 18_275_000, 20_102_500, 221_127_500,
         ["IDR 850,000", "IDR 977,500", "IDR 182,750", "IDR 201,025", "IDR 2,211,275"],
         ["Rp 850.000", "Rp 977.500", "Rp 182.750", "Rp 201.025", "Rp 2.211.275"]),
    ],
)  # fmt: skip
def test_quote_lines_show_the_servers_figures_formatted(currency, nightly, service, tax, total, en, id_):
    nights = [(TODAY + timedelta(days=i), a) for i, a in enumerate(nightly)]
    o = Offer(DLX, 1, 1, currency, total, nights, sum(nightly), service, tax)
    lines = quote_lines(o)
    assert [line.label for line in lines] == ["Night of {night}"] * len(nightly) + [
        "Service charge", "Tax", "Total for your stay"]  # fmt: skip
    assert lines[-1].total and sum(line.amount.minor for line in lines[:-1]) == total
    assert [money(line.amount, "en") for line in lines] == en
    assert [money(line.amount, "id") for line in lines] == id_
    assert translate("id", "Total for your stay") != "Total for your stay"  # translated


def test_quote_without_service_or_tax_lists_only_nights_and_total():
    o = Offer(STD, 1, 1, "IDR", 50_000_000, [(TODAY, 50_000_000)], 50_000_000, 0, 0)
    assert [line.label for line in quote_lines(o)] == ["Night of {night}", "Total for your stay"]


def test_next_best_is_nearest_in_price_and_ready():
    lost = OFFERS[1]  # 1.5 M
    near, far = offer(STD, 140_000_000), offer(STE, 180_000_000)
    assert next_best(lost, [far, near]) is near
    assert next_best(lost, [far, offer(STD, 140_000_000, ready=0)]) is far  # only rooms ready now
    tie = [offer(STD, 120_000_000), offer(STE, 180_000_000)]
    assert next_best(lost, tie).room_type == STE  # equally near: the better room
    assert next_best(lost, [replace(lost)]) is None  # not the one that sold out


def test_walk_in_help_needs_no_booking():
    r = walkin_rig()
    j = to_rooms(r)
    j.help()
    r.go()
    assert r.office.assistance == [("walkin_rooms", "guest pressed Help")]


def test_property_date_is_the_stays_first_night():
    assert PROPERTY.business_date == TODAY
    r = walkin_rig()
    j = to_rooms(r, nights=2)
    assert j.walk_in_departure() == TODAY + timedelta(days=2)


def test_the_walk_in_charge_is_confirmed_with_the_quoted_breakdown():
    r = walkin_rig()
    j = to_payment(r)
    assert r.terminal.calls == []
    o = j.walk_in.offer
    asked = j.confirmation()
    assert [(row.kind, row.amount.minor) for row in asked.rows] == [
        ("item", o.room),
        ("item", o.service),
        ("item", o.tax),
        ("total", o.total),
        ("charge", o.total),
    ]
    assert asked.rows[0].params == {"nights": 2}
    j.back()
    assert j.step is Step.SIGNATURE and r.terminal.calls == []
