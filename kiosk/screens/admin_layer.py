"""The frame of admin mode over the guest screens: who is signed in, language, Lock, the idle
countdown, a tab per page (the technician's pages only for technicians), and the pages."""

from __future__ import annotations

import importlib
from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition

from kiosk.admin.unlock import AdminSession
from kiosk.i18n import N_
from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen, ModalLayer

# Page module, tab label, role needed.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("admin_status", N_("Status"), "staff"),
    ("admin_payments", N_("Payments"), "staff"),
    ("admin_day", N_("End of day"), "staff"),
    ("admin_devices", N_("Devices"), "technician"),
    ("admin_logs", N_("Logs"), "technician"),
    ("admin_diagnostics", N_("Diagnostics"), "technician"),
)
ROLE_TITLES = {"staff": N_("Staff mode"), "technician": N_("Technician mode")}


def widget(rule: str, **values: Any) -> Any:
    """A widget of a kv dynamic class (whose own properties kv will not take as arguments)."""
    made = getattr(Factory, rule)()
    for name, value in values.items():
        setattr(made, name, value)
    return made


def minutes(seconds: float) -> str:
    s = max(0, int(seconds + 0.999))
    return f"{s // 60}:{s % 60:02d}"


class AdminPage(JourneyScreen):
    """One admin page; its .kv is beside it, loaded on first use. ``refresh`` runs on entering."""

    @property
    def ctl(self) -> Any:
        return App.get_running_app().admin

    def refresh(self) -> None:
        """Load what the page shows (through ``ctl.run``: never on the UI thread)."""


class AdminLayer(ModalLayer):
    controller = ObjectProperty(None)
    title = StringProperty("")
    who = StringProperty("")
    idle = StringProperty("")
    technician = BooleanProperty(False)
    page = StringProperty("")
    compact = BooleanProperty(False)  # the tabs make way for the on-screen keyboard

    def on_kv_post(self, _base: Any) -> None:
        self.ids.pages.transition = NoTransition()
        # ids are weak proxies: hold the widget itself, or it is collected while out of the tree.
        self._tabs = self.ids.tabs.__self__
        self._frame = self._tabs.parent
        App.get_running_app().bind(lang=lambda *_a: self.relabel() if self.parent else None)

    def on_compact(self, _layer: object, compact: bool) -> None:
        tabs = self._tabs
        if compact and tabs.parent is not None:
            tabs.parent.remove_widget(tabs)
        elif not compact and tabs.parent is None:
            self._frame.add_widget(tabs, index=len(self._frame.children) - 1)

    def on_touch_down(self, touch: Any) -> bool:
        self.controller.activity()
        return super().on_touch_down(touch)

    def opened(self, session: AdminSession) -> None:
        self.role = session.role
        self.technician = session.permits("technician")
        self.who = session.actor if session.actor not in ROLE_TITLES else ""
        self._titles()
        tabs = self.ids.tabs
        tabs.clear_widgets()
        for module, label, role in PAGES:
            if session.permits(role):  # type: ignore[arg-type]
                tab = widget("AdminTab", text=tr._(label), msgid=label, module=module)
                tab.bind(on_press=lambda t: self.go(t.module))
                tabs.add_widget(tab)
        self.tick()
        self.go("admin_status")

    def _titles(self) -> None:
        self.title = tr._(ROLE_TITLES[self.role])

    def relabel(self) -> None:
        """The language changed: tab labels are set from Python, so set them again."""
        self._titles()
        for tab in self.ids.tabs.children:
            tab.text = tr._(tab.msgid)
        self.tick()
        current = self.ids.pages.current_screen
        if current is not None:
            if hasattr(current, "say"):
                current.say("")  # said in the other language
            current.refresh()

    def page_widget(self, module: str) -> AdminPage:
        pages = self.ids.pages
        if not pages.has_screen(module):
            pages.add_widget(importlib.import_module(f"kiosk.screens.{module}").SCREEN(name=module))
        return pages.get_screen(module)

    def go(self, module: str) -> None:
        page = self.page_widget(module)
        self.ids.pages.current = module
        self.page = module
        for tab in self.ids.tabs.children:
            tab.selected = tab.module == module or (tab.module == "admin_devices" and module == "admin_setup")
        page.refresh()

    def tick(self) -> None:
        left = self.controller.mode.idle_remaining()
        self.idle = tr._("Closes by itself in {time} if nobody touches it").format(time=minutes(left))

    def closed(self) -> None:
        self.compact = False
        for page in self.ids.pages.screens:
            wipe = getattr(page, "wipe", None)
            if wipe is not None:
                wipe()


OVERLAY = AdminLayer
JourneyScreen.load_kv(__file__)
