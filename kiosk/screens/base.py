"""What every screen shares: the look (fonts, colours from branding), buttons, fields, icons, a
spinner, and ``JourneyScreen``, which loads its own .kv the first time it is used.

A screen renders the journey (``refresh``) and forwards touches to it; it never decides anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.core.text.text_sdl2 import LabelSDL2
from kivy.graphics import Color, Ellipse, Line, Rectangle
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import ColorProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget
from PIL import Image as PILImage
from PIL import ImageDraw

from kiosk.config import ROOT, BrandingSection

HERE = Path(__file__).resolve().parent
FIELD_IMAGE, FIELD_RADIUS = 48, 12
FONTS = ROOT / "assets" / "fonts"


def setup_text() -> None:
    """Noto Sans everywhere (Latin, Indonesian and Vietnamese accents in one family), and each
    text's pixels kept once, in its texture.

    Kivy's SDL2 text provider keeps the surface it drew a label into for as long as the label
    lives (its pygame provider drops it): a second copy of every text on every screen built,
    about 8 MB after a check-in. The texture is filled from that surface and a redraw makes a
    new one, so nothing needs it afterwards.
    """
    LabelBase.register(
        DEFAULT_FONT,
        fn_regular=str(FONTS / "NotoSans-Regular.ttf"),
        fn_bold=str(FONTS / "NotoSans-Bold.ttf"),
        fn_italic=str(FONTS / "NotoSans-Italic.ttf"),
        fn_bolditalic=str(FONTS / "NotoSans-BoldItalic.ttf"),
    )
    render_end = LabelSDL2._render_end
    if render_end.__name__ != "_render_end_once":  # once per process: tests build the app again

        def _render_end_once(label: LabelSDL2) -> Any:
            try:
                return render_end(label)
            finally:
                label._surface = None

        LabelSDL2._render_end = _render_end_once


def hex_rgba(value: str, alpha: float = 1.0) -> list[float]:
    return [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)] + [alpha]


def mix(a: list[float], b: list[float], t: float) -> list[float]:
    return [x + (y - x) * t for x, y in zip(a, b, strict=True)]


class Theme:
    """Colours as RGBA lists for kv, derived from the property's three branding colours."""

    def __init__(self, branding: BrandingSection) -> None:
        white = [1.0, 1.0, 1.0, 1.0]
        self.primary = hex_rgba(branding.primary)
        self.primary_dark = mix(self.primary, [0, 0, 0, 1], 0.25)
        self.primary_soft = mix(self.primary, white, 0.88)
        self.ink = hex_rgba(branding.ink)
        self.muted = mix(self.ink, white, 0.38)
        self.background = hex_rgba(branding.background)
        self.surface = white
        self.line = mix(self.ink, white, 0.82)
        self.danger = hex_rgba("#b3261e")
        self.danger_soft = hex_rgba("#fbe9e7")
        self.on_primary = white
        self.logo = str(ROOT / branding.logo) if branding.logo else ""
        self.hero = str(ROOT / branding.hero_image) if branding.hero_image else ""
        self.field_normal = _field_image(self.line, 2, "normal")
        self.field_active = _field_image(self.primary, 4, "active")


def _field_image(ring: list[float], width: int, name: str) -> str:
    """A rounded text-field background for TextInput's own 9-slice drawing (under its cursor and
    text), in the branding's colours."""
    rgb = tuple(round(c * 255) for c in ring[:3])
    path = ROOT / "var" / "theme" / f"field-{name}-{''.join(f'{c:02x}' for c in rgb)}.png"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        scale = 4  # drawn large and scaled down, for smooth corners
        image = PILImage.new("RGBA", (FIELD_IMAGE * scale, FIELD_IMAGE * scale), (0, 0, 0, 0))
        ImageDraw.Draw(image).rounded_rectangle(
            (0, 0, FIELD_IMAGE * scale - 1, FIELD_IMAGE * scale - 1),
            radius=FIELD_RADIUS * scale,
            fill=(255, 255, 255, 255),
            outline=(*rgb, 255),
            width=width * scale,
        )
        image.resize((FIELD_IMAGE, FIELD_IMAGE), PILImage.Resampling.LANCZOS).save(path)
    return str(path)


class FitLabel(Label):
    """A label whose font shrinks to fit: from the ``font_size`` its kv rule gives down to
    ``font_min`` of it, until no word is wider than its room (``fit_width``, else its
    ``text_size`` width, else its width), a one-line label is no wider than that, and a label of
    fixed height holds all its lines. A one-line label that still does not fit at the smallest
    font wraps at ``fit_width``. For titles, names and amounts whose length depends on the
    language, the data and the screen."""

    fit_width = NumericProperty(0)
    font_min = NumericProperty(0.6)  # of the font size asked for

    def __init__(self, **kwargs: Any) -> None:
        self._asked = 0.0
        self._fitting = False
        self._fitted: tuple[Any, ...] = ()
        self._refit = Clock.create_trigger(self._fit, -1)
        super().__init__(**kwargs)
        self.bind(width=self._refit, height=self._refit, text=self._refit, fit_width=self._refit)
        self._refit()

    def on_font_size(self, _label: Any, value: float) -> None:
        if not self._fitting:  # asked for by the kv rule (again): fit from there
            self._asked = value
            self._fitted = ()
            self._refit()

    def _room(self) -> float:
        return self.fit_width or self.text_size[0] or self.width

    def _fit(self, *_args: Any) -> None:
        fixed = self.size_hint_y is not None
        key = (self._room(), self.height if fixed else None, self.text, self._asked)
        if key == self._fitted or self._room() <= 0 or not self._asked:
            return
        self._fitting = True
        try:
            if self.fit_width and self.text_size[0] is not None:
                self.text_size = (None, None)  # one line first, wrapped only if nothing else fits
            size, smallest = self._asked, self._asked * self.font_min
            while True:
                self.font_size = size
                self.texture_update()
                if self._fits(fixed) or size <= smallest:
                    break
                size = max(smallest, size - dp(2))
            if self.fit_width and not self._fits(fixed):
                self.text_size = (self._room(), None)
                self.texture_update()
        finally:
            self._fitting = False
        self._fitted = key

    def _fits(self, fixed: bool) -> bool:
        room = self._room()
        core = self._label
        if any(core.get_extents(word)[0] > room for word in self.text.split()):
            return False
        if self.text_size[0] is None and self.texture_size[0] > room:
            return False
        if self.text_size[1] is not None:  # a fixed box: lines that do not fit are dropped or spill
            lines = core._cached_lines
            shown = "".join(word.text for line in lines for word in line.words)
            tall = sum(line.h for line in lines) > self.text_size[1] + 1
            return not tall and "".join(shown.split()) == "".join(self.text.split())
        return not fixed or self.texture_size[1] <= self.height


class KButton(ButtonBehavior, BoxLayout):
    """A finger-sized button: ``kind`` is primary (the main action), secondary or quiet."""

    text = StringProperty("")
    icon = StringProperty("")
    kind = StringProperty("secondary")
    font_size = NumericProperty(dp(24))


class Icon(Widget):
    """Simple line icons drawn on the canvas, so they scale crisply to any screen."""

    name = StringProperty("")
    color = ColorProperty([0, 0, 0, 1])
    line_width = NumericProperty(dp(2.5))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, name=self._draw, color=self._draw)

    def _draw(self, *_args: Any) -> None:
        self.canvas.clear()
        s = min(self.width, self.height)
        if s <= 0 or not self.name:
            return
        x0, y0 = self.center_x - s / 2, self.center_y - s / 2
        w = self.line_width

        def p(*pts: float) -> list[float]:
            return [v * s + (x0 if i % 2 == 0 else y0) for i, v in enumerate(pts)]

        with self.canvas:
            Color(*self.color)
            draw = getattr(self, f"_icon_{self.name}", None)
            if draw is not None:
                draw(p, s, w)

    @staticmethod
    def _icon_qr(p: Any, s: float, w: float) -> None:
        for x, y in ((0.1, 0.6), (0.6, 0.6), (0.1, 0.1)):
            Line(points=p(x, y, x + 0.3, y, x + 0.3, y + 0.3, x, y + 0.3), close=True, width=w)
            pos = p(x + 0.1, y + 0.1)
            Rectangle(pos=pos, size=(0.1 * s, 0.1 * s))
        for x, y in ((0.6, 0.1), (0.8, 0.3), (0.6, 0.4), (0.8, 0.1), (0.45, 0.45)):
            Rectangle(pos=p(x, y), size=(0.1 * s, 0.1 * s))

    @staticmethod
    def _icon_id(p: Any, s: float, w: float) -> None:
        Line(rounded_rectangle=(*p(0.05, 0.2), 0.9 * s, 0.6 * s, 0.06 * s), width=w)
        Line(circle=(*p(0.3, 0.55), 0.1 * s), width=w)
        Line(points=p(0.17, 0.32, 0.43, 0.32), width=w)
        for y in (0.6, 0.48, 0.36):
            Line(points=p(0.55, y, 0.85, y), width=w)

    @staticmethod
    def _icon_keyboard(p: Any, s: float, w: float) -> None:
        Line(rounded_rectangle=(*p(0.05, 0.22), 0.9 * s, 0.56 * s, 0.06 * s), width=w)
        for y in (0.6, 0.46):
            for i in range(6):
                Rectangle(pos=p(0.14 + i * 0.125, y), size=(0.07 * s, 0.07 * s))
        Line(points=p(0.28, 0.34, 0.72, 0.34), width=w)

    @staticmethod
    def _icon_calendar(p: Any, s: float, w: float) -> None:
        Line(rounded_rectangle=(*p(0.1, 0.1), 0.8 * s, 0.72 * s, 0.05 * s), width=w)
        Line(points=p(0.1, 0.62, 0.9, 0.62), width=w)
        for x in (0.3, 0.7):
            Line(points=p(x, 0.74, x, 0.92), width=w)
        for i in range(3):
            for j in range(2):
                Rectangle(pos=p(0.22 + i * 0.22, 0.2 + j * 0.18), size=(0.1 * s, 0.1 * s))

    @staticmethod
    def _icon_help(p: Any, s: float, w: float) -> None:
        Line(circle=(*p(0.5, 0.5), 0.42 * s), width=w)
        Line(bezier=p(0.36, 0.62, 0.38, 0.8, 0.64, 0.8, 0.62, 0.6), width=w)
        Line(points=p(0.62, 0.6, 0.5, 0.5, 0.5, 0.38), width=w)
        Ellipse(pos=p(0.45, 0.2), size=(0.1 * s, 0.1 * s))

    @staticmethod
    def _icon_back(p: Any, s: float, w: float) -> None:
        Line(points=p(0.55, 0.2, 0.25, 0.5, 0.55, 0.8), width=w * 1.3, cap="round", joint="round")
        Line(points=p(0.25, 0.5, 0.85, 0.5), width=w * 1.3, cap="round")

    @staticmethod
    def _icon_check(p: Any, s: float, w: float) -> None:
        Line(points=p(0.18, 0.5, 0.42, 0.26, 0.84, 0.72), width=w * 1.6, cap="round", joint="round")

    @staticmethod
    def _icon_card(p: Any, s: float, w: float) -> None:
        Line(rounded_rectangle=(*p(0.05, 0.2), 0.9 * s, 0.6 * s, 0.06 * s), width=w)
        Rectangle(pos=p(0.05, 0.56), size=(0.9 * s, 0.1 * s))
        Line(points=p(0.15, 0.34, 0.4, 0.34), width=w)

    @staticmethod
    def _icon_room(p: Any, s: float, w: float) -> None:
        Line(points=p(0.2, 0.08, 0.2, 0.92, 0.8, 0.92, 0.8, 0.08), width=w)
        Line(points=p(0.1, 0.08, 0.9, 0.08), width=w)
        Ellipse(pos=p(0.62, 0.46), size=(0.08 * s, 0.08 * s))

    @staticmethod
    def _icon_printer(p: Any, s: float, w: float) -> None:
        Line(rounded_rectangle=(*p(0.08, 0.3), 0.84 * s, 0.38 * s, 0.05 * s), width=w)
        Line(points=p(0.25, 0.68, 0.25, 0.9, 0.75, 0.9, 0.75, 0.68), width=w)
        Line(points=p(0.25, 0.4, 0.25, 0.08, 0.75, 0.08, 0.75, 0.4), width=w)
        Line(points=p(0.35, 0.26, 0.65, 0.26), width=w)

    @staticmethod
    def _icon_warning(p: Any, s: float, w: float) -> None:
        Line(points=p(0.5, 0.9, 0.94, 0.12, 0.06, 0.12), close=True, width=w, joint="round")
        Line(points=p(0.5, 0.65, 0.5, 0.38), width=w * 1.3, cap="round")
        Ellipse(pos=p(0.455, 0.2), size=(0.09 * s, 0.09 * s))

    @staticmethod
    def _icon_pen(p: Any, s: float, w: float) -> None:
        Line(points=p(0.2, 0.2, 0.75, 0.75, 0.85, 0.65, 0.3, 0.1, 0.15, 0.05, 0.2, 0.2), width=w)
        Line(points=p(0.05, 0.05, 0.95, 0.05), width=w)

    @staticmethod
    def _icon_camera(p: Any, s: float, w: float) -> None:
        Line(rounded_rectangle=(*p(0.06, 0.2), 0.88 * s, 0.56 * s, 0.06 * s), width=w)
        Line(circle=(*p(0.5, 0.48), 0.17 * s), width=w)
        Line(points=p(0.34, 0.76, 0.4, 0.86, 0.6, 0.86, 0.66, 0.76), width=w)


class BusyRing(Widget):
    """Progress for waits of unknown length: a turning arc (animated only while on screen)."""

    angle = NumericProperty(0)
    color = ColorProperty([0, 0, 0, 1])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._event: Any = None
        self.bind(pos=self._draw, size=self._draw, angle=self._draw)

    def start(self) -> None:
        if self._event is None:
            self._event = Clock.schedule_interval(self._turn, 1 / 30)

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def _turn(self, dt: float) -> None:
        self.angle = (self.angle + 300 * dt) % 360

    def _draw(self, *_args: Any) -> None:
        r = min(self.width, self.height) / 2 - dp(4)
        self.canvas.clear()
        if r <= 0:
            return
        with self.canvas:
            Color(*self.color[:3], 0.15)
            Line(circle=(self.center_x, self.center_y, r), width=dp(5))
            Color(*self.color)
            Line(
                circle=(self.center_x, self.center_y, r, self.angle, self.angle + 100),
                width=dp(5),
                cap="round",
            )


class Countdown(Widget):
    """A ring that empties as ``fraction`` goes from 1 to 0."""

    fraction = NumericProperty(1.0)
    color = ColorProperty([0, 0, 0, 1])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, fraction=self._draw)

    def _draw(self, *_args: Any) -> None:
        r = min(self.width, self.height) / 2 - dp(6)
        self.canvas.clear()
        if r <= 0:
            return
        with self.canvas:
            Color(*self.color[:3], 0.15)
            Line(circle=(self.center_x, self.center_y, r), width=dp(7))
            Color(*self.color)
            Line(circle=(self.center_x, self.center_y, r, 0, 360 * self.fraction), width=dp(7), cap="round")


class ModalLayer(FloatLayout):
    """An overlay: it takes every touch, so nothing behind it can be pressed."""

    def on_touch_down(self, touch: Any) -> bool:
        if not super().on_touch_down(touch):
            self.outside_touch()
        return True

    def on_touch_move(self, touch: Any) -> bool:
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        super().on_touch_up(touch)
        return True

    def outside_touch(self) -> None:
        """A touch that hit none of the overlay's buttons."""

    def refresh(self) -> None:
        """Show the journey's current state."""


class JourneyScreen(Screen):
    """A screen of the journey. Its rules are in ``<module>.kv`` beside it, loaded on first use."""

    kv_loaded: ClassVar[set[str]] = set()

    @classmethod
    def load_kv(cls, module_file: str) -> None:
        kv = str(Path(module_file).with_suffix(".kv"))
        if kv not in cls.kv_loaded:
            cls.kv_loaded.add(kv)
            Builder.load_file(kv)

    @property
    def journey(self) -> Any:
        return App.get_running_app().journey

    def refresh(self) -> None:
        """Show the journey's current state (called on every change while this screen is shown)."""

    def wipe(self) -> None:
        """Forget what the guest typed (the session ended)."""


JourneyScreen.load_kv(__file__)  # base.kv: what every screen's kv uses, loaded with this module
