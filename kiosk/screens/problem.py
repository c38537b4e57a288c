"""Something went wrong: a short message in the guest's language and the ways forward."""

from __future__ import annotations

from datetime import date
from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty

from drivers.money import Money
from kiosk.i18n import long_date, money
from kiosk.i18n.live import tr
from kiosk.journey.checkin import ACTION_LABELS, Action
from kiosk.screens.base import JourneyScreen

ICONS = {Action.STAFF: "help", Action.OTHER_WAY: "keyboard", Action.OTHER_CARD: "card"}


class ProblemScreen(JourneyScreen):
    title = StringProperty("")
    body = StringProperty("")
    _shown_for: tuple[object, str] | None = None

    def refresh(self) -> None:
        j = self.journey
        problem = j.problem
        if problem is None or self._shown_for == (problem, j.language):
            return
        self._shown_for = (problem, j.language)
        params = {k: _shown(v, j.formats) for k, v in problem.params.items()}
        self.title = tr._(problem.title)
        self.body = tr._(problem.body).format(**params)
        box = self.ids.actions
        box.clear_widgets()
        for i, action in enumerate(problem.actions):
            button: Any = Factory.KButton(
                text=tr._(ACTION_LABELS[action]),
                kind="primary" if i == 0 else "secondary",
                icon=ICONS.get(action, ""),
            )
            button.action = action.value
            button.bind(on_press=lambda _b, a=action: j.act(a))
            box.add_widget(button)


def _shown(value: object, lang: str) -> object:
    if isinstance(value, Money):
        return money(value, lang)
    if isinstance(value, date):
        return long_date(value, lang)
    return value


SCREEN = ProblemScreen
ProblemScreen.load_kv(__file__)
