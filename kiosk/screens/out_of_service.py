"""What guests see instead of the welcome while staff have taken the kiosk out of service."""

from __future__ import annotations

from kiosk.screens.base import JourneyScreen


class OutOfServiceScreen(JourneyScreen):
    pass


SCREEN = OutOfServiceScreen
OutOfServiceScreen.load_kv(__file__)
