"""Prove who you are: scan the passport or ID card that matches the booking."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import JourneyScreen
from kiosk.screens.camera_view import PreviewScreen


class IdentityScreen(PreviewScreen, JourneyScreen):
    booking = StringProperty("")
    optional = BooleanProperty(False)

    def refresh(self) -> None:
        j = self.journey
        b = j.session.booking if j.session else None
        self.booking = f"{b.guest.given_names} {b.guest.surname} · {b.confirmation_code}".strip() if b else ""
        self.optional = j.settings.identity == "optional"


SCREEN = IdentityScreen
IdentityScreen.load_kv(__file__)
