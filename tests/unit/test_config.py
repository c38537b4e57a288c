"""Config files: shipped defaults load; a bad value or key stops start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from frontoffice.settings import load_settings as load_server
from kiosk.config import load_settings as load_kiosk

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_configs_are_valid():
    kiosk = load_kiosk(ROOT / "config" / "kiosk.toml")
    server = load_server(ROOT / "config" / "server.toml")
    assert kiosk.kiosk.name == "lobby-1"
    assert kiosk.checkin.walkin_identity == "required"  # walk-in ID unless the property turns it off
    assert server.server.database_url.startswith("sqlite:///")


def test_environment_overrides_the_file(monkeypatch):
    monkeypatch.setenv("SAMBUT_KIOSK_SERVER__URL", "https://fo.example.org")
    monkeypatch.setenv("SAMBUT_SERVER_SERVER__PORT", "9001")
    assert str(load_kiosk(ROOT / "config" / "kiosk.toml").server.url) == "https://fo.example.org/"
    assert load_server(ROOT / "config" / "server.toml").server.port == 9001


def _cli(args, env):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("which", "text", "expected"),
    [
        ("server", "[server]\nport = 99999\n", "server.port: Input should be less than or equal to 65535"),
        ("server", "[server]\nprot = 1\n", "server.prot: unknown key"),
        (
            "server",
            "[server]\ndatabase_url = 'mysql://x'\n",
            "must start with sqlite:/// or postgresql+psycopg://",
        ),
        ("server", "[server\n", "not valid TOML"),
        ("kiosk", "[kiosk]\nrotation = 45\n", "kiosk.rotation: Input should be 0, 90, 180 or 270"),
        ("kiosk", "[kiosk]\ndefault_language = 'fr'\n", "kiosk.default_language"),
        ("kiosk", "[server]\ntimeout_s = -1\n", "server.timeout_s: Input should be greater than 0"),
        (
            "kiosk",
            "[checkin]\nwalkin_identity = 'maybe'\n",
            "checkin.walkin_identity: Input should be 'required', 'optional' or 'off'",
        ),
        (
            "kiosk",
            "[devices.p]\nkind = 'printer'\ndriver = 'nope'\n",
            "devices.p: Value error, no printer driver named 'nope'",
        ),
    ],
)
def test_bad_config_stops_with_one_line(tmp_path, which, text, expected):
    path = tmp_path / f"{which}.toml"
    path.write_text(text)
    env = {f"SAMBUT_{which.upper()}_CONFIG": str(path)}
    if "database_url" not in text:
        env["SAMBUT_SERVER_SERVER__DATABASE_URL"] = f"sqlite:///{tmp_path}/x.db"
    args = ["server", "upgrade"] if which == "server" else ["kiosk"]
    result = _cli(args, env | {"DISPLAY": ""})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(str(path)) and expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr


def test_help_lists_the_commands():
    out = _cli(["--help"], {}).stdout
    for command in ["kiosk", "server", "demo-data", "dev", "tour"]:
        assert command in out
