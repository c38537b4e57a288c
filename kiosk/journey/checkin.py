"""The guest check-in journey as a state machine: find the booking, identity, registration card,
signature, room, payment, receipt. Plain Python: the screens render ``journey.step`` and friends
and forward touches; every decision (what comes next, what a timeout does, what an error shows)
is made here.

Blocking work (front office, terminal, printer) goes through the injected ``Runner``; its result
comes back on the journey's thread and is dropped if the session it belonged to has ended.
Texts are gettext msgids (``N_``): the screens translate them in the guest's language.
"""

from __future__ import annotations

import enum
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from drivers.base import DataEvent, DeviceError, DeviceEvent
from drivers.camera.types import IdPhoto, PhotoContent
from drivers.money import Money
from drivers.payment.messages import GuestMessage
from drivers.payment.model import DisplayText, Operation, PaymentResult, ReceiptLine
from drivers.printer.document import Receipt
from drivers.printer.receipts import CardPayment, checkin_receipt
from kiosk.config import CheckinSection
from kiosk.frontdesk import (
    Booking,
    Folio,
    NotFound,
    Offline,
    PropertyInfo,
    Refused,
    Registration,
    RoomNotReady,
)
from kiosk.i18n import N_, formats_locale
from kiosk.journey import confirm, identity
from kiosk.journey.checkout import CheckoutFlow, CheckoutState
from kiosk.journey.ports import CardTerminal, FrontOffice, ReceiptPrinter, Runner, ScannedDocument, Terms

log = logging.getLogger(__name__)

T = TypeVar("T")


# The server's own patterns (RegistrationIn): what it refuses, the guest is told about here.
EMAIL = re.compile(r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^$|^\+?[0-9 ()-]{5,40}$")
_BREAKFAST = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")


class Step(enum.StrEnum):
    ATTRACT = "attract"
    FIND = "find"  # scan a booking QR or an ID, or choose to type
    ENTER_CODE = "enter_code"  # confirmation code + surname
    ENTER_NAME = "enter_name"  # surname + arrival date
    CHOOSE = "choose"  # several bookings matched
    IDENTITY = "identity"  # scan passport / ID card
    ID_PHOTO = "id_photo"  # a card without MRZ: photo for the desk
    REGISTRATION = "registration"
    SIGNATURE = "signature"
    ROOM = "room"
    PAYMENT = "payment"  # what is due, line by line, and how: the guest confirms before the terminal
    PAYING = "paying"  # the terminal is working; its prompts mirrored
    FINISH = "finish"
    WAIT = "wait"  # something is being done for the guest: a message and a spinner
    PROBLEM = "problem"  # something went wrong: a message and ways forward
    # Check-out (kiosk/journey/checkout.py); it pays through PAYMENT and PAYING too.
    OUT_FIND = "out_find"  # scan the check-in receipt's QR, or choose to type
    OUT_ENTER = "out_enter"  # room number + surname
    OUT_FOLIO = "out_folio"  # the bill: pay the balance, or check out
    OUT_EARLY = "out_early"  # leaving before the booked departure: the unused nights, confirmed
    OUT_FINISH = "out_finish"  # thank you; the invoice printed or on screen
    # Walk-in booking (kiosk/journey/walkin.py); then IDENTITY, REGISTRATION, SIGNATURE, PAYMENT,
    # PAYING and FINISH as in check-in.
    WALKIN_DATES = "walkin_dates"  # tonight, and how many nights
    WALKIN_GUESTS = "walkin_guests"  # adults and children
    WALKIN_ROOMS = "walkin_rooms"  # the room types free, with their price
    WALKIN_QUOTE = "walkin_quote"  # one room type: nightly rates, service, tax, total
    WALKIN_DETAILS = "walkin_details"  # the guest's name typed, when no document is scanned


class Overlay(enum.StrEnum):
    NONE = "none"
    HELP = "help"
    STILL_THERE = "still_there"
    TERMS = "terms"  # the house rules and privacy notice, read in full before accepting


class Action(enum.StrEnum):
    TRY_AGAIN = "try_again"
    OTHER_WAY = "other_way"
    STAFF = "staff"
    RETRY_PAYMENT = "retry_payment"
    OTHER_CARD = "other_card"
    NOTIFY_ME = "notify_me"
    SKIP = "skip"
    START_OVER = "start_over"
    TYPE_DETAILS = "type_details"  # walk-in: type the name instead of scanning


ACTION_LABELS: dict[Action, str] = {
    Action.TRY_AGAIN: N_("Try again"),
    Action.OTHER_WAY: N_("Find it another way"),
    Action.STAFF: N_("Call staff"),
    Action.RETRY_PAYMENT: N_("Try again"),
    Action.OTHER_CARD: N_("Use another card"),
    Action.NOTIFY_ME: N_("Text me when it is ready"),
    Action.SKIP: N_("Continue without it"),
    Action.START_OVER: N_("Start over"),
    Action.TYPE_DETAILS: N_("Type my details instead"),
}


class HelpState(enum.StrEnum):
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # the request could not be recorded: walk to the desk


@dataclass(frozen=True)
class Problem:
    kind: str  # stable, for tests and the staff's assistance request
    title: str  # msgid
    body: str  # msgid with {placeholders} filled from params
    actions: tuple[Action, ...]
    params: dict[str, Any] = field(default_factory=dict)
    qr: str = ""  # a code to show on screen


@dataclass
class Session:
    """Everything the kiosk holds about one guest; dropped whole at the end."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    matches: list[Booking] = field(default_factory=list)
    party: bool = False  # the matches are the rooms of one booking (one confirmation code)
    booking: Booking | None = None
    folio: Folio | None = None  # the booking's bill, for the breakdown before paying
    document: ScannedDocument | None = None
    id_photo: bytes | None = None
    # A document of someone else was shown: identity is over for this session (staff are called).
    identity_refused: bool = False
    # Assistance the journey asked for by itself (a mismatch), by reason: "Call staff" then shows
    # how that went instead of asking twice.
    help_sent: dict[str, HelpState] = field(default_factory=dict)
    email: str = ""
    phone: str = ""
    terms_accepted: bool = False
    signature_png: bytes | None = None
    due: Money | None = None
    operation: Operation | None = None
    payments: list[PaymentResult] = field(default_factory=list)
    terminal_prompt: int | None = None  # the terminal's display code while paying
    terminal_lines: list[str] = field(default_factory=list)
    receipt_qr: str = ""
    printed: bool = False
    notify_phone: str = ""
    print_job: str = field(default_factory=lambda: uuid.uuid4().hex)
    checkout: CheckoutState | None = None  # set when the guest came to check out
    walk_in: WalkIn | None = None  # a walk-in booking's choices (kiosk/journey/walkin.py)


# Payment outcomes as the guest hears them (msgids), and what they can do next.
PAYMENT_TEXTS: dict[GuestMessage, tuple[str, tuple[Action, ...]]] = {
    GuestMessage.DECLINED: (
        N_("Your card was declined. You have not been charged."),
        (Action.OTHER_CARD, Action.RETRY_PAYMENT, Action.STAFF),
    ),
    GuestMessage.CARD_UNREADABLE: (
        N_("Your card could not be read. Please try again."),
        (Action.RETRY_PAYMENT, Action.OTHER_CARD, Action.STAFF),
    ),
    GuestMessage.CARD_EXPIRED: (
        N_("This card has expired. Please use another card."),
        (Action.OTHER_CARD, Action.STAFF),
    ),
    GuestMessage.ABORTED: (
        N_("The payment was cancelled. You have not been charged."),
        (Action.RETRY_PAYMENT, Action.STAFF),
    ),
    GuestMessage.TERMINAL_PROBLEM: (
        N_("The card terminal has a problem. You have not been charged."),
        (Action.RETRY_PAYMENT, Action.STAFF),
    ),
    # Never offer to pay again: the charge may have happened. Staff check it on the terminal.
    GuestMessage.UNKNOWN: (
        N_("We could not confirm your payment. Our staff will check it; you will not be charged twice."),
        (Action.STAFF,),
    ),
}

WAIT_TEXTS = {
    "search": N_("Looking for your booking…"),
    "room": N_("Getting your room ready…"),
    "record": N_("Saving your payment…"),
    "checkin": N_("Checking you in…"),
    "print": N_("Printing your receipt…"),
    "photo": N_("Taking the photo…"),
    "notify": N_("Letting our staff know…"),
}

# (check-in time known, phone known) -> what to say when no room is ready yet.
ROOM_NOT_READY_TEXTS = {
    (True, True): N_(
        "Rooms are ready from {time}. We can text you the moment yours is ready, "
        "or our staff can help you now."
    ),
    (True, False): N_("Rooms are ready from {time}. Our staff at the front desk can help you now."),
    (False, True): N_("We can text you the moment your room is ready, or our staff can help you now."),
    (False, False): N_("Our staff at the front desk can help you now."),
}

# Where "Back" goes from each step (None: the session ends, back to the welcome screen).
BACK: dict[Step, Step | None] = {
    Step.FIND: None,
    Step.ENTER_CODE: Step.FIND,
    Step.ENTER_NAME: Step.FIND,
    Step.CHOOSE: Step.FIND,
    Step.IDENTITY: Step.FIND,
    Step.ID_PHOTO: Step.IDENTITY,
    Step.REGISTRATION: Step.IDENTITY,
    Step.SIGNATURE: Step.REGISTRATION,
    Step.PAYMENT: Step.ROOM,  # OUT_FOLIO when checking out
    Step.OUT_FIND: None,
    Step.OUT_ENTER: Step.OUT_FIND,
    Step.OUT_FOLIO: Step.OUT_FIND,
    Step.OUT_EARLY: Step.OUT_FOLIO,
    # Walk-in; the steps it shares with check-in go back per WalkInFlow.walk_in_back.
    Step.WALKIN_DATES: None,
    Step.WALKIN_GUESTS: Step.WALKIN_DATES,
    Step.WALKIN_ROOMS: Step.WALKIN_GUESTS,
    Step.WALKIN_QUOTE: Step.WALKIN_ROOMS,
    Step.WALKIN_DETAILS: Step.IDENTITY,
}

# The walk-in mixin uses the names above; it is imported here, once they exist.
from kiosk.journey.walkin import WalkIn, WalkInFlow  # noqa: E402


class CheckinJourney(CheckoutFlow, WalkInFlow):
    def __init__(
        self,
        office: FrontOffice,
        runner: Runner,
        settings: CheckinSection,
        *,
        terminal: CardTerminal | None,
        printer: ReceiptPrinter | None,
        camera: Callable[[], IdPhoto] | None = None,
        clock: Callable[[], float],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        translate: Callable[[str, str], str] = lambda _lang, msgid: msgid,
        languages: tuple[str, ...] = ("en", "id"),
        terms: dict[str, Terms] | None = None,
    ) -> None:
        self.office = office
        self.runner = runner
        self.settings = settings
        self.terminal = terminal
        self.printer = printer
        self.camera = camera
        self.clock = clock
        self.now = now  # the wall clock (``clock`` measures timeouts)
        self.translate = translate
        self.languages = languages
        self.terms = terms or {}  # per language (kiosk/terms.py)
        self.default_language = languages[0]
        self.language = self.default_language
        self.property: PropertyInfo | None = None
        self.step = Step.ATTRACT
        self.overlay = Overlay.NONE
        self.help_state = HelpState.SENT
        self.problem: Problem | None = None
        self.wait_text = ""
        self.field_error = ""  # msgid: what is wrong with what the guest typed
        self.session: Session | None = None
        self.generation = 0  # bumps on every wipe, so screens clear their fields
        self._last_touch = clock()
        self._still_there_until = 0.0
        self._finish_until = 0.0
        self._listeners: list[Callable[[], None]] = []
        self._unsubscribe_terminal: Callable[[], None] | None = None
        self._retry: Callable[[], None] | None = None
        # Bookings a document of someone else was shown for: this kiosk sends them to the desk.
        self._refused_bookings: set[uuid.UUID] = set()

    # -- observers ------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _go(self, step: Step) -> None:
        if step is not self.step:  # for technicians: the steps, never what the guest entered
            log.info("journey: %s -> %s", self.step.value, step.value)
        self.step = step
        self.field_error = ""
        self._changed()

    def _wait(self, what: str) -> None:
        self.wait_text = WAIT_TEXTS[what]
        self._go(Step.WAIT)

    def _fail(self, problem: Problem, retry: Callable[[], None] | None = None) -> None:
        """Show a problem; ``retry`` is what "Try again" re-runs (else it goes back a step)."""
        self.problem = problem
        self._retry = retry
        log.info("journey: problem %s at %s", problem.kind, self.step.value)
        self._go(Step.PROBLEM)

    def _invalid(self, msgid: str) -> None:
        self.field_error = msgid
        self._changed()

    # -- background work tied to the session ----------------------------------------------------

    def _run(
        self,
        work: Callable[[], T],
        ok: Callable[[T], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        session = self.session

        def done(result: T | None, error: BaseException | None) -> None:
            if session is None or self.session is not session:
                return  # the guest has gone; their result goes with them
            if error is not None:
                failed(error)
            else:
                ok(result)  # type: ignore[arg-type]

        self.runner.run(work, done)

    def refresh_property(self) -> None:
        """Fetch the hotel's details (business date, Wi-Fi...) in the background."""

        def done(prop: PropertyInfo | None, error: BaseException | None) -> None:
            if prop is not None:
                self.property = prop
                self._changed()
            else:
                log.warning("property not fetched: %s", error)

        self.runner.run(self.office.property, done)

    def business_date(self) -> date:
        return self.property.business_date if self.property else datetime.now(UTC).date()

    def property_today(self) -> date:
        """Today's date where the hotel is (the business date lags until the night audit has run)."""
        prop = self.property
        return self.now().astimezone(ZoneInfo(prop.timezone)).date() if prop else self.business_date()

    # -- touches and time -----------------------------------------------------------------------

    def touch(self) -> None:
        """Any touch on the screen: the guest is there (the still-there prompt wants its answer)."""
        self._last_touch = self.clock()

    @property
    def timer_paused(self) -> bool:
        # The guest is busy at the card terminal (reading, PIN), or a walk-in's charge is being
        # booked or reversed: not idle.
        charged = self.walk_in is not None and self.walk_in.charged
        return self.step in (Step.ATTRACT, Step.PAYING, Step.FINISH, Step.OUT_FINISH) or charged

    def seconds_left(self) -> int:
        """The "Are you still there?" countdown."""
        return max(0, round(self._still_there_until - self.clock()))

    def tick(self) -> None:
        """Called about twice a second: inactivity, the countdown, the finish screen."""
        now = self.clock()
        if self.step in (Step.FINISH, Step.OUT_FINISH) and now >= self._finish_until:
            self.end()
            return
        if self.timer_paused:
            self._last_touch = now
            return
        if self.overlay is Overlay.STILL_THERE:
            if now >= self._still_there_until:
                self.end()
            else:
                self._changed()  # the countdown moves
        elif now - self._last_touch >= self.settings.inactivity_s:
            self.overlay = Overlay.STILL_THERE
            self._still_there_until = now + self.settings.still_there_s
            self._changed()

    def still_here(self) -> None:
        self.touch()
        if self.overlay is Overlay.STILL_THERE:
            self.overlay = Overlay.NONE
            self._changed()

    # -- language -------------------------------------------------------------------------------

    @property
    def formats(self) -> str:
        """The Babel locale of dates, times and money: the guest's language as the property writes it."""
        return formats_locale(self.language, self.property.timezone if self.property else "")

    def set_language(self, language: str) -> None:
        if language in self.languages and language != self.language:
            self.language = language
            self._changed()

    # -- start, back, end -----------------------------------------------------------------------

    def start(self) -> None:
        self.session = Session()
        self.touch()
        self._go(Step.FIND)

    def end(self) -> None:
        """Wipe the session (memory, screen, fields) and return to the welcome screen."""
        if self._unsubscribe_terminal is not None:
            self._unsubscribe_terminal()
            self._unsubscribe_terminal = None
        self.session = None
        self.problem = None
        self.overlay = Overlay.NONE
        self.language = self.default_language
        self.generation += 1
        self._go(Step.ATTRACT)
        self.refresh_property()

    def back(self) -> None:
        self.touch()
        if self.overlay is not Overlay.NONE:
            self.overlay = Overlay.NONE
            self._changed()
            return
        if self.step not in BACK:
            return
        target = self.walk_in_back(self.step) if self.walk_in is not None else BACK[self.step]
        if target is Step.ROOM and self.checking_out:
            target = Step.OUT_FOLIO
        if target is None:
            self.end()
        elif target is Step.IDENTITY and self.settings.identity == "off":
            self._go(Step.FIND)
        else:
            self._go(target)

    def choose(self, step: Step) -> None:
        """From FIND: type the code, or the name and date, instead of scanning."""
        self.touch()
        if self.step is Step.FIND and step in (Step.ENTER_CODE, Step.ENTER_NAME):
            self._go(step)

    # -- help -----------------------------------------------------------------------------------

    def help(self, reason: str = "") -> None:
        """Record an assistance request for the staff and show what to do meanwhile."""
        self.touch()
        session = self.session
        self.overlay = Overlay.HELP
        reason = reason or "guest pressed Help"
        sent = session.help_sent.get(reason) if session is not None else None
        self.help_state = sent or HelpState.SENDING
        self._changed()
        if sent is None:
            self._call_staff(reason)

    def _call_staff(self, reason: str, *, once: bool = False) -> None:
        """Record an assistance request; the help overlay, when open, follows how it went.
        ``once``: the journey asks by itself, and the guest's "Call staff" shows this request."""
        session = self.session
        booking_id = session.booking.id if session and session.booking else None
        if once and session is not None:
            session.help_sent[reason] = HelpState.SENDING
        screen = str(self.step)

        def done(_result: None, error: BaseException | None) -> None:
            state = HelpState.FAILED if error else HelpState.SENT
            if once and session is not None:
                if error:
                    session.help_sent.pop(reason, None)  # "Call staff" then asks again
                else:
                    session.help_sent[reason] = state
            if self.overlay is Overlay.HELP and self.session is session:
                self.help_state = state
                self._changed()

        self.runner.run(lambda: self.office.request_assistance(screen, reason, booking_id), done)

    def close_overlay(self) -> None:
        self.touch()
        self.overlay = Overlay.NONE
        self._changed()

    # -- finding the booking --------------------------------------------------------------------

    def scanned(self, doc: ScannedDocument) -> None:
        """A scanner read something. What it means depends on where the guest is."""
        self.touch()
        if self.session is None:
            return
        if self.step is Step.OUT_FIND:
            self._scanned_for_check_out(doc)
        elif self.step is Step.FIND:
            if str(doc.kind) == "booking" and doc.valid:
                self._search(dict(qr_token=doc.fields.booking_token), Step.FIND)
            elif identity.is_identity_document(doc) and doc.valid and doc.fields.birth_date:
                self.session.document = doc
                fields = doc.fields
                self._search(dict(surname=fields.surname, birth_date=fields.birth_date), Step.FIND)
            else:
                self._fail(_unreadable_code())
        elif self.step is Step.IDENTITY:
            self._walk_in_document(doc) if self.session.walk_in else self._verify(doc)

    def edited(self) -> None:
        """The guest changed what they typed: the message about what was there no longer holds."""
        if self.field_error:
            self.field_error = ""
            self._changed()

    def submit_code(self, code: str, surname: str) -> None:
        self.touch()
        code, surname = code.strip(), surname.strip()
        if len(code) < 3:
            self._invalid(N_("Please type your confirmation code."))
        elif not any(c.isalpha() for c in surname):
            self._invalid(N_("Please type your surname."))
        else:
            self._search(dict(confirmation_code=code, surname=surname), Step.ENTER_CODE)

    def submit_name(self, surname: str, arrival: date) -> None:
        self.touch()
        surname = surname.strip()
        if not any(c.isalpha() for c in surname):
            self._invalid(N_("Please type your surname."))
        else:
            self._search(dict(surname=surname, arrival=arrival), Step.ENTER_NAME)

    def _search(self, query: dict[str, Any], came_from: Step) -> None:
        self._wait("search")
        self._run(
            lambda: self.office.search(**query),
            lambda found: self._found(found, came_from),
            lambda exc: self._search_failed(exc, came_from),
        )

    def _found(self, found: list[Booking], came_from: Step) -> None:
        assert self.session is not None
        active = [b for b in found if b.status in ("confirmed", "checked_in")]
        if not active:
            self.session.document = None
            self._fail(
                Problem(
                    "not_found",
                    N_("We could not find your booking"),
                    N_(
                        "Please check the spelling and try again, or find it another way. "
                        "Our staff are happy to help."
                    ),
                    (Action.TRY_AGAIN, Action.OTHER_WAY, Action.STAFF),
                    {"back_to": came_from},
                )
            )
        elif len(active) == 1:
            self.select(active[0])
        elif len({b.confirmation_code for b in active}) == 1:
            # One booking with several rooms: the rooms still to check in, not rival bookings.
            waiting = [b for b in active if b.status == "confirmed"]
            if len(waiting) == 1:
                self.select(waiting[0])
            else:
                self.session.matches, self.session.party = waiting or active, True
                self._go(Step.CHOOSE)
        else:
            self.session.matches = active
            self._go(Step.CHOOSE)

    def _search_failed(self, exc: BaseException, came_from: Step) -> None:
        if isinstance(exc, NotFound):
            self._found([], came_from)
        else:
            self._fail(_server_problem(exc), retry=lambda: self._go(came_from))

    def choose_texts(self) -> tuple[str, str, dict[str, Any]]:
        """CHOOSE's title and line: the rooms of one booking, or bookings that matched alike."""
        session = self.session
        if session is not None and session.party:
            return (
                N_("Your booking has {count} rooms"),
                N_(
                    "Which room are you checking in now? Afterwards, type the same code again "
                    "to check in the next room."
                ),
                {"count": len(session.matches)},
            )
        return N_("Which booking is yours?"), N_("We found more than one booking. Touch yours."), {}

    def choice_title(self, booking: Booking) -> tuple[str, dict[str, Any]]:
        """How one match is named on CHOOSE: a room of the booking, or a booking by its guest."""
        session = self.session
        params = {"guest": identity.masked_name(booking.guest), "room_type": booking.room_type.name}
        if session is not None and session.party:
            index = session.matches.index(booking) + 1
            return N_("Room {index} of {count} · {room_type}"), {
                **params,
                "index": index,
                "count": len(session.matches),
            }
        return N_("{guest} · {room_type}"), params

    def select(self, booking: Booking) -> None:
        """The guest's booking is known (one match, or chosen from several)."""
        self.touch()
        assert self.session is not None
        self.session.booking = booking
        self.session.email = booking.guest.email
        self.session.phone = booking.guest.phone
        if booking.status == "checked_in":
            # Said to whoever typed a code and a surname: nothing of the stay (not its room).
            self._fail(
                Problem(
                    "already_checked_in",
                    N_("You are already checked in"),
                    N_("If you need a new key or receipt, please ask our staff at the front desk."),
                    (Action.STAFF, Action.START_OVER),
                )
            )
        elif booking.id in self._refused_bookings:
            self._mismatch()
        elif self.settings.identity == "off":
            self._go(Step.REGISTRATION)
        elif self.session.document is not None:
            self._verify(self.session.document)
        else:
            self._go(Step.IDENTITY)

    # -- identity -------------------------------------------------------------------------------

    def _verify(self, doc: ScannedDocument) -> None:
        session = self.session
        assert session is not None and session.booking is not None
        verdict = identity.verify(doc, session.booking.guest, self.business_date())
        if verdict is identity.Verdict.MATCH:
            session.document = doc
            self._identity_passed(Step.REGISTRATION)
            return
        session.document = None
        skip = (Action.SKIP,) if self.settings.identity == "optional" else ()
        if verdict is identity.Verdict.UNREADABLE:
            self._fail(
                Problem(
                    "id_unreadable",
                    N_("We could not read your document"),
                    N_(
                        "Place the page with your photo flat on the scanner, "
                        "with the two lines of letters at the bottom."
                    ),
                    (Action.TRY_AGAIN, *skip, Action.STAFF),
                )
            )
        elif verdict is identity.Verdict.EXPIRED:
            self._fail(
                Problem(
                    "id_expired",
                    N_("This document has expired"),
                    N_("Please show another valid passport or ID card, or ask our staff."),
                    (Action.TRY_AGAIN, *skip, Action.STAFF),
                )
            )
        else:
            self._refused_bookings.add(session.booking.id)
            self._mismatch()

    def _mismatch(self) -> None:
        """Another person's document: identity ends for this session, staff are called, and the
        guest can only wait for them or start over (no retry, no photo, no skip)."""
        assert self.session is not None
        self.session.identity_refused = True
        self._fail(
            Problem(
                "id_mismatch",
                N_("This document does not match the booking"),
                N_(
                    "The name on the document is not the name on the booking. We have called our "
                    "staff: they will check it with you at the front desk."
                ),
                (Action.STAFF, Action.START_OVER),
            )
        )
        if "id_mismatch" not in self.session.help_sent:
            self._call_staff("id_mismatch", once=True)

    def _identity_passed(self, step: Step) -> None:
        """Identity is done (a matching document, a photo for the desk, a skip, typed details):
        on to ``step``, unless another person's document already ended identity for the session."""
        assert self.session is not None
        if self.session.identity_refused:
            self._mismatch()
        else:
            self._go(step)

    def no_mrz(self) -> None:
        """The guest's card has no machine-readable lines (an Indonesian KTP, say)."""
        self.touch()
        if self.step is not Step.IDENTITY:
            return
        if self.walk_in is not None and self.walk_in_may_type:
            self.type_details()
        elif self.settings.id_without_mrz == "photo" and self.camera is not None:
            self._go(Step.ID_PHOTO)
        else:
            self._fail(
                Problem(
                    "id_needs_staff",
                    N_("Our staff will check your ID card"),
                    N_("Please show your ID card at the front desk. It only takes a moment."),
                    (Action.STAFF, Action.TRY_AGAIN),
                )
            )

    def take_photo(self) -> None:
        self.touch()
        camera = self.camera
        if self.step is not Step.ID_PHOTO or camera is None:
            return
        self._wait("photo")
        self._run(camera, self._photo_taken, self._photo_failed)

    def _photo_taken(self, photo: IdPhoto) -> None:
        assert self.session is not None
        if photo.content is PhotoContent.NOTHING:
            self._fail(
                Problem(
                    "photo_no_document",
                    N_("We cannot see an ID card in the photo"),
                    N_(
                        "Place your ID card face up inside the frame, so that all four corners show, "
                        "then take the photo again. Our staff can also check it at the front desk."
                    ),
                    (Action.TRY_AGAIN, Action.STAFF),
                )
            )
            return
        if self.session.identity_refused:
            self._mismatch()
            return
        self.session.id_photo = photo.jpeg
        # A walk-in's card has no lines to read: the name on the booking is typed from it.
        self._go(Step.WALKIN_DETAILS if self.walk_in is not None else Step.REGISTRATION)

    def _photo_failed(self, exc: BaseException) -> None:
        log.warning("ID photo failed: %s", exc)
        self._fail(
            Problem(
                "photo_failed",
                N_("The camera could not take the photo"),
                N_("Please try again, or show your ID card to our staff."),
                (Action.TRY_AGAIN, Action.STAFF),
            )
        )

    def skip_identity(self) -> None:
        self.touch()
        if self.walk_in is not None:
            self.type_details()  # a walk-in needs a name on the booking
        elif self.settings.identity == "optional" and self.step in (Step.IDENTITY, Step.PROBLEM):
            self._identity_passed(Step.REGISTRATION)

    # -- registration card and signature --------------------------------------------------------

    def email_label(self) -> str:
        """The e-mail field's label: a receipt is promised only when the front office sends one."""
        if self.property is not None and self.property.email_receipts:
            return N_("E-mail (for your receipt)")
        return N_("E-mail")

    def read_terms(self) -> None:
        """From the registration card: the house rules and privacy notice in full, over it."""
        self.touch()
        if self.step is Step.REGISTRATION:
            self.overlay = Overlay.TERMS
            self._changed()

    def terms_text(self) -> Terms | None:
        """The texts of the version the guest accepts, in their language (None: none shipped)."""
        return self.terms.get(self.language)

    def submit_registration(self, email: str, phone: str, accepted: bool) -> None:
        self.touch()
        assert self.session is not None
        email, phone = email.strip(), phone.strip()
        self.session.email, self.session.phone, self.session.terms_accepted = email, phone, accepted
        if not EMAIL.match(email):
            self._invalid(N_("This e-mail address does not look right."))
        elif not PHONE.match(phone):
            self._invalid(N_("This phone number does not look right."))
        elif not accepted:
            self._invalid(N_("Please accept the house rules and privacy notice to continue."))
        else:
            self._go(Step.SIGNATURE)

    def submit_signature(self, png: bytes | None) -> None:
        self.touch()
        assert self.session is not None
        if not png:
            self._invalid(N_("Please sign with your finger in the box."))
            return
        self.session.signature_png = png
        self._check_before_paying() if self.session.walk_in else self._assign_room()

    # -- room ----------------------------------------------------------------------------------

    def _assign_room(self) -> None:
        session = self.session
        assert session is not None and session.booking is not None
        booking = session.booking
        self._wait("room")
        self._run(
            lambda: self.office.assign_room(booking),
            self._room_assigned,
            lambda exc: self._room_failed(exc, self._assign_room),
        )

    def _room_assigned(self, booking: Booking) -> None:
        session = self.session
        assert session is not None
        session.booking = booking
        if booking.room is None or not booking.room.ready:
            number = booking.room.number if booking.room else ""
            self._room_failed(RoomNotReady("room not ready", number), self._assign_room)
            return
        self._go(Step.ROOM)
        # The bill, for the breakdown before paying, while the guest reads about their room.
        # Without it (offline) the breakdown is the booking's own total.
        self._run(lambda: self.office.folio(booking), self._folio_for_breakdown, lambda _exc: None)

    def _folio_for_breakdown(self, folio: Folio) -> None:
        # Too late once the breakdown is on screen: its lines never change under the guest's eyes.
        if self.step is Step.ROOM:
            assert self.session is not None
            self.session.folio = folio

    def _room_failed(self, exc: BaseException, retry: Callable[[], None]) -> None:
        if not isinstance(exc, RoomNotReady):
            self._fail(_server_problem(exc), retry)
            return
        session = self.session
        assert session is not None
        phone = session.phone
        ready_by = self.property.check_in_time if self.property else ""
        body = ROOM_NOT_READY_TEXTS[bool(ready_by), bool(phone)]
        self._fail(
            Problem(
                "room_not_ready",
                N_("Your room is not quite ready"),
                body,
                ((Action.NOTIFY_ME,) if phone else ()) + (Action.STAFF,),
                {"time": ready_by, "phone": phone},
            )
        )

    def room_seen(self) -> None:
        """The guest saw their room and goes on: pay what is due, or check in."""
        self.touch()
        session = self.session
        assert session is not None and session.booking is not None
        booking = session.booking
        if booking.balance > 0:
            session.operation, minor = Operation.SALE, booking.balance
        elif booking.deposit_amount > booking.deposit_held:
            session.operation, minor = Operation.PREAUTH, booking.deposit_amount - booking.deposit_held
        else:
            session.operation, minor = None, 0
        session.due = Money(minor, booking.currency) if minor else None
        if session.due is None:
            self._check_in()
        else:
            self._go(Step.PAYMENT)

    # -- payment -------------------------------------------------------------------------------

    def confirmation(self) -> confirm.Confirmation | None:
        """What the guest is asked to confirm on this step (PAYMENT: the charge; OUT_EARLY: leaving)."""
        session = self.session
        if session is None:
            return None
        if self.step is Step.OUT_EARLY:
            return self.early_check_out()
        if self.step is not Step.PAYMENT or session.due is None or session.operation is None:
            return None
        due, op = session.due, session.operation
        w, state = session.walk_in, session.checkout
        if w is not None and w.offer is not None:
            total = Money(w.offer.total, w.offer.currency)
            return confirm.charge(
                confirm.offer_items(w.offer, w.nights), total=total, paid=0, operation=op, due=due
            )
        if state is not None and state.folio is not None:
            folio = state.folio
            hold = folio.hold.amount if folio.hold else 0
            items = confirm.folio_items(folio)
            total = Money(folio.total, folio.currency)
            return confirm.charge(items, total=total, paid=folio.paid, operation=op, due=due, hold=hold)
        booking = session.booking
        assert booking is not None
        folio = session.folio
        if folio is not None:
            total = Money(folio.total, folio.currency)
            return confirm.charge(
                confirm.folio_items(folio), total=total, paid=folio.paid, operation=op, due=due
            )
        total = Money(booking.total, booking.currency)
        return confirm.charge(
            confirm.booking_items(booking), total=total, paid=booking.paid, operation=op, due=due
        )

    def confirm(self) -> None:
        """The guest confirmed what the step showed: pay, or check out before the departure date."""
        if self.step is Step.PAYMENT:
            self.pay()
        elif self.step is Step.OUT_EARLY:
            self.early_check_out_confirmed()

    def pay(self) -> None:
        """The charge shown on PAYMENT, confirmed: now the terminal is asked."""
        self.touch()
        session = self.session
        if self.step is not Step.PAYMENT or session is None or session.due is None:
            return  # only from the confirmed breakdown: a late press elsewhere charges nothing
        terminal = self.terminal
        if terminal is None:
            self._payment_failed(DeviceError("no card terminal configured"))
            return
        amount = session.due
        # The booking's id is the payment's reference (a walk-in's is made here, before booking).
        reference = str(session.booking.id) if session.booking else str(session.walk_in.booking_id)
        session.terminal_prompt = None
        session.terminal_lines = []
        if self._unsubscribe_terminal is None:
            self._unsubscribe_terminal = terminal.subscribe(self._terminal_event)
        start = terminal.sale if session.operation is Operation.SALE else terminal.preauthorise
        # A fresh key per attempt: a declined attempt is over, the next one is a new transaction.
        key = uuid.uuid4().hex
        work = (
            self._capture_work(terminal, amount, key)
            if session.operation is Operation.CAPTURE
            else lambda: start(amount, reference, key).result()
        )
        self._go(Step.PAYING)
        self._run(work, self._paid, self._payment_failed)

    def _terminal_event(self, event: DeviceEvent) -> None:
        # Device thread: hand it over to the journey's thread.
        if isinstance(event, DataEvent):
            self.runner.post(lambda: self._terminal_data(event.data))

    def _terminal_data(self, data: object) -> None:
        session = self.session
        if session is None or self.step is not Step.PAYING:
            return
        if isinstance(data, DisplayText):
            session.terminal_prompt = data.code
            self._changed()
        elif isinstance(data, ReceiptLine) and data.receipt in ("customer", ""):
            session.terminal_lines.append(data.text)

    def _paid(self, result: PaymentResult) -> None:
        session = self.session
        assert session is not None
        if not result.approved:
            text, actions = PAYMENT_TEXTS[result.guest_message]
            kind = "payment_unknown" if result.guest_message is GuestMessage.UNKNOWN else "payment_declined"
            title = N_("Payment not completed")
            self._fail(Problem(kind, title, text, actions, {"amount": session.due}))
            return
        if session.walk_in is not None:
            self._walk_in_paid(result)
            return
        assert session.booking is not None
        session.payments.append(result)
        if session.checkout is not None:
            self._check_out_paid(result)
            return
        booking = session.booking
        self._wait("record")
        self._run(
            lambda: self.office.record_payment(booking, result),
            lambda _none: self._check_in(),
            lambda exc: self._payment_not_recorded(exc, result),
        )

    def _payment_not_recorded(self, exc: BaseException, result: PaymentResult) -> None:
        # The money is taken; the guest must not pay again. Staff settle the record.
        log.error("approved payment %s not recorded: %s", result.idempotency_key, exc)
        booking_id = self.session.booking.id if self.session and self.session.booking else None
        reason = f"approved payment {result.idempotency_key} not recorded: {exc}"
        self.runner.run(
            lambda: self.office.request_assistance("payment", reason, booking_id), lambda _r, _e: None
        )
        self._check_in()

    def _payment_failed(self, exc: BaseException) -> None:
        log.warning("payment did not run: %s", exc)
        text, actions = PAYMENT_TEXTS[GuestMessage.TERMINAL_PROBLEM]
        self._fail(Problem("terminal_error", N_("Payment not completed"), text, actions))

    # -- check-in and receipt ------------------------------------------------------------------

    def _check_in(self) -> None:
        session = self.session
        assert session is not None and session.booking is not None
        booking = session.booking
        registration = Registration(
            email=session.email,
            phone=session.phone,
            terms_version=self.settings.terms_version,
            language=self.language,
            signature_png=session.signature_png,
            id_photo_jpeg=session.id_photo,
        )
        self._wait("checkin")
        self._run(
            lambda: self.office.check_in(booking, registration),
            self._checked_in,
            lambda exc: self._room_failed(exc, self._check_in),
        )

    def _checked_in(self, booking: Booking) -> None:
        session = self.session
        assert session is not None
        session.booking = booking
        self._print()

    def _print(self) -> None:
        session = self.session
        assert session is not None
        receipt = self.build_receipt()
        session.receipt_qr = receipt.qr_payloads()[0]
        printer = self.printer
        if printer is None:
            self._finish(printed=False)
            return
        self._wait("print")
        job = session.print_job
        self._run(
            lambda: printer.print_receipt(receipt, job_id=job).result(),
            lambda _result: self._finish(printed=True),
            self._print_failed,
        )

    def _print_failed(self, exc: BaseException) -> None:
        log.warning("receipt not printed: %s", exc)
        self._finish(printed=False)

    def _finish(self, *, printed: bool) -> None:
        assert self.session is not None
        self.session.printed = printed
        self._finish_until = self.clock() + self.settings.finish_s
        self._go(Step.FINISH)

    def build_receipt(self) -> Receipt:
        session = self.session
        assert session is not None and session.booking is not None
        booking, prop = session.booking, self.property
        room = booking.room
        lang = self.language
        # The property's own clock, not the kiosk's: a receipt in Jakarta shows Jakarta time.
        tz_now = datetime.now(ZoneInfo(prop.timezone) if prop else UTC)
        payments = [
            card_payment(p, self.translate(lang, PAID_FOR[p.operation]).format(nights=booking.nights),
                         session.terminal_lines)
            for p in session.payments
        ]  # fmt: skip
        return checkin_receipt(
            hotel_name=prop.name if prop else "",
            guest_name=f"{booking.guest.given_names} {booking.guest.surname}".strip(),
            confirmation_code=booking.confirmation_code,
            room_number=room.number if room else "",
            floor=str(room.floor) if room else "",
            arrival=booking.arrival,
            departure=booking.departure,
            wifi_ssid=prop.wifi_ssid if prop else "",
            wifi_password=prop.wifi_password if prop else "",
            breakfast=parse_breakfast(prop.breakfast_hours) if prop else None,
            room_access_code=booking.access_code,
            qr_payload=booking.qr_token,
            issued_at=tz_now,
            payments=payments,
            locale=self.formats,
            translate=lambda msgid: self.translate(lang, msgid),
        )

    # -- problems: the ways forward -------------------------------------------------------------

    def act(self, action: Action) -> None:
        self.touch()
        problem = self.problem
        session = self.session
        if problem is None or session is None or action not in problem.actions:
            return
        if session.checkout is not None and self._act_check_out(action):
            return
        if action is Action.STAFF:
            self.help(problem.kind)
        elif action is Action.START_OVER:
            self.end()
        elif action is Action.OTHER_WAY:
            self._go(Step.FIND)
        elif action is Action.SKIP:
            self.skip_identity()
        elif action in (Action.RETRY_PAYMENT, Action.OTHER_CARD):
            self._go(Step.PAYMENT)
        elif action is Action.NOTIFY_ME:
            self._notify_me()
        elif action is Action.TYPE_DETAILS:
            self.type_details()
        elif action is Action.TRY_AGAIN:
            if self._retry is not None:
                self._retry()
            else:
                self._go(_retry_step(problem))

    def fault(self) -> None:
        """The kiosk itself failed (the app has logged it): an apology and a way on. A guest keeps
        their session, to start over or have staff finish it; with nobody's session, the welcome
        screen again, as after a second fault in a row (the apology itself failing, or the
        still-there prompt that would have wiped the session). While the terminal is paying it
        leads, and its answer moves the journey on."""
        if self.step is Step.PAYING:
            return
        again = self.step is Step.PROBLEM and self.problem is not None and self.problem.kind == "fault"
        if self.session is None or again:
            self.end()
            return
        self.overlay = Overlay.NONE
        self._fail(
            Problem(
                "fault",
                N_("Sorry, something went wrong here"),
                N_("Please start again, or call our staff: they will finish it with you."),
                (Action.STAFF, Action.START_OVER),
            )
        )

    def _notify_me(self) -> None:
        session = self.session
        assert session is not None and session.booking is not None
        booking_id, phone = session.booking.id, session.phone
        session.notify_phone = phone
        self._wait("notify")
        reason = f"text the guest at {phone} when the room is ready"
        self._run(
            lambda: self.office.request_assistance("room", reason, booking_id),
            lambda _none: self._fail(
                Problem(
                    "notify_booked",
                    N_("We will text you"),
                    N_("We will send a message to {phone} as soon as your room is ready."),
                    (Action.START_OVER,),
                    {"phone": phone},
                )
            ),
            lambda exc: self._fail(_server_problem(exc), self._notify_me),
        )


def _retry_step(problem: Problem) -> Step:
    if problem.kind == "not_found":
        return problem.params.get("back_to", Step.FIND)
    if problem.kind.startswith("id_"):
        return Step.IDENTITY
    if problem.kind in ("photo_failed", "photo_no_document"):
        return Step.ID_PHOTO
    return Step.FIND


def _unreadable_code() -> Problem:
    return Problem(
        "code_unreadable",
        N_("We could not read that code"),
        N_("Hold the booking QR code or your passport steady under the scanner, or type your details."),
        (Action.TRY_AGAIN, Action.OTHER_WAY, Action.STAFF),
    )


def _server_problem(exc: BaseException) -> Problem:
    if isinstance(exc, Offline):
        return Problem(
            "offline",
            N_("We cannot reach the front office right now"),
            N_("Please try again in a moment, or ask our staff at the front desk."),
            (Action.TRY_AGAIN, Action.STAFF),
        )
    if isinstance(exc, Refused) and exc.code == "not_arriving_today":
        return Problem(
            "not_today",
            N_("This booking does not start today"),
            N_("Please check your dates, or ask our staff."),
            (Action.STAFF, Action.START_OVER),
        )
    log.warning("front office refused: %r", exc)
    return Problem(
        "refused",
        N_("We cannot finish this here"),
        N_("Our staff at the front desk will finish your check-in with you."),
        (Action.STAFF, Action.START_OVER),
    )


# What a payment taken at the kiosk was for, as its receipt says it.
PAID_FOR = {
    Operation.SALE: N_("Your stay, {nights} nights"),
    Operation.PREAUTH: N_("Deposit held on your card (not charged)"),
    Operation.CAPTURE: N_("Taken from your deposit"),
    Operation.REFUND: N_("Refund"),
    Operation.REVERSAL: N_("Refund"),
}


def card_payment(result: PaymentResult, label: str, terminal_lines: list[str]) -> CardPayment:
    """A payment as a receipt shows it: what it was for, the card, and the terminal's receipt number."""
    receipt_no = f"{result.terminal_id}-{result.receipt_no:04d}" if result.receipt_no is not None else ""
    return CardPayment(
        result.amount, result.card_brand, result.masked_pan, result.auth_code, tuple(terminal_lines),
        label=label, receipt_no=receipt_no.lstrip("-"),
    )  # fmt: skip


def parse_breakfast(text: str) -> tuple[time, time] | None:
    """'06:30–10:30, restaurant on floor 1' -> (06:30, 10:30)."""
    m = _BREAKFAST.search(text)
    if m is None:
        return None
    h1, m1, h2, m2 = map(int, m.groups())
    return time(h1, m1), time(h2, m2)


def default_arrivals(business_date: date) -> list[date]:
    """The arrival dates the guest can pick: today, and yesterday for a guest arriving after midnight."""
    return [business_date, business_date - timedelta(days=1)]
