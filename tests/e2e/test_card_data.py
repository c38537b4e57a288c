"""No card data at rest, end to end: a terminal that sends full card numbers and track 2, the
payments handed to the server through the outbox, then every file the kiosk and the server wrote
(kiosk store, payment journal, server database with their WALs, the DEBUG log) searched for it."""

import contextlib
import logging

import pytest

from drivers.money import Money
from drivers.payment.model import Outcome
from tests.drivers.test_zvt_card_data import forbidden_patterns
from tests.drivers.zvt_rig import make_rig
from tests.e2e.conftest import make_kiosk
from tests.server.conftest import BUSINESS_DATE

pytestmark = [pytest.mark.kiosk_only, pytest.mark.timeout(90)]


def test_card_numbers_reach_no_file_of_kiosk_or_server(db, server, token, tmp_path, debug_log):
    kiosk = make_kiosk(server.url, tmp_path / "kiosk", token)
    rig = make_rig("tcp", tmp_path, currency="IDR", leak_card_data=True)
    try:
        assert kiosk.worker.wait_drained(10)
        booking = kiosk.desk.search(surname="Santoso", arrival=BUSINESS_DATE)[0]
        sale = rig.terminal.sale(Money(booking.balance, "IDR"), str(booking.id)).result(15)
        assert sale.outcome is Outcome.APPROVED
        kiosk.desk.record_payment(booking, sale)
        assert kiosk.worker.wait_drained(15)
        paid = kiosk.desk.search(surname="Santoso", arrival=BUSINESS_DATE)[0]
        assert paid.balance == 0 and paid.paid == booking.balance
    finally:
        rig.close()
        kiosk.close()
    server.stop()
    db.dispose()
    logging.getLogger().handlers[-1].flush()
    server_db = tmp_path / "frontoffice.sqlite3"  # the server fixture's database lives beside the kiosk
    assert server_db.exists() and debug_log.stat().st_size > 0
    files = _files(tmp_path)
    assert sale.masked_pan[-4:].encode() in files[server_db.name]  # the payment is there, masked
    # The simulated terminal's own state file stands for the terminal, which does know the card.
    hits = [(name, p) for name, data in files.items() for p in forbidden_patterns() if p in data]
    assert [h for h in hits if h[0] != "sim-state.json"] == []


def _files(root):
    """Every file's bytes by name; SQLite may remove its WAL while we look, which is fine."""
    found = {}
    for path in root.rglob("*"):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            found[path.name] = path.read_bytes()
    return found
