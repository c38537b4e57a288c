"""Check-out: type the room number and surname on the on-screen keyboard."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.i18n.live import tr
from kiosk.screens import keyboard  # noqa: F401 - the keyboard's kv rules
from kiosk.screens.base import JourneyScreen


class CheckoutEnterScreen(JourneyScreen):
    error = StringProperty("")

    def on_enter(self, *_args: Any) -> None:
        ids = self.ids
        ids.kb.use(ids.surname if ids.room.text and not ids.surname.text else ids.room)

    def refresh(self) -> None:
        self.error = tr._(self.journey.field_error)

    def submit(self) -> None:
        self.journey.submit_room(self.ids.room.text, self.ids.surname.text)

    def wipe(self) -> None:
        self.ids.room.text = self.ids.surname.text = ""


SCREEN = CheckoutEnterScreen
CheckoutEnterScreen.load_kv(__file__)
