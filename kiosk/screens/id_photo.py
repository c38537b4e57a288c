"""An ID card without machine-readable lines: a photo for the front desk to check later."""

from __future__ import annotations

from kiosk.screens.base import JourneyScreen
from kiosk.screens.camera_view import PreviewScreen


class IdPhotoScreen(PreviewScreen, JourneyScreen):
    pass


SCREEN = IdPhotoScreen
IdPhotoScreen.load_kv(__file__)
