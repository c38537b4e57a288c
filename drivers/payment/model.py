"""The payment terminal's vocabulary: money, operations, results and the events of a transaction."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from drivers.money import Money
from drivers.payment.cardmask import mask_pan, redact_text
from drivers.payment.messages import GuestMessage, guest_message_for, guest_text


class Operation(enum.StrEnum):
    SALE = "sale"
    PREAUTH = "preauth"
    CAPTURE = "capture"
    REVERSAL = "reversal"
    REFUND = "refund"
    END_OF_DAY = "end_of_day"


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    ABORTED = "aborted"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PaymentRequest:
    operation: Operation
    amount: Money
    reference: str
    idempotency_key: str
    # For capture and reversal: the transaction they act on, as the terminal numbered it.
    original_receipt_no: int | None = None
    original_trace_no: int | None = None


@dataclass(frozen=True)
class PaymentResult:
    """What a terminal answered. Holds no card data beyond the masked number and the brand."""

    outcome: Outcome
    operation: Operation
    amount: Money
    result_code: int | None
    meaning: str
    card_brand: str = ""
    masked_pan: str = ""
    auth_code: str = ""
    trace_no: int | None = None
    receipt_no: int | None = None
    terminal_id: str = ""
    timestamp: datetime = field(default_factory=lambda: datetime.now(UTC))
    reference: str = ""
    idempotency_key: str = ""
    # Fields of the terminal's answer that could not be read (named, never their content).
    parse_issues: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Masked here, once, so no path can build a result that carries a full card number.
        object.__setattr__(self, "masked_pan", mask_pan(self.masked_pan))
        object.__setattr__(self, "parse_issues", tuple(self.parse_issues))

    @property
    def approved(self) -> bool:
        return self.outcome is Outcome.APPROVED

    @property
    def guest_message(self) -> GuestMessage:
        if self.outcome is Outcome.UNKNOWN:
            return GuestMessage.UNKNOWN
        if self.outcome is Outcome.ABORTED:
            return GuestMessage.ABORTED
        return guest_message_for(self.result_code)

    def guest_text(self, language: str) -> str:
        return guest_text(self.guest_message, language)

    def for_request(self, request: PaymentRequest) -> PaymentResult:
        return replace(
            self,
            operation=request.operation,
            reference=request.reference,
            idempotency_key=request.idempotency_key,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["amount"] = {"minor": self.amount.minor, "currency": self.amount.currency}
        data["timestamp"] = self.timestamp.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaymentResult:
        values = dict(data)
        values["outcome"] = Outcome(values["outcome"])
        values["operation"] = Operation(values["operation"])
        values["amount"] = Money(**values["amount"])
        values["timestamp"] = datetime.fromisoformat(values["timestamp"])
        return cls(**values)


def unresolved_result(request: PaymentRequest, meaning: str) -> PaymentResult:
    return PaymentResult(Outcome.UNKNOWN, request.operation, request.amount, None, meaning).for_request(
        request
    )


@dataclass(frozen=True)
class TerminalStatus:
    ready: bool
    code: int | None
    meaning: str
    terminal_id: str = ""
    software_version: str = ""


# --- events delivered (as DataEvent.data) while a transaction runs ------------------------------


@dataclass(frozen=True)
class DisplayText:
    """What the terminal asks of the guest ("Insert card", "Enter PIN"); ``code`` is the terminal's."""

    code: int | None
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", redact_text(self.text))


@dataclass(frozen=True)
class ReceiptLine:
    """One line of the terminal's receipt for the kiosk to print."""

    text: str
    receipt: str = ""  # "customer", "merchant", "admin" or "" when the terminal does not say

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", redact_text(self.text))


@dataclass(frozen=True)
class ReviewNeeded:
    """A payment whose result could not be established: staff must check it on the terminal."""

    idempotency_key: str
    operation: Operation
    amount: Money
    reference: str
    reason: str
