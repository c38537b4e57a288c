"""Self check-out, as a mixin of the kiosk journey: find the stay (the check-in receipt's QR, or
room number + surname), show the bill, pay what is due on the card terminal (from the deposit
held on the card when there is one), check out, print the invoice (or show it), thank the guest.

Plain Python like ``checkin.py``, whose machinery it uses: ``_go``, ``_run``, ``_fail``, the
PAYMENT/PAYING steps and the problems' ways forward. Check-out needs the server: only it knows
the final bill (the desk may have posted a charge the kiosk's copy has not seen), so offline the
guest is told so kindly and sent to the desk, and nothing is charged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from drivers.money import Money
from drivers.payment.model import Operation, Outcome, PaymentResult
from drivers.printer.document import Receipt
from drivers.printer.receipts import Invoice, InvoiceLine, Levy, checkout_invoice
from kiosk.frontdesk import Booking, Folio, Hold, NotFound, Offline, Refused
from kiosk.i18n import N_, short_date
from kiosk.journey import confirm

if TYPE_CHECKING:
    from kiosk.journey.checkin import Action, Problem, ScannedDocument, Session, Step

log = logging.getLogger(__name__)

WAIT = {
    "stay": N_("Looking for your stay…"),
    "folio": N_("Getting your bill…"),
    "record": N_("Saving your payment…"),
    "checkout": N_("Checking you out…"),
    "print": N_("Printing your invoice…"),
}

# The server's reasons for sending a stay to the desk -> (title, body), said kindly.
REASONS: dict[str, tuple[str, str]] = {
    "disputed_charges": (
        N_("Our staff will go through your bill with you"),
        N_("An item on your bill is being checked. Please see our staff at the front desk to check out."),
    ),
    "payment_review": (
        N_("Our staff will finish your check-out"),
        N_(
            "A payment on your bill is still being confirmed. Please see our staff at the front desk; "
            "you will not be charged twice."
        ),
    ),
    "reservation_confirmed": (
        N_("You are not checked in yet"),
        N_("This booking has not started yet. Our staff at the front desk can help you."),
    ),
    "reservation_checked_out": (
        N_("You have already checked out"),
        N_("Thank you for staying with us. Our staff can give you a copy of your invoice."),
    ),
}
DESK = (
    N_("Please check out at the front desk"),
    N_("Our staff at the front desk will finish your check-out with you."),
)


@dataclass
class CheckoutState:
    """What the check-out holds about one stay, inside the guest's ``Session``."""

    key: str = field(default_factory=lambda: uuid.uuid4().hex)  # one check-out, however often tried
    folio: Folio | None = None
    use_hold: bool = True  # False once the guest chose another card over the deposit's
    captured: Money | None = None  # taken from the deposit held on the card
    hold_left: Money | None = None  # still held on the card when the guest left
    printed: bool = False
    early_confirmed: bool = False  # the guest confirmed leaving before the booked departure


@dataclass(frozen=True)
class FolioLine:
    """One line of the bill as the guest sees it: a night, an extra, a payment or refund, the hold."""

    kind: str  # night | extra | payment | refund | hold
    label: str  # msgid or the charge's own description
    amount: int  # minor units, never negative: a payment's counts against the bill
    night: date | None = None

    @property
    def credit(self) -> bool:
        return self.kind == "payment"


def folio_lines(folio: Folio) -> list[FolioLine]:
    """Charges by night (room, service and tax of a night together), then extras, then payments."""
    nights: dict[date, int] = {}
    for charge in folio.charges:
        if charge.night is not None and charge.type != "extra":
            nights[charge.night] = nights.get(charge.night, 0) + charge.amount
    by_night = [
        FolioLine("night", N_("Night of {date}"), amount, night) for night, amount in sorted(nights.items())
    ]
    extras = [
        FolioLine("extra", c.description if c.type == "extra" else CHARGE_LABELS.get(c.type, c.description),
                  c.amount, c.night)
        for c in folio.charges
        if c.night is None or c.type == "extra"
    ]  # fmt: skip
    paid = [
        FolioLine("refund" if p.kind == "refund" else "payment", PAYMENT_LABELS[p.kind], p.amount)
        for p in folio.payments
        if p.kind != "preauth"
    ]
    lines = by_night + extras + paid
    if folio.hold is not None:
        lines.append(FolioLine("hold", N_("Deposit held on your card (not charged)"), folio.hold.amount))
    return lines


def line_label(line: FolioLine, translate: Callable[[str], str], lang: str) -> str:
    """The line's words in the guest's language (an extra keeps the desk's own description)."""
    if line.kind == "night" and line.night is not None:
        return translate(line.label).format(date=short_date(line.night, lang))
    return translate(line.label)


CHARGE_LABELS = {"room": N_("Room"), "service": N_("Service charge"), "tax": N_("Tax")}
PAYMENT_LABELS = {
    "sale": N_("Card payment"),
    "capture": N_("Taken from your deposit"),
    "refund": N_("Refund"),
}


class CheckoutFlow:
    """The check-out steps of ``CheckinJourney`` (which this is mixed into)."""

    if TYPE_CHECKING:  # what the journey provides
        session: Session | None
        step: Step
        printer: Any
        office: Any
        runner: Any
        property: Any
        language: str
        formats: str
        translate: Callable[[str, str], str]
        wait_text: str
        problem: Problem | None
        settings: Any
        clock: Callable[[], float]
        _finish_until: float

        def _go(self, step: Step) -> None: ...
        def _run(
            self, work: Callable[[], Any], ok: Callable[[Any], None], failed: Callable[[BaseException], None]
        ) -> None: ...
        def _fail(self, problem: Problem, retry: Callable[[], None] | None = None) -> None: ...
        def _invalid(self, msgid: str) -> None: ...
        def touch(self) -> None: ...
        def property_today(self) -> date: ...

    # -- finding the stay -------------------------------------------------------------------

    def start_check_out(self) -> None:
        self.session = checkin.Session(checkout=CheckoutState())
        self.touch()
        self._go(checkin.Step.OUT_FIND)

    @property
    def checking_out(self) -> bool:
        return self.session is not None and self.session.checkout is not None

    def type_room(self) -> None:
        """From OUT_FIND: no receipt at hand, type the room number and surname."""
        self.touch()
        if self.step is checkin.Step.OUT_FIND:
            self._go(checkin.Step.OUT_ENTER)

    def _scanned_for_check_out(self, doc: ScannedDocument) -> None:
        if str(doc.kind) == "booking" and doc.valid:
            self._find_stay({"qr_token": doc.fields.booking_token}, checkin.Step.OUT_FIND)
        else:
            self._unreadable_receipt()

    def _unreadable_receipt(self) -> None:
        self._fail(
            checkin.Problem(
                "checkout_unreadable",
                N_("We could not read that code"),
                N_(
                    "Hold the QR code on your check-in receipt steady under the scanner, "
                    "or type your room number and surname."
                ),
                (checkin.Action.TRY_AGAIN, checkin.Action.OTHER_WAY, checkin.Action.STAFF),
            ),
            retry=lambda: self._go(checkin.Step.OUT_FIND),
        )

    def submit_room(self, room: str, surname: str) -> None:
        self.touch()
        room, surname = room.strip(), surname.strip()
        if not room or not any(c.isalnum() for c in room):
            self._invalid(N_("Please type your room number."))
        elif not any(c.isalpha() for c in surname):
            self._invalid(N_("Please type your surname."))
        else:
            self._find_stay({"room": room, "surname": surname}, checkin.Step.OUT_ENTER)

    def _wait_for(self, what: str) -> None:
        self.wait_text = WAIT[what]
        self._go(checkin.Step.WAIT)

    def _find_stay(self, query: dict[str, str], came_from: Step) -> None:
        self._wait_for("stay")
        self._run(
            lambda: self.office.find_stay(**query),
            lambda found: self._stay_found(found, came_from),
            lambda exc: self._stay_search_failed(exc, came_from),
        )

    def _stay_found(self, found: list[Booking], came_from: Step) -> None:
        session = self.session
        assert session is not None
        if not found:
            self._fail(
                checkin.Problem(
                    "stay_not_found",
                    N_("We could not find your stay"),
                    N_(
                        "Please check the room number and surname, or scan the QR code on your "
                        "check-in receipt. Our staff are happy to help."
                    ),
                    (checkin.Action.TRY_AGAIN, checkin.Action.OTHER_WAY, checkin.Action.STAFF),
                ),
                retry=lambda: self._go(came_from),
            )
            return
        # Two guests sharing a room check out together at the desk; a kiosk finds one stay.
        if len(found) > 1:
            self._send_to_desk("several_stays")
            return
        session.booking = found[0]
        self._load_folio()

    def _stay_search_failed(self, exc: BaseException, came_from: Step) -> None:
        if isinstance(exc, NotFound):
            self._stay_found([], came_from)
        elif isinstance(exc, Refused) and exc.code == "bad_qr_token":
            self._unreadable_receipt()
        else:
            self._server_failed(exc, lambda: self._go(came_from))

    def _server_failed(self, exc: BaseException, retry: Callable[[], None]) -> None:
        if isinstance(exc, Offline):
            self._fail(
                checkin.Problem(
                    "checkout_offline",
                    N_("We cannot check you out right now"),
                    N_(
                        "The kiosk cannot reach the front office, so it cannot be sure your bill is "
                        "complete. Nothing was charged. Please try again in a moment, or see our staff "
                        "at the front desk."
                    ),
                    (checkin.Action.TRY_AGAIN, checkin.Action.STAFF),
                ),
                retry,
            )
        elif isinstance(exc, Refused):
            self._send_to_desk(exc.code)
        else:
            log.warning("check-out: front office failed: %r", exc)
            self._send_to_desk("")

    def _send_to_desk(self, reason: str) -> None:
        title, body = REASONS.get(reason, DESK)
        self._fail(
            checkin.Problem(
                f"checkout_{reason}" if reason else "checkout_desk",
                title,
                body,
                (checkin.Action.STAFF, checkin.Action.START_OVER),
                {"reason": reason},
            )
        )

    # -- the bill ---------------------------------------------------------------------------

    def _load_folio(self, *, paid: bool = False) -> None:
        """Fetch the bill; ``paid``: the guest just paid to check out, so do it once nothing is due."""
        session = self.session
        assert session is not None and session.booking is not None
        booking = session.booking
        self._wait_for("folio")
        self._run(
            lambda: self.office.folio(booking),
            lambda folio: self._folio_loaded(folio, paid=paid),
            lambda exc: self._server_failed(exc, lambda: self._load_folio(paid=paid)),
        )

    def _folio_loaded(self, folio: Folio, *, paid: bool = False) -> None:
        session = self.session
        assert session is not None and session.checkout is not None and session.booking is not None
        state = session.checkout
        state.folio = folio
        if not folio.can_check_out:
            reason = folio.reason
            if reason == "not_in_house":
                reason = f"reservation_{session.booking.status}"
            self._send_to_desk(reason)
            return
        self._plan_payment(folio)
        if paid and session.due is None:
            self._check_out()
        else:
            self._go(checkin.Step.OUT_FOLIO)

    def _plan_payment(self, folio: Folio) -> None:
        """What the next payment is: the balance, from the deposit held when it can be."""
        session = self.session
        assert session is not None and session.checkout is not None
        session.terminal_lines = []
        if folio.balance <= 0:
            session.operation, session.due = None, None
            return
        hold = folio.hold
        if session.checkout.use_hold and hold is not None and _capturable(hold):
            session.operation = Operation.CAPTURE
            session.due = Money(min(folio.balance, hold.amount), folio.currency)
        else:
            session.operation = Operation.SALE
            session.due = Money(folio.balance, folio.currency)

    def confirm_folio(self) -> None:
        """The guest saw the bill: confirm leaving early, then pay what is due or check out."""
        self.touch()
        session = self.session
        if self.step is not checkin.Step.OUT_FOLIO or session is None or session.checkout is None:
            return
        if self.leaving_early and not session.checkout.early_confirmed:
            self._go(checkin.Step.OUT_EARLY)
        else:
            self._pay_or_check_out()

    @property
    def leaving_early(self) -> bool:
        """The booked departure is after today, where the hotel is."""
        session = self.session
        return (
            session is not None
            and session.booking is not None
            and (session.booking.departure > self.property_today())
        )

    def early_check_out(self) -> confirm.Confirmation | None:
        session = self.session
        if session is None or session.booking is None or session.checkout is None:
            return None
        folio = session.checkout.folio
        if folio is None:
            return None
        return confirm.early_check_out(folio, session.booking.departure, self.property_today())

    def early_check_out_confirmed(self) -> None:
        self.touch()
        session = self.session
        if self.step is not checkin.Step.OUT_EARLY or session is None or session.checkout is None:
            return
        session.checkout.early_confirmed = True
        self._pay_or_check_out()

    def _pay_or_check_out(self) -> None:
        session = self.session
        assert session is not None
        if session.due is None:
            self._check_out()
        else:
            self._go(checkin.Step.PAYMENT)

    def _capture_work(self, terminal: Any, amount: Money, key: str) -> Callable[[], PaymentResult]:
        """Book ``amount`` on the deposit's pre-authorisation (ZVT: Book Total on its receipt number)."""
        session = self.session
        assert session is not None and session.checkout is not None and session.checkout.folio is not None
        hold = session.checkout.folio.hold
        assert hold is not None
        booking_id = str(session.booking.id) if session.booking else ""
        preauth = PaymentResult(
            Outcome.APPROVED,
            Operation.PREAUTH,
            Money(hold.amount, amount.currency),
            0,
            "deposit",
            receipt_no=int(hold.terminal_ref),
            terminal_id=hold.terminal_id,
        )
        return lambda: terminal.capture(preauth, amount, booking_id, key).result()

    def _check_out_paid(self, result: PaymentResult) -> None:
        """An approved payment: the server must have it before the check-out (the balance)."""
        session = self.session
        assert session is not None and session.booking is not None and session.checkout is not None
        if result.operation is Operation.CAPTURE:
            session.checkout.captured = result.amount
        booking = session.booking
        self._wait_for("record")
        self._run(
            lambda: self.office.settle_payment(booking, result),
            lambda _none: self._load_folio(paid=True),
            lambda exc: self._payment_unconfirmed(exc, result),
        )

    def _payment_unconfirmed(self, exc: BaseException, result: PaymentResult) -> None:
        # The money is taken and queued for the server; the guest must not pay again.
        session = self.session
        booking_id = session.booking.id if session and session.booking else None
        reason = f"check-out: approved payment {result.idempotency_key} not confirmed by the server: {exc}"
        self.runner.run(
            lambda: self.office.request_assistance("checkout", reason, booking_id), lambda _r, _e: None
        )
        self._fail(
            checkin.Problem(
                "checkout_payment_unconfirmed",
                N_("Your payment is done"),
                N_(
                    "We could not confirm it with the front office just now. Our staff at the front "
                    "desk will finish your check-out; you will not be charged twice."
                ),
                (checkin.Action.STAFF, checkin.Action.START_OVER),
            )
        )

    def _act_check_out(self, action: Action) -> bool:
        """The problems' ways forward that differ while checking out; True when handled."""
        session = self.session
        assert session is not None and session.checkout is not None
        if action is checkin.Action.OTHER_WAY:
            # An unreadable receipt: type instead. Anything else: back to both ways of finding it.
            unreadable = self.problem is not None and self.problem.kind == "checkout_unreadable"
            self._go(checkin.Step.OUT_ENTER if unreadable else checkin.Step.OUT_FIND)
            return True
        if action is checkin.Action.OTHER_CARD and session.checkout.folio is not None:
            # The deposit's card was refused: the balance is paid by whatever card comes next.
            session.checkout.use_hold = False
            self._plan_payment(session.checkout.folio)
            self._go(checkin.Step.PAYMENT)
            return True
        return False

    # -- check-out, invoice, thanks ----------------------------------------------------------

    def _check_out(self) -> None:
        session = self.session
        assert session is not None and session.booking is not None and session.checkout is not None
        booking, key = session.booking, session.checkout.key
        self._wait_for("checkout")
        self._run(lambda: self.office.check_out(booking, key), self._checked_out, self._check_out_failed)

    def _check_out_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Refused) and exc.code == "balance_due":
            self._load_folio()  # the desk posted a charge meanwhile: show the bill as it is now
        else:
            self._server_failed(exc, self._check_out)

    def _checked_out(self, booking: Booking) -> None:
        session = self.session
        assert session is not None and session.checkout is not None and session.checkout.folio is not None
        state = session.checkout
        session.booking = booking
        hold = state.folio.hold
        if hold is not None and state.captured is None:
            # The terminal interface has no release of a pre-authorisation: the desk releases it.
            state.hold_left = Money(hold.amount, state.folio.currency)
            reason = (
                f"check-out: release the deposit hold of {hold.amount} "
                f"(terminal {hold.terminal_id}, receipt {hold.terminal_ref})"
            )
            booking_id = booking.id
            self.runner.run(
                lambda: self.office.request_assistance("checkout", reason, booking_id), lambda _r, _e: None
            )
        self._print_invoice()

    def _print_invoice(self) -> None:
        session = self.session
        assert session is not None and session.checkout is not None
        printer = self.printer
        if printer is None:
            self._checked_out_finish(printed=False)
            return
        invoice = self.build_invoice()
        self._wait_for("print")
        job = session.print_job
        self._run(
            lambda: printer.print_receipt(invoice, job_id=job).result(),
            lambda _r: self._checked_out_finish(printed=True),
            lambda exc: self._invoice_not_printed(exc),
        )

    def _invoice_not_printed(self, exc: BaseException) -> None:
        log.warning("invoice not printed: %s", exc)
        self._checked_out_finish(printed=False)

    def _checked_out_finish(self, *, printed: bool) -> None:
        session = self.session
        assert session is not None and session.checkout is not None
        session.checkout.printed = printed
        self._finish_until = self.clock() + self.settings.finish_s
        self._go(checkin.Step.OUT_FINISH)

    def build_invoice(self) -> Receipt:
        session = self.session
        assert session is not None and session.booking is not None and session.checkout is not None
        folio = session.checkout.folio
        assert folio is not None
        booking, prop, lang = session.booking, self.property, self.language

        def tr(msgid: str) -> str:
            return self.translate(lang, msgid)

        bill = invoice_bill(folio, tr, self.formats)
        rates = {"service": prop.service_rate_bp, "tax": prop.tax_rate_bp} if prop else {}
        levies = [
            Levy(tr(CHARGE_LABELS[kind]), rate, Money(amount, folio.currency))
            for kind, rate in rates.items()
            if (amount := bill.levied.get(kind, 0))
        ]
        return checkout_invoice(
            hotel_name=prop.name if prop else "",
            hotel_address=prop.address if prop else "",
            invoice=Invoice(booking.invoice_number, tax_id=prop.tax_id if prop else ""),
            guest_name=f"{booking.guest.given_names} {booking.guest.surname}".strip(),
            confirmation_code=booking.confirmation_code,
            room_number=booking.room.number if booking.room else "",
            arrival=booking.arrival,
            departure=booking.departure,
            lines=bill.charged,
            levies=levies,
            total=Money(folio.total, folio.currency),
            settled=bill.settled,
            balance=Money(folio.balance, folio.currency),
            payments=[
                checkin.card_payment(
                    p, tr(checkin.PAID_FOR[p.operation]).format(nights=booking.nights), session.terminal_lines
                )
                for p in session.payments
            ],
            issued_at=datetime.now(ZoneInfo(prop.timezone) if prop else UTC),
            locale=self.formats,
            translate=tr,
        )


@dataclass(frozen=True)
class InvoiceBill:
    """The bill as an invoice lays it out: what was charged before levies, each levy's sum, and
    what was paid or refunded."""

    charged: list[InvoiceLine]
    levied: dict[str, int]
    settled: list[InvoiceLine]


def invoice_bill(folio: Folio, translate: Callable[[str], str], locale: str) -> InvoiceBill:
    charged = [
        InvoiceLine(
            translate(N_("Room, night of {date}")).format(date=short_date(c.night, locale))
            if c.type == "room" and c.night is not None
            else c.description
            if c.type == "extra"
            else translate(CHARGE_LABELS.get(c.type, c.description)),
            Money(c.amount, folio.currency),
        )
        for c in folio.charges
        if c.type not in ("service", "tax")
    ]
    levied: dict[str, int] = {}
    for c in folio.charges:
        if c.type in ("service", "tax"):
            levied[c.type] = levied.get(c.type, 0) + c.amount
    settled = [
        InvoiceLine(
            translate(PAYMENT_LABELS[p.kind]), Money(p.amount, folio.currency), credit=p.kind != "refund"
        )
        for p in folio.payments
        if p.kind != "preauth"
    ]
    return InvoiceBill(charged, levied, settled)


def _capturable(hold: Hold) -> bool:
    # A capture books on the pre-authorisation's receipt number; without one the terminal cannot.
    return hold.terminal_ref.isdigit()


# At the end: checkin.py imports this module for the mixin before it defines what is used here,
# so the names are looked up when the methods run (either module may be imported first).
from kiosk.journey import checkin  # noqa: E402
