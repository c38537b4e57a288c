"""The real kiosk app, driven by simulated touches through admin mode: unlocking by the hidden
corner and by badge, wrong PINs and the lockout, the idle close, each staff action and each
technician flow against the device simulators (one of them failing its test).

Run by tests/ui/test_admin_ui.py in its own process (Kivy runs one app per process) against a
real local server; writes what the screens said and what happened to a JSON report.
Usage: python tests/ui/admin_app.py REPORT.json
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk import kivyenv  # noqa: E402
from kiosk.config import load_settings  # noqa: E402


def main(report_path: Path) -> int:
    settings = load_settings()
    kivyenv.prepare(settings)
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch

    from drivers.money import Money
    from drivers.payment.journal import PaymentJournal
    from drivers.payment.model import Operation, PaymentRequest
    from drivers.sim.printer import Paper
    from kiosk.app import KioskApp
    from kiosk.config import DeviceSection
    from kiosk.devstack import local_server
    from kiosk.journey.checkin import Step
    from kiosk.robot import Robot, Script, visible_texts
    from kiosk.tour import simulators
    from tests.admin_rig import ANNA_UID, BUDI_UID, STAFF_PIN, TECH_PIN

    report: dict[str, Any] = {}

    class Staff(Robot):
        @property
        def admin(self) -> Any:
            return self.app.admin

        def said(self, name: str) -> None:
            report.setdefault(name, []).append(" | ".join(visible_texts(self.app.root)))

        def page(self) -> Any:
            return self.admin.layer.ids.pages.current_screen

        def hold_corner(self) -> Script:
            """Press and hold the top-left corner for the configured time."""
            touch = UnitTestTouch(4, Window.height - 4)
            touch.touch_down()
            yield lambda: not self.admin.pad_closed
            touch.touch_up()
            yield from self.frames(2)

        def type_pin(self, pin: str) -> Script:
            keys = self.admin.pad.ids.keypad
            for digit in pin:
                self.press(next(k for k in keys.children if getattr(k, "key", "") == digit))
            self.press(self.admin.pad.ids.ok)
            yield lambda: not self.admin.pad.checking
            yield from self.frames(2)

        def tab(self, module: str) -> Script:
            tab = next(t for t in self.admin.layer.ids.tabs.children if t.module == module)
            self.press(tab)
            yield from self.idle()

        def idle(self) -> Script:
            """Until the page has loaded what it shows."""
            yield lambda: not getattr(self.page(), "busy", False)
            yield from self.frames(2)

        def script(self) -> Script:
            yield from self.settle(Step.ATTRACT)
            # The hidden corner opens the PIN pad; Cancel closes it.
            yield from self.hold_corner()
            self.said("pad")
            self.press(self.admin.pad.ids.cancel)
            yield lambda: self.admin.pad_closed
            # A staff badge: the pad greets its holder, the PIN unlocks.
            self.app.devices["badge"].feed(ANNA_UID)
            yield lambda: not self.admin.pad_closed and self.admin.pad.holder == "Anna"
            yield from self.frames(2)
            self.said("pad_badge")
            yield from self.type_pin(STAFF_PIN)
            self.said("after_pin")
            yield lambda: self.admin.active
            yield from self.idle()
            self.said("status")
            report["staff_tabs"] = sorted(t.module for t in self.admin.layer.ids.tabs.children)

    with local_server(settings, fresh=True), simulators() as (devices, printer, terminal):
        for name, device in devices.items():  # the config describes the simulators as started
            options = device.options.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
            settings.devices[name] = DeviceSection(kind=device.kind, driver=device.driver, options=options)
        app = KioskApp(settings, devices=devices)
        staff = Staff(app)
        staff.run(staff.script())
        app.run()
    report["failure"] = staff.failure
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if staff.failure else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
