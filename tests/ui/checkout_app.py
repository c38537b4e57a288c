"""The real kiosk app, driven by simulated touches through self check-out's main paths.

Run by tests/ui/test_checkout_ui.py in its own process (Kivy runs one app per process) against a
real local server (its SQLite file named by SAMBUT_SERVER_SERVER__DATABASE_URL) and the device
simulators; writes what each screen said to a JSON report.
Usage: python tests/ui/checkout_app.py REPORT.json
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk import kivyenv  # noqa: E402
from kiosk.config import load_settings  # noqa: E402


def at_the_desk(surname: str, action: str) -> None:
    """What the desk does (there is no kiosk way to), straight in the server's database: contest a
    charge, take a booking's whole price in advance, or post a minibar charge."""
    import uuid

    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from frontoffice.models import Charge, ChargeType, Guest, Payment, PaymentKind, Property, Reservation
    from frontoffice.services import folio

    engine = create_engine(os.environ["SAMBUT_SERVER_SERVER__DATABASE_URL"])
    with Session(engine) as session, session.begin():
        stay = session.scalars(
            select(Reservation).join(Reservation.guest).where(Guest.surname == surname)
        ).one()
        prop = session.get_one(Property, stay.property_id)
        if action == "dispute":
            session.scalars(select(Charge).where(Charge.reservation_id == stay.id)).first().disputed = True
        elif action == "prepay":
            total = folio.totals(session, [stay.id])[stay.id].total
            session.add(
                Payment(id=uuid.uuid4(), reservation_id=stay.id, idempotency_key=f"desk-{stay.id}",
                        kind=PaymentKind.SALE, amount=total, currency=prop.currency, terminal_id="DESK",
                        business_date=prop.business_date)
            )  # fmt: skip
        else:
            session.add(
                Charge(reservation_id=stay.id, type=ChargeType.EXTRA, description="Minibar", night=None,
                       amount=MINIBAR, currency=prop.currency, business_date=prop.business_date)
            )  # fmt: skip
    engine.dispose()


MINIBAR = 150_000_00  # Rp 150.000


def signature_png() -> bytes:
    """A real PNG: the server refuses anything else as a signature."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (120, 40), 255).save(out, format="PNG")
    return out.getvalue()


def main(report_path: Path) -> int:
    settings = load_settings()
    kivyenv.prepare(settings)
    from drivers.sim.printer import Paper
    from kiosk.app import KioskApp
    from kiosk.devstack import local_server
    from kiosk.journey.checkin import Overlay, Step
    from kiosk.robot import Script
    from kiosk.tour import simulators
    from tests.ui.appscript import Reporter, run_and_report

    report: dict[str, Any] = {"stays": {}}

    class Guest(Reporter):
        def action(self, name: str) -> Any:
            return next(w for w in self.screen().ids.actions.children if w.action == name)

        def room_of(self, surname: str) -> str:
            stays = self.app.office.store.reservations()
            return next(d["room"]["number"] for d in stays if d["guest"]["surname"] == surname and d["room"])

        def find(self, surname: str) -> Script:
            """From the welcome screen, by touch: Check out, then room and surname typed."""
            yield from self.settle(Step.ATTRACT)
            self.press(self.screen().ids.checkout)
            yield from self.settle(Step.OUT_FIND)
            self.press(self.screen().ids.by_room)
            yield from self.settle(Step.OUT_ENTER)
            ids = self.screen().ids
            room = self.room_of(surname)
            report["stays"][surname] = room
            self.press(ids.room)
            self.type(ids.kb, room)
            self.press(ids.surname)
            self.type(ids.kb, surname.lower())
            yield from self.frames(1)
            self.press(ids.submit)

        def script(self) -> Script:
            j = self.j
            # The happy path, every step by touch.
            yield from self.settle(Step.ATTRACT)
            self.said("attract")
            yield from self.find("Taylor")
            yield from self.settle(Step.OUT_FOLIO)
            self.said("folio")
            report["due"] = j.session.due.minor
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.PAYMENT)
            self.said("payment")
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.OUT_FINISH)
            self.said("finish")
            token = j.session.booking.qr_token
            self.press(self.screen().ids.done)
            yield from self.settle(Step.ATTRACT)

            # The same receipt's QR on the scanner again: checked out already, said kindly.
            self.press(self.screen().ids.checkout)
            yield from self.settle(Step.OUT_FIND)
            self.app.devices["scanner"].feed(token)
            yield from self.settle(Step.PROBLEM)
            self.said("already_out")
            self.press(self.action("start_over"))
            yield from self.settle(Step.ATTRACT)

            # A contested charge: the desk, with the reason; Call staff records the request.
            at_the_desk("Rahayu", "dispute")
            yield from self.find("Rahayu")
            yield from self.settle(Step.PROBLEM)
            self.said("disputed")
            self.press(self.action("staff"))
            yield lambda: j.overlay is Overlay.HELP and j.help_state.value == "sent"
            j.end()

            # Declined card, then another card; the printer out of paper: the invoice on screen.
            yield from self.find("Sato")
            yield from self.settle(Step.OUT_FOLIO)
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.PAYMENT)
            terminal.script("decline:05")
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.PROBLEM)
            self.said("declined")
            self.press(self.action("other_card"))
            yield from self.settle(Step.PAYMENT)
            printer.set_faults(paper=Paper.OUT)
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.OUT_FINISH)
            self.said("no_paper")
            printer.set_faults(paper=Paper.OK)
            j.end()

            # A prepaid guest checks in with a deposit held on the card, takes from the minibar,
            # and checks out with the receipt's QR: the minibar is taken from the deposit.
            at_the_desk("Dewi", "prepay")
            [dewi] = self.app.office.search(surname="Dewi", arrival=j.business_date())
            j.settings.identity = "off"
            j.start()
            j.select(dewi)
            yield from self.settle(Step.REGISTRATION)
            j.submit_registration("dewi@example.org", "+62 811 222 333", True)
            yield from self.settle(Step.SIGNATURE)
            j.submit_signature(signature_png())
            yield from self.settle(Step.ROOM)
            j.room_seen()
            yield from self.settle(Step.PAYMENT)
            report["deposit_operation"] = j.session.operation.value
            j.pay()
            yield from self.settle(Step.FINISH)
            token = j.session.booking.qr_token
            j.end()
            at_the_desk("Dewi", "minibar")
            yield from self.settle(Step.ATTRACT)
            self.press(self.screen().ids.checkout)
            yield from self.settle(Step.OUT_FIND)
            self.app.devices["scanner"].feed(token)
            yield from self.settle(Step.OUT_FOLIO)
            self.said("deposit_folio")
            self.press(self.screen().ids.submit)
            # Checked in today for more nights: leaving now is early, and asked first.
            yield from self.settle(Step.OUT_EARLY)
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.PAYMENT)
            self.said("deposit_payment")
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.OUT_FINISH)
            self.said("deposit_finish")
            j.end()

            # Booked for more nights and leaving today: asked first; Back leaves the guest in house.
            yield from self.find("Gunawan")
            yield from self.settle(Step.OUT_FOLIO)
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.OUT_EARLY)
            self.said("early")
            self.press(self.app.root.ids.back_button)
            yield from self.settle(Step.OUT_FOLIO)
            [stay] = self.app.office.find_stay(room=self.room_of("Gunawan"), surname="Gunawan")
            report["early_back"] = stay.status
            self.press(self.screen().ids.submit)
            yield from self.settle(Step.OUT_EARLY)
            self.press(self.screen().ids.confirm)
            yield from self.settle(Step.PAYMENT, Step.OUT_FINISH)
            if j.step is Step.PAYMENT:
                self.press(self.screen().ids.confirm)
            yield from self.settle(Step.OUT_FINISH)
            j.end()

            # The server cannot be reached: said kindly, nothing charged, nothing checked out.
            with self.server_unreachable():
                yield from self.find("Lee")
                yield from self.settle(Step.PROBLEM)
                self.said("offline")
            j.end()
            yield from self.settle(Step.ATTRACT)

    with local_server(settings, fresh=True), simulators() as (devices, printer, terminal):
        app = KioskApp(settings, devices=devices)
        guest = Guest(app, report)
        return run_and_report(app, guest, report_path)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
