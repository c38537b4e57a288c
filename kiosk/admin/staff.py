"""What staff do once the kiosk is unlocked, as plain functions over the device layer.

Each action checks the session (``AdminMode.act``), so it is audited and counts as activity. Calls
wait for the device (bounded by ``timeout_s``): screens run them off the UI thread.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, tzinfo
from importlib import metadata
from typing import Any

from drivers.base import Health, HealthReport
from drivers.payment.journal import EntryState, JournalEntry, PaymentJournal, ResolvedBy
from drivers.payment.model import Operation, Outcome, PaymentResult
from drivers.payment.terminal import PaymentOptions, PaymentTerminal
from drivers.printer.drivers import EscposPrinter, PrintResult
from drivers.printer.receipts import DayTotal, end_of_day_receipt
from kiosk.admin.audit import WallClock, utc_now
from kiosk.admin.devicemanager import DeviceManager, describe
from kiosk.admin.faults import known
from kiosk.admin.state import AdminState
from kiosk.admin.unlock import AdminError, AdminMode
from kiosk.config import ROOT
from kiosk.i18n import zone_formats

log = logging.getLogger(__name__)


def app_version() -> str:
    try:
        return metadata.version("sambut")
    except metadata.PackageNotFoundError:  # run from the source tree, as the kiosk is
        import tomllib

        return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


# --- status at a glance -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceStatus:
    name: str
    kind: str
    driver: str
    state: str
    health: Health
    reason: str  # raw, for the logs and the diagnostics
    paper: str | None = None  # printers: "ok", "near_end", "out" or "unknown"
    advice: str = ""  # the reason in words with a way forward, when it is a fault we know (a msgid)


@dataclass(frozen=True)
class Connectivity:
    """What the sync layer knows; None where it cannot tell."""

    online: bool | None = None
    last_sync: datetime | None = None
    outbox_depth: int | None = None
    dead_letters: int | None = None
    reason: str = ""  # why offline, as the sync worker last said
    refused: bool = False  # the server refuses this kiosk: staff must register it again

    @property
    def health(self) -> Health:
        """The kiosk's own standing with the server: faulty when refused (retrying cannot heal
        it), unknown before the first contact or while unreachable."""
        if self.refused:
            return Health.FAULTY
        return Health.OK if self.online else Health.UNKNOWN


@dataclass(frozen=True)
class KioskStatus:
    devices: list[DeviceStatus]
    out_of_service: bool
    connectivity: Connectivity | None
    app_version: str
    kiosk_name: str = ""


# --- end of day ---------------------------------------------------------------------------------

_SIGN = {Operation.SALE: 1, Operation.CAPTURE: 1, Operation.REFUND: -1, Operation.REVERSAL: -1}


def day_totals(entries: list[JournalEntry], business_date: date, tz: tzinfo) -> list[DayTotal]:
    """Approved money movements of ``business_date`` (in ``tz``), per card brand and currency."""
    sums: dict[tuple[str, str], list[int]] = {}
    for entry in entries:
        result = entry.result
        if entry.state is not EntryState.RECORDED or result is None or not result.approved:
            continue
        sign = _SIGN.get(entry.request.operation)
        if sign is None or result.timestamp.astimezone(tz).date() != business_date:
            continue  # pre-authorisations hold money, they do not move it
        key = (result.card_brand or "card", result.amount.currency)
        counts = sums.setdefault(key, [0, 0, 0, 0])
        offset = 0 if sign > 0 else 2
        counts[offset] += 1
        counts[offset + 1] += result.amount.minor
    return [DayTotal(method, currency, *counts) for (method, currency), counts in sorted(sums.items())]


@dataclass(frozen=True)
class EndOfDayReport:
    report_id: str
    kiosk: str
    business_date: date
    terminal_outcome: str  # the terminal's own end of day: "approved", or why not
    totals: list[DayTotal]
    printed: bool
    sent: bool
    problems: list[str] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        """What goes to the server (the report id is its idempotency key)."""
        return {
            "report_id": self.report_id,
            "kiosk": self.kiosk,
            "business_date": self.business_date.isoformat(),
            "terminal_outcome": self.terminal_outcome,
            "totals": [asdict(t) | {"net_minor": t.net_minor} for t in self.totals],
        }


SendReport = Callable[[Mapping[str, Any]], None]


# --- the actions --------------------------------------------------------------------------------


class StaffActions:
    def __init__(
        self,
        mode: AdminMode,
        devices: DeviceManager,
        state: AdminState,
        *,
        kiosk_name: str,
        hotel_name: str = "",
        tz: tzinfo | None = None,
        connectivity: Callable[[], Connectivity] | None = None,
        send_report: SendReport | None = None,
        clock: WallClock = utc_now,
        timeout_s: float = 30.0,
    ) -> None:
        self.mode, self.devices, self.state = mode, devices, state
        self.kiosk_name, self.hotel_name = kiosk_name, hotel_name or kiosk_name
        self.tz = tz or datetime.now().astimezone().tzinfo
        self.connectivity, self.send_report = connectivity, send_report
        self._clock, self.timeout_s = clock, timeout_s

    # -- helpers -----------------------------------------------------------------------------

    def _printer(self) -> EscposPrinter:
        printer = self.devices.first("printer")
        if not isinstance(printer, EscposPrinter):
            raise AdminError("no receipt printer is configured")
        return printer

    def _terminal(self) -> PaymentTerminal:
        terminal = self.devices.first("payment")
        if not isinstance(terminal, PaymentTerminal):
            raise AdminError("no card terminal is configured")
        return terminal

    def _journal(self) -> closing[PaymentJournal]:
        # Its own connection: the journal is readable whether or not the terminal is running.
        options = self._terminal().options
        assert isinstance(options, PaymentOptions)
        return closing(PaymentJournal(options.journal_path))

    # -- status ------------------------------------------------------------------------------

    def status(self) -> KioskStatus:
        self.mode.require("staff")
        self.mode.touch()
        devices = self.devices.devices()
        checks = {name: device.check_health() for name, device in devices.items()}
        rows = []
        for name, device in devices.items():
            try:
                report = checks[name].result(timeout=self.timeout_s)
            except Exception as exc:  # a hung device is "unknown", never "fine"
                report = HealthReport.unknown(describe(exc))
            reason = report.reason
            if report.health is Health.UNKNOWN and name in self.devices.start_errors:
                reason = f"did not start: {self.devices.start_errors[name]}"
            paper = report.detail.get("paper") if device.kind == "printer" else None
            explained = known(reason) if report.health is not Health.OK and reason else ""
            rows.append(
                DeviceStatus(
                    name,
                    device.kind,
                    device.driver,
                    device.state.value,
                    report.health,
                    reason,
                    paper,
                    explained,
                )
            )
        connectivity = self.connectivity() if self.connectivity else None
        return KioskStatus(rows, self.state.out_of_service, connectivity, app_version(), self.kiosk_name)

    # -- out of service ----------------------------------------------------------------------

    def set_out_of_service(self, on: bool) -> None:
        session = self.mode.act("out_of_service", on=on)
        self.state.set_out_of_service(on, session.actor, self._clock())

    # -- printer -----------------------------------------------------------------------------

    def reprint_last(self) -> PrintResult:
        printer = self._printer()
        self.mode.act("reprint_last")
        return printer.reprint_last().result(timeout=self.timeout_s)

    def paper_replaced(self) -> HealthReport:
        """Staff say they put in a new roll; the printer is asked again at once."""
        printer = self._printer()
        self.mode.act("paper_replaced", device=printer.name)
        return printer.check_health().result(timeout=self.timeout_s)

    def _business_date(self, given: date | None) -> date:
        return given or self._clock().astimezone(self.tz).date()

    # -- payments ----------------------------------------------------------------------------

    def payments_today(self, business_date: date | None = None) -> list[JournalEntry]:
        """The kiosk's card transactions of the business date, whatever their outcome, oldest first."""
        self.mode.require("staff")
        self.mode.touch()
        day = self._business_date(business_date)
        with self._journal() as journal:
            return [e for e in journal.entries() if e.created_at.astimezone(self.tz).date() == day]

    def payments_to_review(self) -> list[JournalEntry]:
        self.mode.require("staff")
        self.mode.touch()
        with self._journal() as journal:
            return journal.needs_review()

    def resolve_payment(self, key: str, performed: bool, auth_code: str = "", card_brand: str = "") -> None:
        """Staff checked the terminal's own records: the payment went through, or it did not."""
        with self._journal() as journal:
            entry = journal.get(key)
            if entry is None or entry.state is EntryState.RECORDED:
                raise AdminError(f"no payment to review with key {key}")
            self.mode.act("payment_resolved", key=key, performed=performed)
            request = entry.request
            result = PaymentResult(
                Outcome.APPROVED if performed else Outcome.ABORTED,
                request.operation,
                request.amount,
                None,
                "confirmed by staff" if performed else "not performed, checked by staff",
                card_brand=card_brand,
                auth_code=auth_code,
                timestamp=self._clock(),
            ).for_request(request)
            journal.finish(key, result, ResolvedBy.STAFF)

    # -- end of day --------------------------------------------------------------------------

    def end_of_day(self, business_date: date | None = None) -> EndOfDayReport:
        """Close the terminal's batch, print the day's totals and hand them to the server.

        A step that fails does not stop the others; the report lists what went wrong.
        """
        terminal = self._terminal()
        now = self._clock()
        business_date = self._business_date(business_date)
        self.mode.act("end_of_day_started", business_date=business_date.isoformat())
        problems = []
        try:
            outcome = terminal.end_of_day().result(timeout=self.timeout_s)
            terminal_outcome = (
                outcome.outcome.value if outcome.approved else f"{outcome.outcome}: {outcome.meaning}"
            )
        except Exception as exc:
            terminal_outcome = f"failed: {describe(exc)}"
        with self._journal() as journal:
            totals = day_totals(journal.entries(), business_date, self.tz)
        doc = end_of_day_receipt(
            hotel_name=self.hotel_name,
            kiosk_name=self.kiosk_name,
            business_date=business_date,
            totals=totals,
            terminal_outcome=terminal_outcome,
            issued_at=now.astimezone(self.tz),
            locale=zone_formats("en", self.tz),  # its words are English; dates as the property writes them
        )
        printed = False
        try:
            self._printer().print_receipt(doc).result(timeout=self.timeout_s)
            printed = True
        except Exception as exc:
            problems.append(f"not printed: {describe(exc)}")
        report = EndOfDayReport(
            uuid.uuid4().hex,
            self.kiosk_name,
            business_date,
            terminal_outcome,
            totals,
            printed,
            False,
            problems,
        )
        if self.send_report is None:
            problems.append("not sent: no connection to the server is set up")
        else:
            try:
                self.send_report(report.payload())
                report = replace(report, sent=True)
            except Exception as exc:
                log.warning("end of day report %s not handed to the server: %s", report.report_id, exc)
                problems.append(f"not sent: {describe(exc)}")
        self.mode.act(
            "end_of_day",
            report_id=report.report_id,
            terminal=terminal_outcome,
            printed=printed,
            sent=report.sent,
            totals=[[t.method, t.currency, t.count, t.net_minor] for t in totals],
        )
        return report
