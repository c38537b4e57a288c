"""Walk-in booking at the kiosk: the stay (tonight, a number of nights), the guests, a room type at
the server's live price, the guest's details (ID scan or typed), registration card, signature,
payment on the card terminal, then booking, room and payment committed together on the server and
the usual check-in and receipt.

``WalkInFlow`` is a mixin of ``CheckinJourney`` (which owns the session, the runner, the problem
screen and the terminal); import it through ``kiosk.journey.checkin``. Rooms and prices are the
server's to give, so nothing here works offline: the guest is told so before any money is taken.

Money is never lost or taken twice: the room is re-checked just before the card is charged; if the
server still refuses the booking afterwards (sold out in the race, price changed), the charge is
reversed on the terminal and the guest is told they were not charged. A reversal that cannot be
confirmed, or a booking whose fate is unknown (the server went silent), goes to staff and the
payment journal keeps the record for review.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from drivers.money import Money
from drivers.payment.model import Operation, PaymentResult
from kiosk.frontdesk import (
    Booking,
    FrontDeskError,
    NotFound,
    Offer,
    Offline,
    Refused,
    RoomNotReady,
    WalkInGuest,
)
from kiosk.i18n import N_
from kiosk.journey import identity
from kiosk.journey.ports import ScannedDocument

log = logging.getLogger(__name__)

# The server's limits (WalkInIn, GET /availability).
NIGHTS = (1, 30)
ADULTS = (1, 8)
CHILDREN = (0, 8)
# Refusals after which the server wrote nothing: the card payment is reversed.
REVERSIBLE = (Refused, NotFound, RoomNotReady)
# After the card is charged, a booking call whose answer is lost is sent again under the same key
# (the server applies it once and replays its answer): the waits before each new try, in seconds.
BOOK_RETRY_S = (1.0, 3.0)

WAIT = {
    "rooms": N_("Looking for free rooms…"),
    "check": N_("Checking the room is still free…"),
    "book": N_("Booking your room…"),
    "reverse": N_("Cancelling your card payment…"),
}

# What the rooms screen says above the list after the chosen room could not be had.
NOTICE_TAKEN = N_("The {room_type} has just been taken. Here is what is still free tonight.")
NOTICE_TAKEN_REFUNDED = N_(
    "The {room_type} was taken a moment ago. Your card payment was cancelled: you have not been "
    "charged. Here is what is still free tonight."
)
NOTICE_PRICE = N_("The price of the {room_type} has just changed. Please look at the new price.")
NOTICE_PRICE_REFUNDED = N_(
    "The price of the {room_type} changed a moment ago. Your card payment was cancelled: you have "
    "not been charged. Please look at the new price."
)


@dataclass
class WalkIn:
    """The guest's choices so far; part of the session, wiped with it."""

    # The booking's client-made id: the terminal's payment reference and the call's idempotency key.
    booking_id: uuid.UUID = field(default_factory=uuid.uuid4)
    nights: int = 1
    adults: int = 1
    children: int = 0
    offers: list[Offer] = field(default_factory=list)
    offer: Offer | None = None
    suggested: str = ""  # the room type code offered as the next best after a sell-out
    guest: WalkInGuest | None = None
    notice: str = ""  # msgid over the rooms list, with {room_type}
    notice_room_type: str = ""
    charged: bool = False  # an approved payment is not yet on a booking


@dataclass(frozen=True)
class QuoteLine:
    """One line of the price shown: a msgid with its parameters, and the amount."""

    label: str
    params: dict[str, Any]
    amount: Money
    total: bool = False


def quote_lines(offer: Offer) -> list[QuoteLine]:
    """The price of the stay as the guest reads it: each night's rate, service charge, tax, total.
    The server's figures, shown as they are (the kiosk never computes a price)."""
    cur = offer.currency
    lines = [QuoteLine(N_("Night of {night}"), {"night": n}, Money(a, cur)) for n, a in offer.nightly]
    if offer.service:
        lines.append(QuoteLine(N_("Service charge"), {}, Money(offer.service, cur)))
    if offer.tax:
        lines.append(QuoteLine(N_("Tax"), {}, Money(offer.tax, cur)))
    lines.append(QuoteLine(N_("Total for your stay"), {}, Money(offer.total, cur), total=True))
    return lines


def next_best(lost: Offer, offers: list[Offer]) -> Offer | None:
    """The free room type nearest in price to the one that sold out, the dearer one on a tie."""
    free = [o for o in offers if o.ready_now > 0 and o.room_type.code != lost.room_type.code]
    return min(free, key=lambda o: (abs(o.total - lost.total), -o.total), default=None)


class WalkInFlow:
    """The walk-in steps, mixed into ``CheckinJourney``: they use its session, office, terminal,
    runner and its ``_go``/``_run``/``_fail``/``_check_in`` (see the module docstring)."""

    # -- the stay and the guests ----------------------------------------------------------------

    def start_walk_in(self) -> None:
        self.start()
        assert self.session is not None
        self.session.walk_in = WalkIn()
        self._go(Step.WALKIN_DATES)

    @property
    def walk_in(self) -> WalkIn | None:
        return self.session.walk_in if self.session is not None else None

    @property
    def walk_in_may_type(self) -> bool:
        """May a walk-in type their name instead of showing an ID document (the property's choice)?"""
        return bool(self.settings.walkin_identity != "required")

    def walk_in_departure(self) -> date:
        assert self.walk_in is not None
        return self.business_date() + timedelta(days=self.walk_in.nights)

    def set_nights(self, nights: int) -> None:
        self._walk_in_set("nights", nights, NIGHTS)

    def set_adults(self, adults: int) -> None:
        self._walk_in_set("adults", adults, ADULTS)

    def set_children(self, children: int) -> None:
        self._walk_in_set("children", children, CHILDREN)

    def _walk_in_set(self, name: str, value: int, limits: tuple[int, int]) -> None:
        self.touch()
        w = self.walk_in
        if w is not None and limits[0] <= value <= limits[1]:
            setattr(w, name, value)
            self._changed()

    def stay_chosen(self) -> None:
        self.touch()
        if self.step is Step.WALKIN_DATES:
            self._go(Step.WALKIN_GUESTS)

    def guests_chosen(self) -> None:
        self.touch()
        if self.step is Step.WALKIN_GUESTS:
            self._find_rooms()

    # -- rooms and prices -----------------------------------------------------------------------

    def _walk_in_wait(self, what: str) -> None:
        self.wait_text = WAIT[what]
        self._go(Step.WAIT)

    def _find_rooms(self, lost: Offer | None = None, notice: str = "", about: str = "") -> None:
        """Ask the server what is free; after a sell-out (``lost``), with the next best offer first.
        ``notice`` (a msgid about the room type called ``about``) is said above the list."""
        w = self.walk_in
        assert w is not None
        self._walk_in_wait("rooms")
        self._run(
            lambda: self.office.availability(w.nights, w.adults, w.children),
            lambda offers: self._rooms_found(offers, lost, notice, about),
            lambda exc: self._walk_in_unavailable(exc, lambda: self._find_rooms(lost, notice, about)),
        )

    def _rooms_found(
        self, offers: list[Offer], lost: Offer | None, notice: str = "", about: str = ""
    ) -> None:
        w = self.walk_in
        assert w is not None
        free = [o for o in offers if o.ready_now > 0]
        best = next_best(lost, free) if lost is not None else None
        if best is not None:
            free.remove(best)
            free.insert(0, best)
        w.offers, w.offer = free, None
        w.suggested = best.room_type.code if best else ""
        w.notice, w.notice_room_type = notice, about
        if not free:
            refunded = notice in (NOTICE_TAKEN_REFUNDED, NOTICE_PRICE_REFUNDED)
            self._fail(
                Problem(
                    "walkin_full",
                    N_("No room is free for this stay"),
                    N_("Your card payment was cancelled: you have not been charged. Our staff will help you.")
                    if refunded
                    else N_("We are sorry. Our staff at the front desk will gladly look for other options."),
                    (Action.STAFF, Action.START_OVER),
                )
            )
            return
        self._go(Step.WALKIN_ROOMS)

    def choose_offer(self, offer: Offer) -> None:
        self.touch()
        w = self.walk_in
        if w is not None and self.step is Step.WALKIN_ROOMS and offer in w.offers:
            w.offer = offer
            self._go(Step.WALKIN_QUOTE)

    def book_offer(self) -> None:
        """The guest takes the room at the price shown: now who they are (once per session)."""
        self.touch()
        w = self.walk_in
        if w is None or w.offer is None or self.step is not Step.WALKIN_QUOTE:
            return
        session = self.session
        assert session is not None
        if w.guest is not None and session.signature_png:
            self._check_before_paying()  # chose again after a sell-out: details and signature stand
        elif self.settings.walkin_identity == "off":
            self._go(Step.WALKIN_DETAILS)
        else:
            self._go(Step.IDENTITY)

    # -- who the guest is -----------------------------------------------------------------------

    def _walk_in_document(self, doc: ScannedDocument) -> None:
        """A passport or ID card scanned at IDENTITY: its details are the booking's guest."""
        f = doc.fields
        if not doc.valid or not identity.is_identity_document(doc) or not f.surname.strip():
            if self.walk_in_may_type:
                body = N_("Place it flat on the scanner and try again, or type your details instead.")
                actions = (Action.TRY_AGAIN, Action.TYPE_DETAILS, Action.STAFF)
            else:
                body = N_(
                    "Place the page with your photo flat on the scanner, "
                    "with the two lines of letters at the bottom."
                )
                actions = (Action.TRY_AGAIN, Action.STAFF)
            self._fail(Problem("id_unreadable", N_("We could not read your document"), body, actions))
            return
        if f.expiry_date is not None and f.expiry_date < self.business_date():
            self._fail(
                Problem(
                    "id_expired",
                    N_("This document has expired"),
                    N_("Please show another valid passport or ID card, or ask our staff."),
                    (Action.TRY_AGAIN, Action.STAFF),
                )
            )
            return
        assert self.session is not None and self.walk_in is not None
        self.session.document = doc
        nationality = f.nationality if len(f.nationality) == 3 and f.nationality.isalpha() else ""
        self.walk_in.guest = WalkInGuest(
            surname=f.surname.strip().title(),
            given_names=f.given_names.strip().title(),
            birth_date=f.birth_date,
            nationality=nationality.upper(),
        )
        self._go(Step.REGISTRATION)

    def type_details(self) -> None:
        """No document to scan (or none readable): the guest types their name instead, where the
        property allows a walk-in without ID; otherwise only after a photo of their ID card."""
        self.touch()
        session = self.session
        if self.walk_in is None or self.step not in (Step.IDENTITY, Step.PROBLEM):
            return
        assert session is not None
        if self.walk_in_may_type or session.id_photo is not None:
            self._go(Step.WALKIN_DETAILS)

    def submit_details(self, surname: str, given_names: str) -> None:
        self.touch()
        surname, given_names = " ".join(surname.split()), " ".join(given_names.split())
        if not any(c.isalpha() for c in surname):
            self._invalid(N_("Please type your surname."))
            return
        assert self.session is not None and self.walk_in is not None
        self.session.document = None
        self.walk_in.guest = WalkInGuest(surname=surname[:160], given_names=given_names[:160])
        self._go(Step.REGISTRATION)

    # -- paying and booking ---------------------------------------------------------------------

    def _check_before_paying(self) -> None:
        """Signed: one last look that the room is still free at that price, before any charge."""
        w = self.walk_in
        assert w is not None and w.offer is not None
        chosen = w.offer
        self._walk_in_wait("check")
        self._run(
            lambda: self.office.availability(w.nights, w.adults, w.children),
            lambda offers: self._checked(chosen, offers),
            lambda exc: self._walk_in_unavailable(exc, self._check_before_paying),
        )

    def _checked(self, chosen: Offer, offers: list[Offer]) -> None:
        now = next((o for o in offers if o.room_type.code == chosen.room_type.code), None)
        if now is None or now.ready_now < 1:
            self._rooms_found(offers, chosen, NOTICE_TAKEN, chosen.room_type.name)
        elif now.total != chosen.total:
            self._rooms_found(offers, None, NOTICE_PRICE, chosen.room_type.name)
        else:
            self._walk_in_due(now)

    def _walk_in_due(self, offer: Offer) -> None:
        session, w = self.session, self.walk_in
        assert session is not None and w is not None
        w.offer = offer
        # The stay is paid in full: the server takes a sale up to the price, and a walk-in has no
        # later moment to settle a balance before the guest is in the room.
        session.operation = Operation.SALE
        session.due = Money(offer.total, offer.currency)
        self._go(Step.PAYMENT)

    def _walk_in_paid(self, result: PaymentResult) -> None:
        """The terminal approved: book, with the room and this payment, in one server call."""
        session, w = self.session, self.walk_in
        assert session is not None and w is not None and w.offer is not None and w.guest is not None
        session.payments.append(result)
        w.charged = True
        office, offer, guest = self.office, w.offer, w.guest
        nights, adults, children, booking_id = w.nights, w.adults, w.children, w.booking_id

        def book() -> Booking:
            for wait in (*BOOK_RETRY_S, None):
                try:
                    booking = office.book_walk_in(
                        offer, nights, guest, adults, children, booking_id=booking_id, payment=result
                    )
                    break
                except Offline:
                    if wait is None:
                        raise
                    time.sleep(wait)
            try:  # the server has the payment; this only settles the kiosk's journal record
                office.record_payment(booking, result)
            except (FrontDeskError, ValueError, OSError) as exc:
                log.warning("walk-in payment %s not queued: %s", result.idempotency_key, exc)
            return booking

        self._walk_in_wait("book")
        self._run(book, self._booked, lambda exc: self._not_booked(exc, result))

    def _booked(self, booking: Booking) -> None:
        session, w = self.session, self.walk_in
        assert session is not None and w is not None
        w.charged = False
        session.booking = booking
        self._check_in()

    def _not_booked(self, exc: BaseException, result: PaymentResult) -> None:
        if not isinstance(exc, REVERSIBLE):
            # The server may have booked it with the payment before going silent: never reverse
            # blindly. The journal keeps the payment; staff look it up by the booking id.
            log.error(
                "walk-in %s after payment %s unconfirmed: %s",
                self._walk_in_ref(),
                result.idempotency_key,
                exc,
            )
            self._walk_in_to_staff(
                "walkin_unconfirmed",
                N_("We could not confirm your booking"),
                N_("Our staff will check it with you now. You will not be charged twice."),
                f"walk-in {self._walk_in_ref()} unconfirmed after payment {result.idempotency_key}: {exc}",
            )
            return
        code = exc.code if isinstance(exc, Refused) else "not_found"
        log.warning(
            "walk-in %s refused (%s): reversing payment %s", self._walk_in_ref(), code, result.idempotency_key
        )
        self._reverse(result, code)

    def _reverse(self, result: PaymentResult, code: str) -> None:
        terminal = self.terminal
        assert terminal is not None
        reference = self._walk_in_ref()
        key = f"{result.idempotency_key}-reversal"  # the same reversal, however often it is asked
        self._walk_in_wait("reverse")
        self._run(
            lambda: terminal.reverse(result, reference, key).result(),
            lambda reversal: self._reversed(reversal, result, code),
            lambda exc: self._reversal_unconfirmed(result, str(exc)),
        )

    def _reversed(self, reversal: PaymentResult, original: PaymentResult, code: str) -> None:
        if not reversal.approved:
            self._reversal_unconfirmed(original, reversal.meaning or str(reversal.outcome))
            return
        session, w = self.session, self.walk_in
        assert session is not None and w is not None and w.offer is not None
        session.payments.remove(original)
        w.charged = False
        # The refused call's key is spent (the server replays its answer): the next try is new.
        w.booking_id = uuid.uuid4()
        lost = w.offer
        if code == "sold_out":
            self._find_rooms(lost, NOTICE_TAKEN_REFUNDED, lost.room_type.name)
        elif code == "price_changed":
            self._find_rooms(None, NOTICE_PRICE_REFUNDED, lost.room_type.name)
        else:
            self._fail(
                Problem(
                    "walkin_refused",
                    N_("We cannot book this room here"),
                    N_(
                        "Your card payment was cancelled: you have not been charged. "
                        "Our staff at the front desk will be glad to help you."
                    ),
                    (Action.STAFF, Action.START_OVER),
                )
            )

    def _reversal_unconfirmed(self, result: PaymentResult, why: str) -> None:
        log.error("walk-in payment %s: reversal not confirmed: %s", result.idempotency_key, why)
        self._walk_in_to_staff(
            "walkin_reversal_unconfirmed",
            N_("Please see our staff"),
            N_(
                "We could not book the room, and we could not confirm that your card payment was "
                "cancelled. Our staff will check it with you now. You will not be charged twice."
            ),
            f"walk-in {self._walk_in_ref()} refused; reversal of payment {result.idempotency_key} "
            f"not confirmed: {why}",
        )

    def _walk_in_to_staff(self, kind: str, title: str, body: str, reason: str) -> None:
        """An assistance request the staff see at once, and only "Call staff" for the guest."""
        self.runner.run(lambda: self.office.request_assistance("payment", reason), lambda _r, _e: None)
        self._fail(Problem(kind, title, body, (Action.STAFF,)))

    def _walk_in_ref(self) -> str:
        assert self.walk_in is not None
        return str(self.walk_in.booking_id)

    def _walk_in_unavailable(self, exc: BaseException, retry: Callable[[], None]) -> None:
        """No answer about rooms (before any money): say so kindly and offer staff."""
        log.warning("walk-in availability failed: %r", exc)
        self._fail(
            Problem(
                "walkin_offline",
                N_("Rooms cannot be booked here right now"),
                N_(
                    "The kiosk cannot reach our booking system at the moment. Nothing has been "
                    "charged. Please try again in a moment, or our staff at the front desk will "
                    "find you a room."
                ),
                (Action.TRY_AGAIN, Action.STAFF, Action.START_OVER),
            ),
            retry,
        )

    # -- back ------------------------------------------------------------------------------------

    def walk_in_back(self, step: Step) -> Step | None:
        """Where "Back" goes from a step shared with check-in (None: the session ends)."""
        scan = self.settings.walkin_identity != "off"
        typed = self.session is not None and self.session.document is None
        return {
            Step.IDENTITY: Step.WALKIN_QUOTE,
            Step.WALKIN_DETAILS: Step.IDENTITY if scan else Step.WALKIN_QUOTE,
            Step.REGISTRATION: Step.WALKIN_DETAILS if typed or not scan else Step.IDENTITY,
            Step.PAYMENT: Step.SIGNATURE,
        }.get(step, BACK.get(step))


# Last, as the journey's vocabulary (defined in checkin.py before it mixes this class in) is only
# used when a method runs: either module may be imported first.
from kiosk.journey.checkin import BACK, Action, Problem, Step  # noqa: E402
