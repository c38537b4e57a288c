"""What the check-in journey needs from the world, as small Protocols (tests hand in fakes).

The front office is ``kiosk.frontdesk.FrontDesk`` in the app; devices are the ``drivers``
payment terminal and receipt printer. Scanned documents are ``drivers.idscan.IdDocument`` in the
app; the journey only reads the fields below.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from drivers.base import DeviceEvent
from drivers.money import Money
from drivers.payment.model import PaymentResult
from drivers.printer.document import Receipt
from kiosk.frontdesk import Booking, Folio, Offer, PropertyInfo, Registration, WalkInGuest

T = TypeVar("T")


@dataclass(frozen=True)
class Terms:
    """The house rules and privacy notice of one version, in one language (``kiosk/terms.py``)."""

    version: str
    house_rules: str
    privacy: str


class FrontOffice(Protocol):
    """The calls of ``kiosk.frontdesk.FrontDesk`` the journey makes (each blocks: run off the UI)."""

    def property(self) -> PropertyInfo: ...

    def search(
        self,
        *,
        confirmation_code: str | None = None,
        surname: str | None = None,
        qr_token: str | None = None,
        birth_date: date | None = None,
        arrival: date | None = None,
    ) -> list[Booking]: ...

    def assign_room(self, booking: Booking) -> Booking: ...

    def check_in(self, booking: Booking, registration: Registration | None = None) -> Booking: ...

    def record_payment(self, booking: Booking, result: PaymentResult) -> None: ...

    def request_assistance(
        self, screen: str, reason: str = "", booking_id: uuid.UUID | None = None
    ) -> None: ...

    # Check-out (online only).
    def find_stay(
        self, *, qr_token: str | None = None, room: str | None = None, surname: str | None = None
    ) -> list[Booking]: ...

    def folio(self, booking: Booking) -> Folio: ...

    def settle_payment(self, booking: Booking, result: PaymentResult) -> None: ...

    def check_out(self, booking: Booking, key: str) -> Booking: ...

    def availability(self, nights: int, adults: int = 1, children: int = 0) -> list[Offer]: ...

    def book_walk_in(
        self,
        offer: Offer,
        nights: int,
        guest: WalkInGuest,
        adults: int = 1,
        children: int = 0,
        *,
        booking_id: uuid.UUID | None = None,
        payment: PaymentResult | None = None,
    ) -> Booking: ...


class CardTerminal(Protocol):
    """``drivers.payment.PaymentTerminal``: futures for money, prompts as DataEvents."""

    def sale(
        self, amount: Money, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]: ...

    def preauthorise(
        self, amount: Money, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]: ...

    def capture(
        self, preauth: PaymentResult, amount: Money, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]: ...

    def reverse(
        self, original: PaymentResult, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]: ...

    def subscribe(self, listener: Callable[[DeviceEvent], None]) -> Callable[[], None]: ...


class ReceiptPrinter(Protocol):
    def print_receipt(self, doc: Receipt, *, job_id: str | None = None) -> Future[Any]: ...


class DocumentFields(Protocol):
    surname: str
    given_names: str
    birth_date: date | None
    expiry_date: date | None
    document_number: str
    nationality: str
    booking_token: str
    names_truncated: bool  # the document may carry a name cut short


class ScannedDocument(Protocol):
    """What a scanner read: a passport/ID card MRZ, a licence, or a booking QR token."""

    @property
    def kind(self) -> str: ...  # "td1" | "td2" | "td3" | ... | "booking" | "unknown"

    @property
    def valid(self) -> bool: ...

    @property
    def fields(self) -> DocumentFields: ...


class Runner(Protocol):
    """Where blocking work runs and how results come back to the journey's (UI) thread."""

    def run(self, work: Callable[[], T], done: Callable[[T | None, BaseException | None], None]) -> None:
        """Run ``work`` off the UI thread; call ``done(result, error)`` back on it."""
        ...

    def post(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` on the journey's thread (for device events arriving on device threads)."""
        ...
