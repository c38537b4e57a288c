"""Drive the running kiosk app from a script: the tour, the UI tests and the UI benchmark use it.

A script is a generator that does something to the app (a simulated touch, a scan) and then
yields a condition; the robot polls the condition on the Clock, so the app keeps running
normally in between and nothing sleeps on the UI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.input.motionevent import MotionEvent
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from drivers.idscan.document import DocumentFields, DocumentKind, Sex
from drivers.idscan.mrz import format_mrz
from kiosk.journey.checkin import Step

Script = Iterator[Callable[[], bool]]
# Longest wait for a condition before the script gives up.
SETTLE_S = 30.0
PASSPORT_NUMBER = "C01X00T47"


def mrz_td3(b: Any, *, surname: str = "", given_names: str = "", expiry: date | None = None) -> str:
    """The two MRZ lines of a passport for a booking's guest (ICAO 9303 TD3), as a scanner sends them;
    ``b`` is anything with a ``guest`` (a booking, or a walk-in guest)."""
    fields = DocumentFields(
        document_code="P",
        issuing_state="IDN",
        document_number=PASSPORT_NUMBER,
        surname=surname or b.guest.surname,
        given_names=given_names or b.guest.given_names,
        nationality="IDN",
        birth_date=b.guest.birth_date or date(1985, 3, 14),
        expiry_date=expiry or date.today() + timedelta(days=900),
        sex=Sex.MALE,
    )
    return format_mrz(DocumentKind.TD3, fields)


class Finger(MotionEvent):
    """A touch put into the window's input queue, handled like one from the touchscreen.

    (Kivy's own ``kivy.tests.common.UnitTestTouch`` does the same but imports pytest, which would
    add ~40 MB to the memory the UI benchmark measures.)
    """

    def __init__(self, x: float, y: float) -> None:
        super().__init__("robot", 99, self._ratios(x, y), is_touch=True, type_id="touch")
        self.profile = ["pos"]

    @staticmethod
    def _ratios(x: float, y: float) -> dict[str, float]:
        win = EventLoop.window
        return {"x": x / (win.width - 1.0), "y": y / (win.height - 1.0)}

    def depack(self, args: dict[str, float]) -> None:
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)

    def touch_down(self) -> None:
        EventLoop.post_dispatch_input("begin", self)

    def touch_move(self, x: float, y: float) -> None:
        self.move(self._ratios(x, y))
        EventLoop.post_dispatch_input("update", self)

    def touch_up(self) -> None:
        EventLoop.post_dispatch_input("end", self)


class Robot:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.failure = ""
        self._steps: Script = iter(())
        self._waiting: Callable[[], bool] | None = None
        self._waited = 0.0

    def run(self, script: Script) -> None:
        """Run ``script`` once the app is up and knows its hotel, then stop the app."""

        def ready() -> Script:
            yield lambda: self.j.property is not None
            yield from script

        self._steps = ready()
        Clock.schedule_once(lambda _dt: Clock.schedule_interval(self._poll, 1 / 60), 0.5)

    def _poll(self, dt: float) -> None:
        if self._waiting is not None:
            self._waited += dt
            if not self._waiting():
                if self._waited > SETTLE_S:
                    problem = self.j.problem if self.j.step is Step.PROBLEM else None
                    self._stop(
                        f"timed out waiting at {self.j.step}" + (f" ({problem.kind})" if problem else "")
                    )
                return
            self._waiting = None
        try:
            condition = next(self._steps)
        except StopIteration:
            self._stop("")
            return
        except Exception as exc:
            self._stop(f"script failed: {exc!r}")
            raise
        self._waiting, self._waited = condition, 0.0

    def _stop(self, failure: str) -> None:
        self.failure = failure
        Clock.unschedule(self._poll)
        self.app.stop()

    # -- conditions ---------------------------------------------------------------------------

    @property
    def j(self) -> Any:
        return self.app.journey

    def settle(self, *steps: Step) -> Script:
        """Until the journey is at one of ``steps`` and that screen is drawn."""
        yield lambda: self.j.step in steps
        yield lambda: not self.app.manager.transition.is_active
        yield from self.frames(2)

    def frames(self, n: int) -> Script:
        # Labels render their text on the next frame.
        for _ in range(n):
            drawn = threading.Event()
            Clock.schedule_once(lambda _dt, d=drawn: d.set(), 0)
            yield drawn.is_set

    def still(self, most: int = 12) -> Script:
        """Frames until the screen stops moving: every widget's place and every text's size as in
        the frame before. A list rebuilt in a refresh lays itself out over several frames (its width,
        then each label's wrapped text, then the heights), so a fixed count can look too early."""
        before: list[tuple[Any, ...]] | None = None
        for _ in range(most):
            yield from self.frames(1)
            now = [
                (*w.pos, *w.size, *getattr(w, "texture_size", ())) for w in self.app.root.walk(restrict=True)
            ]
            if now == before:
                return
            before = now

    # -- the guest's finger -------------------------------------------------------------------

    def camera_shows(self, show: Callable[[Any], None]) -> Script:
        """Change what the (simulated) camera sees, until its newest picture is the new one."""
        camera = self.app.devices["camera"]
        seen = camera.preview().number
        show(camera)
        yield lambda: camera.preview().number > seen + 2

    def press(self, widget: Widget) -> None:
        """A touch down and up in the middle of ``widget``, through the window like a real one."""
        x, y = widget.to_window(*widget.center)
        touch = Finger(x, y)
        touch.touch_down()
        touch.touch_up()

    def type(self, keyboard: Any, text: str) -> None:
        """Type ``text`` key by key on the on-screen keyboard (switching case and accents)."""
        for ch in text:
            key = self._key(keyboard, ch)
            if key is None:  # through the four layouts: shift, accents, both
                for toggle in ("shift", "accents", "shift"):
                    keyboard.press(toggle)
                    if (key := self._key(keyboard, ch)) is not None:
                        break
            if key is None:
                raise ValueError(f"no key for {ch!r}")
            self.press(key)

    @staticmethod
    def _key(keyboard: Any, ch: str) -> Any:
        keys = (k for k in keyboard.walk() if ch in (getattr(k, "value", None), getattr(k, "text", None)))
        return next(keys, None)

    def wait_drawn(self) -> Callable[[], bool]:
        """A condition true once a frame has been flipped to the screen after now."""
        flipped = threading.Event()

        def on_flip(*_args: Any) -> None:
            flipped.set()
            EventLoop.window.unbind(on_flip=on_flip)

        EventLoop.window.bind(on_flip=on_flip)
        return flipped.is_set


def visible_texts(root: Widget) -> list[str]:
    """The texts on screen: labels attached to the window, not hidden by their own or a parent's
    opacity."""
    return [w.text for w in root.walk() if isinstance(w, Label) and w.text and shown(w)]


def shown(widget: Widget) -> bool:
    """Attached to the window and not hidden by its own or a parent's opacity."""
    if widget.get_root_window() is None:
        return False
    while widget is not None and widget is not widget.parent:
        if widget.opacity <= 0:
            return False
        widget = widget.parent
    return True


def now() -> float:
    return time.perf_counter()
