"""The real kiosk app, driven by simulated touches through the check-in journey's main paths.

Run by tests/ui/test_checkin_ui.py in its own process (Kivy runs one app per process) against a
real local server and the device simulators; writes what each screen said to a JSON report.
Usage: python tests/ui/checkin_app.py REPORT.json
"""

from __future__ import annotations

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
    from kivy.tests.common import UnitTestTouch

    from drivers.sim.printer import Paper
    from kiosk.app import KioskApp
    from kiosk.devstack import local_server
    from kiosk.journey.checkin import Overlay, Step
    from kiosk.robot import Script, mrz_td3
    from kiosk.tour import simulators
    from tests.ui.appscript import Reporter, run_and_report

    report: dict[str, Any] = {}

    class Guest(Reporter):
        def find(self, code: str, surname: str) -> Script:
            yield from self.settle(Step.ATTRACT)
            self.press(self.screen().ids.start)
            yield from self.settle(Step.FIND)
            self.press(self.screen().ids.by_code)
            yield from self.settle(Step.ENTER_CODE)
            ids = self.screen().ids
            self.press(ids.code)
            self.type(ids.kb, code)
            self.press(ids.surname)
            self.type(ids.kb, surname)
            yield from self.frames(1)
            self.press(ids.submit)

        def booking(self, surname: str) -> Any:
            return self.app.office.search(surname=surname, arrival=self.j.business_date())[0]

        def to_room(self, surname: str, *, read_terms: bool = False) -> Script:
            b = self.booking(surname)
            report.setdefault("bookings", {})[surname] = str(b.id)
            yield from self.find(b.confirmation_code, surname)
            yield from self.settle(Step.IDENTITY)
            self.app.devices["scanner"].feed(mrz_td3(b))  # the passport on the (simulated) MRZ scanner
            yield from self.settle(Step.REGISTRATION)
            ids = self.screen().ids
            if read_terms:
                self.said("registration")
                self.press(ids.read_terms)  # the house rules and privacy notice, read before accepting
                yield lambda: self.j.overlay is Overlay.TERMS
                yield from self.frames(2)
                self.said("terms")
                self.press(self.app.overlays["terms"].ids.close)
                yield lambda: self.j.overlay is Overlay.NONE
            self.press(ids.accept)
            self.press(ids.submit)
            yield from self.settle(Step.SIGNATURE)
            pad = self.screen().ids.pad
            x, y = pad.to_window(pad.x + pad.width * 0.2, pad.center_y)
            touch = UnitTestTouch(x, y)
            touch.touch_down()
            for i in range(1, 30):
                touch.touch_move(x + i * 12, y + (-1) ** i * 25)
            touch.touch_up()
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.ROOM, Step.PROBLEM)

        def script(self) -> Script:
            j = self.j
            # The happy path, every step by touch.
            yield from self.to_room("Santoso", read_terms=True)
            self.said("room")
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.PAYMENT)
            self.said("payment")
            # Back from the breakdown: to the room, nothing asked of the terminal; then confirmed.
            self.press(self.app.root.ids.back_button)
            yield from self.settle(Step.ROOM)
            report["back_from_payment"] = [j.step.value, len(j.session.payments), j.session.terminal_prompt]
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.PAYMENT)
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.FINISH)
            self.said("finish")
            self.press(self.screen().ids.done)
            yield from self.settle(Step.ATTRACT)

            # Not found: said kindly, and "Try again" keeps what was typed.
            yield from self.find("ZZ9ZZ9", "Nobody")
            yield from self.settle(Step.PROBLEM)
            self.said("not_found")
            self.press(self.screen().ids.actions.children[-1])
            yield from self.settle(Step.ENTER_CODE)
            report["kept_after_try_again"] = self.screen().ids.code.text
            self.press(self.app.root.ids.back_button)
            yield from self.settle(Step.FIND)
            self.press(self.app.root.ids.back_button)
            yield from self.settle(Step.ATTRACT)

            # ID mismatch: never a silent pass; Call staff records an assistance request.
            b = self.booking("Wirawan")
            report.setdefault("bookings", {})["Wirawan"] = str(b.id)
            yield from self.find(b.confirmation_code, "Wirawan")
            yield from self.settle(Step.IDENTITY)
            self.app.devices["scanner"].feed(mrz_td3(b, surname="WIJAYA", given_names="ANDI"))
            yield from self.settle(Step.PROBLEM)
            self.said("id_mismatch")
            staff = next(w for w in self.screen().ids.actions.children if w.action == "staff")
            self.press(staff)
            yield lambda: j.overlay is Overlay.HELP and j.help_state.value == "sent"
            yield from self.frames(2)
            self.said("help")
            j.close_overlay()
            yield from self.frames(2)
            # A mismatch ends identity: a guest looks for another way past it (a retry, then the
            # "no lines of letters" card and a photo of the empty desk) and finds none.
            report["mismatch_actions"] = [w.action for w in reversed(self.screen().ids.actions.children)]
            retry = [w for w in self.screen().ids.actions.children if w.action == "try_again"]
            if retry:
                self.press(retry[0])
                yield from self.settle(Step.IDENTITY)
                self.press(self.screen().ids.no_mrz)
                yield from self.settle(Step.ID_PHOTO, Step.PROBLEM)
                if j.step is Step.ID_PHOTO:
                    self.press(self.screen().ids.take)
                    yield from self.settle(Step.REGISTRATION, Step.PROBLEM)
            self.press(self.app.root.ids.back_button)
            yield from self.frames(2)
            report["after_mismatch"] = [str(j.step), j.problem.kind if j.problem else ""]
            report["after_mismatch_photo"] = j.session.id_photo is not None
            j.end()

            # A card without lines of letters: the photo of an empty desk is refused, a card passes.
            b = self.booking("Tanaka")
            report["bookings"]["Tanaka"] = str(b.id)
            yield from self.find(b.confirmation_code, "Tanaka")
            yield from self.settle(Step.IDENTITY)
            self.said("identity")
            self.press(self.screen().ids.no_mrz)
            yield from self.settle(Step.ID_PHOTO)
            camera = self.app.devices["camera"]
            yield from self.camera_shows(lambda c: c.show(None))  # the empty desk: a grey frame
            self.press(self.screen().ids.take)
            yield from self.settle(Step.PROBLEM, Step.REGISTRATION)
            self.said("photo_empty")
            report["after_empty_photo"] = [str(j.step), j.problem.kind if j.problem else ""]
            if j.step is Step.PROBLEM:
                self.press(next(w for w in self.screen().ids.actions.children if w.action == "try_again"))
                yield from self.settle(Step.ID_PHOTO)
                yield from self.camera_shows(lambda c: c.show_card(angle=-5, tilt=0.1))
                self.press(self.screen().ids.take)
                yield from self.settle(Step.REGISTRATION, Step.PROBLEM)
            report["after_card_photo"] = str(j.step)
            camera.show(None)
            j.end()

            # Declined card, then another card; then the printer out of paper.
            yield from self.to_room("Wang")
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.PAYMENT)
            terminal.script("decline:05")
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.PROBLEM)
            self.said("declined")
            report["declined_booking"] = str(j.session.booking.id)
            yield lambda: self.j.step is Step.PROBLEM
            self.press(self.screen().ids.actions.children[-1])  # "Use another card"
            yield from self.settle(Step.PAYMENT)
            printer.set_faults(paper=Paper.OUT)
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.FINISH)
            self.said("no_paper")
            report["qr_shown"] = self.screen().ids.qr.opacity == 1 and self.screen().qr is not None
            printer.set_faults(paper=Paper.OK)
            j.end()

            # The server cannot be reached (nothing listens where the kiosk looks): a guest whose
            # room was pre-assigned still checks in from the kiosk's copy, and it all reaches the
            # server once it is back.
            yield from self.settle(Step.ATTRACT)
            b = self.booking("Fauzi")  # an online lookup keeps this arrival in the kiosk's store
            report.setdefault("bookings", {})["Fauzi"] = str(b.id)
            sync = self.app._sync
            with self.server_unreachable():
                yield from self.to_room("Fauzi")
                self.said("offline_room")
                report["offline_booking"] = bool(j.session.booking.offline)
                self.press(self.screen().ids.submit)
                yield from self.settle(Step.PAYMENT, Step.FINISH)
                if j.step is Step.PAYMENT:
                    self.press(self.screen().ids.confirm)
                    yield from self.settle(Step.FINISH)
                self.said("offline_finish")
                j.end()
            drained = threading.Event()
            threading.Thread(target=lambda: sync.wait_drained(60) and drained.set(), daemon=True).start()
            yield drained.is_set

            # Nobody touches: "Are you still there?", then everything typed is wiped.
            yield from self.find("AB12CD", "Nob")
            yield from self.settle(Step.PROBLEM)
            self.press(self.screen().ids.actions.children[-1])
            yield from self.settle(Step.ENTER_CODE)
            j.settings.inactivity_s, j.settings.still_there_s = 0.5, 3.0
            yield lambda: j.overlay is Overlay.STILL_THERE
            yield from self.frames(2)
            self.said("still_there")
            yield from self.settle(Step.ATTRACT)
            report["after_timeout"] = {
                "code": self.app.screens["enter_code"].ids.code.text,
                "surname": self.app.screens["enter_code"].ids.surname.text,
                "session": j.session is None,
            }

    with local_server(settings, fresh=True), simulators() as (devices, printer, terminal):
        app = KioskApp(settings, devices=devices)
        guest = Guest(app, report)
        return run_and_report(app, guest, report_path)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
