"""Type the confirmation code and surname on the on-screen keyboard."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.i18n.live import tr
from kiosk.screens import keyboard  # noqa: F401 - the keyboard's kv rules
from kiosk.screens.base import JourneyScreen


class EnterCodeScreen(JourneyScreen):
    error = StringProperty("")

    def on_enter(self, *_args: Any) -> None:
        ids = self.ids
        ids.kb.use(ids.surname if ids.code.text and not ids.surname.text else ids.code)

    def refresh(self) -> None:
        self.error = tr._(self.journey.field_error)

    def submit(self) -> None:
        self.journey.submit_code(self.ids.code.text, self.ids.surname.text)

    def wipe(self) -> None:
        self.ids.code.text = self.ids.surname.text = ""


SCREEN = EnterCodeScreen
EnterCodeScreen.load_kv(__file__)
