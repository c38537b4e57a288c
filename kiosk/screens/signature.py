"""Sign the registration card with a finger; the signature is kept as a PNG with the session."""

from __future__ import annotations

import io
from typing import Any

from kivy.graphics import Color, Line
from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen


class SignaturePad(Widget):
    signed = BooleanProperty(False)

    def on_touch_down(self, touch: Any) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        touch.grab(self)
        with self.canvas:
            Color(0.08, 0.12, 0.2, 1)
            touch.ud["line"] = Line(points=[*touch.pos], width=dp(2.6), cap="round", joint="round")
        return True

    def on_touch_move(self, touch: Any) -> bool:
        if touch.grab_current is not self or "line" not in touch.ud:
            return False
        x = min(max(touch.x, self.x), self.right)
        y = min(max(touch.y, self.y), self.top)
        touch.ud["line"].points += [x, y]
        if len(touch.ud["line"].points) > 8:
            self.signed = True
        return True

    def on_touch_up(self, touch: Any) -> bool:
        if touch.grab_current is self:
            touch.ungrab(self)
            return True
        return False

    def clear(self) -> None:
        self.canvas.clear()
        self.signed = False

    def png(self) -> bytes | None:
        if not self.signed:
            return None
        out = io.BytesIO()
        self.export_as_image().save(out, fmt="png")
        return out.getvalue()


class SignatureScreen(JourneyScreen):
    error = StringProperty("")
    signed = BooleanProperty(False)

    def refresh(self) -> None:
        self.error = tr._(self.journey.field_error)

    def submit(self) -> None:
        self.journey.submit_signature(self.ids.pad.png())

    def wipe(self) -> None:
        self.ids.pad.clear()


SCREEN = SignatureScreen
SignatureScreen.load_kv(__file__)
