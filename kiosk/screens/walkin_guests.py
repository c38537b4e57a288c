"""Walk-in: how many adults and children stay."""

from __future__ import annotations

from kivy.properties import NumericProperty

from kiosk.journey.walkin import ADULTS, CHILDREN
from kiosk.screens import stepper  # noqa: F401 - the stepper's kv rules
from kiosk.screens.base import JourneyScreen


class WalkInGuestsScreen(JourneyScreen):
    adult_count = NumericProperty(1)
    child_count = NumericProperty(0)  # not "children": every widget has those
    adult_limits = ADULTS
    child_limits = CHILDREN

    def refresh(self) -> None:
        w = self.journey.walk_in
        if w is not None:
            self.adult_count, self.child_count = w.adults, w.children


SCREEN = WalkInGuestsScreen
WalkInGuestsScreen.load_kv(__file__)
