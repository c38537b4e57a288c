"""The real kiosk app, driven by simulated touches through a walk-in booking: the stay, the guests,
a room, a passport, the registration card, the signature and the card; the room type sold out by
the desk while the guest pays (refused, reversed on the terminal, the next best taken); a name
typed instead of scanned; and the server out of reach.

Run by tests/ui/test_walkin_ui.py in its own process (Kivy runs one app per process) against a
real local server and the device simulators; writes what each screen said to a JSON report.
Usage: python tests/ui/walkin_app.py REPORT.json
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

    from kiosk.app import KioskApp
    from kiosk.devstack import local_server
    from kiosk.frontdesk import WalkInGuest
    from kiosk.journey.checkin import Step
    from kiosk.robot import Script, mrz_td3
    from kiosk.tour import WALK_IN_GUEST, simulators
    from tests.ui.appscript import Reporter, run_and_report

    report: dict[str, Any] = {}

    class Guest(Reporter):
        def to_rooms(self) -> Script:
            yield from self.settle(Step.ATTRACT)
            self.press(self.screen().ids.walk_in)
            yield from self.settle(Step.WALKIN_DATES)
            self.press(self.screen().ids.nights.ids.plus)
            yield from self.frames(2)
            self.said("dates")
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.WALKIN_GUESTS)
            self.press(self.screen().ids.adults.ids.plus)
            yield from self.frames(2)
            self.said("guests")
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.WALKIN_ROOMS, Step.PROBLEM)

        def pick(self, code: str) -> Script:
            item = next(w for w in self.screen().ids.offers.children if w.code == code)
            self.press(item)
            yield from self.settle(Step.WALKIN_QUOTE)

        def sign(self) -> Script:
            pad = self.screen().ids.pad
            x, y = pad.to_window(pad.x + pad.width * 0.2, pad.center_y)
            touch = UnitTestTouch(x, y)
            touch.touch_down()
            for i in range(1, 30):
                touch.touch_move(x + i * 12, y + (-1) ** i * 25)
            touch.touch_up()
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.PAYMENT)

        def sell_out(self, code: str, nights: int) -> None:
            """The desk books every free room of this type meanwhile (another thread, same server)."""
            office = self.app.office
            for offer in office.availability(nights, 2):
                if offer.room_type.code == code:
                    for _ in range(offer.ready_now):
                        office.book_walk_in(offer, nights, WalkInGuest("Desk"), 2)

        def script(self) -> Script:
            j = self.j
            # The stay, the guests, the room type with the fewest rooms left.
            yield from self.to_rooms()
            self.said("rooms")
            offers = j.walk_in.offers
            report["offers"] = [(o.room_type.code, o.ready_now, o.total) for o in offers]
            chosen = min(offers, key=lambda o: o.ready_now)
            report["chosen"] = chosen.room_type.code
            yield from self.pick(chosen.room_type.code)
            self.said("quote")
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.IDENTITY)
            self.said("identity")
            self.app.devices["scanner"].feed(mrz_td3(WALK_IN_GUEST))
            yield from self.settle(Step.REGISTRATION)
            self.said("registration")
            ids = self.screen().ids
            self.press(ids.accept)
            self.press(ids.submit)
            yield from self.settle(Step.SIGNATURE)
            yield from self.sign()
            self.said("payment")
            # While the guest holds the card, the desk sells the last rooms of that type.
            first_id = str(j.walk_in.booking_id)
            report["first_booking"] = first_id
            sold = threading.Thread(target=self.sell_out, args=(chosen.room_type.code, 2))
            sold.start()
            yield lambda: not sold.is_alive()
            ledger_from = len(terminal.state.ledger)
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.WALKIN_ROOMS, Step.PROBLEM)
            self.said("sold_out")
            report["terminal_after_race"] = [
                {k: e.get(k) for k in ("op", "amount", "result", "reversed")}
                for e in terminal.state.ledger[ledger_from:]
            ]
            report["suggested"] = j.walk_in.suggested
            report["second_booking"] = str(j.walk_in.booking_id)
            # The next best, first in the list: straight to paying, details and signature kept.
            yield from self.pick(j.walk_in.offers[0].room_type.code)
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.PAYMENT)
            self.said("payment_again")
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.FINISH)
            self.said("finish")
            report["booked"] = str(j.session.booking.id)
            report["room"] = j.session.booking.room.number
            report["booked_total"] = j.session.booking.total
            self.press(self.screen().ids.done)
            yield from self.settle(Step.ATTRACT)

            # No passport, an ID card without lines of letters: its photo for the desk, then the
            # name typed from it on the on-screen keyboard.
            yield from self.to_rooms()
            yield from self.pick(j.walk_in.offers[0].room_type.code)
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.IDENTITY)
            report["walkin_identity_button"] = self.screen().ids.no_mrz.text
            self.press(self.screen().ids.no_mrz)
            yield from self.settle(Step.ID_PHOTO)
            yield from self.camera_shows(lambda c: c.show_card(angle=6))
            self.press(self.screen().ids.take)
            yield from self.settle(Step.WALKIN_DETAILS)
            self.app.devices["camera"].show(None)
            ids = self.screen().ids
            self.press(ids.submit)  # nothing typed yet
            yield lambda: bool(j.field_error)
            yield from self.frames(2)
            self.said("details_empty")
            self.press(ids.surname)
            self.type(ids.kb, "Siregar")
            self.press(ids.given)
            self.type(ids.kb, "Rina")
            yield from self.frames(1)
            self.press(ids.submit)
            yield from self.settle(Step.REGISTRATION)
            self.said("typed_registration")
            report["typed_guest"] = [j.walk_in.guest.surname, j.walk_in.guest.given_names]
            report["typed_with_photo"] = j.session.id_photo is not None
            j.end()

            # The server cannot be reached: said before any money is taken.
            yield from self.settle(Step.ATTRACT)
            with self.server_unreachable():
                ledger_from = len(terminal.state.ledger)
                yield from self.to_rooms()
                self.said("offline")
                report["offline_step"] = str(j.step)
                report["offline_terminal"] = len(terminal.state.ledger) - ledger_from
            j.end()
            yield from self.settle(Step.ATTRACT)

    with local_server(settings, fresh=True), simulators() as (devices, _printer, terminal):
        app = KioskApp(settings, devices=devices)
        guest = Guest(app, report)
        return run_and_report(app, guest, report_path)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
