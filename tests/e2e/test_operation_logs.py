"""Operations are logged: a check-in with a card payment and a receipt leaves its device, journey
and sync lines in the rotating log file, per device on the technician's page and in the
diagnostics zip, and none of the guest's data (name, code, room, card) anywhere in the file."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest

from drivers.money import Money
from drivers.printer.document import Cut, Text
from drivers.printer.receipts import Receipt
from kiosk import logfile
from kiosk.admin.diagnostics import write_bundle
from kiosk.admin.logs import LogBuffer
from kiosk.config import LogSection
from tests.admin_rig import DeviceRig
from tests.server.conftest import BUSINESS_DATE

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"
pytestmark = pytest.mark.kiosk_only


@pytest.fixture
def logged(tmp_path):
    """The kiosk's log set up as the app does (into tmp_path), and the technician's ring buffer."""
    rig = DeviceRig(tmp_path)
    rig.settings.log = LogSection(path=tmp_path / "log" / "kiosk.log")
    root = logging.getLogger()
    level = root.level
    handler = logfile.setup(rig.settings, console=False)
    buffer = LogBuffer(lambda: list(rig.settings.devices)).attach()
    yield rig, buffer
    buffer.detach()
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)
    rig.close()


def test_a_check_in_is_logged_per_device_and_in_diagnostics_without_guest_data(logged, kiosk, tmp_path):
    rig, buffer = logged
    [guest] = kiosk.desk.search(surname="Santoso", arrival=BUSINESS_DATE)
    room = kiosk.desk.assign_room(guest).room
    done = kiosk.desk.check_in(guest)
    sale = rig.manager.get("card_terminal").sale(Money(85_000_000, "IDR"), str(guest.id)).result(timeout=20)
    assert sale.approved
    kiosk.desk.record_payment(done, sale)
    receipt = Receipt(
        (Text(f"{guest.guest.given_names} {guest.guest.surname}"), Text(f"Room {room.number}"), Cut()),
        kind="checkin",
    )
    rig.manager.get("receipt").print_receipt(receipt).result(timeout=10)
    assert kiosk.worker.wait_drained(10)

    printed = [line.message for line in buffer.lines(device="receipt")]
    paid = [line.message for line in buffer.lines(device="card_terminal")]
    assert any("checkin" in m and "printed" in m for m in printed), printed
    assert any("sale" in m.lower() and "approved" in m.lower() for m in paid), paid

    text = (tmp_path / "log" / "kiosk.log").read_text(encoding="utf-8")
    assert "receipt: checkin" in text and "card_terminal:" in text and "sync: pushed" in text
    secrets = {
        guest.guest.surname,
        guest.guest.given_names,
        guest.confirmation_code,
        f"Room {room.number}",
        sale.masked_pan,
        sale.masked_pan[-4:],
        sale.auth_code,
    } - {""}
    assert not [s for s in secrets if s in text], [s for s in secrets if s in text]

    bundle = write_bundle(
        tmp_path / "diag", rig.settings, config_path=SHIPPED, manager=rig.manager, logs=buffer
    )
    with zipfile.ZipFile(bundle) as z:
        for name in ("logs.txt", "kiosk.log"):
            held = z.read(name).decode()
            assert "receipt: checkin" in held and "card_terminal:" in held, name
