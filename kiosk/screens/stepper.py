"""A number the guest sets with big minus and plus buttons (nights, adults, children)."""

from __future__ import annotations

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.screens.base import HERE

Builder.load_file(str(HERE / "stepper.kv"))


class Stepper(BoxLayout):
    """Shows ``value`` between ``lower`` and ``upper``; a press fires ``on_step(+1 | -1)``: the
    journey decides and the screen shows its answer."""

    label = StringProperty("")
    detail = StringProperty("")
    value = NumericProperty(0)
    lower = NumericProperty(0)
    upper = NumericProperty(99)

    __events__ = ("on_step",)

    def on_step(self, delta: int) -> None:
        pass
