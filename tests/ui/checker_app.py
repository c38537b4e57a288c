"""Known layout faults, built on purpose, for the layout checker to find (and a scroll view whose
content is meant to go past its edge, which it must not report).

Run by tests/ui/test_layout_check.py in its own process (Kivy runs one app per process).
Usage: python tests/ui/checker_app.py REPORT.json
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("KIVY_NO_ARGS", "1")

from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.app import App  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.lang import Builder  # noqa: E402
from layout_check import check  # noqa: E402

FAULTS = """
# One layer (as the kiosk's chrome is): what overlaps in it is a fault.
FloatLayout:
    FloatLayout:
        Label:
            id: title
            text: "Payment"
            font_size: 40
            pos: 100, 600
            size: 300, 60
            size_hint: None, None
        Label:
            id: amount
            text: "IDR 3,251,875"
            font_size: 72
            pos: 100, 560
            size: 300, 60
            size_hint: None, None
        Label:
            id: welcome
            text: "Welcome"
            font_size: 64
            text_size: self.width, None
            pos: 100, 300
            size: 120, 200
            size_hint: None, None
        Button:
            id: tiny
            text: "x"
            pos: 700, 100
            size: 30, 30
            size_hint: None, None
        BoxLayout:
            pos: 700, 300
            size: 200, 50
            size_hint: None, None
            Label:
                id: shortened
                text: "Hotel Sambut Jakarta Selatan"
                text_size: self.size
                shorten: True
        ScrollView:
            id: scroll
            do_scroll_x: False
            pos: 900, 100
            size: 300, 200
            size_hint: None, None
            Label:
                id: long
                text: "A long bill. " * 60
                text_size: self.width, None
                size_hint_y: None
                height: self.texture_size[1]
"""


class Faults(App):
    def build(self):
        Clock.schedule_once(self.look, 1.0)
        return Builder.load_string(FAULTS)

    def look(self, _dt):
        Path(sys.argv[1]).write_text(json.dumps([str(f) for f in check(self.root)]), encoding="utf-8")
        self.stop()


if __name__ == "__main__":
    Faults().run()
