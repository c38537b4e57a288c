"""An ID card without machine-readable lines: a photo for the front desk to check later."""

from __future__ import annotations

from kiosk.screens.base import JourneyScreen


class IdPhotoScreen(JourneyScreen):
    pass


SCREEN = IdPhotoScreen
IdPhotoScreen.load_kv(__file__)
