"""The PaymentTerminal interface, and the journaling that makes every charge happen at most once.

Every operation that can move money goes the same way, whatever the terminal's protocol:

1. the intent (operation, amount, reference, idempotency key, and the terminal's last trace number
   as far as the kiosk knows it) is written to the journal and fsynced;
2. the terminal runs the transaction; its display texts and receipt lines arrive as DataEvents;
3. the result is written to the journal.

If step 2 ends without a result (cable pulled, terminal silent, kiosk killed and restarted), the
intent is reconciled with the terminal's last transaction, never sent again: a new trace number
with our amount is our transaction; an unchanged trace number means it never ran; anything else
is left for staff as "needs review".
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import Field

from drivers.base import Device, DeviceError, DeviceOptions, HealthReport
from drivers.money import Money
from drivers.payment.journal import JournalEntry, PaymentJournal, ResolvedBy
from drivers.payment.model import (
    Operation,
    Outcome,
    PaymentRequest,
    PaymentResult,
    ReviewNeeded,
    TerminalStatus,
    unresolved_result,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


class PaymentOptions(DeviceOptions):
    journal_path: Path = Field(
        Path("var/payments.sqlite3"), description="the payment journal (relative to the working directory)"
    )


@dataclass(frozen=True)
class TraceBaseline:
    """The terminal's last trace number as the kiosk knows it (None: no transaction yet)."""

    known: bool
    trace_no: int | None = None


UNKNOWN_BASELINE = TraceBaseline(False)


def _describe(exc: Exception) -> str:
    code = exc.code if isinstance(exc, DeviceError) else type(exc).__name__
    return f"{code}: {exc}"


TRACE_MODULO = 1_000_000  # trace numbers are 6 BCD digits and wrap around


def _newer(trace_no: int, prior: int | None) -> bool:
    if prior is None:
        return True
    return 0 < (trace_no - prior) % TRACE_MODULO < TRACE_MODULO // 2


def match_last_transaction(entry: JournalEntry, last: PaymentResult | None) -> bool | None:
    """Did the terminal perform ``entry``? True / False, or None when that cannot be told.

    Ours is the terminal's last transaction only if it is *newer* than the trace number known when
    the intent was written (other operations, e.g. end of day, take trace numbers too) and it is
    for our amount.
    """
    if last is None:
        return False  # the terminal has no transaction at all
    if not entry.prior_known or last.trace_no is None:
        return None
    if not _newer(last.trace_no, entry.prior_trace):
        return False
    return True if last.amount == entry.request.amount else None


class PaymentTerminal(Device):
    """A card terminal. Amounts are Money (integer minor units + ISO 4217 code).

    Drivers implement the ``_terminal_*`` hooks; they run on the device thread.
    """

    kind = "payment"
    Options = PaymentOptions

    def __init__(self, name: str, options: DeviceOptions | None = None) -> None:
        super().__init__(name, options)
        self.journal: PaymentJournal | None = None
        self._abort_requested = threading.Event()
        self._baseline = UNKNOWN_BASELINE

    # -- public API (each returns a Future; the UI never waits on the terminal) --------------

    def sale(
        self, amount: Money, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]:
        return self._submit_money(Operation.SALE, amount, reference, idempotency_key)

    def preauthorise(
        self, amount: Money, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]:
        return self._submit_money(Operation.PREAUTH, amount, reference, idempotency_key)

    def capture(
        self, preauth: PaymentResult, amount: Money, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]:
        """Book the final amount (at most the pre-authorised one) on a pre-authorisation."""
        return self._submit_money(Operation.CAPTURE, amount, reference, idempotency_key, preauth)

    def reverse(
        self, original: PaymentResult, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]:
        """Reverse (void) a transaction of the current batch, usually the last one."""
        return self._submit_money(Operation.REVERSAL, original.amount, reference, idempotency_key, original)

    def refund(
        self, amount: Money, reference: str, idempotency_key: str | None = None
    ) -> Future[PaymentResult]:
        return self._submit_money(Operation.REFUND, amount, reference, idempotency_key)

    def abort(self) -> None:
        """Ask the terminal to abort the running transaction. Not queued: the worker is busy with it.

        The transaction's own Future then resolves (usually ABORTED, or APPROVED if it was too late).
        """
        self._abort_requested.set()

    def end_of_day(self) -> Future[PaymentResult]:
        return self.submit(self._run_end_of_day)

    def status(self) -> Future[TerminalStatus]:
        return self.submit(self._enabled_call, self._terminal_status)

    def diagnosis(self) -> Future[TerminalStatus]:
        """Let the terminal check its line to the payment host (slower than ``status``)."""
        return self.submit(self._enabled_call, self._terminal_diagnosis)

    def last_transaction(self) -> Future[PaymentResult | None]:
        """The terminal's own record of its last transaction (diagnostics, reconciliation)."""
        return self.submit(self._enabled_call, self._terminal_last_transaction)

    def reconcile(self) -> Future[list[JournalEntry]]:
        """Settle intents left without a result (done on enable too); returns what it settled."""
        return self.submit(self._reconcile_pending)

    # -- the journaled transaction -----------------------------------------------------------

    def _submit_money(
        self,
        operation: Operation,
        amount: Money,
        reference: str,
        idempotency_key: str | None,
        original: PaymentResult | None = None,
    ) -> Future[PaymentResult]:
        request = PaymentRequest(
            operation,
            amount,
            reference,
            idempotency_key or uuid.uuid4().hex,
            original.receipt_no if original else None,
            original.trace_no if original else None,
        )
        return self.submit(self._run_money, request)

    def _enabled_call(self, fn: Callable[[], T]) -> T:
        self._require_enabled()
        return fn()

    def _run_money(self, request: PaymentRequest) -> PaymentResult:
        self._require_enabled()
        journal = self._open_journal()
        known = journal.get(request.idempotency_key)
        if known is not None:  # a repeated command is answered from the journal, never re-run
            return known.result or unresolved_result(known.request, f"payment is {known.state.value}")
        self._terminal_validate(request)  # a bad request fails here, before any intent is written
        if not self._baseline.known:
            self._refresh_baseline()
        entry = journal.begin(request, self.name, self._baseline.trace_no, self._baseline.known)
        self._abort_requested.clear()
        try:
            result = self._terminal_transaction(request).for_request(request)
        except Exception as exc:  # whatever broke after the intent, the charge may have happened
            log.warning(
                "%s: %s %s ended without a result (%s); reconciling",
                self.name,
                request.operation,
                request.idempotency_key,
                _describe(exc),
                exc_info=not isinstance(exc, DeviceError),  # a bug shows its traceback
            )
            return self._resolve(entry, _describe(exc))
        journal.finish(request.idempotency_key, result, ResolvedBy.LIVE)
        self._note(result)
        log.info(
            "%s: %s %s -> %s (%s)",
            self.name,
            request.operation,
            request.idempotency_key,
            result.outcome,
            result.meaning,
        )
        return result

    def _run_end_of_day(self) -> PaymentResult:
        self._require_enabled()
        # End of day takes a trace number too; until its result is in, the baseline is unknown.
        self._baseline = UNKNOWN_BASELINE
        result = self._terminal_end_of_day()
        self._note(result)
        return result

    def _note(self, result: PaymentResult) -> None:
        if result.trace_no is not None:
            self._baseline = TraceBaseline(True, result.trace_no)

    def _refresh_baseline(self, *, recover: bool = True) -> None:
        try:
            if recover:
                self._terminal_recover()
            last = self._terminal_last_transaction()
        except Exception as exc:
            log.warning("%s: last transaction not readable (%s)", self.name, _describe(exc))
            self._baseline = UNKNOWN_BASELINE
            return
        self._baseline = TraceBaseline(True, last.trace_no if last else None)

    def _resolve(self, entry: JournalEntry, reason: str) -> PaymentResult:
        journal = self._open_journal()
        request = entry.request
        try:
            self._terminal_recover()
            last = self._terminal_last_transaction()
        except Exception as exc:
            self._baseline = UNKNOWN_BASELINE
            return self._needs_review(entry, f"{reason}; terminal not readable: {_describe(exc)}")
        self._baseline = TraceBaseline(True, last.trace_no if last else None)
        performed = match_last_transaction(entry, last)
        if performed is None:
            return self._needs_review(entry, f"{reason}; the terminal's last transaction does not match")
        if performed and last is not None:
            result = last.for_request(request)
        else:
            result = PaymentResult(
                Outcome.ABORTED, request.operation, request.amount, None, "not performed by the terminal"
            ).for_request(request)
        journal.finish(request.idempotency_key, result, ResolvedBy.RECONCILE)
        log.info("%s: reconciled %s -> %s", self.name, request.idempotency_key, result.outcome)
        return result

    def _needs_review(self, entry: JournalEntry, reason: str) -> PaymentResult:
        request = entry.request
        self._open_journal().mark_review(request.idempotency_key, reason)
        log.error("%s: payment %s needs review: %s", self.name, request.idempotency_key, reason)
        self.emit_data(
            ReviewNeeded(
                request.idempotency_key, request.operation, request.amount, request.reference, reason
            )
        )
        return unresolved_result(request, "needs review: " + reason)

    def _reconcile_pending(self) -> list[JournalEntry]:
        journal = self._open_journal()
        pending = journal.pending()
        if not pending:
            return []
        # Only the newest intent can be the terminal's last transaction; an older one (there should
        # never be one: each result or review is written before the next intent) cannot be matched.
        *older, newest = pending
        for entry in older:
            self._needs_review(entry, "older unfinished intent, cannot be matched")
        self._resolve(newest, "unfinished at start")
        return [e for e in map(journal.get, (p.idempotency_key for p in pending)) if e is not None]

    def _open_journal(self) -> PaymentJournal:
        if self.journal is None:
            assert isinstance(self.options, PaymentOptions)
            self.journal = PaymentJournal(self.options.journal_path)
        return self.journal

    # -- lifecycle ---------------------------------------------------------------------------

    def _do_open(self) -> None:
        self._open_journal()
        self._terminal_open()

    def _do_enable(self) -> None:
        self._terminal_register()
        self._reconcile_pending()
        self._refresh_baseline(recover=False)

    def _do_disable(self) -> None:
        self._terminal_log_off()

    def _do_close(self) -> None:
        self._terminal_close()
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    def _do_check_health(self) -> HealthReport:
        status = self._terminal_status()
        if status.ready:
            return HealthReport.ok(terminal_id=status.terminal_id)
        if status.code is None:  # the terminal answered without saying how it is
            return HealthReport.unknown(status.meaning, terminal_id=status.terminal_id)
        return HealthReport.faulty(status.meaning, code=status.code, terminal_id=status.terminal_id)

    # -- hooks for drivers -------------------------------------------------------------------

    def _terminal_open(self) -> None:
        raise NotImplementedError

    def _terminal_close(self) -> None:
        raise NotImplementedError

    def _terminal_register(self) -> None:
        """Tell the terminal who is in charge (ZVT registration)."""

    def _terminal_log_off(self) -> None:
        """Give the terminal back (ZVT log-off)."""

    def _terminal_recover(self) -> None:
        """Make the link usable again after a failure (reconnect, drop stale input)."""

    def _terminal_validate(self, request: PaymentRequest) -> None:
        """Raise ValueError for a request this terminal cannot run (e.g. a foreign currency)."""

    def _terminal_transaction(self, request: PaymentRequest) -> PaymentResult:
        """Run one money transaction; raise a DeviceError when its result is not known."""
        raise NotImplementedError

    def _terminal_last_transaction(self) -> PaymentResult | None:
        """The terminal's last transaction (None if it has none); raise when it cannot tell."""
        raise NotImplementedError

    def _terminal_status(self) -> TerminalStatus:
        raise NotImplementedError

    def _terminal_diagnosis(self) -> TerminalStatus:
        raise NotImplementedError

    def _terminal_end_of_day(self) -> PaymentResult:
        raise NotImplementedError
