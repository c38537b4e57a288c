"""A layout checker for the running kiosk: it walks the real Kivy widget tree of what the window
shows and names every text outside or clipped by its box, every text or picture overlapping
another widget, every word broken inside by wrapping, and every touch target smaller than 9 mm.

The tour calls ``check`` at each of its photographs (tests/ui/layout_app.py), at each supported
size, so one run names every layout fault of every screen and state, in each language.

Physical screens assumed, one per supported window size (the touch-target rule is in millimetres):

    1280x800, 800x1280     a 10.1" panel (WXGA, 149 ppi), landscape or portrait
    1366x768               a 15.6" panel (100 ppi)
    1920x1080, 1080x1920   a 21.5" panel (102 ppi), landscape or portrait

The kiosk runs at Kivy's density 1 (one dp is one pixel), so a widget's size in pixels is its size
on the panel; the smallest panel of each size is assumed, where a target is physically smallest.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kivy.core.window import Window
from kivy.graphics import Ellipse, Line, Rectangle, RoundedRectangle
from kivy.uix.behaviors import ButtonBehavior, ToggleButtonBehavior
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.stencilview import StencilView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

MIN_TARGET_MM = 9.0
DIAGONAL_IN = {
    (1280, 800): 10.1,
    (800, 1280): 10.1,
    (1366, 768): 15.6,
    (1920, 1080): 21.5,
    (1080, 1920): 21.5,
}
SIZES = tuple(DIAGONAL_IN)
# Rounding of Kivy's own layout (texture sizes are whole pixels, positions are not).
SLACK_PX = 1.5
# Panels drawn under other widgets on purpose, by class or kv id: an overlay's scrim; the welcome
# screen's hero panel, which its greeting is written on.
BACKDROP_CLASSES = {"Scrim"}
BACKDROP_IDS = {"hero"}
MARKUP_TAG = re.compile(r"\[/?(?:b|i|u|s|sub|sup|color|size|font|font_context|font_family|"
                        r"font_features|text_language|ref|anchor)(?:=[^\]]*)?\]")  # fmt: skip

Rect = tuple[float, float, float, float]  # x, y, right, top in window pixels


@dataclass(frozen=True)
class Finding:
    widget: str
    problem: str

    def __str__(self) -> str:
        return f"{self.widget}: {self.problem}"


def px_per_mm(size: tuple[int, int]) -> float:
    """Pixels per millimetre of the panel assumed for a window of ``size``."""
    return math.hypot(*size) / DIAGONAL_IN[size] / 25.4


def check(root: Widget, size: tuple[int, int] | None = None) -> list[Finding]:
    """Every layout fault of what ``root`` (the app's root widget) shows in the window now."""
    size = size or (int(Window.width), int(Window.height))
    window: Rect = (0.0, 0.0, float(Window.width), float(Window.height))
    findings: list[Finding] = []
    content: list[tuple[Widget, Rect]] = []
    panels: list[tuple[Widget, Rect]] = []
    for w in _shown(root):
        box = _box(w)
        if isinstance(w, Label) and w.text.strip():
            findings += _text_faults(w, box, window)
            ink = _ink(w, box)
            if ink is not None:
                content.append((w, ink))
        elif isinstance(w, (Image, TextInput)) or (type(w).__name__ == "Icon" and w.name):
            content.append((w, box))
        drawn = _drawing(w)
        if drawn is not None and not _inside(drawn, box):
            findings.append(Finding(name(w), f"drawn at {_px(drawn)}, outside its box {_px(box)}"))
        if ((drawn is not None and not w.children) or isinstance(w, Image)) and _outside_parent(w, box):
            findings.append(Finding(name(w), "outside its parent's box"))
        if _has_panel(w) and not _backdrop(w):
            panels.append((w, box))
        if _is_target(w):
            findings += _target_faults(w, box, size)
    findings += _overlaps(root, content, panels)
    return sorted(set(findings), key=str)


# -- what is on screen ---------------------------------------------------------------------------


def _shown(root: Widget) -> Iterator[Widget]:
    """Widgets drawn in the window: not hidden by their own or an ancestor's opacity, not empty."""
    if root.opacity <= 0:
        return
    if root.width > 0 and root.height > 0:
        yield root
    for child in reversed(root.children):
        yield from _shown(child)


def _box(w: Widget) -> Rect:
    x, y = w.to_window(w.x, w.y)
    right, top = w.to_window(w.right, w.top)
    return (x, y, right, top)


def _px(rect: Rect) -> str:
    return "({:.0f}, {:.0f})-({:.0f}, {:.0f})".format(*rect)


def _intersect(a: Rect, b: Rect) -> Rect | None:
    x, y, r, t = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x, y, r, t) if r - x > SLACK_PX and t - y > SLACK_PX else None


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - SLACK_PX
        and inner[1] >= outer[1] - SLACK_PX
        and inner[2] <= outer[2] + SLACK_PX
        and inner[3] <= outer[3] + SLACK_PX
    )


def _ancestors(w: Widget) -> list[Widget]:
    out = []
    p = w.parent
    while p is not None and p is not p.parent and isinstance(p, Widget):
        out.append(p)
        p = p.parent
    return out


def _stencil(w: Widget) -> StencilView | None:
    """The nearest stencil (a scroll view) that clips ``w``, if any."""
    return next((p for p in _ancestors(w) if isinstance(p, StencilView)), None)


def _visible(w: Widget, rect: Rect) -> Rect | None:
    """The part of ``rect`` not clipped away by the stencils holding ``w``."""
    for p in _ancestors(w):
        if isinstance(p, StencilView):
            clipped = _intersect(rect, _box(p))
            if clipped is None:
                return None
            rect = clipped
    return rect


def _scrolls_to(w: Widget, view: StencilView) -> bool:
    """Whether ``view`` is a scroll view that can bring ``w`` into view (intended scrolling)."""
    if not isinstance(view, ScrollView) or not view.children:
        return False
    content = view.children[0]
    return (view.do_scroll_y and content.height > view.height) or (
        view.do_scroll_x and content.width > view.width
    )


def name(w: Widget) -> str:
    """How a finding names a widget: its kv id (or its button's), with its text, else its text,
    else its class."""
    text = _plain(getattr(w, "text", "") or "").strip()
    for p in _ancestors(w):
        for key, value in getattr(p, "ids", {}).items():
            if value == w or (isinstance(w, Label) and value == w.parent):  # ids hold weak proxies
                return f"#{key}" + (f" {text[:40]!r}" if text else "")
    return repr(text[:48]) if text else type(w).__name__


def _plain(text: str) -> str:
    return MARKUP_TAG.sub("", text).replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")


# -- text ----------------------------------------------------------------------------------------


def _lines(label: Label) -> list[str]:
    core = label._label
    return ["".join(word.text for word in line.words) for line in getattr(core, "_cached_lines", [])]


def _text_faults(label: Label, box: Rect, window: Rect) -> list[Finding]:
    found = []
    who = name(label)
    tw, th = label.texture_size
    if tw > label.width + SLACK_PX or th > label.height + SLACK_PX:
        found.append(
            Finding(
                who, f"text {tw:.0f}x{th:.0f} px larger than its box {label.width:.0f}x{label.height:.0f}"
            )
        )
    text = _plain(label.text) if label.markup else label.text
    lines = _lines(label)
    if _said(lines) != _said(text):  # perhaps not drawn since its text changed (a clock): draw it
        label.texture_update()
        lines = _lines(label)
    if lines and _said(lines) != _said(text):
        found.append(Finding(who, f"text cut short: shows {' / '.join(lines)[:80]!r}"))
    for before, after in itertools.pairwise(lines):
        if _one_word(text, before, after):
            found.append(Finding(who, f"word broken inside: {before.split()[-1]}/{after.split()[0]}"))
    ink = _ink(label, box)
    if ink is None:
        return found
    view = _stencil(label)
    if view is None and not _inside(ink, window):
        found.append(Finding(who, "text outside the window"))
    if view is not None and not _inside(ink, _box(view)) and not _scrolls_to(label, view):
        found.append(Finding(who, "text clipped by a view that cannot scroll to it"))
    if _outside_parent(label, ink):
        found.append(Finding(who, "text outside its parent's box"))
    return found


def _said(text: str | list[str]) -> str:
    return re.sub(r"\s", "", "".join(text))


def _outside_parent(w: Widget, box: Rect) -> bool:
    """Whether a picture or drawing sticks out of the widget holding it (a scroll view's content
    may: it scrolls)."""
    parent = w.parent
    if not isinstance(parent, Widget) or isinstance(parent, ScrollView) or parent.width <= 0:
        return False
    return not _inside(box, _box(parent))


def _one_word(text: str, before: str, after: str) -> bool:
    """Whether the end of one wrapped line and the start of the next were one word of ``text``."""
    if not before.strip() or not after.strip() or before != before.rstrip() or after != after.lstrip():
        return False
    tail, head = before.split()[-1], after.split()[0]
    return tail[-1].isalnum() and head[0].isalnum() and any(tail + head in word for word in text.split())


def _ink(label: Label, box: Rect) -> Rect | None:
    """Where the label's text is drawn (in window pixels): its texture, centred on the widget, and
    in it the lines as aligned."""
    lines = getattr(label._label, "_cached_lines", [])
    tw, th = label.texture_size
    if not lines or tw <= 0 or th <= 0:
        return None
    tx = (box[0] + box[2]) / 2 - tw / 2
    ty = (box[1] + box[3]) / 2 - th / 2
    width = max(line.w for line in lines)
    height = sum(line.h for line in lines)
    px, py = label.padding[0], label.padding[1]
    x = {"left": tx + px, "justify": tx + px, "right": tx + tw - px - width}.get(
        label.halign, tx + (tw - width) / 2
    )
    top = {"top": ty + th - py, "bottom": ty + py + height}.get(label.valign, ty + (th + height) / 2)
    return (x, top - height, x + width, top)


def _drawing(w: Widget) -> Rect | None:
    """Where a widget that draws itself (an icon, a ring, a panel, a camera picture) puts its lines
    and shapes, in window pixels."""
    if isinstance(w, (Label, TextInput, Image, StencilView)):  # their text, picture or clipping
        return None
    xs: list[float] = []
    ys: list[float] = []
    for i in [*w.canvas.before.children, *w.canvas.children]:
        if isinstance(i, Line) and len(i.circle or ()) >= 3:
            cx, cy, r = i.circle[:3]
            xs += [cx - r, cx + r]
            ys += [cy - r, cy + r]
        elif isinstance(i, Line) and i.points:
            xs += i.points[0::2]
            ys += i.points[1::2]
        elif isinstance(i, (Rectangle, Ellipse)) and not isinstance(i, RoundedRectangle):
            xs += [i.pos[0], i.pos[0] + i.size[0]]
            ys += [i.pos[1], i.pos[1] + i.size[1]]
    if not xs:
        return None
    # A relative layout draws in its own coordinates; any other widget in its parent's.
    x, y = w.to_window(*w.to_parent(min(xs), min(ys)))
    right, top = w.to_window(*w.to_parent(max(xs), max(ys)))
    return (x, y, right, top)


# -- overlaps ------------------------------------------------------------------------------------


def _has_panel(w: Widget) -> bool:
    """Whether ``w`` paints a panel (a card, a button, a field, a bar) behind its children."""
    return any(isinstance(i, (Rectangle, RoundedRectangle, Line)) for i in w.canvas.before.children)


def _backdrop(w: Widget) -> bool:
    ids = [k for p in _ancestors(w) for k, v in getattr(p, "ids", {}).items() if v == w]
    return type(w).__name__ in BACKDROP_CLASSES or any(k in BACKDROP_IDS for k in ids)


def _overlaps(
    root: Widget, content: list[tuple[Widget, Rect]], panels: list[tuple[Widget, Rect]]
) -> list[Finding]:
    """Text and pictures drawn over another text, picture or panel of the same layer (the chrome
    with its screen, or one overlay: an overlay covers what is under it on purpose)."""
    chains = {id(w): _ancestors(w) for w, _ in content + panels}

    def layer(w: Widget) -> Widget:
        chain = [w, *chains[id(w)]]
        return chain[chain.index(root) - 1] if root in chain[1:] else w

    def related(a: Widget, b: Widget) -> bool:
        return a in chains[id(b)] or b in chains[id(a)]

    shown = [(w, v) for w, r in content if (v := _visible(w, r)) is not None]
    walls = [(w, v) for w, r in panels if (v := _visible(w, r)) is not None]
    found = []
    for i, (a, ra) in enumerate(shown):
        for b, rb in shown[i + 1 :] + walls:
            if b is a or related(a, b) or layer(a) is not layer(b):
                continue
            if _intersect(ra, rb) is not None:
                found.append(Finding(name(a), f"overlaps {name(b)}"))
    return found


# -- touch targets -------------------------------------------------------------------------------


def _is_target(w: Widget) -> bool:
    return not w.disabled and isinstance(w, (ButtonBehavior, ToggleButtonBehavior, TextInput))


def _target_faults(w: Widget, box: Rect, size: tuple[int, int]) -> list[Finding]:
    mm = min(box[2] - box[0], box[3] - box[1]) / px_per_mm(size)
    if mm < MIN_TARGET_MM:
        return [Finding(name(w), f"touch target {mm:.1f} mm, under {MIN_TARGET_MM:.0f} mm")]
    return []
