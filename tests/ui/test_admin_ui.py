"""Admin mode in the real Kivy app under Xvfb, by simulated touches, against a real local server
and the device simulators: unlocking, the lockout, the idle close, every staff action and the
technician's device setup, logs and diagnostics; and the audit trail on the server."""

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from frontoffice.models import AuditEvent
from kiosk.admin.configfile import ConfigFile
from kiosk.admin.credentials import hash_badge, hash_secret, new_badge_salt
from tests.admin_rig import ANNA_UID, BUDI_UID, CHEAP, STAFF_PIN, TECH_PIN
from tests.ui.harness import run_app

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]


def kiosk_config(tmp: Path) -> Path:
    """The shipped kiosk.toml with PINs, two badges, a 1 s corner hold and a 10 s lockout."""
    path = tmp / "kiosk.toml"
    shutil.copy(ROOT / "config" / "kiosk.toml", path)
    config = ConfigFile(path)
    salt = new_badge_salt()
    admin = config.read()["admin"] | {
        "gesture_hold_s": 1.0,
        "lockout_s": 10.0,
        "pins": {"staff": [hash_secret(STAFF_PIN, n=CHEAP)], "technician": [hash_secret(TECH_PIN, n=CHEAP)]},
        "badge_salt": salt,
        "badges": [
            {"name": "Anna", "role": "staff", "uid_hash": hash_badge(ANNA_UID, salt, n=CHEAP)},
            {"name": "Budi", "role": "technician", "uid_hash": hash_badge(BUDI_UID, salt, n=CHEAP)},
        ],
        "audit_path": str(tmp / "audit.jsonl"),
        "state_path": str(tmp / "admin-state.json"),
        "diagnostics_dir": str(tmp / "diagnostics"),
    }
    config.save_section(("admin",), admin)
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("admin-ui")
    with run_app("admin_app.py", tmp, env={"SAMBUT_KIOSK_CONFIG": str(kiosk_config(tmp))}) as (data, session):
        yield data, session, tmp


def test_the_corner_and_a_staff_badge_open_the_pin_pad(run):
    data, _, _ = run
    assert "Staff PIN" in data["pad"][0]
    assert "Hello Anna, enter your PIN" in data["pad_badge"][0]
    assert data["unknown_badge_opened_pad"] is False  # a guest's card on the reader does nothing
    assert data["pad_unknown_badge"] == "This badge is not known here. Enter your PIN instead."
    assert "Staff mode  ·  Anna" in data["status"][0]
    assert data["staff_tabs"] == ["admin_day", "admin_payments", "admin_status"]
    assert data["technician_tabs"] == sorted(
        ["admin_status", "admin_payments", "admin_day", "admin_devices", "admin_logs", "admin_diagnostics"]
    )


def test_status_shows_each_device_the_server_and_the_version(run):
    data, _, _ = run
    status = data["status"][0]
    # Devices by what they are, in the staff's language, not by their kiosk.toml keys.
    for name in ("Receipt printer", "Card terminal", "ID and code scanner", "Camera", "Staff badge reader"):
        assert f"| {name} |" in status
    assert "card_terminal" not in status
    assert "Online" in status and "Waiting to send: 0" in status and "App version 0.1.0" in status
    assert "Paper: empty" in data["status_paper_out"][0] and "Faulty" in data["status_paper_out"][0]
    assert data["paper_replaced"] == "Thank you. The printer is ready again."
    # A refused kiosk is faulty, loudly, with the way out; registered again it is the same kiosk.
    assert data["refused_alert"].startswith("Not registered with the server")
    assert "python main.py server add-kiosk lobby-1" in data["refused_alert"]
    assert "Not registered with the server" in data["status_refused"][0]
    assert data["registered_again"] == {"alert": "", "same_id": True}


def test_payments_to_check_are_resolved_and_today_is_listed(run):
    data, _, _ = run
    payments = data["payments"][0]
    # The property's clock and formats (Jakarta: "14.03"), the card by brand and last four, and no
    # booking reference or raw card mask.
    assert re.search(
        r"\d\d\.\d\d  ·  Payment  ·  Rp 125.000 \| connection lost; terminal not readable"
        r" \| It went through",
        payments,
    )
    assert re.search(r"\d\d\.\d\d  ·  Payment  ·  Rp 850.000  ·  VISA •••• 1111 \| Approved", payments)
    assert "SMB-" not in payments and "************" not in payments
    resolved = data["payments_resolved"][0]
    assert "Nothing to check." in resolved and "Recorded: the payment went through." in resolved


def test_end_of_day_closes_prints_and_sends_the_totals(run):
    data, session, _ = run
    said = data["end_of_day"][0]
    assert "Card terminal end of day: approved" in said
    assert re.search(r"Business date: \d\d? \w{3} \d{4}", said)  # as the property writes it, not ISO
    assert "Totals printed" in said and "Totals on their way to the server" in said
    assert "VISA | Sales: 1 · Rp 850.000" in said
    assert data["end_of_day_printed"] == 1
    reports = session.scalars(select(AuditEvent).where(AuditEvent.action == "end_of_day_report")).all()
    assert len(reports) == 1
    totals = {t["method"]: t["net_minor"] for t in reports[0].detail["totals"]}
    assert totals == {"VISA": 850_000_00, "card": 125_000_00}


def test_reprint_prints_the_last_receipt_again(run):
    data, _, _ = run
    assert data["reprint"] == "The last receipt was printed again."
    assert data["reprinted"] is True


def test_out_of_service_sends_guests_to_the_front_desk(run):
    data, _, _ = run
    assert data["guest_screen"] == "out_of_service"
    assert "Please see the front desk" in data["guests_out_of_service"][0]
    assert "Check in" not in data["guests_out_of_service"][0]
    assert data["guest_screen_after"] == "attract"


def test_left_idle_admin_closes_and_wipes_the_guest_session(run):
    data, _, _ = run
    assert data["after_idle"] == {"step": "attract", "session": True}


def test_printer_setup_tests_saves_with_a_backup_and_restarts_live(run):
    data, _, tmp = run
    assert "Test passed" in data["setup_test_printer"][0]
    saved = data["setup_saved_printer"][0]
    assert "The previous file is kept as kiosk.toml." in saved
    assert "Receipt printer restarted with the new settings | OK" in saved
    assert "Journal" not in data["setup_options"][0]  # the kiosk's own files are not settings
    assert data["printer_replaced"] is True and data["journey_printer"] is True
    # The test's own PINs, the printer's setup, the added badge reader: each save keeps a backup.
    assert len(list(tmp.glob("kiosk.toml.*.bak"))) == 3


def test_a_terminal_that_fails_its_test_is_not_saved_unless_asked(run):
    data, _, tmp = run
    assert "port = 9" in data["setup_test_failed"][0]  # typed on the on-screen keyboard
    failed = data["setup_test_failed"][0]
    # What it means and what to do, not the OS's words (those are in the logs).
    assert "Nothing answers at that address and port" in failed and "Test failed" in failed
    assert "Errno" not in failed and "Connection refused" not in failed
    assert data["failed_actions"] == ["back", "cancel", "save", "test"]  # "Save anyway" is a choice
    assert "port = 9\n" not in (tmp / "kiosk.toml").read_text()


def test_a_bad_setting_is_named_at_its_field(run):
    data, _, _ = run
    said = data["setup_invalid"][0]
    assert "Port | – | + | Input should be a valid integer" in said
    assert "Please correct the settings marked below." in said


def test_badge_reader_setup_waits_for_a_card(run):
    data, _, _ = run
    assert "Hold a staff badge to the reader now." in data["setup_badge_pressed"][0]
    assert f"badge {BUDI_UID} | Test passed" in data["setup_badge_tested"][0]


def test_scanner_setup_shows_what_it_decoded(run):
    data, _, _ = run
    assert "booking: valid | Test passed" in data["setup_scanner_tested"][0]


def test_camera_setup_shows_its_live_picture_then_what_it_decoded(run):
    data, _, _ = run
    assert data["camera_preview_live"]
    assert "Test passed" in data["setup_camera_tested"][0] and data["camera_preview_gone"]


def test_a_new_device_is_added_and_runs_at_once(run):
    data, _, tmp = run
    assert "Set up: Staff badge reader 2" in data["setup_added"][0]
    assert "Staff badge reader 2 restarted with the new settings | OK" in data["setup_added"][0]
    assert data["added_running"] is True
    assert "[devices.badge_2]" in (tmp / "kiosk.toml").read_text()


def test_logs_by_device_and_the_diagnostics_file(run):
    data, _, tmp = run
    assert "not a card UID" in data["logs_badge"]
    assert "Written:" in data["diagnostics"]
    (bundle,) = (tmp / "diagnostics").glob("sambut-diagnostics-*.zip")
    with zipfile.ZipFile(bundle) as z:
        config = z.read("config.toml").decode()
    assert "scrypt$" not in config and "***" in config


def test_five_wrong_pins_lock_the_pad_with_a_countdown(run):
    data, _, _ = run
    first, later = data["countdown"]
    assert first == "Too many wrong PINs. The pad is locked for 0:10."
    assert later.startswith("Too many wrong PINs. The pad is locked for 0:0") and later != first
    assert data["keys_disabled"] is True


def test_every_unlock_failure_and_action_reaches_the_server(run):
    data, session, _ = run
    local = data["audit_file"]
    for event in ("unlock", "unlock_failed", "locked_out", "out_of_service", "reprint_last", "paper_replaced",
                  "payment_resolved", "end_of_day", "setup_saved", "setup_cancelled", "diagnostics_written",
                  "admin_closed", "badge_unknown"):  # fmt: skip
        assert event in local, event
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "admin")).all()
    server = [e.action for e in events if e.action != "end_of_day_report"]
    assert sorted(server) == sorted(local)
    assert {e.actor for e in events if e.action == "unlock"} == {"Anna", "Budi", "staff"}
