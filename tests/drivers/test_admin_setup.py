"""The technician's setup flow against the simulators: printer, card terminal, badge reader and
scanner, a device that fails its test, and saving with a backup then restarting just that device."""

import shutil
from pathlib import Path

import pytest

from drivers.discovery import Discovery, SerialPort
from drivers.sim.printer import Paper as SimPaper
from kiosk.admin.configfile import ConfigFile
from kiosk.admin.setup import FieldSpec, SetupFlow, Step
from kiosk.admin.unlock import AdminError
from kiosk.config import load_settings
from tests.admin_rig import STAFF_PIN, TECH_PIN, Clock, DeviceRig, admin_mode
from tests.idscan_samples import TOKEN

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"
FOUND = Discovery(
    serial_ports=[SerialPort("/dev/ttyUSB0", "/dev/serial/by-id/usb-RFID-if00", 0x10C4, 0xEA60, "CP2102")]
)


@pytest.fixture
def rig(tmp_path):
    rig = DeviceRig(tmp_path)
    yield rig
    rig.close()


@pytest.fixture
def tech(tmp_path):
    mode = admin_mode(tmp_path, Clock())
    mode.enter_pin(TECH_PIN)
    return mode


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "kiosk.toml"
    shutil.copy(SHIPPED, path)
    return ConfigFile(path)


def flow(name, kind, tech, rig, config):
    return SetupFlow(name, kind, tech, rig.manager, config, discovery=lambda: FOUND, test_timeout_s=5)


def test_only_technicians_set_devices_up(rig, config, tmp_path):
    mode = admin_mode(tmp_path, Clock())
    mode.enter_pin(STAFF_PIN)
    with pytest.raises(AdminError):
        flow("receipt", "printer", mode, rig, config)


def test_printer_setup_validates_tests_saves_and_restarts_only_the_printer(rig, tech, config):
    old_printer = rig.manager.get("receipt")
    terminal = rig.manager.get("card_terminal")
    f = flow("receipt", "printer", tech, rig, config)
    assert "network" in f.drivers() and f.driver == "network"
    f.choose("network")
    fields = {s.name: s for s in f.fields()}
    assert fields["port"].value == rig.printer_server.port and fields["profile"].choices == ("80mm", "58mm")
    errors = f.set_options(rig.printer_options(port=70000, paper="wide"))
    assert set(errors) == {"port", "paper"} and errors["paper"] == "unknown option"
    assert f.step is Step.OPTIONS
    assert f.set_options(rig.printer_options(profile="58mm")) == {}
    printed = len(rig.printer.receipts)
    result = f.run_test()
    assert result.ok and result.detail == {"paper": "ok"}
    assert "Sambut test page" in " ".join(rig.printer.receipts[printed].text.split())
    saved = f.save()
    assert saved.backup.exists() and saved.backup.read_text() == SHIPPED.read_text()
    section = load_settings(config.path).devices["receipt"]
    assert section.options["profile"] == "58mm" and section.options["port"] == rig.printer_server.port
    assert "# Card terminal: ZVT over TCP" in config.path.read_text()  # the rest of the file kept
    new_printer = rig.manager.get("receipt")
    assert new_printer is not old_printer and new_printer.profile.name == "58mm"
    assert new_printer.state.value == "enabled" and rig.manager.get("card_terminal") is terminal
    events = [r.event for r in tech.audit.records()]
    assert events[-3:] == ["setup_started", "setup_tested", "setup_saved"]


def test_a_printer_that_fails_its_test_is_not_saved_and_cancel_restores_it(rig, tech, config):
    before = config.path.read_text()
    rig.printer.set_faults(paper=SimPaper.OUT)
    f = flow("receipt", "printer", tech, rig, config)
    f.choose("network")
    assert f.set_options(rig.printer_options()) == {}
    result = f.run_test()
    assert not result.ok and "paper out" in result.summary
    assert rig.manager.get("receipt") is None  # stopped while being set up
    with pytest.raises(AdminError, match="test the device first"):
        f.save()
    f.cancel()
    assert config.path.read_text() == before
    assert rig.manager.get("receipt").state.value == "enabled"


def test_terminal_setup_checks_status_and_the_host_line(rig, tech, config):
    f = flow("card_terminal", "payment", tech, rig, config)
    f.choose("zvt")
    assert f.set_options(dict(f.values)) == {}
    result = f.run_test()
    assert result.ok and result.detail["diagnosis"] == "host reachable"
    assert [s.secret for s in f.fields() if s.name == "password"] == [True]
    f.back()
    assert f.set_options(f.values | {"port": rig.printer_server.port + 1}) == {}  # nobody listens there
    assert not f.run_test().ok
    f.cancel()
    assert rig.manager.get("card_terminal").state.value == "enabled"


def test_badge_reader_setup_offers_discovered_ports_and_reads_a_badge(rig, tech, config):
    f = flow("badge", "badge", tech, rig, config)
    [port] = f.connections("serial")
    assert port.options == {"port": "/dev/serial/by-id/usb-RFID-if00"}
    f.choose("sim")
    assert f.set_options({"debounce_s": 0.5}) == {}
    result = f.run_test(on_started=lambda device: device.feed("04:a3:1b:22"))
    assert result.ok and result.summary == "badge 04A31B22"
    f.save()
    assert load_settings(config.path).devices["badge"].options == {"debounce_s": 0.5}
    assert rig.manager.get("badge").options.debounce_s == 0.5


def test_scanner_setup_shows_what_was_scanned_and_fails_when_nothing_is(rig, tech, config):
    f = SetupFlow(
        "scanner", "scanner", tech, rig.manager, config, discovery=lambda: FOUND, test_timeout_s=0.3
    )
    f.choose("sim")
    assert f.set_options({}) == {}
    assert not f.run_test().ok  # nobody showed a code
    result = f.run_test(on_started=lambda device: device.feed(TOKEN))
    assert result.ok and result.summary == "booking: valid"
    f.save(even_though_test_failed=False)
    assert rig.manager.get("scanner").kind == "scanner"


def test_admin_mode_closing_mid_setup_puts_the_old_device_back(rig, config, tmp_path):
    clock = Clock()
    mode = admin_mode(tmp_path, clock)
    mode.enter_pin(TECH_PIN)
    f = flow("receipt", "printer", mode, rig, config)
    f.choose("network")
    f.set_options(rig.printer_options(profile="58mm"))
    assert f.run_test().ok and rig.manager.get("receipt") is None
    clock.advance(121)
    mode.tick()  # the technician walked away
    restored = rig.manager.get("receipt")
    assert restored.state.value == "enabled" and restored.profile.name == "80mm"
    assert f.step is Step.DONE
    with pytest.raises(AdminError):
        f.save()


def test_option_names_read_as_words_with_their_unit():
    def label(name: str) -> str:
        return FieldSpec(name, "float", False, None).label

    assert label("status_timeout_s") == "Status timeout (s)"
    assert label("timeout_ms") == "Timeout (ms)"
    assert label("journal_max_age_h") == "Journal max age (h)"
    assert label("baudrate") == "Baudrate" and label("s") == "S"


def test_internal_options_are_not_on_the_form_and_survive_a_save(rig, tech, config):
    f = flow("card_terminal", "payment", tech, rig, config)
    f.choose(f.driver)
    names = {s.name for s in f.fields()}
    assert names and not {n for n in names if n.startswith("journal")}
    form = {s.name: s.value for s in f.fields()}
    assert f.set_options(form) == {}
    assert f.section.options["journal_path"] == str(rig.journal_path)  # kept from kiosk.toml


def test_a_failed_test_says_what_it_means_and_keeps_the_raw_detail_for_the_logs(rig, tech, config, caplog):
    import socket

    from kiosk.admin import faults
    from kiosk.i18n import translate

    with socket.socket() as s:  # a port nothing listens on: the OS refuses the connection
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    f = flow("receipt", "printer", tech, rig, config)
    f.choose("network")
    assert f.set_options(rig.printer_options(port=closed)) == {}
    with caplog.at_level("WARNING"):
        result = f.run_test()
    assert not result.ok and result.advice == faults.REFUSED
    assert "Errno" not in translate("id", result.advice) and translate("id", result.advice) != result.advice
    assert any(str(closed) in r.getMessage() or "refused" in r.getMessage().lower() for r in caplog.records)
    f.cancel()


@pytest.mark.parametrize(
    ("fault", "meaning"),
    [
        ("no_hardware: NoBackendError: No backend available", "NO_USB_BACKEND"),
        ("offline: [Errno 111] Connection refused", "REFUSED"),
        ("offline: [Errno 13] could not open port /dev/ttyUSB0: Permission denied", "NO_PERMISSION"),
        ("offline: [Errno 2] could not open port /dev/ttyUSB9", "NO_PORT"),
        ("timeout: not started within 10 s", "TIMEOUT"),
        ("USB: NoBackendError: No backend available", "NO_USB_BACKEND"),
    ],
)
def test_driver_and_os_errors_map_to_a_way_forward(fault, meaning):
    from kiosk.admin import faults

    assert faults.advice(fault) == getattr(faults, meaning)


def test_a_missing_usb_library_is_explained_from_the_exception_itself():
    import usb.core

    from kiosk.admin import faults

    try:
        try:
            raise usb.core.NoBackendError("No backend available")
        except ValueError as exc:
            raise OSError("printer not reachable") from exc
    except OSError as wrapped:
        assert faults.advice(wrapped) == faults.NO_USB_BACKEND
