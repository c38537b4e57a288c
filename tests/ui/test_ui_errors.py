"""An error while the kiosk builds a screen or an overlay does not close it: the error is logged
with its traceback, the guest sees an apology with a way on, and the kiosk goes on (the real app
under Xvfb, in its own process, with an overlay whose kv names a class nobody defines: what the
"Are you still there?" overlay did with the help overlay's Scrim)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]

PROGRAM = """
import json, logging, sys, types
sys.path.insert(0, sys.argv[1])
from kiosk import kivyenv
from kiosk.config import load_settings
settings = load_settings()
kivyenv.prepare(settings)
from kivy.factory import Factory
from kivy.lang import Builder
import kiosk.app
from kiosk.app import OVERLAYS, KioskApp
from kiosk.journey.checkin import Action, Overlay, Step
from kiosk.robot import Robot, visible_texts
from tests.ui.camera_app import Office

broken = types.ModuleType("kiosk.screens.broken")
Builder.load_string("<BrokenOverlay@ModalLayer>:\\n    NoSuchScrim:\\n")
broken.OVERLAY = lambda: Factory.BrokenOverlay()
sys.modules[broken.__name__] = broken
OVERLAYS[Overlay.STILL_THERE] = "broken"

errors = []
class Keep(logging.Handler):
    def emit(self, record):
        errors.append({"level": record.levelname, "message": record.getMessage(),
                       "trace": self.format(record) if record.exc_info else ""})
logging.getLogger().addHandler(Keep(logging.ERROR))

app = KioskApp(settings, office=Office(), devices={})
seen = {}

class Guest(Robot):
    def script(self):
        j = self.j
        j.start()
        yield from self.settle(Step.FIND)
        self.press(self.app.manager.current_screen.ids.by_code)
        yield from self.settle(Step.ENTER_CODE)
        j.settings.inactivity_s = 0.2
        yield lambda: j.step is Step.PROBLEM
        yield from self.settle(Step.PROBLEM)
        j.settings.inactivity_s = 300
        seen["problem"] = j.problem.kind
        seen["texts"] = visible_texts(self.app.root)
        actions = self.app.manager.current_screen.ids.actions.children
        self.press(next(b for b in actions if b.action == Action.START_OVER.value))
        yield from self.settle(Step.ATTRACT)
        seen["after"] = str(j.step)

guest = Guest(app)
guest.run(guest.script())
app.run()
seen["failure"] = guest.failure
seen["errors"] = errors
print(json.dumps(seen))
"""


def test_an_overlay_that_fails_to_build_is_logged_and_the_guest_gets_an_apology(tmp_path: Path) -> None:
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    env = {**os.environ, "SAMBUT_KIOSK_STORE__PATH": str(tmp_path / "kiosk.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(ROOT)], env=env, capture_output=True, text=True, timeout=100
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["failure"] == ""
    assert seen["problem"] == "fault" and "Sorry, something went wrong here" in seen["texts"]
    assert "Call staff" in seen["texts"] and "Start over" in seen["texts"]
    assert seen["after"] == "attract"  # the kiosk went on
    [error] = seen["errors"]  # logged once, with where and why
    assert "step enter_code, overlay still_there" in error["message"]
    assert "Unknown class <NoSuchScrim>" in error["trace"]
