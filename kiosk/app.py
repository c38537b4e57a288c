"""The kiosk application: for now one screen that shows whether it reached the front office."""

from __future__ import annotations

import threading
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.config import KioskSettings
from kiosk.serverapi import ServerClient, ServerError

RETRY_S = 5.0

Builder.load_string(
    """
<StatusScreen>:
    orientation: "vertical"
    padding: dp(48)
    spacing: dp(16)
    canvas.before:
        Color:
            rgba: 0.98, 0.97, 0.95, 1
        Rectangle:
            pos: self.pos
            size: self.size
    Label:
        text: "Sambut"
        font_size: sp(64)
        bold: True
        color: 0.12, 0.25, 0.35, 1
    Label:
        text: root.title
        font_size: sp(32)
        color: 0.15, 0.15, 0.15, 1
    Label:
        text: root.detail
        font_size: sp(20)
        color: 0.35, 0.35, 0.35, 1
        text_size: self.width, None
        halign: "center"
"""
)


class StatusScreen(BoxLayout):
    title = StringProperty("Connecting to the front office…")
    detail = StringProperty("")


class KioskApp(App):
    def __init__(self, settings: KioskSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.client = ServerClient(settings)
        self.status = StatusScreen()
        self.connected = threading.Event()
        self.settled = threading.Event()  # the first answer (or failure) is on screen
        self.title = f"Sambut kiosk — {settings.kiosk.name}"

    def build(self) -> StatusScreen:
        Window.clearcolor = (0.98, 0.97, 0.95, 1)
        Clock.schedule_once(lambda _dt: self._check_server(), 0)
        return self.status

    def _check_server(self) -> None:
        # Network I/O off the UI thread; the answer comes back through the Clock.
        threading.Thread(target=self._ask_server, name="whoami", daemon=True).start()

    def _ask_server(self) -> None:
        try:
            me = self.client.whoami()
        except ServerError as exc:
            error = exc
            Clock.schedule_once(lambda _dt: self._show_offline(error), 0)
            return
        Clock.schedule_once(lambda _dt: self._show_connected(me), 0)

    def _show_connected(self, me: dict[str, Any]) -> None:
        prop = me["property"]
        self.status.title = prop["name"]
        self.status.detail = (
            f"Kiosk {me['name']} is connected to the front office at {self.client.base_url}.\n"
            f"Business date {prop['business_date']} · {prop['timezone']} · {prop['currency']}"
        )
        self.connected.set()
        self.settled.set()

    def _show_offline(self, error: ServerError) -> None:
        self.status.title = "The front office cannot be reached"
        self.status.detail = f"{error} — trying again in {RETRY_S:.0f} s"
        self.settled.set()
        Clock.schedule_once(lambda _dt: self._check_server(), RETRY_S)

    def on_stop(self) -> None:
        self.client.close()
