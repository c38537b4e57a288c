"""Walk-in without a scanned document: the guest types their name on the on-screen keyboard."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.i18n.live import tr
from kiosk.screens import keyboard  # noqa: F401 - the keyboard's kv rules
from kiosk.screens.base import JourneyScreen


class WalkInDetailsScreen(JourneyScreen):
    error = StringProperty("")

    def on_enter(self, *_args: Any) -> None:
        ids = self.ids
        ids.kb.use(ids.given if ids.surname.text and not ids.given.text else ids.surname)

    def refresh(self) -> None:
        self.error = tr._(self.journey.field_error)

    def submit(self) -> None:
        self.journey.submit_details(self.ids.surname.text, self.ids.given.text)

    def wipe(self) -> None:
        self.ids.surname.text = self.ids.given.text = ""


SCREEN = WalkInDetailsScreen
WalkInDetailsScreen.load_kv(__file__)
