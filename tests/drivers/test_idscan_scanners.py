"""The serial scanner driver, run against pyserial's loopback port through the simulator."""

import queue
import tomllib

import pytest

from drivers.base import DataEvent, DeviceState, Health, NoHardwareError
from drivers.idscan import DocumentKind, Source, encode_aamva
from drivers.idscan.drivers import SerialScanner, SimulatedScanner
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
