"""Drive the real app through every screen and every error screen, in each language, against the
local server and the device simulators, and save one PNG per screen plus a contact sheet.

The card terminal and receipt printer are the real drivers talking to the simulators (in this
process, so the tour can script a declined card or an empty paper roll). Scanned documents are
fed to the journey as the scanner driver would deliver them.
"""

from __future__ import annotations

import html
import json
import math
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kivy.core.window import Window
from kivy.graphics import Color, Line
from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels
from kivy.uix.widget import Widget
from PIL import Image as PILImage

from drivers import registry
from drivers.base import Device
from drivers.camera.types import Symbology
from drivers.sim.printer import Paper, VirtualPrinter
from drivers.sim.printer_server import TcpPrinterServer
from drivers.sim.zvt_terminal import TcpSimServer, ZvtTerminalSim
from kiosk import frontdesk
from kiosk.app import KioskApp
from kiosk.config import ROOT, DeviceSection, KioskSettings
from kiosk.frontdesk import Booking, FrontDesk, Offline
from kiosk.journey.checkin import Action, Overlay, Step
from kiosk.robot import PASSPORT_NUMBER, SETTLE_S, Robot, Script, mrz_td3, visible_texts
from kiosk.tour_admin import admin_tour

RECEIPTS = ROOT / "var" / "receipts"
# The walk-in guest's passport, as mrz_td3 reads a booking.
WALK_IN_GUEST = SimpleNamespace(
    guest=SimpleNamespace(surname="Lestari", given_names="Dewi Ayu", birth_date=date(1990, 6, 2))
)


class TourOffice:
    """The front desk, with a switch to play a lost connection and a latch to hold one call
    (so the waiting screen can be photographed)."""

    def __init__(self, desk: FrontDesk) -> None:
        self.desk = desk
        self.offline = False
        self.hold: threading.Event | None = None

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.desk, name)
        if not callable(target):  # the store and the link, read by the staff pages
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.hold is not None:
                self.hold.wait(SETTLE_S)
            if self.offline:
                raise Offline("tour: the front office is switched off")
            return target(*args, **kwargs)

        return call


@contextmanager
def simulators(
    step_s: float = 0.25, workdir: Path = ROOT / "var"
) -> Iterator[tuple[dict[str, Device], VirtualPrinter, ZvtTerminalSim]]:
    """In-process simulators and the real drivers on them; ``step_s``: the terminal's pace per step,
    ``workdir``: where the terminal and the printer keep their state and journals."""
    RECEIPTS.mkdir(parents=True, exist_ok=True)
    printer = VirtualPrinter(out_dir=RECEIPTS)
    terminal = ZvtTerminalSim(workdir / "tour-terminal.json", step_s=step_s, currency="IDR")
    registry.load_builtin_drivers()
    with TcpPrinterServer(printer, port=0) as printer_server:
        terminal_server = TcpSimServer(terminal, port=0).start()
        try:
            devices = {
                "camera": registry.create(
                    "camera",
                    "sim",
                    "camera",
                    registry.validate_options("camera", "sim", {"fps": 10, "width": 640, "height": 360}),
                ),
                "scanner": registry.create(
                    "scanner", "sim", "scanner", registry.validate_options("scanner", "sim", {})
                ),
                "badge": registry.create(
                    "badge", "sim", "badge", registry.validate_options("badge", "sim", {})
                ),
                "receipt": registry.create(
                    "printer",
                    "network",
                    "receipt",
                    registry.validate_options(
                        "printer",
                        "network",
                        {
                            "host": "127.0.0.1",
                            "port": printer_server.port,
                            "journal_path": str(workdir / "tour-printer-journal.sqlite3"),
                        },
                    ),
                ),
                "card_terminal": registry.create(
                    "payment",
                    "zvt",
                    "card_terminal",
                    registry.validate_options(
                        "payment",
                        "zvt",
                        {
                            "transport": "tcp",
                            "host": "127.0.0.1",
                            "port": int(terminal_server.address.rsplit(":", 1)[1]),
                            "currency": "IDR",
                            "journal_path": str(workdir / "tour-payments.sqlite3"),
                        },
                    ),
                ),
            }
            yield devices, printer, terminal
        finally:
            terminal_server.stop()


def describe(settings: KioskSettings, devices: dict[str, Device]) -> None:
    """Make ``settings.devices`` say what ``devices`` are (the simulators as started), so admin
    mode restarts a device with these settings, not the shipped file's."""
    for name, device in devices.items():
        options = device.options.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
        settings.devices[name] = DeviceSection(kind=device.kind, driver=device.driver, options=options)


Size = tuple[int, int]
# A look at the widgets on screen (the layout checker of the tests): what is wrong, one line each.
Check = Callable[[Widget], list[Any]]


def photograph(path: Path) -> None:
    """What the window shows (its clear colour is the branding background), not a widget export.
    Read as RGBA: Kivy's own screenshot reads RGB rows as if packed, which shears a window whose
    width is not a multiple of 4 (1366)."""
    width, height = (int(v) for v in Window.size)
    pixels = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
    image = PILImage.frombytes("RGBA", (width, height), pixels).transpose(PILImage.Transpose.FLIP_TOP_BOTTOM)
    image.convert("RGB").save(path, compress_level=1)  # fast: a tour writes hundreds


class Tour(Robot):
    """A script of actions and photographs; each photograph is taken at every one of ``sizes`` (the
    window resized, then back), and ``check`` looks at the screen there too."""

    def __init__(self, app: KioskApp, office: TourOffice, printer: VirtualPrinter, terminal: ZvtTerminalSim,
                 outdir: Path, sizes: Sequence[Size], check: Check | None = None) -> None:  # fmt: skip
        super().__init__(app)
        self.office, self.printer, self.terminal = office, printer, terminal
        self.outdir = outdir
        self.sizes = tuple(sizes)
        self.check = check
        self.shots: dict[Size, list[Path]] = {size: [] for size in self.sizes}
        self.texts: dict[Size, dict[str, list[str]]] = {size: {} for size in self.sizes}
        self.findings: dict[Size, dict[str, list[str]]] = {size: {} for size in self.sizes}
        self.count = 0
        self.seconds = dict.fromkeys(self.sizes, 0.0)  # spent photographing (and checking) at each size
        self.lang = "en"
        # The terminal's PIN prompt stays up while the paying screen is photographed at each size.
        self.pin_wait = f"pin_wait:{2 + 2 * len(self.sizes)}"

    def folder(self, size: Size) -> Path:
        """Where the photographs at ``size`` go: OUTDIR itself for a tour at one size."""
        return self.outdir if len(self.sizes) == 1 else self.outdir / f"{size[0]}x{size[1]}"

    def scan(self, text: str) -> None:
        """The guest holds a passport or a code to the (simulated serial) scanner."""
        self.app.devices["scanner"].feed(text)

    def hold_up(self, screen: str, what: str) -> Script:
        """The guest holds ``what`` ("booking", "licence" or "card") to the (simulated) camera,
        still too blurred to read: the preview shows it with the guide frame and a hint."""
        import numpy as np

        from drivers.camera.synth import booking_payload, licence_payload

        rng = np.random.default_rng(7)
        view = self.app.screens[screen].ids.camera
        if what == "card":  # an ID card without lines of letters: no code to read, a document to see
            yield from self.camera_shows(lambda camera: camera.show_card(angle=8, tilt=0.1))
            yield lambda: view.live
            return
        payload, symbology = {
            "booking": (booking_payload(rng), Symbology.QR),
            "licence": (licence_payload(rng), Symbology.PDF417),
        }[what]
        self.app.devices["camera"].show(payload, symbology, blur=3.0, angle=8)
        yield lambda: view.live and view.hint != "show_code"

    def shoot(self, name: str) -> Script:
        yield lambda: not self.app.manager.transition.is_active
        yield from self.still()
        self.count += 1
        shown = (self.j.step, self.j.overlay)
        for size in self.sizes:
            began = time.perf_counter()
            if tuple(Window.size) != size:
                Window.size = size
                yield from self.still()  # laid out, then each label's text drawn at its new width
            path = self.folder(size) / f"{self.count:02d}-{self.lang}-{name}.png"
            photograph(path)
            self.shots[size].append(path)
            self.texts[size][path.name] = visible_texts(self.app.root)
            if self.check is not None:
                found = [str(f) for f in self.check(self.app.root)]
                if found:  # perhaps caught between two layout passes: a fault stays once it is still
                    yield from self.still()
                    found = [str(f) for f in self.check(self.app.root)]
                self.findings[size][path.name] = found
            self.seconds[size] += time.perf_counter() - began
        if (self.j.step, self.j.overlay) != shown:
            raise RuntimeError(f"{name}: the screen changed while it was photographed at each size")
        if tuple(Window.size) != self.sizes[0]:
            Window.size = self.sizes[0]
            yield from self.frames(3)

    def begin(self, lang: str) -> Script:
        if self.j.step is not Step.ATTRACT:
            self.j.end()
        yield from self.settle(Step.ATTRACT)
        self.j.start()
        self.app.set_language(lang)
        yield from self.settle(Step.FIND)

    def booking(self, surname: str) -> Booking:
        return self.office.desk.search(surname=surname, arrival=self.j.business_date())[0]

    def type_code(self, b: Booking) -> Script:
        self.j.choose(Step.ENTER_CODE)
        yield from self.settle(Step.ENTER_CODE)
        screen = self.app.screens["enter_code"]
        screen.ids.code.text = b.confirmation_code
        screen.ids.surname.text = b.guest.surname

    def sign(self) -> None:
        """A signature across the pad (it follows the pad when the tour resizes the window)."""
        pad = self.app.screens["signature"].ids.pad
        curve = [
            (0.15 + 0.6 * t, 0.45 + 0.16 * math.sin(t * 19) * (1 - t * 0.6))
            for t in (i / 119 for i in range(120))
        ]
        with pad.canvas:
            Color(0.08, 0.12, 0.2, 1)
            line = Line(width=2.6, cap="round", joint="round")

        def place(*_args: Any) -> None:
            line.points = [v for x, y in curve for v in (pad.x + pad.width * x, pad.y + pad.height * y)]

        place()
        pad.bind(pos=place, size=place)
        pad.signed = True

    def to_identity(self, surname: str) -> Script:
        b = self.booking(surname)
        yield from self.begin(self.lang)
        yield from self.type_code(b)
        self.app.screens["enter_code"].submit()
        yield from self.settle(Step.IDENTITY)

    def to_room(self, surname: str, shots: bool = False) -> Script:
        b = self.booking(surname)
        yield from self.to_identity(surname)
        if shots:
            yield from self.hold_up("identity", "licence")
            yield from self.shoot("identity")
            self.app.devices["camera"].show(None)
        self.scan(mrz_td3(b))
        yield from self.settle(Step.REGISTRATION)
        if shots:
            yield from self.shoot("registration")
            self.j.read_terms()
            yield lambda: self.j.overlay is Overlay.TERMS
            yield from self.shoot("terms")
            self.j.close_overlay()
        registration = self.app.screens["registration"]
        registration.accepted = True
        registration.ids.phone.text = registration.ids.phone.text or "+62 812 3456 7890"
        registration.submit()
        yield from self.settle(Step.SIGNATURE)
        self.sign()
        if shots:
            yield from self.shoot("signature")
        self.app.screens["signature"].submit()
        yield lambda: self.j.step in (Step.ROOM, Step.PROBLEM)
        yield from self.frames(3)

    def problem(self, name: str) -> Script:
        yield from self.settle(Step.PROBLEM)
        yield from self.shoot(f"problem-{name}")

    def declined_then_no_paper(self, declined: str, finish: Step, no_printer: str) -> Script:
        """At the payment: a declined card, then another card with the printer out of paper (what
        the receipt held is shown on screen instead)."""
        j = self.j
        yield from self.settle(Step.PAYMENT)
        self.terminal.script("decline:05")
        j.pay()
        yield from self.problem(declined)
        j.act(Action.OTHER_CARD)
        yield from self.settle(Step.PAYMENT)
        self.printer.set_faults(paper=Paper.OUT)
        j.pay()
        yield from self.settle(finish)
        yield from self.shoot(no_printer)
        self.printer.set_faults(paper=Paper.OK)

    # -- the script ------------------------------------------------------------------------------

    def script(self) -> Script:
        # Each language checks in its own guests: (happy path, deposit, failures then paid).
        guests = {"en": ("Santoso", "Kusumawardhani", "Wirawan"), "id": ("Hidayat", "Aini", "Wang")}
        for lang in self.app.languages:
            self.lang = lang
            happy, deposit, other = guests[lang]
            yield from self.happy_path(happy, deposit)
            yield from self.failures(happy, other)
            yield from self.check_out(*{"en": ("Lee", "Marlina"), "id": ("Rossi", "Sato")}[lang])
            yield from self.walk_in()
        yield from admin_tour(self)

    def happy_path(self, surname: str, deposit_surname: str) -> Script:
        j = self.j
        yield from self.settle(Step.ATTRACT)
        if self.lang != j.default_language:
            self.app.set_language(self.lang)
        yield from self.shoot("attract")
        yield from self.begin(self.lang)
        yield from self.hold_up("find", "booking")
        yield from self.shoot("find")
        self.app.devices["camera"].show(None)
        b = self.booking(surname)
        yield from self.type_code(b)
        yield from self.shoot("enter-code")
        self.office.hold = threading.Event()
        self.app.screens["enter_code"].submit()
        yield from self.settle(Step.WAIT)
        yield from self.shoot("wait")
        self.office.hold.set()
        self.office.hold = None
        yield from self.settle(Step.IDENTITY)
        yield from self.to_room(surname, shots=True)
        yield from self.shoot("room")
        j.room_seen()
        yield from self.settle(Step.PAYMENT)
        yield from self.shoot("payment")
        self.terminal.script(self.pin_wait)
        j.pay()
        yield lambda: j.step is Step.PAYING and j.session.terminal_prompt is not None
        yield from self.shoot("paying")
        yield from self.settle(Step.FINISH)
        yield from self.shoot("finish")
        # A deposit to hold instead of a balance to pay.
        yield from self.to_room(deposit_surname)
        j.room_seen()
        yield from self.settle(Step.PAYMENT)
        yield from self.shoot("payment-deposit")
        # Typing the name and arrival date instead.
        yield from self.begin(self.lang)
        j.choose(Step.ENTER_NAME)
        yield from self.settle(Step.ENTER_NAME)
        self.app.screens["enter_name"].ids.surname.text = "Smith"
        yield from self.shoot("enter-name")
        self.app.screens["enter_name"].submit()
        yield from self.settle(Step.CHOOSE)
        yield from self.shoot("choose")
        # Help over a screen, and "are you still there?".
        j.help()
        yield lambda: j.overlay is Overlay.HELP and j.help_state.value == "sent"
        yield from self.shoot("help")
        j.close_overlay()
        j._last_touch -= j.settings.inactivity_s
        yield lambda: j.overlay is Overlay.STILL_THERE
        yield from self.shoot("still-there")
        j._still_there_until = 0
        yield from self.settle(Step.ATTRACT)

    def failures(self, checked_in_surname: str, surname: str) -> Script:
        j = self.j
        # Not found.
        yield from self.begin(self.lang)
        j.choose(Step.ENTER_CODE)
        yield from self.settle(Step.ENTER_CODE)
        j.submit_code("ZZ9ZZ9", "Nobody")
        yield from self.problem("not-found")
        # A field left empty.
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.ENTER_CODE)
        self.app.screens["enter_code"].wipe()
        self.app.screens["enter_code"].submit()
        yield lambda: bool(j.field_error)
        yield from self.shoot("enter-code-error")
        # Already checked in (the happy path's guest).
        yield from self.to_identity_or_problem(checked_in_surname)
        yield from self.problem("already-checked-in")
        # A code the scanner cannot read.
        yield from self.begin(self.lang)
        self.scan("HELLO-1234")
        yield from self.problem("code-unreadable")
        # Another person's passport: identity ends for the session, staff are called (a booking
        # of its own, as this kiosk then sends that booking to the desk).
        mismatched = {"en": "Kim", "id": "Chen"}[self.lang]
        yield from self.to_identity(mismatched)
        self.scan(mrz_td3(self.booking(mismatched), surname="WIJAYA", given_names="ANDI"))
        yield from self.problem("id-mismatch")
        # Expired, unreadable, and a card without MRZ.
        b = self.booking(surname)
        yield from self.to_identity(surname)
        self.scan(mrz_td3(b, expiry=j.business_date() - timedelta(days=3)))
        yield from self.problem("id-expired")
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.IDENTITY)
        self.scan(mrz_td3(b).replace(PASSPORT_NUMBER, PASSPORT_NUMBER[:-1] + "8"))  # a check digit fails
        yield from self.problem("id-unreadable")
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.IDENTITY)
        j.settings.id_without_mrz = "staff"
        j.no_mrz()
        yield from self.problem("id-needs-staff")
        j.settings.id_without_mrz = "photo"
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.IDENTITY)
        j.no_mrz()
        yield from self.settle(Step.ID_PHOTO)
        yield from self.hold_up("id_photo", "card")
        yield from self.shoot("id-photo")
        # A photo of the empty desk is no ID photo.
        yield from self.camera_shows(lambda camera: camera.show(None))
        j.take_photo()
        yield from self.problem("photo-no-document")
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.ID_PHOTO)
        j.back()
        # Registration mistakes.
        yield from self.settle(Step.IDENTITY)
        self.scan(mrz_td3(b))
        yield from self.settle(Step.REGISTRATION)
        reg = self.app.screens["registration"]
        reg.ids.email.text = "budi@"
        reg.submit()
        yield lambda: bool(j.field_error)
        yield from self.shoot("registration-error")
        # No clean room yet: text me, or staff.
        yield from self.to_room("Brown")
        yield from self.problem("room-not-ready")
        j.act(Action.NOTIFY_ME)
        yield from self.problem("notify-booked")
        # Declined card, then the printer out of paper: the QR on screen.
        yield from self.to_room(surname)
        j.room_seen()
        yield from self.declined_then_no_paper("payment-declined", Step.FINISH, "finish-no-printer")
        # The front office cannot be reached; Help then says to walk to the desk.
        yield from self.begin(self.lang)
        j.choose(Step.ENTER_CODE)
        yield from self.settle(Step.ENTER_CODE)
        self.office.offline = True
        j.submit_code("AB12CD", "Santoso")
        yield from self.problem("offline")
        j.help()
        yield lambda: j.overlay is Overlay.HELP and j.help_state.value == "failed"
        yield from self.shoot("help-offline")
        self.office.offline = False
        j.end()

    def in_house_room(self, surname: str) -> str:
        """The room of an in-house guest, from the kiosk's pulled copy."""
        stays = self.office.desk.store.reservations()
        return next(d["room"]["number"] for d in stays if d["guest"]["surname"] == surname and d["room"])

    def begin_check_out(self) -> Script:
        if self.j.step is not Step.ATTRACT:
            self.j.end()
        yield from self.settle(Step.ATTRACT)
        self.j.start_check_out()
        self.app.set_language(self.lang)
        yield from self.settle(Step.OUT_FIND)

    def adopt_demo_hold(self) -> None:
        """The demo's deposit was placed on this terminal at a check-in the tour never ran."""
        hold = self.j.session.checkout.folio.hold
        if hold is not None and hold.terminal_ref.isdigit():
            self.terminal.adopt_preauth(int(hold.terminal_ref), hold.amount)

    def check_out(self, surname: str, other: str) -> Script:
        j = self.j
        yield from self.begin_check_out()
        yield from self.hold_up("checkout_find", "booking")
        yield from self.shoot("checkout-find")
        j.type_room()
        yield from self.settle(Step.OUT_ENTER)
        screen = self.app.screens["checkout_enter"]
        screen.ids.room.text, screen.ids.surname.text = self.in_house_room(surname), surname
        yield from self.shoot("checkout-enter")
        screen.submit()
        yield from self.settle(Step.OUT_FOLIO)
        yield from self.shoot("checkout-folio")
        self.adopt_demo_hold()
        j.confirm_folio()
        yield from self.settle(Step.PAYMENT)
        yield from self.shoot("checkout-payment")
        self.terminal.script(self.pin_wait)
        j.pay()
        yield lambda: j.step is Step.PAYING and j.session.terminal_prompt is not None
        yield from self.shoot("checkout-paying")
        yield from self.settle(Step.OUT_FINISH)
        yield from self.shoot("checkout-finish")
        # The same receipt again: already checked out. Then a room and name that match nobody.
        token = j.session.booking.qr_token
        yield from self.begin_check_out()
        self.scan(token)
        yield from self.problem("checkout-already-out")
        yield from self.begin_check_out()
        j.type_room()
        yield from self.settle(Step.OUT_ENTER)
        self.app.screens["checkout_enter"].wipe()
        self.app.screens["checkout_enter"].submit()
        yield lambda: bool(j.field_error)
        yield from self.shoot("checkout-enter-error")
        j.submit_room("999", "Nobody")
        yield from self.problem("checkout-not-found")
        # The front office cannot be reached: no check-out without the server's bill.
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.OUT_ENTER)
        self.office.offline = True
        j.submit_room(self.in_house_room(other), other)
        yield from self.problem("checkout-offline")
        self.office.offline = False
        # A declined card, then the printer out of paper: the invoice on screen.
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.OUT_ENTER)
        j.submit_room(self.in_house_room(other), other)
        yield from self.settle(Step.OUT_FOLIO)
        j.confirm_folio()
        yield from self.declined_then_no_paper(
            "checkout-declined", Step.OUT_FINISH, "checkout-finish-no-printer"
        )
        # A guest booked for more nights leaving today: asked first, then goes back to the bill
        # (the guest stays in house, so the tour can run again).
        yield from self.begin_check_out()
        j.type_room()
        yield from self.settle(Step.OUT_ENTER)
        early = {"en": "Gunawan", "id": "Williams"}[self.lang]
        j.submit_room(self.in_house_room(early), early)
        yield from self.settle(Step.OUT_FOLIO)
        j.confirm_folio()
        yield from self.settle(Step.OUT_EARLY)
        yield from self.shoot("checkout-early")
        j.back()
        yield from self.settle(Step.OUT_FOLIO)
        j.end()

    # -- walk-in booking ----------------------------------------------------------------------------

    def walk_in(self) -> Script:
        """Book a room on the spot; then a room type sold out by the desk while the guest pays."""
        j = self.j
        yield from self.settle(Step.ATTRACT)
        j.start_walk_in()
        self.app.set_language(self.lang)
        yield from self.settle(Step.WALKIN_DATES)
        j.set_nights(2)
        yield from self.shoot("walkin-dates")
        j.stay_chosen()
        yield from self.settle(Step.WALKIN_GUESTS)
        j.set_adults(2)
        yield from self.shoot("walkin-guests")
        self.office.offline = True
        j.guests_chosen()
        yield from self.problem("walkin-offline")
        self.office.offline = False
        j.act(Action.TRY_AGAIN)
        yield from self.settle(Step.WALKIN_ROOMS)
        yield from self.shoot("walkin-rooms")
        # The room type with the fewest rooms left: the desk sells it out under the guest (both
        # languages book from the demo hotel's few clean rooms).
        chosen = min(j.walk_in.offers, key=lambda o: o.ready_now)
        j.choose_offer(chosen)
        yield from self.settle(Step.WALKIN_QUOTE)
        yield from self.shoot("walkin-quote")
        j.book_offer()
        yield from self.settle(Step.IDENTITY)
        yield from self.shoot("walkin-identity")
        # An ID card without lines of letters: its photo, then the name typed from it.
        j.no_mrz()
        yield from self.settle(Step.ID_PHOTO)
        yield from self.hold_up("id_photo", "card")
        j.take_photo()
        yield from self.settle(Step.WALKIN_DETAILS)
        self.app.screens["walkin_details"].ids.surname.text = "Lestari"
        yield from self.shoot("walkin-details")
        j.back()
        yield from self.settle(Step.IDENTITY)
        self.scan(mrz_td3(WALK_IN_GUEST))
        yield from self.settle(Step.REGISTRATION)
        yield from self.shoot("walkin-registration")
        registration = self.app.screens["registration"]
        registration.accepted = True
        registration.ids.phone.text = "+62 813 1111 2222"
        registration.submit()
        yield from self.settle(Step.SIGNATURE)
        self.sign()
        self.app.screens["signature"].submit()
        yield from self.settle(Step.PAYMENT)
        yield from self.shoot("walkin-payment")
        # While the guest pays, the desk sells the last rooms of that type: refused, reversed.
        sold = threading.Thread(target=self.sell_out, args=(chosen.room_type.code, j.walk_in.nights))
        sold.start()
        yield lambda: not sold.is_alive()
        j.pay()
        yield from self.settle(Step.WALKIN_ROOMS, Step.PROBLEM)
        if j.step is Step.PROBLEM:  # that was the last free room type in the demo hotel
            yield from self.shoot("problem-walkin-sold-out-full")
            j.end()
            return
        yield from self.shoot("walkin-sold-out")
        if self.lang == self.j.default_language:
            # The demo hotel has too few clean rooms to play this twice: the other language's
            # page is the same moment, switched.
            for other in self.app.languages[1:]:
                self.app.set_language(other)
                self.lang, lang = other, self.lang
                yield from self.shoot("walkin-sold-out")
                self.lang = lang
            self.app.set_language(self.lang)
        j.choose_offer(j.walk_in.offers[0])
        yield from self.settle(Step.WALKIN_QUOTE)
        j.book_offer()
        yield from self.settle(Step.PAYMENT)
        j.pay()
        yield from self.settle(Step.FINISH)
        yield from self.shoot("walkin-finish")
        j.end()

    def sell_out(self, code: str, nights: int) -> None:
        """Book every free room of this type, as the desk or another kiosk would (worker thread)."""
        desk = self.office.desk
        for offer in desk.availability(nights):
            if offer.room_type.code == code:
                for _ in range(offer.ready_now):
                    desk.book_walk_in(offer, nights, frontdesk.WalkInGuest("Desk"))

    def to_identity_or_problem(self, surname: str) -> Script:
        b = self.booking(surname)
        yield from self.begin(self.lang)
        yield from self.type_code(b)
        self.app.screens["enter_code"].submit()
        yield lambda: self.j.step is Step.PROBLEM


def run(settings: KioskSettings, outdir: Path, sizes: Sequence[Size], check: Check | None = None) -> Tour:
    """Run the tour, photographing each screen at each of ``sizes`` (the first is the window's
    own); writes the photographs, a contact sheet and what each screen said for each size, and
    ``layout.json``: what ``check`` found, by size and photograph."""
    with tempfile.TemporaryDirectory(prefix="sambut-tour-") as tmp:
        # A store of its own: the tour's demo data is fresh, the kiosk's copy must be too.
        settings.store.path = Path(tmp) / "kiosk.sqlite3"
        # Admin mode's state, audit and diagnostics too (its lockout must not outlive the tour).
        admin = settings.admin
        admin.state_path, admin.audit_path = Path(tmp) / "admin-state.json", Path(tmp) / "admin-audit.jsonl"
        admin.diagnostics_dir = Path(tmp) / "diagnostics"
        desk, worker = frontdesk.connect(settings, app_version="tour")
        office = TourOffice(desk)
        worker.start()
        try:
            with simulators(workdir=Path(tmp)) as (devices, printer, terminal):
                describe(settings, devices)
                app = KioskApp(settings, office=office, devices=devices)  # type: ignore[arg-type]
                tour = Tour(app, office, printer, terminal, outdir, sizes, check)
                for size in sizes:
                    tour.folder(size).mkdir(parents=True, exist_ok=True)
                    for old in tour.folder(size).glob("*.png"):
                        old.unlink()
                tour.run(tour.script())
                app.run()
        finally:
            worker.stop()
    if tour.failure:
        raise RuntimeError(tour.failure)
    for size in sizes:
        _contact_sheet(tour.folder(size), tour.shots[size])
        # What each screen said, so tests can check the screens without reading pixels.
        (tour.folder(size) / "screens.json").write_text(
            json.dumps(tour.texts[size], ensure_ascii=False, indent=2), encoding="utf-8"
        )
    if check is not None:
        findings = {f"{w}x{h}": shots for (w, h), shots in tour.findings.items()}
        (outdir / "layout.json").write_text(
            json.dumps(findings, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return tour


def _contact_sheet(outdir: Path, shots: list[Path]) -> None:
    cells = "\n".join(
        f'<figure><img src="{html.escape(p.name)}" width="480">'
        f"<figcaption>{html.escape(p.stem)}</figcaption></figure>"
        for p in shots
    )
    (outdir / "index.html").write_text(
        f"<!doctype html><meta charset=utf-8><title>Sambut tour</title>"
        f"<style>body{{font-family:sans-serif;display:flex;flex-wrap:wrap;gap:16px}}</style>\n{cells}\n",
        encoding="utf-8",
    )
