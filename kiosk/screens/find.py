"""Find the booking: scan the booking QR code or a passport, or choose to type the details."""

from __future__ import annotations

from kiosk.screens.base import JourneyScreen


class FindScreen(JourneyScreen):
    pass


SCREEN = FindScreen
FindScreen.load_kv(__file__)
