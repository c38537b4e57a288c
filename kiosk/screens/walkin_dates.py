"""Walk-in: the stay starts tonight; the guest sets how many nights."""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty

from kiosk.i18n import long_date
from kiosk.journey.walkin import NIGHTS
from kiosk.screens import stepper  # noqa: F401 - the stepper's kv rules
from kiosk.screens.base import JourneyScreen


class WalkInDatesScreen(JourneyScreen):
    nights = NumericProperty(1)
    arrival = StringProperty("")
    departure = StringProperty("")
    lower, upper = NIGHTS

    def refresh(self) -> None:
        j = self.journey
        if j.walk_in is None:
            return
        self.nights = j.walk_in.nights
        self.arrival = long_date(j.business_date(), j.formats)
        self.departure = long_date(j.walk_in_departure(), j.formats)


SCREEN = WalkInDatesScreen
WalkInDatesScreen.load_kv(__file__)
