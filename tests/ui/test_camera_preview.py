"""The camera's live picture on the find screen, in the real app under Xvfb with the simulated
camera as config/kiosk.toml sets it up; the screen without a camera or with a broken one; and
quitting the app while the camera captures and decodes (tests/ui/camera_app.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]
# What a process says when it dies inside OpenCV or leaves native objects alive at exit.
ABORT_SIGNS = ("terminate called", "cv::Exception", "Aborted", "Fatal Python error", "leaked")


def run_app(mode: str, tmp_path: Path) -> tuple[dict, subprocess.CompletedProcess]:
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    env = {
        **os.environ,
        "SAMBUT_KIOSK_STORE__PATH": str(tmp_path / "kiosk.sqlite3"),
        "SAMBUT_KIOSK_KIOSK__WINDOW_SIZE": "[1280, 800]",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "ui" / "camera_app.py"), mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert seen["failure"] == "", seen["failure"]
    return seen, result


def test_preview_shows_frames_and_stops_when_the_screen_is_left(tmp_path):
    seen, result = run_app("preview", tmp_path)
    assert result.returncode == 0
    assert seen["live"] and seen["running"]
    assert "Hold the code inside the frame" in seen["said"]
    assert "Hold still…" in seen["said_hold_still"]
    # Left for the keyboard: no more polling, no frame uploaded, the picture forgotten.
    assert seen["after_leaving"] == {"running": False, "live": False, "picture_kept": False, "new_frames": 0}
    assert seen["back_again"] == {"running": True, "live": True}
    assert "No camera picture right now: use the scanner, or type your details." in seen["said_camera_lost"]


@pytest.mark.parametrize("mode", ["no-camera", "broken-camera"])
def test_without_a_camera_picture_the_screen_names_the_other_ways(tmp_path, mode):
    seen, result = run_app(mode, tmp_path)
    assert result.returncode == 0
    assert seen["live"] is False
    assert "No camera picture right now: use the scanner, or type your details." in seen["said"]
    assert "Confirmation code and surname" in seen["said"]
    assert "Kamera belum menampilkan gambar: gunakan pemindai, atau ketik data Anda." in seen["said_id"]
    assert "Kode konfirmasi dan nama belakang" in seen["said_id"]


def test_quitting_with_the_camera_running_exits_cleanly(tmp_path):
    seen, result = run_app("quit", tmp_path)
    assert seen["threads_running"] == ["capture-camera", "decode-camera"]
    assert seen["threads_after_exit"] == []  # stopped and joined before the interpreter goes
    assert result.returncode == 0
    assert not [sign for sign in ABORT_SIGNS if sign in result.stderr], result.stderr[-3000:]


def test_the_x_server_going_away_stops_the_camera_before_the_process_ends(tmp_path):
    # Xlib ends the process from inside the event poll; the kiosk's handler stops the devices first.
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24"], stdout=subprocess.PIPE, text=True
    )
    try:
        display = ":" + xvfb.stdout.readline().strip()
        app = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "ui" / "camera_app.py"), "x-lost"],
            env={**os.environ, "DISPLAY": display, "SAMBUT_KIOSK_STORE__PATH": str(tmp_path / "k.sqlite3")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert app.stdout.readline().startswith("capturing ['capture-camera', 'decode-camera']")
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    _out, err = app.communicate(timeout=60)
    assert app.returncode == 1  # not 0: the kiosk did not choose to stop; not -6: no abort
    assert "the X display went away: stopping the devices and exiting" in err
    assert not [sign for sign in ABORT_SIGNS if sign in err], err[-3000:]
