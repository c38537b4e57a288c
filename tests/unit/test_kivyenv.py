"""Kivy starts quietly: a first run (no Kivy home yet) logs no warning a technician must read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START = """
import logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
from kiosk import kivyenv
from kiosk.config import KioskSettings
kivyenv.prepare(KioskSettings())
from kivy.config import Config
from kivy.lang import Builder
"""


def test_a_fresh_start_logs_no_kivy_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    env["KIVY_HOME"] = str(tmp_path / "kivy-home")  # a first run: nothing there yet
    done = subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    warnings = [
        line for line in done.stderr.splitlines() if line.startswith(("WARNING", "ERROR", "CRITICAL"))
    ]
    assert warnings == []
