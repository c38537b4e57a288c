"""Prove who you are: scan the passport or ID card that matches the booking."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.i18n.live import tr
from kiosk.journey import identity
from kiosk.screens.base import JourneyScreen
from kiosk.screens.camera_view import PreviewScreen


class IdentityScreen(PreviewScreen, JourneyScreen):
    booking = StringProperty("")
    optional = BooleanProperty(False)
    walk_in = BooleanProperty(False)  # no booking to match yet: the document names the guest
    typed = BooleanProperty(False)  # a walk-in may type their name instead of showing a document

    def refresh(self) -> None:
        j = self.journey
        b = j.session.booking if j.session else None
        self.booking = identity.masked_name(b.guest) if b else ""
        w = j.walk_in
        self.walk_in = w is not None
        self.typed = w is not None and j.walk_in_may_type
        if w is not None and w.offer is not None:
            self.booking = tr._("{room_type} · {nights} nights").format(
                room_type=w.offer.room_type.name, nights=w.nights
            )
        self.optional = j.settings.identity == "optional" and not self.walk_in


SCREEN = IdentityScreen
IdentityScreen.load_kv(__file__)
