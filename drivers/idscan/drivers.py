"""Scanner devices: serial 2D scanners and MRZ readers (pyserial), USB keyboard-wedge scanners
(evdev, Linux), and a simulator fed from text.

Each runs a reader thread that cuts the byte stream into scans (``framing.ScanAssembler``) and emits
each as a DataEvent carrying an ``IdDocument``, valid or not, so the journey can answer every scan.
The simulator is the real serial driver on pyserial's ``loop://`` port: what ``feed()`` writes comes
back through the same framing and parsing as a physical scanner's bytes.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import select
import threading
import time
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

import serial
from pydantic import Field, field_validator

from drivers.base import (
    Device,
    DeviceFailureError,
    DeviceOfflineError,
    DeviceOptions,
    ErrorEvent,
    HealthReport,
    NoHardwareError,
)
from drivers.idscan.aamva import looks_like_aamva
from drivers.idscan.document import IdDocument, Source
from drivers.idscan.framing import ScanAssembler, as_sent
from drivers.idscan.keymap import KeyTranslator, Layout
from drivers.idscan.recognize import recognize
from drivers.registry import register

log = logging.getLogger(__name__)

_READ_TIMEOUT_S = 0.05  # how often the reader wakes to let MRZ/licence timeouts expire


class LineOptions(DeviceOptions):
    """How a line-based reader (scanner, badge reader) ends and encodes what it sends."""

    terminators: list[str] = Field(default_factory=lambda: ["\r\n", "\r", "\n"], min_length=1)
    encoding: str = "utf-8"  # of text scans (QR, MRZ); licences are parsed as raw bytes

    @field_validator("terminators")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not t for t in value):
            raise ValueError("a terminator cannot be empty")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}") from None
        return value


class ScannerOptions(LineOptions):
    mrz_timeout_s: float = Field(0.5, gt=0, le=10)  # wait this long for the rest of an MRZ
    aamva_timeout_s: float = Field(1.0, gt=0, le=10)  # and for the rest of a licence


class StreamScanner(Device):
    """A scanner whose bytes arrive as a stream: a reader thread frames them into scans."""

    kind = "scanner"
    Options: ClassVar[type[DeviceOptions]] = ScannerOptions
    options: ScannerOptions
    source: ClassVar[Source] = Source.SERIAL

    def __init__(self, name: str, options: DeviceOptions | None = None) -> None:
        super().__init__(name, options)
        self._reader: threading.Thread | None = None
        self._stop = threading.Event()
        self._failed: str = ""

    def _read_chunk(self) -> bytes:
        """Bytes that arrived, or b"" after at most ``_READ_TIMEOUT_S``; OSError when the device is gone."""
        raise NotImplementedError

    def _do_open(self) -> None:
        self._failed = ""

    def _do_enable(self) -> None:
        self._stop.clear()
        self._reader = threading.Thread(target=self._read_loop, name=f"scanner-{self.name}", daemon=True)
        self._reader.start()

    def _do_disable(self) -> None:
        self._stop.set()
        if self._reader is not None:
            self._reader.join(timeout=5)
            self._reader = None

    def _assembler(self) -> ScanAssembler:
        opts = self.options
        terminators = [t.encode("latin-1") for t in opts.terminators]
        return ScanAssembler(terminators, opts.mrz_timeout_s, opts.aamva_timeout_s)

    def _deliver(self, scan: bytes, now: float) -> None:
        """One complete scan, cut at monotonic time ``now``."""
        doc = self._recognize(scan)
        log.info("%s: read %s", self.name, doc.summary())
        self.emit_data(doc)

    def _read_loop(self) -> None:
        assembler = self._assembler()
        while not self._stop.is_set():
            try:
                data = self._read_chunk()
            except OSError as exc:  # unplugged (serial.SerialException is an OSError too)
                self._failed = f"read failed: {exc}"
                self.emit(ErrorEvent(self.name, DeviceOfflineError(self._failed)))
                self.set_health(HealthReport.faulty(self._failed))
                return
            now = time.monotonic()
            for scan in assembler.feed(data, now) if data else assembler.poll(now):
                self._deliver(scan, now)

    def _recognize(self, scan: bytes) -> IdDocument:
        if looks_like_aamva(scan.lstrip()):
            return recognize(scan, self.source)
        return recognize(scan.decode(self.options.encoding, "replace"), self.source)


class SerialPortOptions(DeviceOptions):
    port: str = Field(min_length=1)  # /dev/serial/by-id/..., COM3, or a pyserial URL (socket://, rfc2217://)
    baudrate: int = Field(9600, gt=0)
    bytesize: Literal[7, 8] = 8
    parity: Literal["N", "E", "O"] = "N"
    stopbits: Literal[1, 2] = 1


class SerialScannerOptions(ScannerOptions, SerialPortOptions):
    pass


@register
class SerialScanner(StreamScanner):
    driver = "serial"
    Options = SerialScannerOptions
    options: SerialScannerOptions

    def __init__(self, name: str, options: DeviceOptions | None = None) -> None:
        super().__init__(name, options)
        self._port: serial.SerialBase | None = None

    def _open_port(self) -> serial.SerialBase:
        opts = self.options
        kwargs: dict[str, Any] = {
            "baudrate": opts.baudrate,
            "bytesize": opts.bytesize,
            "parity": opts.parity,
            "stopbits": opts.stopbits,
            "timeout": _READ_TIMEOUT_S,
        }
        if "://" not in opts.port:
            kwargs["exclusive"] = True  # claim: no other process reads our scans
        try:
            return serial.serial_for_url(opts.port, **kwargs)
        except (serial.SerialException, ValueError) as exc:
            raise NoHardwareError(f"cannot open {opts.port}: {exc}") from exc

    def _do_open(self) -> None:
        super()._do_open()
        self._port = self._open_port()

    def _read_chunk(self) -> bytes:
        assert self._port is not None
        return self._port.read(max(1, self._port.in_waiting))

    def _do_close(self) -> None:
        if self._port is not None:
            self._port.close()
            self._port = None

    def _do_check_health(self) -> HealthReport:
        if self._failed:
            return HealthReport.faulty(self._failed)
        if self._port is None or not self._port.is_open:
            return HealthReport.unknown("port not open")
        # A line-based scanner has no status query: an open port is all we can know.
        return HealthReport.ok(port=self.options.port)


class SimulatedScannerOptions(SerialScannerOptions):
    port: str = "loop://"
    feed_file: Path | None = None  # scans played once when enabled, blank-line separated


@register
class SimulatedScanner(SerialScanner):
    """The serial driver on a loopback port; ``feed()`` is the guest holding something up."""

    driver = "sim"
    Options = SimulatedScannerOptions
    options: SimulatedScannerOptions

    def _do_open(self) -> None:
        if self.options.feed_file is not None and not self.options.feed_file.is_file():
            raise NoHardwareError(f"feed file {self.options.feed_file} not found")
        super()._do_open()

    def _do_enable(self) -> None:
        super()._do_enable()
        if self.options.feed_file is not None:
            text = self.options.feed_file.read_text(encoding=self.options.encoding)
            for scan in text.split("\n\n"):
                if scan.strip():
                    self.feed(scan.strip("\n"))

    def feed(self, scan: bytes | str, terminator: str | None = None) -> None:
        """Send one scan as the scanner would: its bytes, then the first configured terminator."""
        if self._port is None:
            raise DeviceFailureError(f"{self.name} is not open")
        data = scan.encode(self.options.encoding) if isinstance(scan, str) else scan
        end = terminator if terminator is not None else self.options.terminators[0]
        self._port.write(as_sent(data, end.encode("latin-1")))


# --- USB keyboard wedge ---------------------------------------------------------------------------


class InputDevice(Protocol):
    """The part of ``evdev.InputDevice`` the wedge driver uses."""

    fd: int

    def read(self) -> Any: ...

    def grab(self) -> None: ...

    def ungrab(self) -> None: ...

    def close(self) -> None: ...


class HidScannerOptions(ScannerOptions):
    device: str = Field(min_length=1)  # /dev/input/by-id/usb-...-event-kbd
    layout: Layout = "us"  # the keyboard layout the scanner is set to type in
    grab: bool = True  # take the keys exclusively, so a scan never types into a text field
    terminators: list[str] = Field(default_factory=lambda: ["\r"], min_length=1)  # Enter
    encoding: str = "latin-1"  # typed characters map one to one onto bytes (Alt codes included)


_EV_KEY = 1


@register
class HidWedgeScanner(StreamScanner):
    """A keyboard-wedge scanner read through evdev (Linux), optional where evdev is missing."""

    driver = "hid"
    Options = HidScannerOptions
    options: HidScannerOptions
    source = Source.HID

    def __init__(self, name: str, options: DeviceOptions | None = None) -> None:
        super().__init__(name, options)
        self._input: InputDevice | None = None
        self._keys = KeyTranslator(self.options.layout)

    def _open_input(self) -> InputDevice:
        try:
            import evdev
        except ImportError:
            raise NoHardwareError("keyboard-wedge scanners need the evdev package (Linux only)") from None
        try:
            return evdev.InputDevice(self.options.device)
        except OSError as exc:
            raise NoHardwareError(f"cannot open {self.options.device}: {exc}") from exc

    def _do_open(self) -> None:
        super()._do_open()
        self._input = self._open_input()

    def _do_claim(self) -> None:
        if self.options.grab and self._input is not None:
            try:
                self._input.grab()
            except OSError as exc:  # another process holds it
                raise DeviceFailureError(f"cannot grab {self.options.device}: {exc}") from exc

    def _do_release(self) -> None:
        if self.options.grab and self._input is not None:
            with contextlib.suppress(OSError):  # gone with the device: nothing left to release
                self._input.ungrab()

    def _do_close(self) -> None:
        if self._input is not None:
            self._input.close()
            self._input = None

    def _do_check_health(self) -> HealthReport:
        if self._failed:
            return HealthReport.faulty(self._failed)
        if self._input is None:
            return HealthReport.unknown("device not open")
        return HealthReport.ok(device=self.options.device)

    def _read_chunk(self) -> bytes:
        assert self._input is not None
        ready, _, _ = select.select([self._input.fd], [], [], _READ_TIMEOUT_S)
        if not ready:
            return b""
        typed = "".join(self._keys.key(e.code, e.value) for e in self._input.read() if e.type == _EV_KEY)
        return typed.encode(self.options.encoding, "replace")
