"""After a while without a touch: "Are you still there?" with a countdown to the wipe."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import NumericProperty, StringProperty

from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen, ModalLayer


class StillThereOverlay(ModalLayer):
    seconds = NumericProperty(0)
    fraction = NumericProperty(1.0)
    text = StringProperty("")

    def outside_touch(self) -> None:
        App.get_running_app().journey.still_here()

    def refresh(self) -> None:
        j = App.get_running_app().journey
        self.seconds = j.seconds_left()
        self.fraction = self.seconds / j.settings.still_there_s
        self.text = tr._("For your privacy, we will clear the screen in {seconds} seconds.").format(
            seconds=self.seconds
        )


OVERLAY = StillThereOverlay
JourneyScreen.load_kv(__file__)
