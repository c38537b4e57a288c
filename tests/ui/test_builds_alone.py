"""Every screen, overlay, admin page and shared widget of the kiosk builds on its own, in a fresh
process with nothing of ours loaded before it but what every screen shares (base.kv), and all of
them build in any order in one process; a frame is drawn after each (the real app under Xvfb).

A kv rule that uses a class another screen's kv defines (the "Are you still there?" overlay used
the help overlay's Scrim) fails here, named, instead of at a guest's kiosk."""

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "kiosk" / "screens"
pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]
SEED = 14
# A module with a kv of its own, or one it loads (the shared widgets: keyboard, stepper, camera view).
USES_KV = re.compile(r"load_kv\(__file__\)|Builder\.load_file\(")


def modules() -> list[str]:
    found = sorted(p.stem for p in SCREENS.glob("*.py") if p.stem != "base" and USES_KV.search(p.read_text()))
    assert {"still_there", "help", "admin_pin", "keyboard", "camera_view"} <= set(found)
    return found


def build(tmp: Path, mode: str, names: list[str]) -> dict:
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    report = tmp / f"{mode.strip('-')}.json"
    env = {**os.environ, "SAMBUT_KIOSK_STORE__PATH": str(tmp / "kiosk.sqlite3")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "ui" / "alone_app.py"), str(report), mode, *names],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert report.exists(), result.stderr[-3000:]
    return json.loads(report.read_text())


def failed(report: dict) -> str:
    return "\n".join(f"--- {module}\n{trace}" for module, trace in report["failures"].items())


def test_each_builds_alone_in_a_fresh_process(tmp_path: Path) -> None:
    names = modules()
    report = build(tmp_path, "--each", names)
    assert report["failures"] == {}, failed(report)
    assert report["built"] == names and report["frames"] == len(names)


def test_all_build_in_a_random_order_in_one_process(tmp_path: Path) -> None:
    names = modules()
    random.Random(SEED).shuffle(names)
    report = build(tmp_path, "--together", names)
    assert report["failures"] == {}, f"order (seed {SEED}): {names}\n{failed(report)}"
    assert report["built"] == names and report["frames"] == len(names)
    # Each module the app builds (every step's screen, the overlays, admin mode) is among them.
    assert set(report["in_use"]) <= set(names)
