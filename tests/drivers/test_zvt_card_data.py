"""No card data at rest: run payments against a terminal that sends full card numbers, track 2
and expiry dates (and prints the full number on its receipts), then search every file the kiosk
side wrote (journal database with its WAL, the log at DEBUG) for any of it."""

import logging
from pathlib import Path

import pytest

from drivers.base import DataEvent
from drivers.money import Money
from drivers.payment.model import Outcome
from drivers.sim.zvt_terminal import TEST_CARDS
from tests.drivers.zvt_rig import make_rig

pytestmark = pytest.mark.timeout(60)


def forbidden_patterns() -> list[bytes]:
    patterns = []
    for card in TEST_CARDS:
        patterns += [
            card.pan.encode(),  # as text
            bytes.fromhex(card.pan),  # as packed BCD, as it crossed the wire
            card.track2.encode(),
            card.track2.replace("D", "=").encode(),
            " ".join(card.pan[i : i + 4] for i in range(0, 16, 4)).encode(),
        ]
    return patterns


def scan(root: Path) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}: {p!r}" for p in forbidden_patterns() if p in data]
    return hits


@pytest.mark.parametrize(("transport", "text_blocks"), [("tcp", False), ("serial", True)])
def test_no_card_data_in_any_kiosk_file(tmp_path, debug_log, transport, text_blocks):
    rig = make_rig(transport, tmp_path, leak_card_data=True, text_blocks=text_blocks)
    # The simulator really sends the full number: the kiosk side has it on the wire.
    try:
        t = rig.terminal
        sale = t.sale(Money(10_000, "EUR"), "booking-1").result(10)
        t.sale(Money(20_000, "EUR"), "booking-2").result(10)  # the second test card
        pre = t.preauthorise(Money(30_000, "EUR"), "booking-3").result(10)
        t.capture(pre, Money(25_000, "EUR"), "booking-3").result(10)
        t.reverse(sale, "booking-1").result(10)
        t.refund(Money(1_000, "EUR"), "booking-4").result(10)
        rig.sim.script("decline:05", "drop")
        assert t.sale(Money(500, "EUR"), "booking-5").result(10).outcome is Outcome.DECLINED
        assert t.sale(Money(600, "EUR"), "booking-6").result(10).approved  # via reconciliation
        t.end_of_day().result(10)
        last = rig.sim.state.last
        wire = rig.sim._status_information(last).data
        assert bytes.fromhex(TEST_CARDS[last["card"]].pan) in wire
        # Events handed to the journey (shown, printed) carry no full number either.
        payloads = repr([e.data for e in rig.events if isinstance(e, DataEvent)]).encode()
        assert not [p for p in forbidden_patterns() if p in payloads]
        assert scan(tmp_path / "kiosk") == []  # journal open, WAL present
    finally:
        rig.close()
    logging.getLogger().handlers[-1].flush()
    assert debug_log.stat().st_size > 0 and b"1111" in (tmp_path / "kiosk" / "payments.sqlite3").read_bytes()
    assert scan(tmp_path / "kiosk") == []  # and after close
