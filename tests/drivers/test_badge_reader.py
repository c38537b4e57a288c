"""The badge reader driver against pyserial's loopback port (the simulator) and a real pty pair."""

import os
import pty
import queue
import tty

import pytest

from drivers import registry
from drivers.badge.drivers import (
    BadgeRead,
    Debouncer,
    SerialBadgeReader,
    SimulatedBadgeReader,
    normalise_uid,
)
from drivers.base import DataEvent, Health, NoHardwareError


def reads(device):
    got: queue.Queue = queue.Queue()
    device.subscribe(lambda e: got.put(e.data) if isinstance(e, DataEvent) else None)
    return got


@pytest.mark.parametrize(
    ("line", "fmt", "uid"),
    [
        ("04:a3:1b:22", "hex", "04A31B22"),
        ("0x04A31B22", "hex", "04A31B22"),
        (" 4 a3 1b 22 \t", "hex", "04A31B22"),
        ("04-A3-1B-22-5C-80-01", "hex", "04A31B225C8001"),
        ("0077777777", "decimal", "04A2CB71"),
        ("nope", "hex", None),
        ("", "hex", None),
        ("12ab", "decimal", None),
        ("00" * 11, "hex", None),
    ],
)
def test_uids_are_normalised_to_upper_hex(line, fmt, uid):
    assert normalise_uid(line, fmt) == uid


def test_debounce_drops_the_same_card_within_the_window_only():
    d = Debouncer(2.0)
    assert d.accept("AA", 10.0)
    assert not d.accept("AA", 11.0)
    assert not d.accept("AA", 12.5)  # still held on the reader: the window runs from the last read
    assert d.accept("BB", 12.6)
    assert d.accept("AA", 12.7)
    assert d.accept("AA", 14.7)


def test_both_drivers_are_registered():
    registry.load_builtin_drivers()
    assert registry.drivers_for("badge") == ["serial", "sim"]


def test_simulated_reader_delivers_debounced_reads_over_loop():
    dev = SimulatedBadgeReader("badge", SimulatedBadgeReader.Options(debounce_s=30))
    got = reads(dev)
    dev.start().result(timeout=5)
    try:
        dev.feed("04:a3:1b:22")
        dev.feed("04a31b22")  # the card still on the reader
        dev.feed("garbage!")
        dev.feed("0xDEADBEEF", terminator="\r")
        assert got.get(timeout=5) == BadgeRead("04A31B22")
        assert got.get(timeout=5) == BadgeRead("DEADBEEF")
        assert got.empty()
        assert dev.check_health().result(timeout=5).health is Health.OK
    finally:
        dev.shutdown()


def test_feed_file_presents_cards_when_enabled(tmp_path):
    feed = tmp_path / "badges.txt"
    feed.write_text("11223344\n\n55667788\n")
    dev = SimulatedBadgeReader("badge", SimulatedBadgeReader.Options(feed_file=feed))
    got = reads(dev)
    dev.start().result(timeout=5)
    try:
        assert [got.get(timeout=5).uid for _ in range(2)] == ["11223344", "55667788"]
    finally:
        dev.shutdown()


def test_serial_reader_on_a_pty_with_a_custom_terminator():
    controller, worker = pty.openpty()
    tty.setraw(worker)
    path = os.ttyname(worker)
    dev = SerialBadgeReader("badge", SerialBadgeReader.Options(port=path, terminators=["\x03"]))
    got = reads(dev)
    try:
        dev.start().result(timeout=5)
        os.write(controller, b"\x0204A31B22\x03")  # STX framing is dropped with the separators
        os.write(controller, b"8899AABB\x03")
        assert [got.get(timeout=5).uid for _ in range(2)] == ["04A31B22", "8899AABB"]
    finally:
        dev.shutdown()
        os.close(controller)
        os.close(worker)


def test_missing_port_is_no_hardware():
    dev = SerialBadgeReader("badge", SerialBadgeReader.Options(port="/dev/does-not-exist-sambut"))
    with pytest.raises(NoHardwareError):
        dev.start().result(timeout=5)
    dev.shutdown()


def test_a_badge_on_the_simulated_reader_unlocks_admin_mode(tmp_path):
    from kiosk.admin.unlock import Outcome, listen_for_badges
    from tests.admin_rig import ANNA_UID, STAFF_PIN, Clock, admin_mode

    mode = admin_mode(tmp_path, Clock())
    results: queue.Queue = queue.Queue()
    dev = SimulatedBadgeReader("badge", SimulatedBadgeReader.Options())
    stop = listen_for_badges(dev, mode, results.put)
    dev.start().result(timeout=5)
    try:
        dev.feed(ANNA_UID.lower())
        assert results.get(timeout=5).outcome is Outcome.PIN_NEEDED
        assert mode.enter_pin(STAFF_PIN).session.actor == "Anna"
    finally:
        stop()
        dev.shutdown()
