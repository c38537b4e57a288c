"""Something is being done for the guest: say what, and show that it is moving."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen


class WaitScreen(JourneyScreen):
    text = StringProperty("")

    def refresh(self) -> None:
        self.text = tr._(self.journey.wait_text)
        self.ids.spinner.start()

    def on_leave(self, *_args: Any) -> None:
        self.ids.spinner.stop()


SCREEN = WaitScreen
WaitScreen.load_kv(__file__)
