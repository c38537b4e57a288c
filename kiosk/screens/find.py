"""Find the booking: scan the booking QR code or a passport, or choose to type the details."""

from __future__ import annotations

from kiosk.screens.base import JourneyScreen
from kiosk.screens.camera_view import PreviewScreen


class FindScreen(PreviewScreen, JourneyScreen):
    pass


SCREEN = FindScreen
FindScreen.load_kv(__file__)
