"""Saving a section of kiosk.toml: the rest of the file kept byte for byte, a backup, a round trip;
and `python main.py admin set-pin` / `add-badge` writing only hashes."""

import shutil
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

import main
from kiosk.admin.configfile import ConfigFile, replace_tables
from kiosk.admin.credentials import verify_secret
from kiosk.admin.unlock import Credentials
from kiosk.config import load_settings
from tests.admin_rig import Clock

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "kiosk.toml"
    shutil.copy(SHIPPED, path)
    return ConfigFile(path, Clock().wall)


def test_replacing_a_device_keeps_every_other_line(config):
    before = config.path.read_text()
    section = {"kind": "printer", "driver": "network", "options": {"host": "10.0.0.9", "port": 9100}}
    saved = config.save_section(("devices", "receipt"), section)
    after = config.path.read_text()
    assert saved.backup.name == "kiosk.toml.20261126T090000Z.bak"
    assert saved.backup.read_text() == before
    assert config.read()["devices"]["receipt"] == section
    assert load_settings(config.path).devices["receipt"].options["host"] == "10.0.0.9"
    # Everything else, comments included, is still there, in order.
    kept = [line for line in before.splitlines() if "[devices.receipt" not in line]
    old_receipt = before.split("[devices.receipt]")[1].split("# Card terminal")[0]
    for line in kept:
        if line.strip() and line not in old_receipt:
            assert line in after, line
    assert "# Card terminal: ZVT over TCP" in after
    assert after.index("[devices.receipt]") < after.index("[devices.card_terminal]")


def test_a_second_save_in_the_same_second_keeps_both_backups(config):
    section = config.read()["devices"]["scanner"]
    first = config.save_section(("devices", "scanner"), section)
    second = config.save_section(("devices", "scanner"), section)
    assert first.backup != second.backup and second.backup.exists()


def test_a_new_section_is_appended_and_an_invalid_one_refused(config):
    badge = {"kind": "badge", "driver": "sim", "options": {"debounce_s": 1.0}}
    config.save_section(("devices", "spare_badge"), badge)
    assert config.read()["devices"]["spare_badge"] == badge
    before = config.path.read_text()
    with pytest.raises(ValidationError):
        config.save_section(
            ("devices", "spare_badge"), {"kind": "badge", "driver": "sim", "options": {"x": 1}}
        )
    assert config.path.read_text() == before


def test_replace_tables_drops_only_the_section_and_its_subtables():
    text = "a = 1\n[x]\nk = 1\n[x.sub]\nj = 2\n\n# about y\n[y]\nk = 3\n[[x.list]]\nq = 1\n"
    out = replace_tables(text, ("x",), {"k": 9})
    assert tomllib.loads(out) == {"a": 1, "x": {"k": 9}, "y": {"k": 3}}
    assert "# about y\n[y]" in out


def test_set_pin_prompts_twice_and_stores_only_a_hash(config, monkeypatch, capsys):
    monkeypatch.setenv("SAMBUT_KIOSK_CONFIG", str(config.path))
    answers = iter(["4711", "4711", "9999", "9999", "4711", "4712"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main.main(["admin", "set-pin", "staff"]) == 0
    assert main.main(["admin", "set-pin", "staff", "--add"]) == 0
    assert main.main(["admin", "set-pin", "technician"]) == 1  # the two entries differ
    assert "differ" in capsys.readouterr().err
    text = config.path.read_text()
    assert "4711" not in text and "9999" not in text
    creds = Credentials.from_section(load_settings(config.path).admin)
    assert [verify_secret(p, h) for p, h in zip(["4711", "9999"], creds.pins["staff"], strict=True)] == [
        True,
        True,
    ]
    assert "[devices.receipt]" in text and "# Devices: one [devices.NAME] table each" in text


def test_add_badge_stores_the_uid_hashed(config, monkeypatch):
    monkeypatch.setenv("SAMBUT_KIOSK_CONFIG", str(config.path))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "04:a3:1b:22")
    assert main.main(["admin", "add-badge", "Anna", "staff"]) == 0
    assert "04A31B22" not in str(config.read()["admin"]).upper()
    creds = Credentials.from_section(load_settings(config.path).admin)
    assert creds.badge_holder("04A31B22").name == "Anna"
    assert creds.badge_holder("04A31B23") is None


def test_set_pin_and_add_badge_keep_every_comment_of_the_file(config, monkeypatch, capsys):
    """The tracked kiosk.toml explains itself in comments, the [admin] section's own included."""
    monkeypatch.setenv("SAMBUT_KIOSK_CONFIG", str(config.path))
    before = config.path.read_text()
    answers = iter(["2468", "2468", "13579", "13579", "04:A3:1B:22"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main.main(["admin", "set-pin", "staff"]) == 0
    assert main.main(["admin", "set-pin", "technician"]) == 0
    assert main.main(["admin", "add-badge", "Anna", "staff"]) == 0
    after = config.path.read_text()
    comments = [line for line in before.splitlines() if line.strip().startswith("#")]
    assert comments and [line for line in after.splitlines() if line.strip().startswith("#")] == comments
    assert [line for line in before.splitlines() if line] == [
        line
        for line in after.splitlines()
        if line and not line.startswith(("pins =", "badge_salt =", "badges ="))
    ]
    admin = load_settings(config.path).admin
    assert set(admin.pins) == {"staff", "technician"} and admin.badges[0].name == "Anna"
    assert verify_secret("2468", admin.pins["staff"][0])
