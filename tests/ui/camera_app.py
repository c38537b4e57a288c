"""The real kiosk app with the simulated camera (as `make run` configures it), no camera, or a
camera that fails to start: what the live preview shows on the find screen, that it stops when
the screen is left, and that quitting with the camera running ends the process cleanly.

Run by tests/ui/test_camera_preview.py in its own process (Kivy runs one app per process).
Usage: python tests/ui/camera_app.py preview|no-camera|broken-camera|quit|x-lost
Prints one JSON line with what it saw.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk import kivyenv  # noqa: E402
from kiosk.config import load_settings  # noqa: E402


class Office:
    """Only the hotel's details: these screens ask the front office for nothing else."""

    def property(self) -> Any:
        from kiosk.frontdesk import PropertyInfo

        return PropertyInfo(
            code="HTL-01", name="Hotel Sambut", address="Jl. Contoh 1", timezone="Asia/Jakarta",
            currency="IDR", business_date=date.today(), check_in_time="14:00", check_out_time="12:00",
            wifi_ssid="sambut", wifi_password="welcome", breakfast_hours="06:30-10:00",
        )  # fmt: skip


def camera_threads() -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t.name.startswith(("capture-", "decode-")))


def main(mode: str) -> int:
    settings = load_settings()
    kivyenv.prepare(settings)
    from kivy.clock import Clock

    from drivers.camera.types import Symbology
    from kiosk.app import KioskApp
    from kiosk.devices import build_device
    from kiosk.journey.checkin import Step
    from kiosk.robot import Robot, Script, visible_texts

    section = settings.devices["camera"]
    if mode == "broken-camera":
        options = {**section.options, "files": ["/nonexistent/frame.png"]}
        section = section.model_copy(update={"options": options})
    devices = {} if mode == "no-camera" else {"camera": build_device(settings, "camera", section)}
    seen: dict[str, Any] = {}

    class Guest(Robot):
        def view(self) -> Any:
            return self.app.screens["find"].ids.camera

        def elapse(self, seconds: float) -> Script:
            until = Clock.get_boottime() + seconds
            yield lambda: Clock.get_boottime() >= until

        def script(self) -> Script:
            self.j.start()
            yield from self.settle(Step.FIND)
            view = self.view()
            if mode in ("no-camera", "broken-camera"):
                yield from self.elapse(2.5)  # past the moment a camera gets to deliver its first frame
                seen["live"] = view.live
                seen["said"] = visible_texts(self.app.root)
                self.app.set_language("id")
                yield from self.frames(2)
                seen["said_id"] = visible_texts(self.app.root)
                return
            yield lambda: view.live and view.frames >= 5
            seen["live"], seen["running"] = view.live, view.running
            seen["said"] = visible_texts(self.app.root)
            # A code held up, too blurred to read: the hint asks to hold still.
            self.app.devices["camera"].show(b"SBT1.HTL-01.0011.sig", Symbology.QR, blur=5.0)
            yield lambda: view.hint == "hold_still"
            yield from self.frames(2)
            seen["said_hold_still"] = visible_texts(self.app.root)
            if mode == "quit":
                seen["threads_running"] = camera_threads()
                return  # the robot stops the app here, with the camera capturing and decoding
            if mode == "x-lost":
                print("capturing", camera_threads(), flush=True)
                yield lambda: False  # until the test takes the X server away
            # Leaving the screen stops the preview and forgets the picture.
            self.j.choose(Step.ENTER_CODE)
            yield from self.settle(Step.ENTER_CODE)
            frames = view.frames
            yield from self.elapse(1.0)
            seen["after_leaving"] = {
                "running": view.running,
                "live": view.live,
                "picture_kept": view._texture is not None,
                "new_frames": view.frames - frames,
            }
            self.j.back()
            yield from self.settle(Step.FIND)
            yield lambda: view.live and view.frames >= 3
            seen["back_again"] = {"running": view.running, "live": view.live}
            # The camera stops delivering while the screen is shown: it says so, the other ways stay.
            self.app.devices["camera"].disable()
            yield lambda: not view.live
            seen["said_camera_lost"] = visible_texts(self.app.root)

    app = KioskApp(settings, office=Office(), devices=devices)  # type: ignore[arg-type]
    guest = Guest(app)
    guest.run(guest.script())
    app.run()
    seen["failure"] = guest.failure
    seen["threads_after_exit"] = camera_threads()
    print(json.dumps(seen, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
