"""The welcome screen: the hotel's welcome in each language in turn, and "Check in"."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.i18n import N_, translate
from kiosk.screens.base import JourneyScreen

WELCOME = N_("Welcome")
LOOP_S = 4.0


class AttractScreen(JourneyScreen):
    welcome = StringProperty("")
    hotel = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._turn = 0
        self._loop: Any = None

    def on_enter(self, *_args: Any) -> None:
        self._loop = Clock.schedule_interval(self._next, LOOP_S)

    def on_leave(self, *_args: Any) -> None:
        if self._loop is not None:
            self._loop.cancel()

    def _next(self, _dt: float) -> None:
        self._turn += 1
        self.refresh()

    def refresh(self) -> None:
        languages = self.journey.languages
        lang = languages[self._turn % len(languages)]
        custom = App.get_running_app().settings.branding.welcome
        self.welcome = custom.get(lang) or translate(lang, WELCOME)
        prop = self.journey.property
        self.hotel = prop.name if prop else ""


SCREEN = AttractScreen
AttractScreen.load_kv(__file__)
