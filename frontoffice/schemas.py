"""The JSON shapes of the kiosk API v1, shared by the routes and by the sync pull."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Base64Bytes,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from frontoffice.models import PaymentKind, ReservationStatus


def _no_nul(value: str) -> str:
    # Free-form JSON (a device's health, an audit's detail) keeps NUL as the escape \u0000,
    # which both databases store alike.
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


# pydantic's lax mode would read "12" or true as a number, 0 as 1970-01-01 and "2026-11-27" as
# midnight; the OpenAPI promises JSON numbers and RFC 3339 strings, so anything else is refused.
_INSTANT = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _a_number(value: Any) -> Any:
    if isinstance(value, str | bool):
        raise ValueError("must be a JSON integer")
    return value


def _written_instant(value: Any) -> Any:
    if not isinstance(value, datetime) and not (isinstance(value, str) and _INSTANT.match(value)):
        raise ValueError("must be a date-time with its time zone, e.g. 2026-11-27T14:05:00+07:00")
    return value


def _written_day(value: Any) -> Any:
    if not isinstance(value, date) and not (isinstance(value, str) and _DAY.fullmatch(value)):
        raise ValueError("must be a date, e.g. 2026-11-27")
    return value


def _storable(value: datetime) -> datetime:
    """An instant the databases can hold: 0001-01-01T00:00+14:00 is before year 1 in UTC."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("must lie between the years 0001 and 9999 in UTC") from None
    return value


# Every instant a client sends: with its zone, within the years 1-9999 in UTC.
Instant = Annotated[AwareDatetime, BeforeValidator(_written_instant), AfterValidator(_storable)]
Day = Annotated[date, BeforeValidator(_written_day)]
# After the bounds, so that the OpenAPI still shows them as minimum / maximum.
JSON_INT = BeforeValidator(_a_number)
# JSON integers above 2**53 lose digits in many clients (and in the fuzzer's schema checks).
MAX_SAFE_INT = 2**53 - 1

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
MinorUnits = Annotated[int, Field(ge=0, le=10**15), JSON_INT]
Text = Annotated[str, Field(max_length=200)]
Email = Annotated[str, Field(max_length=200, pattern=r"^$|^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")]
Phone = Annotated[str, Field(max_length=40, pattern=r"^$|^\+?[0-9 ()-]{5,40}$")]


_NO_NUL = "^[^\\x00]*$"


def _no_nul_in_schema(schema: dict[str, Any]) -> None:
    """The OpenAPI says what ``In`` refuses: a text field without a pattern of its own gets one."""
    for prop in schema.get("properties", {}).values():
        for option in [prop, *prop.get("anyOf", [])]:
            if option.get("type") == "string" and not {"pattern", "format", "const", "enum"} & set(option):
                option["pattern"] = _NO_NUL


class In(BaseModel):
    """Request bodies: unknown fields are an error, so a client's typo is not silently ignored;
    no text may hold NUL (PostgreSQL cannot store it, SQLite would: refused alike on both)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_no_nul_in_schema)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _no_nul(value) if isinstance(value, str) else value


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- property and kiosk -------------------------------------------------------------------------


class PropertyOut(Out):
    code: str
    name: str
    address: str
    timezone: str
    currency: str
    business_date: date
    check_in_time: str
    check_out_time: str
    wifi_ssid: str
    wifi_password: str
    breakfast_hours: str
    # What the kiosk's invoices print: the property's tax id and the rates of its levies.
    tax_id: str
    service_rate_bp: int
    tax_rate_bp: int
    email_receipts: bool = False  # the server e-mails receipts and invoices: the kiosk may say so


class KioskOut(Out):
    id: uuid.UUID
    name: str
    property: PropertyOut


# --- reservations -------------------------------------------------------------------------------


class RoomOut(Out):
    id: uuid.UUID
    number: str
    floor: int
    directions: str
    directions_local: dict[str, str] = {}  # the same in other languages, by language code
    room_type: str
    occupancy: str
    housekeeping: str
    ready: bool


class GuestOut(Out):
    surname: str
    given_names: str
    birth_date: date | None
    nationality: str
    email: str
    phone: str


class RoomTypeOut(Out):
    code: str
    name: str
    description: str
    bed: str
    size_m2: int
    max_adults: int
    max_children: int


class ReservationOut(Out):
    id: uuid.UUID
    confirmation_code: str
    status: ReservationStatus
    arrival: date
    departure: date
    nights: int
    adults: int
    children: int
    room_type: RoomTypeOut
    room: RoomOut | None
    guest: GuestOut
    currency: str
    total: int
    paid: int
    balance: int
    deposit_amount: int
    deposit_held: int
    checked_in_at: datetime | None
    qr_token: str


class CheckInOut(ReservationOut):
    """The check-in's answer: the stay plus the room's access code, which nothing else shows a kiosk."""

    access_code: str


class CheckOutOut(ReservationOut):
    """The check-out's answer: the stay plus the number of the invoice it was given."""

    invoice_number: str


def _plausible_name(value: str) -> str:
    if not any(c.isalpha() for c in value):
        raise ValueError("must contain letters")
    return value


Surname = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_plausible_name)]


def _one_of(*modes: tuple[str, ...]) -> Callable[[dict[str, Any]], None]:
    """The OpenAPI form of "exactly one of these sets of fields" (a field set to null is absent)."""
    fields = sorted({name for mode in modes for name in mode})

    def extend(schema: dict[str, Any]) -> None:
        _no_nul_in_schema(schema)
        schema["oneOf"] = [
            {
                "required": list(mode),
                "properties": {
                    name: {"not": {"type": "null"}} if name in mode else {"type": "null"} for name in fields
                },
            }
            for mode in modes
        ]

    return extend


class SearchIn(In):
    """Exactly one way to find a booking: code + surname, a QR token, surname + birth date,
    or surname + arrival date."""

    model_config = ConfigDict(
        json_schema_extra=_one_of(
            ("qr_token",),
            ("confirmation_code", "surname"),
            ("surname", "birth_date"),
            ("surname", "arrival"),
        )
    )

    confirmation_code: Annotated[str, Field(min_length=3, max_length=32)] | None = None
    surname: Surname | None = None
    qr_token: Annotated[str, Field(min_length=10, max_length=200)] | None = None
    birth_date: Day | None = None
    arrival: Day | None = None

    @model_validator(mode="after")
    def _one_mode(self) -> SearchIn:
        modes = [
            self.qr_token is not None,
            self.confirmation_code is not None,
            self.birth_date is not None,
            self.arrival is not None,
        ]
        if sum(modes) != 1:
            raise ValueError(
                "give exactly one of: qr_token; confirmation_code + surname; "
                "surname + birth_date; surname + arrival"
            )
        if self.qr_token is None and self.surname is None:
            raise ValueError("surname is required with confirmation_code, birth_date or arrival")
        if self.qr_token is not None and self.surname is not None:
            raise ValueError("qr_token is used alone")
        return self


class SearchOut(Out):
    matches: list[ReservationOut]


class StaySearchIn(In):
    """An in-house stay for check-out: the check-in receipt's QR token alone, or room + surname."""

    model_config = ConfigDict(json_schema_extra=_one_of(("qr_token",), ("room", "surname")))

    qr_token: Annotated[str, Field(min_length=10, max_length=200)] | None = None
    room: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    surname: Surname | None = None

    @model_validator(mode="after")
    def _one_mode(self) -> StaySearchIn:
        if (self.qr_token is None) == (self.room is None) or (self.room is None) != (self.surname is None):
            raise ValueError("give either qr_token alone, or room + surname")
        return self


# --- stays --------------------------------------------------------------------------------------


def _image(magic: bytes, limit: int, what: str) -> Callable[[bytes], bytes]:
    def check(data: bytes) -> bytes:
        if not data.startswith(magic):
            raise ValueError(f"must be a {what}")
        if len(data) > limit:
            raise ValueError(f"must be at most {limit // 1024} KiB")
        return data

    return check


# Base64 in JSON. A signature is a small two-colour PNG; a card photo a camera JPEG.
_BASE64 = Field(
    json_schema_extra={"pattern": "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"}
)
SignaturePng = Annotated[
    Base64Bytes, _BASE64, AfterValidator(_image(b"\x89PNG\r\n\x1a\n", 256 * 1024, "PNG image"))
]
IdPhotoJpeg = Annotated[
    Base64Bytes, _BASE64, AfterValidator(_image(b"\xff\xd8\xff", 2048 * 1024, "JPEG image"))
]


_LANGUAGE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class RegistrationIn(In):
    email: Email | None = None
    phone: Phone | None = None
    terms_version: Annotated[str, Field(max_length=32)] = ""
    # The guest's language at the kiosk (BCP 47), for what is e-mailed to them.
    language: Annotated[str, Field(max_length=16, pattern=_LANGUAGE)] | None = None
    signature_png: SignaturePng | None = None
    # An ID card without MRZ, photographed for the desk to verify (deleted once verified).
    id_photo_jpeg: IdPhotoJpeg | None = None


class CheckInIn(In):
    registration: RegistrationIn = Field(default_factory=RegistrationIn)


_PAN_DIGITS = re.compile(r"\d")


def _masked_only(value: str) -> str:
    """A masked PAN shows at most the first 6 and last 4 digits; anything more is refused."""
    if value and (len(_PAN_DIGITS.findall(value)) > 10 or not re.search(r"[*Xx#•]", value)):
        raise ValueError("must be a masked card number (at most 6 leading and 4 trailing digits)")
    return value


class PaymentIn(In):
    id: uuid.UUID
    kind: PaymentKind
    method: Literal["card"] = "card"
    amount: Annotated[int, Field(gt=0, le=10**15), JSON_INT]
    currency: Currency
    card_brand: Annotated[str, Field(max_length=32)] = ""
    masked_pan: Annotated[str, Field(max_length=32), AfterValidator(_masked_only)] = ""
    auth_code: Annotated[str, Field(max_length=16)] = ""
    terminal_id: Annotated[str, Field(max_length=16)] = ""
    terminal_ref: Annotated[str, Field(max_length=32)] = ""
    # Why staff should look at this payment (e.g. settled by reconciliation after a crash).
    review_reason: Text = ""


class PaymentOut(Out):
    id: uuid.UUID
    kind: PaymentKind
    amount: int
    currency: str
    card_brand: str
    masked_pan: str
    auth_code: str
    terminal_id: str
    terminal_ref: str
    created_at: datetime


class ChargeOut(Out):
    type: str
    description: str
    night: date | None
    amount: int
    currency: str
    disputed: bool


class HoldOut(Out):
    """What is still held on the guest's card (pre-authorised, not yet captured), and where."""

    amount: int
    terminal_id: str
    terminal_ref: str  # the terminal's receipt number of the pre-authorisation


class CheckOutCheck(Out):
    """Can this stay check out at a kiosk? ``reason`` says why not (the guest goes to the desk)."""

    allowed: bool
    reason: str = ""


class FolioOut(Out):
    reservation_id: uuid.UUID
    currency: str
    charges: list[ChargeOut]
    payments: list[PaymentOut]
    total: int
    paid: int
    balance: int
    deposit_held: int
    hold: HoldOut | None = None
    check_out: CheckOutCheck = CheckOutCheck(allowed=True)


# --- walk-ins -----------------------------------------------------------------------------------


class NightRate(Out):
    night: date
    amount: int


class OfferOut(Out):
    room_type: RoomTypeOut
    available: int
    ready_now: int
    currency: str
    nights: list[NightRate]
    room: int
    service: int
    tax: int
    total: int


class AvailabilityOut(Out):
    arrival: date
    departure: date
    offers: list[OfferOut]


class WalkInGuestIn(In):
    surname: Surname
    given_names: Annotated[str, Field(max_length=160)] = ""
    birth_date: Day | None = None
    nationality: Annotated[str, Field(pattern=r"^$|^[A-Z]{3}$")] = ""
    email: Email = ""
    phone: Phone = ""


class WalkInIn(In):
    id: uuid.UUID
    room_type: Annotated[str, Field(min_length=1, max_length=16)]
    nights: Annotated[int, Field(ge=1, le=30), JSON_INT]
    adults: Annotated[int, Field(ge=1, le=8), JSON_INT] = 1
    children: Annotated[int, Field(ge=0, le=8), JSON_INT] = 0
    guest: WalkInGuestIn
    # The total the guest was shown; a different current price is refused, never charged.
    expected_total: MinorUnits
    # The terminal's payment for the stay (a sale) or its deposit (a pre-authorisation), committed
    # with the booking and the room: all three are written, or nothing is.
    payment: PaymentIn | None = None


# --- sync ---------------------------------------------------------------------------------------


class OpIn(In):
    op_id: Annotated[str, Field(min_length=8, max_length=80)]
    seq: Annotated[int, Field(ge=0, le=MAX_SAFE_INT), JSON_INT]
    type: Annotated[str, Field(min_length=1, max_length=48)]
    entity_id: Annotated[str, Field(max_length=64)] = ""
    # Checked per op when applied: a bad payload refuses its op, not the whole push.
    payload: dict[str, Any]
    created_at: Instant


class PushIn(In):
    kiosk_id: uuid.UUID
    ops: Annotated[list[OpIn], Field(max_length=500)]


class OpResult(BaseModel):
    op_id: str
    status: Literal["applied", "duplicate", "rejected"]
    reason: str = ""
    result: dict[str, Any] = Field(default_factory=dict)


class PushOut(BaseModel):
    results: list[OpResult]


class Change(BaseModel):
    entity: Literal["reservation", "room"]
    id: uuid.UUID
    # None: the kiosk should drop its copy (no longer an arrival, in-house stay or departure).
    data: dict[str, Any] | None


class PullOut(BaseModel):
    changes: list[Change]
    cursor: int
    more: bool


class AssistanceIn(In):
    id: uuid.UUID
    screen: Annotated[str, Field(min_length=1, max_length=64)]
    reason: Text = ""
    reservation_id: uuid.UUID | None = None
    created_at: Instant


class AuditIn(In):
    actor: Annotated[str, Field(min_length=1, max_length=80)]
    action: Annotated[str, Field(min_length=1, max_length=64)]
    entity: Annotated[str, Field(max_length=32)] = ""
    entity_id: Annotated[str, Field(max_length=64)] = ""
    detail: dict[str, Any] = Field(default_factory=dict)
    at: Instant


class HeartbeatIn(In):
    app_version: Annotated[str, Field(max_length=32)]
    outbox_depth: Annotated[int, Field(ge=0, le=10**9), JSON_INT]
    last_sync_at: Instant | None = None
    devices: dict[str, dict[str, Any]] = Field(default_factory=dict)


class AssistanceOut(BaseModel):
    id: uuid.UUID


class ErrorOut(BaseModel):
    """Every error answer: a stable code, a sentence, and details (for 422, each field's problem)."""

    error: str
    message: str
    detail: Any


class HealthOut(BaseModel):
    status: Literal["ok"]


# --- back office --------------------------------------------------------------------------------


class TotalLine(BaseModel):
    """One figure of the daily totals: integer minor units of ``currency``, never a float."""

    section: str
    key: str
    currency: str
    count: int
    amount: int


class ScopeTotals(BaseModel):
    scope: str  # "property", "kiosk:<name>" or "desk" (not sold at a kiosk)
    lines: list[TotalLine]


class DailyReportOut(BaseModel):
    property: str
    business_date: date
    currency: str
    generated_at: datetime
    scopes: list[ScopeTotals]
