"""Before anything the kiosk cannot undo: the charge with its breakdown (or the deposit hold), or a
check-out before the booked departure. The guest confirms, or goes back and nothing happens."""

from __future__ import annotations

from datetime import date
from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from drivers.money import Money
from kiosk.i18n import money, short_date
from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen


class ConfirmRow(BoxLayout):
    label = StringProperty("")
    amount = StringProperty("")
    kind = StringProperty("item")  # item | total | paid | charge | note (kiosk/journey/confirm.py)


def shown(value: object, lang: str) -> str:
    """A parameter as the guest reads it: money and dates in their language's format."""
    if isinstance(value, Money):
        return money(value, lang)
    if isinstance(value, date):
        return short_date(value, lang)
    return str(value)


def filled(msgid: str, params: dict[str, Any], lang: str) -> str:
    return tr._(msgid).format(**{k: shown(v, lang) for k, v in params.items()})


class ConfirmScreen(JourneyScreen):
    title = StringProperty("")
    body = StringProperty("")
    confirm_text = StringProperty("")
    charge = BooleanProperty(True)
    _shown_for: tuple[object, ...] = ()

    def refresh(self) -> None:
        j = self.journey
        asked = j.confirmation()
        if asked is None or self._shown_for == (asked, j.language):
            return
        self._shown_for = (asked, j.language)
        lang = j.formats  # money and dates as the property writes them, as on every other screen
        self.charge = asked.kind == "charge"
        self.title = tr._(asked.title)
        self.body = filled(asked.body, asked.params, lang)
        self.confirm_text = filled(asked.confirm, asked.params, lang)
        for box in (self.ids.rows, self.ids.due):
            box.clear_widgets()
        for row in asked.rows:
            amount = money(row.amount, lang)
            # What the card terminal is about to do stays in sight below the bill, however long.
            box = self.ids.due if row.kind in ("charge", "note") else self.ids.rows
            box.add_widget(
                ConfirmRow(
                    label=filled(row.label, row.params, lang),
                    amount=f"- {amount}" if row.kind == "paid" else amount,
                    kind=row.kind,
                )
            )

    def on_kv_post(self, *_args: Any) -> None:
        for box in (self.ids.rows, self.ids.due):
            box.bind(minimum_height=box.setter("height"))

    def wipe(self) -> None:
        self._shown_for = ()
        for box in (self.ids.rows, self.ids.due):
            box.clear_widgets()


SCREEN = ConfirmScreen
ConfirmScreen.load_kv(__file__)
