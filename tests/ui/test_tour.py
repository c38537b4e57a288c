"""The real kiosk app under Xvfb, against a real local server: the tour reaches the front office."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.ui


def test_tour_shows_the_kiosk_connected_to_the_hotel(tmp_path):
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "SAMBUT_SERVER_SERVER__DATABASE_URL": f"sqlite:///{tmp_path}/fo.sqlite3",
        "SAMBUT_KIOSK_SERVER__URL": f"http://127.0.0.1:{port}",
        "SAMBUT_KIOSK_SERVER__TOKEN_FILE": str(tmp_path / "kiosk.token"),
    }
    out = tmp_path / "tour"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "tour", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    screens = json.loads((out / "screens.json").read_text())
    assert list(screens) == ["01-status.png"]
    assert "Hotel Sambut Jakarta" in screens["01-status.png"]
    assert (out / "01-status.png").stat().st_size > 10_000
    assert "01-status.png" in (out / "index.html").read_text()
    assert (tmp_path / "kiosk.token").read_text().startswith("sbk_")
