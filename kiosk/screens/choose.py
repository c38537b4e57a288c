"""Several bookings matched, or one booking has several rooms: the guest picks theirs."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.i18n import short_date
from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen


class ChooseScreen(JourneyScreen):
    title = StringProperty("")
    line = StringProperty("")
    _shown_for: tuple[object, ...] = ()

    def refresh(self) -> None:
        j = self.journey
        title, line, params = j.choose_texts()
        self.title, self.line = tr._(title).format(**params), tr._(line)
        matches = tuple(j.session.matches) if j.session else ()
        if self._shown_for == (*matches, j.language):
            return
        self._shown_for = (*matches, j.language)
        box = self.ids.matches
        box.clear_widgets()
        for booking in matches:
            item: Any = Factory.BookingChoice()
            label, params = j.choice_title(booking)
            item.title = tr._(label).format(**params)
            item.detail = tr._("{arrival} to {departure} · {nights} nights · {adults} adults").format(
                arrival=short_date(booking.arrival, j.formats),
                departure=short_date(booking.departure, j.formats),
                nights=booking.nights,
                adults=booking.adults,
            )
            item.bind(on_press=lambda _w, b=booking: j.select(b))
            box.add_widget(item)

    def wipe(self) -> None:
        self.ids.matches.clear_widgets()
        self._shown_for = ()


SCREEN = ChooseScreen
ChooseScreen.load_kv(__file__)
