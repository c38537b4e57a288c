"""Type the surname and pick the arrival date (today, or yesterday for a guest after midnight)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kivy.properties import ListProperty, ObjectProperty, StringProperty

from kiosk.i18n import short_date
from kiosk.i18n.live import tr
from kiosk.journey.checkin import default_arrivals
from kiosk.screens import keyboard  # noqa: F401 - the keyboard's kv rules
from kiosk.screens.base import JourneyScreen


class EnterNameScreen(JourneyScreen):
    error = StringProperty("")
    dates = ListProperty([])  # [(date, label)]
    chosen: Any = ObjectProperty(None, allownone=True)

    def on_enter(self, *_args: Any) -> None:
        self.ids.kb.use(self.ids.surname)

    def refresh(self) -> None:
        j = self.journey
        self.error = tr._(j.field_error)
        days = default_arrivals(j.business_date())
        if self.chosen not in days:
            self.chosen = days[0]
        labels = (tr._("Today"), tr._("Yesterday"))
        self.dates = [
            (d, f"{label}\n{short_date(d, j.formats)}") for d, label in zip(days, labels, strict=True)
        ]

    def choose(self, day: date) -> None:
        self.chosen = day

    def submit(self) -> None:
        self.journey.submit_name(self.ids.surname.text, self.chosen)

    def wipe(self) -> None:
        self.ids.surname.text = ""
        self.chosen = None


SCREEN = EnterNameScreen
EnterNameScreen.load_kv(__file__)
