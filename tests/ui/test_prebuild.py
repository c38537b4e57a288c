"""The check-in's screens are built while the kiosk waits at its welcome screen, and not while
someone is touching it; the texts drawn are kept once, in their textures (the real app under
Xvfb, in its own process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]

PROGRAM = """
import json, sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[1] + "/tests/ui")
from kiosk import kivyenv
from kiosk.config import load_settings
settings = load_settings()
kivyenv.prepare(settings)
from kivy.clock import Clock
from camera_app import Office
from kiosk.app import PREBUILD, SCREENS, KioskApp
from kiosk.robot import Finger

app = KioskApp(settings, office=Office(), devices={})
seen = {"built": []}

def touch(_dt):
    # Someone at the screen (a touch on the welcome screen's background): nothing is built.
    finger = Finger(5, 5)
    finger.touch_down()
    finger.touch_up()
    seen["built_while_touched"] = sorted(app.prebuilder.build_ms)

def check(_dt):
    from kivy.uix.label import Label
    labels = [w for w in app.root.walk() if isinstance(w, Label) and w.text]
    seen["labels"] = len(labels)
    seen["surfaces_kept"] = sum(getattr(w._label, "_surface", None) is not None for w in labels)
    seen["built"] = sorted(app.prebuilder.build_ms)
    seen["expected"] = sorted({SCREENS[step] for step in PREBUILD})
    seen["current"] = app.manager.current
    seen["done"] = app.prebuilder.done
    app.stop()

for t in (0.2, 1.0, 1.8, 2.6):
    Clock.schedule_once(touch, t)
Clock.schedule_once(lambda _dt: seen.update(before_quiet=sorted(app.prebuilder.build_ms)), 3.2)
Clock.schedule_once(check, 20)
app.run()
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    store = tmp_path_factory.mktemp("prebuild") / "kiosk.sqlite3"
    env = {**os.environ, "SAMBUT_KIOSK_STORE__PATH": str(store)}
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(ROOT)], env=env, capture_output=True, text=True, timeout=100
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_screens_are_built_ahead_only_while_nobody_touches(seen: dict) -> None:
    assert seen["built_while_touched"] == [] and seen["before_quiet"] == []
    assert seen["done"] and seen["built"] == seen["expected"]
    assert "find" in seen["built"] and "finish" in seen["built"]
    assert seen["current"] == "attract"  # built, not shown


def test_drawn_texts_are_kept_only_in_their_textures(seen: dict) -> None:
    assert seen["labels"] >= 5
    assert seen["surfaces_kept"] == 0
