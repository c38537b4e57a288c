"""Check-out: scan the QR code on the check-in receipt, or choose to type the room and surname."""

from __future__ import annotations

from kiosk.screens.base import JourneyScreen
from kiosk.screens.camera_view import PreviewScreen


class CheckoutFindScreen(PreviewScreen, JourneyScreen):
    pass


SCREEN = CheckoutFindScreen
CheckoutFindScreen.load_kv(__file__)
