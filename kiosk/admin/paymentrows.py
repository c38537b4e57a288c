"""The kiosk's card transactions as staff read them: when (the property's time), what, how much,
which card (brand and last four, never a raw id), and a status whose colour tells the truth: only
money that moved and stayed moved is green; a cancelled, refunded or declined payment never is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from drivers.money import Money
from drivers.payment.journal import EntryState, JournalEntry
from drivers.payment.model import Operation, Outcome
from kiosk.i18n import N_, local_time, money, zone_formats

OPERATIONS = {
    Operation.SALE: N_("Payment"),
    Operation.PREAUTH: N_("Deposit hold"),
    Operation.CAPTURE: N_("Deposit taken"),
    Operation.REVERSAL: N_("Cancelled payment"),
    Operation.REFUND: N_("Refund"),
    Operation.END_OF_DAY: N_("End of day"),
}
APPROVED = N_("Approved")
CANCELLED = N_("Cancelled")
REFUNDED = N_("Refunded")
DONE = N_("Done")
OUTCOMES = {
    Outcome.DECLINED: (N_("Declined"), "faulty"),
    Outcome.ABORTED: (N_("Not done"), "unknown"),
    Outcome.UNKNOWN: (N_("Needs checking"), "faulty"),
}
STATES = {
    EntryState.PENDING: (N_("In progress"), "unknown"),
    EntryState.NEEDS_REVIEW: (N_("Needs checking"), "faulty"),
}


@dataclass(frozen=True)
class PaymentRow:
    key: str
    at: datetime
    operation: str  # msgid
    amount: Money
    card: str  # "VISA •••• 1234", or "" before the terminal answered
    status: str  # msgid
    tone: str  # ok | faulty | unknown (grey: nothing wrong, but no money moved or it went back)


def summary(row: PaymentRow, tz: tzinfo, lang: str, translate: Callable[[str], str]) -> str:
    """``14.03 · Payment · Rp 1.250.000 · VISA •••• 1234``: the property's time and formats."""
    amount = money(row.amount, zone_formats(lang, tz))
    parts = [local_time(row.at, tz, lang), translate(row.operation), amount, row.card]
    return "  ·  ".join(filter(None, parts))


def last_four(masked_pan: str) -> str:
    digits = [c for c in masked_pan if c.isdigit()]
    return "".join(digits[-4:])


def payment_rows(entries: list[JournalEntry]) -> list[PaymentRow]:
    """One row per entry, in the order given; a sale or capture cancelled later by a reversal on
    its receipt number shows as cancelled."""
    cancelled = {
        e.request.original_receipt_no
        for e in entries
        if e.request.operation is Operation.REVERSAL and e.result is not None and e.result.approved
    }
    return [_row(e, cancelled) for e in entries]


def _row(entry: JournalEntry, cancelled: set[int | None]) -> PaymentRow:
    request, result = entry.request, entry.result
    card = ""
    if result is not None and result.masked_pan:
        card = f"{result.card_brand or ''} •••• {last_four(result.masked_pan)}".strip()
    status, tone = _status(entry, cancelled)
    what = OPERATIONS.get(request.operation, request.operation.value)
    return PaymentRow(entry.idempotency_key, entry.created_at, what, request.amount, card, status, tone)


def _status(entry: JournalEntry, cancelled: set[int | None]) -> tuple[str, str]:
    result = entry.result
    if result is None or entry.state is EntryState.NEEDS_REVIEW:
        return STATES.get(entry.state, STATES[EntryState.PENDING])
    if not result.approved:
        return OUTCOMES.get(result.outcome, OUTCOMES[Outcome.UNKNOWN])
    operation = entry.request.operation
    if operation is Operation.REVERSAL:
        return DONE, "unknown"
    if operation is Operation.REFUND:
        return REFUNDED, "unknown"
    if result.receipt_no is not None and result.receipt_no in cancelled:
        return CANCELLED, "unknown"
    return APPROVED, "ok"
