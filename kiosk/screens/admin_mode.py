"""Admin mode in the running app: the hidden corner, the badge reader, the PIN pad and the staff
and technician pages over the guest screens.

``kiosk.admin`` decides everything (who may unlock, the lockout, the idle close, each action);
this controller only wires it to Kivy: blocking calls run on the app's worker pool, device and
session events come back through the Clock, and the admin layer sits on top of the journey's
screens while it is open. Closing it (by hand or when idle) wipes any guest session.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from kivy.clock import Clock
from kivy.core.window import Window

from drivers.base import Device
from kiosk.admin.devicemanager import DeviceManager
from kiosk.admin.serverlink import audit_forwarder, connectivity_reader, report_sender
from kiosk.admin.services import AdminServices, build_admin
from kiosk.admin.setup import SetupFlow
from kiosk.admin.unlock import CornerHold, Outcome, UnlockResult, listen_for_badges
from kiosk.config import config_path

log = logging.getLogger(__name__)
T = TypeVar("T")
POLL_S = 0.1  # how often a held corner is looked at
TICK_S = 1.0  # idle close, lockout and idle countdowns
SCANNING = ("scanner", "camera")


class AdminController:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.manager = DeviceManager(app.settings, devices=app.devices)
        office = app.office
        store, link = getattr(office, "store", None), getattr(office, "link", None)
        self.services: AdminServices = build_admin(
            app.settings,
            self.manager,
            config_path(),
            on_close=lambda reason: app.runner.post(lambda: self._closed(reason)),
            connectivity=connectivity_reader(store, link) if store is not None and link is not None else None,
            send_report=report_sender(office) if hasattr(office, "audit") else None,
        )
        self.mode = self.services.mode
        if hasattr(office, "audit"):
            # Off the UI thread: a slow store must not hold a frame (the line on disk is written).
            forward = audit_forwarder(office)
            self.mode.audit.sinks.append(lambda r: app.runner.run(lambda: forward(r), _log_failure))
        self.hold = CornerHold(self.mode.gesture)
        self.pad: Any = None
        self.layer: Any = None
        self.setup: SetupFlow | None = None
        self.testing: Device | None = None  # the candidate device a setup test is running
        self._badges: dict[str, Callable[[], None]] = {}
        self._events: list[Any] = []

    # -- start and stop ----------------------------------------------------------------------

    def start(self) -> None:
        Window.bind(
            on_touch_down=self._corner_down, on_touch_move=self._corner_move, on_touch_up=self._corner_up
        )
        self._events = [
            Clock.schedule_interval(self._poll, POLL_S),
            Clock.schedule_interval(self._tick, TICK_S),
        ]
        for name, device in self.manager.devices().items():
            if device.kind == "badge":  # the app itself listens to the scanners
                self._listen(name, device)
        self.manager.on_change(
            lambda name, device: self.app.runner.post(lambda: self._replaced(name, device))
        )

    def stop(self) -> None:
        for event in self._events:
            event.cancel()
        self.services.logs.detach()

    @property
    def out_of_service(self) -> bool:
        return self.services.state.out_of_service

    @property
    def active(self) -> bool:
        return self.layer is not None and self.layer.parent is not None

    # -- unlocking ---------------------------------------------------------------------------

    def _corner_down(self, _window: Any, touch: Any) -> bool:
        if not self.active and self.pad_closed:
            self.hold.down(touch.x, touch.y, Window.width, Window.height)
        return False

    def _corner_move(self, _window: Any, touch: Any) -> bool:
        self.hold.move(touch.x, touch.y, Window.width, Window.height)
        return False

    def _corner_up(self, _window: Any, _touch: Any) -> bool:
        self.hold.up()
        return False

    def _poll(self, _dt: float) -> None:
        if self.hold.poll():
            self.open_pad()

    @property
    def pad_closed(self) -> bool:
        return self.pad is None or self.pad.parent is None

    def open_pad(self, holder: str = "") -> None:
        if self.pad is None:
            self.pad = importlib.import_module("kiosk.screens.admin_pin").OVERLAY(controller=self)
        self.pad.holder = holder
        if self.pad.parent is None:
            self.pad.reset()
            self.app.root_widget.add_widget(self.pad)
        self.pad.refresh()

    def close_pad(self) -> None:
        self.mode.cancel_pad()
        if self.pad is not None and self.pad.parent is not None:
            self.pad.reset()  # no digit of a PIN stays in memory
            self.pad.parent.remove_widget(self.pad)

    def enter_pin(self, pin: str) -> None:
        self.run(lambda: self.mode.enter_pin(pin), self._unlock_answer)

    def _badge_read(self, result: UnlockResult) -> None:
        if self.active:
            return  # staff already in; a card left on the reader changes nothing
        if result.outcome is Outcome.UNKNOWN_BADGE:
            if not self.pad_closed:
                self.pad.show_unknown_badge()
            return
        if result.outcome is Outcome.PIN_NEEDED:
            self.open_pad(result.badge_holder)
            return
        self._unlock_answer(result, None)

    def _unlock_answer(self, result: UnlockResult | None, error: BaseException | None) -> None:
        if result is None or result.outcome is not Outcome.UNLOCKED:
            if self.pad is not None:
                self.pad.answer(result, error)
            return
        self.close_pad()
        self._opened()

    def _opened(self) -> None:
        self.app.journey.end()  # staff never see what a guest left on screen
        prop = self.app.journey.property
        if prop is not None:
            self.services.staff.hotel_name = prop.name
            self.services.staff.tz = ZoneInfo(prop.timezone)
        if self.layer is None:
            self.layer = importlib.import_module("kiosk.screens.admin_layer").OVERLAY(controller=self)
        self.app.root_widget.add_widget(self.layer)
        self.layer.opened(self.mode.session)

    def lock(self) -> None:
        """Staff leave admin mode by hand. Off the UI thread: closing may restart a device a
        setup had stopped, which waits for it."""
        self.app.runner.run(lambda: self.mode.close("closed by staff"), _log_failure)

    def _closed(self, reason: str) -> None:
        log.info("admin mode closed (%s)", reason)
        self.setup = None
        if self.layer is not None and self.layer.parent is not None:
            self.layer.parent.remove_widget(self.layer)
            self.layer.closed()
        self.app.journey.end()
        self.app.render()  # out of service may have changed what guests see

    def _tick(self, _dt: float) -> None:
        if self.active:
            self.app.runner.run(self.mode.tick, _log_failure)  # an idle close may restart a device
            if self.layer is not None:
                self.layer.tick()
        elif not self.pad_closed:
            self.pad.tick()

    def activity(self) -> None:
        self.mode.touch()

    # -- devices -----------------------------------------------------------------------------

    def _listen(self, name: str, device: Device) -> None:
        if device.kind == "badge":
            self._badges[name] = listen_for_badges(
                device, self.mode, lambda r: self.app.runner.post(lambda: self._badge_read(r))
            )
        elif device.kind in SCANNING:
            device.subscribe(self.app._scanned)

    def _replaced(self, name: str, device: Device | None) -> None:
        """A technician's save restarted ``name``: the journey and the listeners use the new one."""
        stop = self._badges.pop(name, None)
        if stop is not None:
            stop()
        if device is None:
            return
        self._listen(name, device)
        journey = self.app.journey
        if device.kind == "payment":
            journey.terminal = device
        elif device.kind == "printer":
            journey.printer = device
        elif device.kind == "camera":
            self.app.camera = device

    # -- pages -------------------------------------------------------------------------------

    def run(self, work: Callable[[], T], done: Callable[[T | None, BaseException | None], None]) -> None:
        """``work`` on a worker thread, ``done`` on the Kivy thread; counts as activity."""
        self.mode.touch()
        self.app.runner.run(work, done)

    def begin_setup(self, name: str, kind: str, done: Callable[[BaseException | None], None]) -> None:
        def made(flow: SetupFlow | None, error: BaseException | None) -> None:
            self.setup = flow
            done(error)

        self.run(lambda: self.services.setup(name, kind), made)


def _log_failure(_result: object, error: BaseException | None) -> None:
    if error is not None:
        log.warning("admin mode: %s", error)
