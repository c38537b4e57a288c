"""Devices are made from kiosk.toml through the registry, with paths under the project folder."""

from pathlib import Path

from kiosk.config import ROOT, KioskSettings
from kiosk.devices import build_devices, payment_journal
from kiosk.devstack import simulator_commands


def _settings(**devices):
    return KioskSettings(devices=devices)


def test_enabled_devices_are_built_with_rooted_paths(tmp_path):
    settings = _settings(
        receipt={
            "kind": "printer",
            "driver": "network",
            "options": {"host": "127.0.0.1", "journal_path": "var/j.sqlite3"},
        },
        spare={"kind": "printer", "driver": "network", "enabled": False, "options": {"host": "127.0.0.1"}},
        card={
            "kind": "payment",
            "driver": "zvt",
            "options": {"journal_path": str(tmp_path / "p.sqlite3"), "currency": "IDR"},
        },
    )
    devices = build_devices(settings)
    assert sorted(devices) == ["card", "receipt"]
    assert devices["receipt"].options.journal_path == ROOT / "var" / "j.sqlite3"
    assert devices["card"].options.journal_path == Path(tmp_path / "p.sqlite3")
    assert devices["receipt"].kind == "printer" and devices["card"].kind == "payment"
    # The sync worker reads the card terminal's journal (not the printer's).
    journal = payment_journal(devices)
    assert journal is not None and journal.path == Path(tmp_path / "p.sqlite3")
    journal.close()
    assert payment_journal({"receipt": devices["receipt"]}) is None


def test_simulators_follow_the_configured_loopback_devices():
    settings = _settings(
        receipt={
            "kind": "printer",
            "driver": "network",
            "options": {"host": "127.0.0.1", "port": 9101, "profile": "58mm"},
        },
        card={"kind": "payment", "driver": "zvt", "options": {"port": 20008, "currency": "IDR"}},
        remote={"kind": "printer", "driver": "network", "options": {"host": "10.1.2.3"}},
    )
    sims = simulator_commands(settings)
    assert sims["printer-sim"][0] == ["printer-sim", "--port", "9101", "--profile", "58mm"]
    assert sims["terminal-sim"][2] == 20008 and "--currency" in sims["terminal-sim"][0]
    assert len(sims) == 2
