"""Walk-in: one room type and its price for the stay, line by line as the server priced it."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.i18n import money, short_date
from kiosk.i18n.live import tr
from kiosk.journey.walkin import quote_lines
from kiosk.screens.base import JourneyScreen
from kiosk.screens.walkin_rooms import facts, photo


class WalkInQuoteScreen(JourneyScreen):
    name_text = StringProperty("")
    description = StringProperty("")
    facts = StringProperty("")
    photo = StringProperty("")
    _shown_for: tuple[object, ...] = ()

    def refresh(self) -> None:
        j = self.journey
        w = j.walk_in
        if w is None or w.offer is None:
            return
        offer = w.offer
        room_type = offer.room_type
        self.name_text = room_type.name
        self.description = room_type.description
        self.facts = facts(room_type)
        self.photo = photo(room_type)
        if self._shown_for == (offer, j.language):
            return
        self._shown_for = (offer, j.language)
        grid = self.ids.lines
        grid.clear_widgets()
        for line in quote_lines(offer):
            params = {k: short_date(v, j.formats) for k, v in line.params.items()}
            row: Any = Factory.QuoteRow()
            row.total = line.total
            row.label = tr._(line.label).format(**params)
            row.amount = money(line.amount, j.formats)
            grid.add_widget(row)

    def wipe(self) -> None:
        self.ids.lines.clear_widgets()
        self._shown_for = ()


SCREEN = WalkInQuoteScreen
WalkInQuoteScreen.load_kv(__file__)
