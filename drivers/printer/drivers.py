"""ESC/POS receipt printers on the device layer: one small class per connection type.

Each class wraps python-escpos's own connection class (Network, Serial, Usb, CupsPrinter, File)
for the transport; rendering, status and journaling are shared. A job goes:

    status (DLE EOT 1, 2, 4) -> refuse if the printer is known unable -> send -> status -> journal

"Known unable" (paper out, cover open, offline) refuses with a typed error so the journey can show
the QR code on screen instead. A printer that gives no valid status answer is refused too unless
``print_without_status`` is set; connections that cannot read at all (file, CUPS) print unverified.
"""

from __future__ import annotations

import logging
import socket
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from pydantic import Field

from drivers.base import (
    Device,
    DeviceError,
    DeviceFailureError,
    DeviceOfflineError,
    DeviceOptions,
    DeviceTimeoutError,
    HealthReport,
    NoHardwareError,
)
from drivers.printer import status as st
from drivers.printer.document import Receipt
from drivers.printer.journal import JournalEntry, Outcome, PrintJournal
from drivers.printer.profiles import PROFILES, PrinterProfile
from drivers.printer.render import render
from drivers.printer.status import Cover, Paper, PrinterStatus
from drivers.registry import register

if TYPE_CHECKING:
    import serial

T = TypeVar("T")

# --- errors -------------------------------------------------------------------------------------

log = logging.getLogger(__name__)


class PrinterError(DeviceError):
    """A job the printer could not take or finish; carries the status that decided it."""

    def __init__(self, message: str, status: PrinterStatus, job_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.job_id = job_id


class PaperOutError(PrinterError, DeviceOfflineError):
    code = "paper_out"


class CoverOpenError(PrinterError, DeviceOfflineError):
    code = "cover_open"


class PrinterOfflineError(PrinterError, DeviceOfflineError):
    code = "offline"


class StatusUnknownError(PrinterError, DeviceTimeoutError):
    """No valid status answer: the printer may be off, or not an ESC/POS printer."""

    code = "status_unknown"


def _fault_error(status: PrinterStatus, when: str, job_id: str) -> PrinterError:
    if status.paper is Paper.OUT:
        return PaperOutError(f"paper out {when}", status, job_id)
    if status.cover is Cover.OPEN:
        return CoverOpenError(f"cover open {when}", status, job_id)
    return PrinterOfflineError(f"printer {', '.join(status.faults())} {when}", status, job_id)


# --- options and results ------------------------------------------------------------------------


class PrinterOptions(DeviceOptions):
    profile: Literal["80mm", "58mm"] = "80mm"
    qr: Literal["auto", "native", "raster"] = "auto"  # auto: native where the profile has it
    status_timeout_s: float = Field(0.5, gt=0, le=10)
    # After a job the printer may answer only once it has worked through its buffer.
    job_timeout_s: float = Field(10.0, gt=0, le=120)
    print_without_status: bool = False
    journal_path: Path | None = Path("var/printer-journal.sqlite3")
    journal_keep: int = Field(20, ge=1, le=1000)
    journal_max_age_h: float = Field(24.0, gt=0)  # receipts hold guest data: keep them briefly


@dataclass(frozen=True)
class PrintResult:
    job_id: str
    outcome: Outcome
    status_before: PrinterStatus
    status_after: PrinterStatus | None
    bytes_sent: int
    seconds: float


# --- the shared driver --------------------------------------------------------------------------


class EscposPrinter(Device):
    """Base of the printer drivers; subclasses supply the python-escpos connection."""

    kind = "printer"
    driver = "escpos"
    Options: ClassVar[type[PrinterOptions]] = PrinterOptions
    options: PrinterOptions
    can_read_status: ClassVar[bool] = True

    def __init__(self, name: str, options: PrinterOptions | None = None) -> None:
        super().__init__(name, options)
        self.profile: PrinterProfile = PROFILES[self.options.profile]
        self._printer: Escpos | None = None
        self._journal: PrintJournal | None = None

    # -- public API (each returns a Future) --------------------------------------------------

    def print_receipt(self, doc: Receipt, *, job_id: str | None = None) -> Future[PrintResult]:
        """Print ``doc``. A ``job_id`` already printed is not printed again (the first result is)."""
        return self.submit(lambda: self._print(self.render(doc), doc.kind, job_id, None))

    def reprint_last(self) -> Future[PrintResult]:
        return self.submit(self._reprint_last)

    def print_test_page(self) -> Future[PrintResult]:
        from drivers.printer.receipts import build_test_page

        return self.print_receipt(build_test_page(self.name, self.driver, self.profile))

    def read_status(self) -> Future[PrinterStatus]:
        def run() -> PrinterStatus:
            self._require_enabled()
            return self._status()

        return self.submit(run)

    def render(self, doc: Receipt) -> bytes:
        native = {"auto": None, "native": True, "raster": False}[self.options.qr]
        return render(doc, self.profile, native_qr=native)

    # -- connection hooks --------------------------------------------------------------------

    def _connect(self) -> Escpos:
        """Build and open the python-escpos connection."""
        raise NotImplementedError

    def _send(self, data: bytes) -> None:
        assert self._printer is not None
        self._printer._raw(data)

    def _read(self, timeout: float) -> bytes:
        """Whatever the printer sent within ``timeout`` (b"" for nothing)."""
        raise NotImplementedError

    def _discard_input(self) -> None:
        """Drop stale bytes (a late answer) so the next answer lines up with its request."""

    # -- lifecycle hooks ---------------------------------------------------------------------

    def _do_open(self) -> None:
        try:
            self._printer = self._connect()
        except DeviceNotFoundError as exc:
            raise NoHardwareError(str(exc).strip()) from exc
        except OSError as exc:
            raise DeviceOfflineError(str(exc)) from exc
        if self.options.journal_path is not None:
            max_age = timedelta(hours=self.options.journal_max_age_h)
            self._journal = PrintJournal(self.options.journal_path, self.options.journal_keep, max_age)

    def _do_close(self) -> None:
        if self._printer is not None:
            self._printer.close()
            self._printer = None
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _do_check_health(self) -> HealthReport:
        return self._status().health()

    # -- jobs --------------------------------------------------------------------------------

    def _io(self, action: Callable[[], T], *, reconnect: bool = True) -> T:
        """Run one exchange; with ``reconnect``, a dropped connection (a network printer's idle
        timeout, a replugged cable) is reopened once before the printer counts as offline."""
        try:
            return action()
        except (OSError, DeviceNotFoundError) as exc:
            if not reconnect:
                raise DeviceOfflineError(f"{self.name}: connection lost: {exc}") from exc
        try:
            if self._printer is not None:
                self._printer.close()
            self._printer = self._connect()
            return action()
        except (OSError, DeviceNotFoundError) as exc:
            raise DeviceOfflineError(f"{self.name}: connection lost: {exc}") from exc

    def _query(self, n: int, timeout: float) -> bytes:
        self._discard_input()
        self._send(st.request(n))
        return self._read(timeout)

    def _status(self, first_timeout: float | None = None) -> PrinterStatus:
        """Ask DLE EOT 1, 2 and 4; ``first_timeout`` overrides the wait for the first answer."""
        if not self.can_read_status:
            status = PrinterStatus.unsupported(f"a {self.driver} connection cannot read printer status")
        else:
            answers: dict[int, bytes | None] = {}
            timeout = first_timeout or self.options.status_timeout_s
            for n in st.REQUESTS:
                answers[n] = self._io(lambda n=n, timeout=timeout: self._query(n, timeout))
                if not answers[n] and n == st.REQUESTS[0]:
                    break  # a silent printer: do not wait out the timeout three times
                timeout = self.options.status_timeout_s
            status = PrinterStatus.parse(answers)
        self.set_health(status.health())
        return status

    def _refusal(self, status: PrinterStatus, job_id: str) -> PrinterError | None:
        if status.faults():
            return _fault_error(status, "before printing", job_id)
        if not status.known and self.can_read_status and not self.options.print_without_status:
            reason = "; ".join(status.problems)
            return StatusUnknownError(f"no valid status from the printer ({reason})", status, job_id)
        return None

    def _print(self, data: bytes, kind: str, job_id: str | None, reprint_of: str | None) -> PrintResult:
        self._require_enabled()
        job_id = job_id or uuid.uuid4().hex
        done = self._journal.get(job_id) if self._journal is not None else None
        if done is not None and done.outcome in (Outcome.PRINTED, Outcome.UNVERIFIED):
            return _result_from(done)
        started = time.perf_counter()
        before = self._status()
        after: PrinterStatus | None = None
        error: PrinterError | None = self._refusal(before, job_id)
        if error is not None:
            outcome = Outcome.REFUSED
        else:
            try:
                # No resend on a dropped connection: part of the receipt may be out already.
                self._io(lambda: self._send(data), reconnect=False)
                after = self._status(first_timeout=self.options.job_timeout_s)
            except DeviceOfflineError as exc:
                outcome, error = Outcome.FAILED, PrinterOfflineError(str(exc), before, job_id)
            else:
                if after.faults():
                    outcome, error = Outcome.FAILED, _fault_error(after, "while printing", job_id)
                else:
                    outcome = Outcome.PRINTED if after.known else Outcome.UNVERIFIED
        result = PrintResult(
            job_id=job_id,
            outcome=outcome,
            status_before=before,
            status_after=after,
            bytes_sent=0 if outcome is Outcome.REFUSED else len(data),
            seconds=time.perf_counter() - started,
        )
        if self._journal is not None:
            self._journal.record(
                JournalEntry(
                    job_id=job_id,
                    kind=kind,
                    created_at=datetime.now(UTC),
                    outcome=outcome,
                    status_before=before.as_dict(),
                    status_after=None if after is None else after.as_dict(),
                    error=None if error is None else f"{error.code}: {error}",
                    reprint_of=reprint_of,
                    data=data,
                )
            )
        log.log(
            logging.INFO if error is None else logging.WARNING,
            "%s: %s %s %s (%d bytes, %.1f s)%s",
            self.name,
            kind,
            job_id,
            outcome.value,
            result.bytes_sent,
            result.seconds,
            "" if error is None else f": {error}",
        )
        if error is not None:
            raise error
        self.emit_data(result)
        return result

    def _reprint_last(self) -> PrintResult:
        if self._journal is None:
            raise DeviceFailureError(f"{self.name} keeps no print journal (options.journal_path)")
        last = self._journal.last()
        if last is None:
            raise DeviceFailureError(f"{self.name} has no receipt to reprint")
        return self._print(last.data, last.kind, None, last.job_id)


def _result_from(entry: JournalEntry) -> PrintResult:
    after = None if entry.status_after is None else PrinterStatus.from_dict(entry.status_after)
    before = PrinterStatus.from_dict(entry.status_before)
    return PrintResult(entry.job_id, entry.outcome, before, after, len(entry.data), 0.0)


# --- connections --------------------------------------------------------------------------------


class NetworkPrinterOptions(PrinterOptions):
    host: str = Field(min_length=1)
    port: int = Field(9100, ge=1, le=65535)
    timeout_s: float = Field(5.0, gt=0, le=60)


@register
class NetworkPrinter(EscposPrinter):
    """A printer on TCP port 9100 (raw/JetDirect)."""

    driver = "network"
    Options = NetworkPrinterOptions
    options: NetworkPrinterOptions

    def _connect(self) -> Escpos:
        from escpos.printer import Network

        printer = Network(self.options.host, self.options.port, timeout=self.options.timeout_s)
        try:
            printer.open()
        except DeviceNotFoundError as exc:  # refused or unreachable: the printer is off or away
            raise DeviceOfflineError(str(exc).strip()) from exc
        # Status requests are 3-byte writes awaiting an answer: do not let Nagle hold them back.
        printer.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # type: ignore[attr-defined]
        return printer

    def _socket(self) -> socket.socket:
        assert self._printer is not None
        return self._printer.device  # type: ignore[return-value]

    def _read(self, timeout: float) -> bytes:
        sock = self._socket()
        sock.settimeout(timeout)
        try:
            answer = sock.recv(16)
        except TimeoutError:
            return b""
        finally:
            sock.settimeout(self.options.timeout_s)
        if not answer:
            raise ConnectionResetError("the printer closed the connection")
        return answer

    def _discard_input(self) -> None:
        sock = self._socket()
        sock.setblocking(False)
        try:
            while sock.recv(256):
                pass
        except BlockingIOError:
            pass
        finally:
            sock.settimeout(self.options.timeout_s)


class SerialPrinterOptions(PrinterOptions):
    device: str = Field(min_length=1)  # best a stable /dev/serial/by-id/... path
    baudrate: int = Field(9600, gt=0)
    dsrdtr: bool = False  # hardware flow control, as many serial printers are wired


@register
class SerialPrinter(EscposPrinter):
    driver = "serial"
    Options = SerialPrinterOptions
    options: SerialPrinterOptions

    def _connect(self) -> Escpos:
        from escpos.printer import Serial

        printer = Serial(self.options.device, self.options.baudrate, dsrdtr=self.options.dsrdtr)
        printer.open()
        return printer

    def _port(self) -> serial.Serial:
        assert self._printer is not None
        return self._printer.device

    def _send(self, data: bytes) -> None:
        super()._send(data)
        self._port().flush()  # wait until it is on the wire, so answer timeouts start after it

    def _read(self, timeout: float) -> bytes:
        port = self._port()
        port.timeout = timeout
        return port.read(1)

    def _discard_input(self) -> None:
        self._port().reset_input_buffer()


class UsbPrinterOptions(PrinterOptions):
    vendor_id: int = Field(ge=0, le=0xFFFF)
    product_id: int = Field(ge=0, le=0xFFFF)
    in_ep: int = 0x82
    out_ep: int = 0x01
    timeout_ms: int = Field(5000, gt=0)


@register
class UsbPrinter(EscposPrinter):
    driver = "usb"
    Options = UsbPrinterOptions
    options: UsbPrinterOptions

    def _connect(self) -> Escpos:
        from escpos.printer import Usb

        o = self.options
        printer = Usb(o.vendor_id, o.product_id, timeout=o.timeout_ms, in_ep=o.in_ep, out_ep=o.out_ep)
        try:
            printer.open()
        except Exception as exc:  # pyusb without libusb raises NoBackendError, not a USBError
            if isinstance(exc, DeviceNotFoundError):
                raise
            raise NoHardwareError(f"USB unavailable: {exc}") from exc
        return printer

    def _read(self, timeout: float) -> bytes:
        import usb.core

        assert self._printer is not None
        device = self._printer.device
        try:
            return bytes(device.read(self.options.in_ep, 16, int(timeout * 1000)))  # type: ignore[attr-defined]
        except usb.core.USBTimeoutError:
            return b""


class CupsPrinterOptions(PrinterOptions):
    printer_name: str = ""  # empty: the CUPS default printer


@register
class CupsPrinter(EscposPrinter):
    """A raw queue on CUPS (needs pycups). CUPS gives no real-time status: jobs print unverified."""

    driver = "cups"
    Options = CupsPrinterOptions
    options: CupsPrinterOptions
    can_read_status = False

    def _connect(self) -> Escpos:
        from escpos.printer import CupsPrinter as Cups

        if not Cups.is_usable():
            raise NoHardwareError("CUPS printing needs pycups, which is not installed")
        printer = Cups(self.options.printer_name)
        printer.open()
        return printer

    def _send(self, data: bytes) -> None:
        assert self._printer is not None
        self._printer.open(job_name=f"sambut-{self.name}")  # CUPS takes one job per open()
        self._printer._raw(data)
        self._printer.send()  # type: ignore[attr-defined]


class FilePrinterOptions(PrinterOptions):
    path: Path  # e.g. /dev/usb/lp0, or a file to capture the bytes


@register
class FilePrinter(EscposPrinter):
    driver = "file"
    Options = FilePrinterOptions
    options: FilePrinterOptions
    can_read_status = False

    def _connect(self) -> Escpos:
        from escpos.printer import File

        printer = File(str(self.options.path))
        printer.open()
        return printer
