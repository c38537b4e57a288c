"""The real kiosk app, driven by simulated touches through admin mode: unlocking by the hidden
corner and by badge, wrong PINs and the lockout, the idle close, each staff action and each
technician flow against the device simulators (one of them failing its test).

Run by tests/ui/test_admin_ui.py in its own process (Kivy runs one app per process) against a
real local server; writes what the screens said and what happened to a JSON report.
Usage: python tests/ui/admin_app.py REPORT.json
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from contextlib import closing
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

    from drivers.camera.types import Symbology
    from drivers.money import Money
    from drivers.payment.journal import PaymentJournal
    from drivers.payment.model import Operation, PaymentRequest
    from drivers.sim.printer import Paper
    from kiosk.app import KioskApp
    from kiosk.devstack import MAIN, ensure_token, local_server
    from kiosk.journey.checkin import Step
    from kiosk.robot import Script
    from kiosk.tour import describe, simulators
    from tests.admin_rig import ANNA_UID, BUDI_UID, STAFF_PIN, TECH_PIN
    from tests.idscan_samples import TOKEN
    from tests.ui.appscript import Reporter, run_and_report

    report: dict[str, Any] = {}

    class Staff(Reporter):
        @property
        def admin(self) -> Any:
            return self.app.admin

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

        def unlock_by_badge(self, uid: str, pin: str) -> Script:
            self.app.devices["badge"].feed(uid)
            yield lambda: not self.admin.pad_closed and bool(self.admin.pad.holder)
            yield from self.type_pin(pin)
            yield lambda: self.admin.active
            yield from self.idle()

        def unlock_by_corner(self, pin: str) -> Script:
            yield from self.hold_corner()
            yield from self.type_pin(pin)
            yield lambda: self.admin.active
            yield from self.idle()

        def lock(self) -> Script:
            self.press(self.admin.layer.ids.lock)
            yield lambda: not self.admin.active
            yield from self.frames(2)

        def action(self, name: str) -> Any:
            buttons = {getattr(b, "action", ""): b for b in self.page().ids.actions.children}
            if name not in buttons:
                raise LookupError(f"no {name!r} among {sorted(buttons)}; said {self.page().message!r}")
            return buttons[name]

        def choice(self, name: str) -> Any:
            return next(w for w in self.page().ids.body.walk() if getattr(w, "action", None) == name)

        def setup_step(self, button: str) -> Script:
            self.press(self.action(button))
            yield lambda: not getattr(self.page(), "busy", False)
            yield from self.frames(2)

        def setup(self, device: str) -> Script:
            yield from self.tab("admin_devices")
            row = next(r for r in self.page().ids.devices.children if r.device == device)
            self.page().ids.scroll.scroll_to(row, animate=False)
            yield from self.frames(2)
            self.press(row.ids.setup)
            yield lambda: self.admin.layer.page == "admin_setup"
            yield from self.frames(2)

        def script(self) -> Script:
            j = self.j
            yield from self.settle(Step.ATTRACT)
            # A sale today, and a payment whose outcome the kiosk never learnt.
            terminal = self.app.devices["card_terminal"]
            done = terminal.sale(Money(850_000_00, "IDR"), "SMB-TODAY")
            yield done.done
            with closing(PaymentJournal(terminal.options.journal_path)) as journal:
                request = PaymentRequest(Operation.SALE, Money(125_000_00, "IDR"), "SMB-LOST", "lost-1")
                journal.begin(request, "t", None, False)
                journal.mark_review("lost-1", "connection lost; terminal not readable")

            # The hidden corner opens the PIN pad; Cancel closes it.
            yield from self.hold_corner()
            self.said("pad")
            # A card nobody knows, with the pad open: said so, and the PIN still works.
            self.app.devices["badge"].feed("0A0B0C0D")
            yield lambda: "not known" in self.admin.pad.message
            report["pad_unknown_badge"] = self.admin.pad.message
            self.press(self.admin.pad.ids.cancel)
            yield lambda: self.admin.pad_closed
            # A guest's card on the badge reader does nothing.
            self.app.devices["badge"].feed("0102030405")
            self.app.devices["badge"].feed("not a card")  # logged as the badge reader's
            yield from self.frames(10)
            report["unknown_badge_opened_pad"] = not self.admin.pad_closed
            # A staff badge: the pad greets its holder, the PIN unlocks.
            self.app.devices["badge"].feed(ANNA_UID)
            yield lambda: not self.admin.pad_closed and self.admin.pad.holder == "Anna"
            yield from self.frames(2)
            self.said("pad_badge")
            yield from self.type_pin(STAFF_PIN)
            yield lambda: self.admin.active
            yield from self.idle()
            self.said("status")
            report["staff_tabs"] = sorted(t.module for t in self.admin.layer.ids.tabs.children)

            # Paper out, then replaced.
            printer.set_faults(paper=Paper.OUT)
            self.page().refresh()
            yield from self.idle()
            self.said("status_paper_out")
            printer.set_faults(paper=Paper.OK)
            self.press(self.page().ids.paper)
            yield lambda: bool(self.page().message)
            yield from self.frames(2)
            report["paper_replaced"] = self.page().message

            # The server revokes this kiosk: the status page says it is not registered and what
            # to do; registered again (a new token, the same kiosk), it is online again.
            sync = self.app._sync
            done = threading.Event()
            threading.Thread(
                target=lambda: (
                    subprocess.run([*MAIN, "server", "revoke-kiosk", "lobby-1"], check=True),
                    done.set(),
                ),
                daemon=True,
            ).start()
            yield done.is_set
            sync.nudge()
            yield lambda: sync.link.state.refused
            self.page().refresh()
            yield lambda: bool(self.page().alert)
            yield from self.idle()
            self.said("status_refused")
            report["refused_alert"] = self.page().alert
            kiosk_id = sync.store.meta("kiosk_id")
            done.clear()
            threading.Thread(target=lambda: (ensure_token(settings), done.set()), daemon=True).start()
            yield done.is_set
            yield lambda: sync.link.state.online is True
            self.page().refresh()
            yield lambda: not self.page().alert
            report["registered_again"] = {
                "alert": self.page().alert,
                "same_id": sync.store.meta("kiosk_id") == kiosk_id,
            }

            # Payments: resolve the lost one as "went through".
            yield from self.tab("admin_payments")
            self.said("payments")
            row = self.page().ids.review.children[0]
            self.press(row.ids.done)
            yield lambda: "Recorded" in self.page().message
            yield from self.idle()
            self.said("payments_resolved")

            # End of day: asks first, then closes, prints and sends.
            receipts = len(printer.receipts)
            yield from self.tab("admin_day")
            self.press(self.page().ids.start)
            yield from self.frames(2)
            self.press(self.page().ids.confirm)
            yield lambda: self.page().busy
            yield lambda: not self.page().busy
            yield from self.frames(2)
            self.said("end_of_day")
            report["end_of_day_printed"] = len(printer.receipts) - receipts

            # Reprint the last receipt (the day's totals).
            yield from self.tab("admin_status")
            self.press(self.page().ids.reprint)
            yield lambda: bool(self.page().message) and self.page().message != "Printing…"
            yield from self.idle()
            report["reprint"] = self.page().message
            texts = [r.text for r in printer.receipts]
            report["reprinted"] = len(texts) >= 2 and texts[-1] == texts[-2]

            # Out of service: guests see the front-desk screen until staff open it again.
            self.press(self.page().ids.service)
            yield lambda: self.admin.out_of_service
            yield from self.frames(2)
            self.said("out_of_service_on")
            yield from self.lock()
            self.said("guests_out_of_service")
            report["guest_screen"] = self.app.manager.current
            yield from self.unlock_by_corner(STAFF_PIN)
            self.press(self.page().ids.service)
            yield lambda: not self.admin.out_of_service
            yield from self.lock()
            report["guest_screen_after"] = self.app.manager.current

            # Left alone, admin mode closes itself and wipes the guest's session.
            yield from self.unlock_by_corner(STAFF_PIN)
            j.start()
            self.admin.mode.session.idle_timeout_s = 1.0
            yield lambda: not self.admin.active
            yield from self.frames(2)
            report["after_idle"] = {"step": j.step.value, "session": j.session is None}

            # A technician: the device pages.
            yield from self.unlock_by_badge(BUDI_UID, TECH_PIN)
            report["technician_tabs"] = sorted(t.module for t in self.admin.layer.ids.tabs.children)
            # The printer: kept as it is, tested, saved, restarted live.
            old_printer = self.app.devices["receipt"]
            yield from self.setup("receipt")
            self.said("setup_driver")
            yield from self.setup_step("next")
            self.said("setup_options")
            yield from self.setup_step("check")
            yield from self.setup_step("test")
            self.said("setup_test_printer")
            yield from self.setup_step("save")
            self.said("setup_saved_printer")
            report["printer_replaced"] = self.app.devices["receipt"] is not old_printer
            report["journey_printer"] = j.printer is self.app.devices["receipt"]
            self.press(self.action("finish"))
            yield from self.idle()
            # The card terminal at a port where nothing answers: its test fails, nothing is saved.
            yield from self.setup("card_terminal")
            yield from self.setup_step("next")
            port = next(c for _s, c in self.page()._inputs.values() if c.field_name == "port")
            self.page().ids.scroll.scroll_to(port, animate=False)
            yield from self.frames(2)
            self.press(port.ids.field)
            yield from self.frames(2)
            kb = self.page().keyboard
            for _ in range(6):
                self.press(kb.ids.delete)
            self.type(kb, "9")
            yield from self.frames(2)
            self.said("setup_typing")
            self.press(self.page()._hide)
            yield from self.frames(2)
            yield from self.setup_step("check")
            yield from self.setup_step("test")
            self.said("setup_test_failed")
            report["failed_actions"] = sorted(b.action for b in self.page().ids.actions.children)
            yield from self.setup_step("cancel")
            yield lambda: self.admin.layer.page == "admin_devices"
            # A bad value is named at its field.
            yield from self.setup("receipt")
            yield from self.setup_step("next")
            port = next(c for _s, c in self.page()._inputs.values() if c.field_name == "port")
            port.ids.field.text = "ninety"
            yield from self.setup_step("check")
            self.said("setup_invalid")
            yield from self.setup_step("cancel")
            yield lambda: self.admin.layer.page == "admin_devices"
            # The badge reader: the test waits for a card.
            yield from self.setup("badge")
            yield from self.setup_step("next")
            yield from self.setup_step("check")
            self.said("setup_badge_test")
            self.press(self.action("test"))
            yield from self.frames(3)
            self.said("setup_badge_pressed")
            yield lambda: self.admin.testing is not None
            yield from self.frames(2)
            self.said("setup_badge_waiting")
            self.admin.testing.feed(BUDI_UID)
            yield lambda: not self.page().busy
            yield from self.frames(2)
            self.said("setup_badge_tested")
            yield from self.setup_step("cancel")
            yield lambda: self.admin.layer.page == "admin_devices"
            # The scanner: the test shows what it decoded from a booking code.
            yield from self.setup("scanner")
            yield from self.setup_step("next")
            yield from self.setup_step("check")
            self.press(self.action("test"))
            yield lambda: self.admin.testing is not None
            self.admin.testing.feed(TOKEN)
            yield lambda: not self.page().busy
            yield from self.frames(2)
            self.said("setup_scanner_tested")
            yield from self.setup_step("cancel")
            yield lambda: self.admin.layer.page == "admin_devices"
            # The camera: its own live picture while the test waits, then what it decoded.
            yield from self.setup("camera")
            yield from self.setup_step("next")
            yield from self.setup_step("check")
            self.press(self.action("test"))
            yield lambda: self.admin.testing is not None
            self.admin.testing.show(TOKEN, Symbology.QR, blur=4.0, angle=8)  # not readable yet
            yield lambda: self.page()._preview is not None and self.page()._preview.frames >= 3
            report["camera_preview_live"] = self.page()._preview.live
            self.said("setup_camera_preview")
            self.admin.testing.show(TOKEN, Symbology.QR)
            yield lambda: not self.page().busy
            yield from self.frames(2)
            report["camera_preview_gone"] = self.page()._preview is None
            self.said("setup_camera_tested")
            yield from self.setup_step("cancel")
            yield lambda: self.admin.layer.page == "admin_devices"
            # A second badge reader, added: set up, tested, saved, started and listened to.
            yield from self.tab("admin_devices")
            add = next(c for c in self.page().ids.kinds.children if c.kind == "badge")
            self.page().ids.scroll.scroll_to(add, animate=False)
            yield from self.frames(2)
            self.press(add)
            yield lambda: self.admin.layer.page == "admin_setup"
            yield from self.frames(2)
            self.press(self.choice("sim"))
            yield from self.frames(2)
            yield from self.setup_step("next")
            yield from self.setup_step("check")
            self.press(self.action("test"))
            yield lambda: self.admin.testing is not None
            self.admin.testing.feed(BUDI_UID)
            yield lambda: not self.page().busy
            yield from self.setup_step("save")
            self.said("setup_added")
            report["added_running"] = "badge_2" in self.app.devices
            self.press(self.action("finish"))
            yield from self.idle()
            # Logs, one device's; the diagnostics file.
            yield from self.tab("admin_logs")
            self.press(next(c for c in self.page().ids.filters.children if c.device == "badge"))
            yield from self.frames(2)
            report["logs_badge"] = self.page().text
            yield from self.tab("admin_diagnostics")
            self.said("diagnostics")
            self.press(self.page().ids.write)
            yield lambda: not self.page().busy
            yield from self.frames(2)
            report["diagnostics"] = self.page().message
            yield from self.lock()
            # The added reader unlocks too.
            self.app.devices["badge_2"].feed(ANNA_UID)
            yield lambda: not self.admin.pad_closed and self.admin.pad.holder == "Anna"
            self.admin.close_pad()
            yield from self.frames(130)  # the same card again within the readers' debounce is one read
            # The badge reader restarted after the cancelled setup still unlocks.
            self.app.devices["badge"].feed(ANNA_UID)
            yield lambda: not self.admin.pad_closed and self.admin.pad.holder == "Anna"
            self.admin.close_pad()

            # Five wrong PINs lock the pad, with a countdown.
            yield from self.hold_corner()
            for _ in range(5):
                yield from self.type_pin("0000")
            self.said("locked")
            first = self.admin.pad.message
            yield from self.frames(75)
            report["countdown"] = [first, self.admin.pad.message]
            report["keys_disabled"] = self.admin.pad.ids.keypad.disabled
            # Everything above reached the outbox for the server's audit trail.
            drained = threading.Event()
            sync = self.app._sync
            threading.Thread(target=lambda: sync.wait_drained(30) and drained.set(), daemon=True).start()
            yield drained.is_set
            report["audit_file"] = [json.loads(line)["event"] for line in audit_path.read_text().splitlines()]

    audit_path = settings.resolve(settings.admin.audit_path)
    with (
        local_server(settings, fresh=True),
        simulators(workdir=report_path.parent) as (devices, printer, _sim),
    ):
        describe(settings, devices)
        app = KioskApp(settings, devices=devices)
        staff = Staff(app, report)
        return run_and_report(app, staff, report_path)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
