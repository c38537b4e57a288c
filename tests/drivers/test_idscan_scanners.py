"""The serial scanner driver, run against pyserial's loopback port through the simulator."""

import os
import queue
import tomllib
from typing import NamedTuple

import pytest

from drivers.base import DataEvent, DeviceState, Health, NoHardwareError
from drivers.idscan import DocumentKind, Source, encode_aamva
from drivers.idscan.drivers import HidWedgeScanner, SerialScanner, SimulatedScanner
from drivers.idscan.keymap import _LAYOUTS
from drivers.idscan.mrz import mrz_line, normalize_mrz, parse_mrz
from drivers.idscan.scanner_sim import ScannerSimulator
from kiosk.config import DeviceSection
from tests.idscan_samples import MODERN, TD1, TD3, TOKEN

# The blocks proposed for config/kiosk.toml (the lead owns that file).
SCANNER_TOML = r"""
[devices.scanner]
kind = "scanner"
driver = "sim"
enabled = true

[devices.scanner.options]
port = "loop://"
terminators = ["\r\n", "\r", "\n"]
encoding = "utf-8"
mrz_timeout_s = 0.5
aamva_timeout_s = 1.0
"""


def documents(device):
    events: queue.Queue = queue.Queue()
    device.subscribe(lambda e: events.put(e.data) if isinstance(e, DataEvent) else None)
    return events


@pytest.fixture
def scanner():
    dev = SimulatedScanner("scanner", SimulatedScanner.Options(mrz_timeout_s=0.2))
    docs = documents(dev)
    dev.start().result(timeout=5)
    yield dev, docs
    dev.shutdown()


def test_default_toml_block_validates():
    section = tomllib.loads(SCANNER_TOML)["devices"]["scanner"]
    DeviceSection.model_validate(section)


def test_feeds_of_every_kind_become_documents(scanner):
    dev, docs = scanner
    dev.feed(TD1)
    dev.feed(encode_aamva(MODERN))
    dev.feed(TOKEN)
    dev.feed(TD3, terminator="\r")
    got = [docs.get(timeout=5) for _ in range(4)]
    assert [d.kind for d in got] == [
        DocumentKind.TD1,
        DocumentKind.AAMVA_DL,
        DocumentKind.BOOKING,
        DocumentKind.TD3,
    ]
    assert all(d.valid and d.source is Source.SERIAL for d in got)
    assert dev.check_health().result(timeout=5).health is Health.OK


@pytest.mark.parametrize(
    "shape",
    [str.lower, lambda zone: zone.replace("<<", "< <"), lambda zone: zone.swapcase().replace("\n", " \n\t")],
    ids=["lower-case", "stray-spaces", "mixed-case-and-blanks"],
)
def test_an_mrz_the_parser_reads_is_assembled_by_the_scanner_too(scanner, shape):
    dev, docs = scanner
    zone = shape(TD1)
    assert parse_mrz(zone).valid  # the parser's normalisation...
    dev.feed(zone)
    doc = docs.get(timeout=5)
    assert doc.kind is DocumentKind.TD1 and doc.valid  # ...is the scanner's
    assert docs.empty()


def test_one_normalisation_for_parser_and_framing():
    line = TD3.split("\n")[0]
    assert (
        mrz_line(line.lower())
        == mrz_line(f" {line[:20]} {line[20:]}\t")
        == normalize_mrz(line.lower())
        == line
    )
    assert mrz_line(line[:-1]) is None and mrz_line("SBT1." + line[5:]) is None


def test_half_an_mrz_times_out_into_an_invalid_document(scanner):
    dev, docs = scanner
    dev.feed(TD3.split("\n")[0])
    doc = docs.get(timeout=5)
    assert not doc.valid and doc.reason


def test_rubbish_gives_an_invalid_document_not_a_crash(scanner):
    dev, docs = scanner
    dev.feed(b"\xff\xfe\x00garbage")
    dev.feed(TOKEN)
    assert not docs.get(timeout=5).valid
    assert docs.get(timeout=5).valid  # and the reader keeps going


def test_feed_file_is_played_when_enabled(tmp_path):
    feed = tmp_path / "scans.txt"
    feed.write_text(f"{TD1}\n\n{TOKEN}\n", encoding="utf-8")
    dev = SimulatedScanner("scanner", SimulatedScanner.Options(feed_file=feed))
    docs = documents(dev)
    dev.start().result(timeout=5)
    try:
        assert [docs.get(timeout=5).kind for _ in range(2)] == [DocumentKind.TD1, DocumentKind.BOOKING]
    finally:
        dev.shutdown()


def test_missing_port_is_no_hardware():
    dev = SerialScanner("scanner", SerialScanner.Options(port="/dev/does-not-exist-sambut"))
    with pytest.raises(NoHardwareError):
        dev.open().result(timeout=5)
    assert dev.state is DeviceState.CLOSED
    dev.shutdown()


@pytest.mark.parametrize(
    "options",
    [
        {"port": ""},
        {"port": "loop://", "encoding": "no-such-codec"},
        {"port": "x", "terminators": [""]},
        {"port": "x", "speed": 1},
    ],
)
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        DeviceSection(kind="scanner", driver="serial", options=options)


# --- keyboard wedge -------------------------------------------------------------------------------


class KeyEvent(NamedTuple):
    type: int
    code: int
    value: int


class FakeInput:
    """Stands in for evdev.InputDevice: a pipe to wake select(), a queue of key events."""

    def __init__(self) -> None:
        self.fd, self._wake = os.pipe()
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self.grabbed = False

    def type(self, text: str) -> None:
        reverse = {}
        for code, (plain, shifted) in _LAYOUTS["us"].items():
            reverse.setdefault(shifted, (code, True))
            reverse[plain] = (code, False)
        for char in text:
            code, shift = (28, False) if char == "\n" else reverse[char]
            events = [KeyEvent(1, 42, 1)] if shift else []
            events += [KeyEvent(1, code, 1), KeyEvent(0, 0, 0), KeyEvent(1, code, 0)]
            events += [KeyEvent(1, 42, 0)] if shift else []
            for event in events:
                self._events.put(event)
        os.write(self._wake, b"!")

    def read(self) -> list[KeyEvent]:
        os.read(self.fd, 1024)
        events = []
        while not self._events.empty():
            events.append(self._events.get())
        return events

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def close(self) -> None:
        os.close(self.fd)
        os.close(self._wake)


class WedgeOnFakeInput(HidWedgeScanner):
    fake: FakeInput

    def _open_input(self):
        return self.fake


def test_keyboard_wedge_scans_are_grabbed_and_read():
    WedgeOnFakeInput.fake = FakeInput()
    dev = WedgeOnFakeInput("wedge", HidWedgeScanner.Options(device="/dev/input/fake", mrz_timeout_s=5))
    docs = documents(dev)
    dev.start().result(timeout=5)
    try:
        assert dev.fake.grabbed
        dev.fake.type(TOKEN + "\n")
        doc = docs.get(timeout=5)
        assert doc.valid and doc.fields.booking_token == TOKEN and doc.source is Source.HID
        dev.fake.type(TD3 + "\n")  # the MRZ typed line by line, Enter after each
        assert docs.get(timeout=5).kind is DocumentKind.TD3
    finally:
        dev.shutdown()
    assert not WedgeOnFakeInput.fake.grabbed


def test_keyboard_wedge_without_evdev_is_no_hardware():
    try:
        import evdev  # noqa: F401
    except ImportError:
        dev = HidWedgeScanner("wedge", HidWedgeScanner.Options(device="/dev/input/event0"))
        with pytest.raises(NoHardwareError, match="evdev"):
            dev.open().result(timeout=5)
        dev.shutdown()
    else:
        pytest.skip("evdev is installed here")


def test_serial_driver_over_tcp_to_the_scanner_simulator():
    sim = ScannerSimulator(terminator=b"\r")
    dev = SerialScanner(
        "scanner", SerialScanner.Options(port=f"socket://127.0.0.1:{sim.port}", terminators=["\r"])
    )
    docs = documents(dev)
    try:
        dev.start().result(timeout=5)
        assert sim.wait_for_kiosk(timeout=5)
        sim.send(TD1.encode())
        sim.send(encode_aamva(MODERN))
        sim.send(TOKEN.encode())
        assert [docs.get(timeout=5).kind for _ in range(3)] == [
            DocumentKind.TD1,
            DocumentKind.AAMVA_DL,
            DocumentKind.BOOKING,
        ]
    finally:
        dev.shutdown()
        sim.close()
