"""Kiosk mode from the config: fullscreen, no cursor, and neither Escape nor closing the window
ends the app (the real app under Xvfb, in its own process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.ui

PROGRAM = """
import json, sys
sys.path.insert(0, sys.argv[1])
from kiosk import kivyenv
from kiosk.config import load_settings
settings = load_settings()
kivyenv.prepare(settings)
from kivy.clock import Clock
from kivy.config import Config
from kivy.core.window import Window
from kiosk.app import KioskApp

class Office:  # the attract screen needs nothing from the front office
    def property(self):
        raise RuntimeError("offline")

app = KioskApp(settings, office=Office(), devices={})
seen = {}

def probe(_dt):
    seen["close_refused"] = Window.dispatch("on_request_close") is True
    seen["escape_swallowed"] = Window.dispatch("on_keyboard", 27, 0, "", []) is True
    seen["cursor"] = Config.get("graphics", "show_cursor")
    seen["fullscreen"] = Config.get("graphics", "fullscreen")
    seen["exit_on_escape"] = Config.get("kivy", "exit_on_escape")
    Clock.schedule_once(lambda _dt: app.stop(), 0.2)

Clock.schedule_once(probe, 1.0)
app.run()
print(json.dumps(seen))
"""


def test_kiosk_mode_ignores_escape_and_close(tmp_path):
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    env = {
        **os.environ,
        "SAMBUT_KIOSK_KIOSK__FULLSCREEN": "true",
        "SAMBUT_KIOSK_KIOSK__SHOW_CURSOR": "false",
        "SAMBUT_KIOSK_STORE__PATH": str(tmp_path / "kiosk.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(ROOT)], env=env, capture_output=True, text=True, timeout=90
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "close_refused": True,
        "escape_swallowed": True,
        "cursor": "0",
        "fullscreen": "auto",
        "exit_on_escape": "0",
    }
