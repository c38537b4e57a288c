"""One result type for everything a guest can hold up: passports, ID cards, visas, licences, booking codes.

Every parser returns an ``IdDocument``, never raises on bad input: an unreadable or inconsistent
document is an ``IdDocument`` with ``valid == False`` and a ``reason``. Raw scanner data is kept
in memory only and left out of ``repr`` so it never reaches a log.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple


class DocumentKind(enum.StrEnum):
    TD1 = "td1"  # ID card, 3 lines of 30
    TD2 = "td2"  # ID card, 2 lines of 36
    TD3 = "td3"  # passport, 2 lines of 44
    MRV_A = "mrv_a"  # visa, 2 lines of 44
    MRV_B = "mrv_b"  # visa, 2 lines of 36
    AAMVA_DL = "aamva_dl"  # North American driving licence
    AAMVA_ID = "aamva_id"  # North American ID card
    BOOKING = "booking"  # the server-signed booking QR token
    UNKNOWN = "unknown"  # nothing recognisable


class Source(enum.StrEnum):
    CAMERA = "camera"
    SERIAL = "serial"
    HID = "hid"
    TEXT = "text"  # typed or pasted, e.g. by staff or in tests


class ExpiryState(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # no readable expiry date
    NOT_APPLICABLE = "not_applicable"  # booking codes do not expire here; the server decides


class Sex(enum.StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNSPECIFIED = "X"


class Check(NamedTuple):
    """One verification: a check digit, a date, a mandatory element. ``corrected`` names OCR fixes."""

    name: str
    passed: bool
    corrected: bool = False


def mask(number: str) -> str:
    """A document number as it may appear in a log: only the last three characters kept."""
    if len(number) <= 4:
        return "*" * len(number)
    return "*" * (len(number) - 3) + number[-3:]


# Not frozen: a frozen dataclass's __init__ costs ~4x more, and the MRZ parser must reach
# 20,000 documents a second. Treat both as read-only all the same.
@dataclass(slots=True)
class DocumentFields:
    """What registration needs; empty strings / None where a document does not carry a field."""

    document_code: str = ""
    issuing_state: str = ""
    document_number: str = ""
    surname: str = ""
    given_names: str = ""
    nationality: str = ""
    birth_date: date | None = None
    expiry_date: date | None = None
    sex: Sex | None = None
    optional_data: str = ""
    address: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    booking_property: str = ""
    booking_reservation: str = ""
    booking_token: str = ""
    names_truncated: bool = False  # a name may be cut short to fit the document (AAMVA DDE/DDF/DDG)

    def __repr__(self) -> str:
        # Personal data stays out of logs; the kind and a masked number are enough to trace a scan.
        return f"DocumentFields(document_number={mask(self.document_number)!r})"


@dataclass(slots=True)
class IdDocument:
    kind: DocumentKind
    source: Source
    fields: DocumentFields = field(default_factory=DocumentFields)
    checks: tuple[Check, ...] = ()
    reason: str = ""  # why the document is not valid; empty when it is
    expiry: ExpiryState = ExpiryState.UNKNOWN
    raw: bytes = field(default=b"", repr=False, compare=False)
    read_at: datetime = field(default_factory=lambda: datetime.now(UTC), compare=False)

    def summary(self) -> str:
        """What was read, for the logs: the kind and whether it passed, never what it says."""
        return f"{self.kind.value} {'valid' if self.valid else f'not valid ({self.reason})'}"

    @property
    def valid(self) -> bool:
        """Recognised and every check passed. An expired document is still a valid reading."""
        recognised = self.kind is not DocumentKind.UNKNOWN and not self.reason
        return recognised and all(c.passed for c in self.checks)

    @property
    def corrected(self) -> bool:
        return any(c.corrected for c in self.checks)

    def expiry_on(self, day: date) -> ExpiryState:
        """Expiry against a property's business date (``expiry`` was judged on the UTC date)."""
        if self.expiry is ExpiryState.NOT_APPLICABLE:
            return self.expiry
        return expiry_state(self.fields.expiry_date, day)

    def failed_checks(self) -> list[str]:
        return [c.name for c in self.checks if not c.passed]

    def __repr__(self) -> str:
        state = "valid" if self.valid else f"invalid: {self.reason or ','.join(self.failed_checks())}"
        return (
            f"IdDocument({self.kind.value}, {state}, number={mask(self.fields.document_number)!r},"
            f" source={self.source.value})"
        )

    @classmethod
    def invalid(
        cls, source: Source, reason: str, raw: bytes = b"", kind: DocumentKind = DocumentKind.UNKNOWN
    ) -> IdDocument:
        return cls(kind=kind, source=source, reason=reason, raw=raw)


def expiry_state(expiry: date | None, today: date) -> ExpiryState:
    if expiry is None:
        return ExpiryState.UNKNOWN
    return ExpiryState.EXPIRED if expiry < today else ExpiryState.VALID


def utc_today() -> date:
    return datetime.now(UTC).date()
