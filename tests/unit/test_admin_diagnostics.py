"""The logs viewer's ring buffer, and the diagnostics zip with every secret redacted."""

import logging
import shutil
import zipfile
from pathlib import Path

import pytest

import main
from drivers.base import Device
from kiosk.admin.configfile import ConfigFile
from kiosk.admin.diagnostics import REDACTED, export_diagnostics, redact, write_bundle
from kiosk.admin.logs import LogBuffer
from kiosk.admin.unlock import AdminError
from kiosk.config import load_settings
from tests.admin_rig import STAFF_PIN, TECH_PIN, Clock, admin_mode, admin_section

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"
log = logging.getLogger("tests.admin")


@pytest.fixture
def buffer():
    logs = LogBuffer(lambda: ["receipt", "badge"], capacity=5).attach()
    yield logs
    logs.detach()


def test_log_lines_are_kept_in_a_ring_and_filtered_by_device(buffer):
    log.warning("receipt: paper near end")
    device = Device("badge")
    device.submit(log.error, "reader went away").result()  # logged on the device's own thread
    device.shutdown()
    log.warning("unrelated")
    assert [(line.device, line.message) for line in buffer.lines()][-3:] == [
        ("receipt", "receipt: paper near end"),
        ("badge", "reader went away"),
        ("", "unrelated"),
    ]
    assert [line.message for line in buffer.lines(device="badge")] == ["reader went away"]
    assert [line.level for line in buffer.lines(min_level=logging.ERROR)] == ["ERROR"]
    for i in range(10):
        log.warning("line %d", i)
    assert len(buffer.lines()) == 5 and buffer.lines()[-1].message == "line 9"
    assert "WARNING" in str(buffer.lines()[-1])


def test_redact_replaces_secrets_at_any_depth():
    data = {
        "password": "123456",
        "pins": {"staff": ["h"]},
        "badges": [{"name": "Anna", "uid_hash": "h"}],
        "x": 1,
    }
    assert redact({"url": "https://kiosk:s3cret@fo.example.org/api"}) == {
        "url": "https://***@fo.example.org/api"
    }
    assert redact(data) == {
        "password": REDACTED,
        "pins": REDACTED,
        "badges": [{"name": "Anna", "uid_hash": REDACTED}],
        "x": 1,
    }


def _config_with_secrets(tmp_path):
    path = tmp_path / "kiosk.toml"
    shutil.copy(SHIPPED, path)
    config = ConfigFile(path)
    section = admin_section(tmp_path).model_dump(mode="json")
    config.save_section(("admin",), section)
    terminal = config.read()["devices"]["card_terminal"]
    terminal["options"] = terminal["options"] | {"password": "918273"}
    config.save_section(("devices", "card_terminal"), terminal)
    return path, section


def test_bundle_holds_everything_but_secrets(tmp_path, buffer):
    path, section = _config_with_secrets(tmp_path)
    settings = load_settings(path)
    log.warning("receipt: printed")
    out = write_bundle(tmp_path / "usb", settings, config_path=path, logs=buffer, clock=Clock().wall)
    assert out.name == "sambut-diagnostics-lobby-1-20261126T090000Z.zip"
    with zipfile.ZipFile(out) as bundle:
        names = set(bundle.namelist())
        everything = "".join(bundle.read(n).decode() for n in names)
    assert names == {
        "config.toml",
        "devices.json",
        "logs.txt",
        "kiosk.log",
        "audit.jsonl",
        "versions.json",
        "environment.json",
    }
    secrets = [*section["pins"]["staff"], *section["pins"]["technician"], section["badge_salt"], "918273"]
    secrets += [b["uid_hash"] for b in section["badges"]]
    assert not [s for s in secrets if s in everything]
    assert "receipt: printed" in everything and '"sambut": "0.1.0"' in everything
    assert 'password = "***"' in everything and "[devices.receipt" in everything


def test_export_is_for_technicians_and_audited(tmp_path, buffer):
    path, _ = _config_with_secrets(tmp_path)
    settings = load_settings(path)
    mode = admin_mode(tmp_path, Clock())
    mode.enter_pin(STAFF_PIN)
    with pytest.raises(AdminError):
        export_diagnostics(mode, tmp_path / "usb", settings, None, buffer, path)
    mode.close()
    mode.enter_pin(TECH_PIN)
    out = export_diagnostics(mode, tmp_path / "usb", settings, None, buffer, path)
    assert out.exists() and mode.audit.records()[-1].event == "diagnostics_written"


def test_diagnostics_command(tmp_path, monkeypatch, capsys):
    path, _ = _config_with_secrets(tmp_path)
    monkeypatch.setenv("SAMBUT_KIOSK_CONFIG", str(path))
    assert main.main(["admin", "diagnostics", str(tmp_path / "out")]) == 0
    assert "Diagnostics written to" in capsys.readouterr().out
    [zipped] = (tmp_path / "out").glob("*.zip")
    assert zipfile.ZipFile(zipped).read("config.toml").decode().count(REDACTED) >= 3
