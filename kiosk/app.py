"""The kiosk application: the check-in journey on a touchscreen.

The journey (``kiosk.journey``) decides; this file wires it to Kivy: blocking work runs on a small
thread pool and its results come back through the Clock, a tick drives the timeouts, and every
journey change re-renders the chrome (hotel, language, Help, Back), the current screen and the
overlays. Screens and their .kv are loaded the first time they are needed.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, TypeVar

from kivy.app import App
from kivy.base import ExceptionManager
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager
from kivy.uix.widget import Widget

from drivers.base import DataEvent, Device, DeviceEvent
from kiosk import frontdesk
from kiosk.config import KioskSettings
from kiosk.devices import build_devices, payment_journal
from kiosk.i18n import LANGUAGE_NAMES, translate
from kiosk.i18n.live import tr
from kiosk.journey.checkin import BACK, CheckinJourney, Overlay, Step
from kiosk.journey.ports import FrontOffice
from kiosk.memory import keep_large_blocks_apart, release_freed_memory
from kiosk.prebuild import QUIET_S, Prebuilder
from kiosk.recover import Recovery
from kiosk.screens.admin_mode import AdminController
from kiosk.screens.base import HERE, JourneyScreen, Theme, setup_text
from kiosk.sync import SyncWorker
from kiosk.terms import load_terms
from kiosk.xlost import on_display_lost

log = logging.getLogger(__name__)
T = TypeVar("T")

# Screen module per journey step; PAYMENT is the charge confirmed before the terminal is asked.
SCREENS: dict[Step, str] = {
    Step.ATTRACT: "attract",
    Step.FIND: "find",
    Step.ENTER_CODE: "enter_code",
    Step.ENTER_NAME: "enter_name",
    Step.CHOOSE: "choose",
    Step.IDENTITY: "identity",
    Step.ID_PHOTO: "id_photo",
    Step.REGISTRATION: "registration",
    Step.SIGNATURE: "signature",
    Step.ROOM: "room",
    Step.PAYMENT: "confirm",
    Step.PAYING: "payment",
    Step.FINISH: "finish",
    Step.WAIT: "wait",
    Step.PROBLEM: "problem",
    # Self check-out (kiosk/journey/checkout.py)
    Step.OUT_FIND: "checkout_find",
    Step.OUT_ENTER: "checkout_enter",
    Step.OUT_FOLIO: "checkout_folio",
    Step.OUT_EARLY: "confirm",
    Step.OUT_FINISH: "checkout_finish",
    # Walk-in booking (kiosk/journey/walkin.py)
    Step.WALKIN_DATES: "walkin_dates",
    Step.WALKIN_GUESTS: "walkin_guests",
    Step.WALKIN_ROOMS: "walkin_rooms",
    Step.WALKIN_QUOTE: "walkin_quote",
    Step.WALKIN_DETAILS: "walkin_details",
}
# Built ahead in the quiet moments at the welcome screen: the screens every check-in visits.
PREBUILD = (Step.FIND, Step.ENTER_CODE, Step.WAIT, Step.IDENTITY, Step.REGISTRATION, Step.SIGNATURE,
            Step.ROOM, Step.PAYMENT, Step.PAYING, Step.FINISH, Step.WALKIN_DATES, Step.OUT_FIND)  # fmt: skip
OVERLAYS = {Overlay.HELP: "help", Overlay.STILL_THERE: "still_there", Overlay.TERMS: "terms"}
# Devices whose reads (IdDocument: passport MRZ, licence, booking QR) go to the journey.
SCANNING = ("scanner", "camera")
TICK_S = 0.25
CLOSE_S = 8.0  # longest wait for the devices to close when the app stops
COMPACT_BELOW_PX = 900  # a window this small on its short side lays its screens out tighter
APP_VERSION = "0.1.0"


class KivyRunner:
    """Blocking work on worker threads; results and device events back on the Kivy thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="journey")

    def run(self, work: Callable[[], T], done: Callable[[T | None, BaseException | None], None]) -> None:
        def job() -> None:
            try:
                result = work()
            except Exception as exc:
                error = exc
                Clock.schedule_once(lambda _dt: done(None, error), 0)
            else:
                Clock.schedule_once(lambda _dt: done(result, None), 0)

        self._pool.submit(job)

    def post(self, fn: Callable[[], None]) -> None:
        Clock.schedule_once(lambda _dt: fn(), 0)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class KioskRoot(FloatLayout):
    """Chrome around the screens; every touch tells the journey the guest is still there."""

    hotel = StringProperty("")
    show_back = BooleanProperty(False)
    show_chrome = BooleanProperty(True)
    touched_at = 0.0

    def on_touch_down(self, touch: Any) -> bool:
        self.touched_at = Clock.get_boottime()
        App.get_running_app().journey.touch()
        return super().on_touch_down(touch)


class KioskApp(App):
    # The language shown, as a Kivy property so the chrome's language buttons follow it.
    lang = StringProperty("")
    # The window's shape, for kv rules that arrange a screen their own way: a portrait window
    # (taller than wide); a compact one, under 900 px on its short side (a 1280x800, 800x1280 or
    # 1366x768 panel), where screens lay out tighter.
    portrait = BooleanProperty(False)
    compact = BooleanProperty(False)

    def __init__(
        self,
        settings: KioskSettings,
        *,
        office: FrontOffice | None = None,
        devices: dict[str, Device] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        keep_large_blocks_apart()
        self.settings = settings
        self.title = f"Sambut kiosk — {settings.kiosk.name}"
        self.theme = Theme(settings.branding)
        self.languages = tuple(settings.kiosk.languages)
        self.language_names = LANGUAGE_NAMES
        self.devices = build_devices(settings) if devices is None else devices
        self._sync: SyncWorker | None = None
        if office is None:
            # The front desk answers from the kiosk's store when the server is away; its sync
            # worker delivers what was done offline and keeps the store current.
            office, self._sync = frontdesk.connect(
                settings, app_version=APP_VERSION, devices=self._health, journal=payment_journal(self.devices)
            )
        self.office = office
        self.runner = KivyRunner()
        tr.switch(settings.kiosk.default_language)
        terminal = self._device("payment")
        printer = self._device("printer")
        self.camera = self._device("camera")
        self.journey = CheckinJourney(
            office,
            self.runner,
            settings.checkin,
            terminal=terminal,
            printer=printer,
            camera=self.camera.photograph if self.camera is not None else None,
            clock=Clock.get_boottime,
            translate=translate,
            languages=self.languages,
            terms=load_terms(
                settings.resolve(settings.checkin.terms_dir), settings.checkin.terms_version, self.languages
            ),
        )
        self.admin = AdminController(self)  # staff and technician mode over the guest screens
        self.screens: dict[str, JourneyScreen] = {}
        self.overlays: dict[str, Widget] = {}
        self._generation = 0
        self._language = ""
        self._drawn_callbacks: list[Callable[[], None]] = []
        # An error in a screen or a handler is logged and the guest shown an apology; the kiosk stays up.
        self.recovery = Recovery(
            lambda: self.runner.post(self.journey.fault),
            where=lambda: f"step {self.journey.step}, overlay {self.journey.overlay}",
        )

    def _device(self, kind: str) -> Any:
        for device in self.devices.values():
            if device.kind == kind:
                return device  # type: ignore[return-value]
        return None

    # -- start and stop --------------------------------------------------------------------------

    def build(self) -> KioskRoot:
        setup_text()
        Builder.load_file(str(HERE / "chrome.kv"))
        Window.clearcolor = self.theme.background
        Window.bind(size=self._shape)
        self._shape(Window, Window.size)
        if self.settings.kiosk.fullscreen:
            # Kiosk mode: closing the window and Escape do nothing (staff use the admin mode).
            Window.bind(on_request_close=lambda *_a, **_k: True)
            Window.bind(on_keyboard=lambda _w, key, *_a: key == 27)
        ExceptionManager.add_handler(self.recovery)
        self.root_widget = KioskRoot()
        self.manager: ScreenManager = self.root_widget.ids.screens
        self.manager.transition = NoTransition()
        self.journey.subscribe(self.render)
        self.admin.start()
        self.render()
        Clock.schedule_interval(lambda _dt: self.journey.tick(), TICK_S)
        if self._sync is not None:
            self._sync.start()
        on_display_lost(self._close_devices)
        self.journey.refresh_property()
        self.prebuilder = Prebuilder(self.screen, (SCREENS[step] for step in PREBUILD), self._quiet)
        self.prebuilder.start()
        for device in self.devices.values():
            if device.kind in SCANNING:
                device.subscribe(self._scanned)
            device.start().add_done_callback(lambda f, d=device: _log_start(d, f))
        return self.root_widget

    def _shape(self, _window: Any, size: tuple[int, int]) -> None:
        width, height = size
        self.portrait = height > width
        self.compact = min(width, height) < COMPACT_BELOW_PX

    def _quiet(self) -> bool:
        """Nobody at the kiosk: the welcome screen, untouched for a moment."""
        j = self.journey
        idle_s = Clock.get_boottime() - self.root_widget.touched_at
        return j.step is Step.ATTRACT and j.overlay is Overlay.NONE and idle_s > QUIET_S

    def _scanned(self, event: DeviceEvent) -> None:
        # A scanner or camera read something (on its own thread): the journey decides what it means.
        if isinstance(event, DataEvent) and hasattr(event.data, "fields"):
            self.runner.post(lambda: self.journey.scanned(event.data))

    def on_stop(self) -> None:
        ExceptionManager.remove_handler(self.recovery)
        self.admin.stop()
        self.runner.shutdown()
        self._close_devices()
        if self._sync is not None:
            self._sync.stop()

    def _close_devices(self) -> None:
        # Wait for the devices to close: their threads must be done before the interpreter goes.
        closing = {device.close(): device for device in self.devices.values()}
        done, late = wait(closing, timeout=CLOSE_S)
        for future in done:
            if future.exception() is not None:
                log.warning("device %s did not close: %s", closing[future].name, future.exception())
        for future in late:
            log.warning("device %s still closing after %.0f s", closing[future].name, CLOSE_S)

    def _health(self) -> dict[str, dict[str, Any]]:
        """Each device's last known health, for the heartbeat (sync thread: reads only)."""
        return {name: device.health.as_dict() for name, device in list(self.devices.items())}

    # -- rendering -------------------------------------------------------------------------------

    def screen(self, name: str) -> JourneyScreen:
        """The screen called ``name``, built (with its .kv) the first time."""
        if name not in self.screens:
            module = importlib.import_module(f"kiosk.screens.{name}")
            screen = module.SCREEN(name=name)
            self.screens[name] = screen
            self.manager.add_widget(screen)
        return self.screens[name]

    def render(self) -> None:
        j = self.journey
        if j.language != tr.lang:
            tr.switch(j.language)
        self.lang = j.language
        if j.generation != self._generation:
            self._generation = j.generation
            for screen in self.screens.values():
                screen.wipe()
            self.runner.run(release_freed_memory, lambda _done, _error: None)  # between guests
        root = self.root_widget
        root.hotel = j.property.name if j.property else ""
        root.show_back = j.step in BACK and j.overlay is Overlay.NONE
        out_of_service = j.step is Step.ATTRACT and self.admin.out_of_service
        screen = self.screen("out_of_service" if out_of_service else SCREENS[j.step])
        screen.refresh()
        if self.manager.current != screen.name:
            self.manager.current = screen.name
            if j.step in (Step.FIND, Step.IDENTITY, Step.OUT_FIND) and self.camera is not None:
                self.camera.arm()  # look for a booking QR or a licence (decoding stops after a read)
        for overlay, name in OVERLAYS.items():
            widget = self.overlays.get(name)
            if j.overlay is overlay:
                if widget is None:
                    module = importlib.import_module(f"kiosk.screens.{name}")
                    widget = self.overlays[name] = module.OVERLAY()
                if widget.parent is None:
                    root.add_widget(widget)
                widget.refresh()
            elif widget is not None and widget.parent is not None:
                root.remove_widget(widget)
        self._after_draw()

    def _after_draw(self) -> None:
        if self._drawn_callbacks:
            callbacks, self._drawn_callbacks = self._drawn_callbacks, []
            # The frame with the new state is drawn at the end of this Clock tick.
            Clock.schedule_once(lambda _dt: [cb() for cb in callbacks], 0)

    def when_drawn(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the next journey change has been drawn (tour, tests, bench)."""
        self._drawn_callbacks.append(callback)

    def set_language(self, lang: str) -> None:
        self.journey.set_language(lang)


def _log_start(device: Device, future: Any) -> None:
    if future.exception() is not None:
        log.warning("device %s did not start: %s", device.name, future.exception())
