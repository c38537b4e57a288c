"""Admin mode built from the kiosk's settings, as the app will build it."""

import shutil
import zipfile
from pathlib import Path

from kiosk.admin.devicemanager import DeviceManager
from kiosk.admin.services import build_admin
from kiosk.admin.unlock import Outcome
from kiosk.config import DeviceSection, KioskSettings
from tests.admin_rig import ANNA_UID, STAFF_PIN, TECH_PIN, admin_section

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"


def test_built_from_settings_with_a_badge_reader(tmp_path):
    config_path = tmp_path / "kiosk.toml"
    shutil.copy(SHIPPED, config_path)
    settings = KioskSettings(
        admin=admin_section(tmp_path), devices={"badge": DeviceSection(kind="badge", driver="sim")}
    )
    devices = DeviceManager(settings)
    devices.start_all()
    closed = []
    admin = build_admin(settings, devices, config_path, on_close=closed.append)
    try:
        assert admin.mode.gesture.hold_s == 3.0
        assert admin.mode.badge(ANNA_UID).outcome is Outcome.PIN_NEEDED
        assert admin.mode.enter_pin(STAFF_PIN).session.actor == "Anna"
        admin.staff.set_out_of_service(True)
        assert admin.state.out_of_service and [d.name for d in admin.staff.status().devices] == ["badge"]
        admin.mode.close()
        assert closed == ["closed"]
        admin.mode.enter_pin(TECH_PIN)
        flow = admin.setup("badge", "badge")
        flow.choose("sim")
        assert flow.set_options({}) == {}
        assert flow.run_test(on_started=lambda device: device.feed("01020304")).ok
        bundle = admin.write_diagnostics(tmp_path / "usb")
        assert "devices.json" in zipfile.ZipFile(bundle).namelist()
        flow.cancel()
    finally:
        admin.logs.detach()
        devices.shutdown_all()
