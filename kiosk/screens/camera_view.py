"""The camera's live picture with a guide frame and a hint ("move closer", "hold still").

A screen puts a ``CameraView`` where the guest holds something up to the camera and calls
``start()`` when it is shown and ``stop()`` when it is left. While started, the view polls the
camera driver's ``preview()`` on the Clock at ``PREVIEW_FPS`` (the driver never blocks there) and
uploads a new frame only when there is one, at most ``MAX_WIDTH`` pixels wide: a preview needs no
more, and a smaller upload keeps the UI thread free for touches. Without a camera, or when it
delivers nothing, the view says so with the screen's own words for the other ways.
"""

from __future__ import annotations

import math
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Line, Rectangle, RoundedRectangle
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from drivers.base import DeviceState
from drivers.camera.types import ScanHint
from kiosk.screens.base import HERE

PREVIEW_FPS = 12
MAX_WIDTH = 640  # pixels of the uploaded picture; the frame is decimated to fit
STARTING_S = 2.0  # a camera may take this long to deliver its first frame
FROZEN_S = 2.0  # the same frame for this long: the camera stopped delivering
_GUIDE_FILL = 0.78  # share of the picture the guide frame may take
_CORNER = 0.2  # length of the guide's corner marks, as a share of its shorter side


class CameraView(BoxLayout):
    """The live picture, the guide frame over it and the hint under it."""

    prompt = StringProperty("")  # what to hold up, in the screen's words (shown until a code is seen)
    unavailable = StringProperty("")  # what to do instead when there is no picture
    guide_aspect = NumericProperty(1.0)  # width / height of the guide: 1 for a QR code, 1.586 for a card
    frame_aspect = NumericProperty(16 / 9)  # of the camera's frames: the picture area follows it
    hint = StringProperty(ScanHint.SHOW_CODE.value)
    live = BooleanProperty(False)  # a picture is showing
    frames = NumericProperty(0)  # pictures uploaded since start(): for tests and the bench

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._camera: Any = None
        self._event: Any = None
        self._texture: Texture | None = None
        self._texture_key: tuple[tuple[int, int], str] | None = None
        self._frame_number = -1  # of the last frame uploaded (the frame itself is not kept)
        self._shown_at = 0.0
        self._started_at = 0.0
        self._frame_size = (16, 9)
        self._region: tuple[tuple[float, float], ...] = ()

    def on_kv_post(self, _base_widget: Any) -> None:
        # The picture's canvas is drawn here once the kv rule has made the widgets.
        theme = App.get_running_app().theme
        picture = self.ids.picture
        with picture.canvas.before:
            self._backdrop_color = Color(*theme.primary_soft)
            self._backdrop = RoundedRectangle(radius=[dp(14)])
            Color(1, 1, 1, 1)
            self._image = Rectangle()
            self._guide_color = Color(1, 1, 1, 0)
            self._guide = [Line(width=dp(3), cap="round", joint="round") for _ in range(4)]
            self._code_color = Color(0, 0, 0, 0)
            self._code = Line(width=dp(3), close=True, joint="round")
        # Once the layout has settled (a resized window moves the picture and its column in turn).
        relayout = Clock.create_trigger(self._layout, -1)
        picture.bind(pos=relayout, size=relayout)
        self.bind(pos=relayout, size=relayout)
        self.bind(live=self._layout, hint=self._layout, guide_aspect=self._layout)

    # -- for the screen ------------------------------------------------------------------------

    def start(self, camera: Any = None) -> None:
        """Show the picture of ``camera``, by default the kiosk's (the screen is shown)."""
        self._camera = camera or getattr(App.get_running_app(), "camera", None)
        self._started_at = self._shown_at = Clock.get_boottime()
        self._frame_number = -1
        self.frames = 0
        self.hint = ScanHint.SHOW_CODE.value
        if self._camera is not None and self._event is None:
            self._event = Clock.schedule_interval(self._update, 1 / PREVIEW_FPS)
        self._update(0)

    def stop(self) -> None:
        """Stop polling and forget the picture (it may show the guest's ID): the screen is left."""
        if self._event is not None:
            self._event.cancel()
            self._event = None
        self._camera = None
        self._drop()

    @property
    def running(self) -> bool:
        return self._event is not None

    # -- the picture ---------------------------------------------------------------------------

    def _update(self, _dt: float) -> None:
        camera = self._camera
        if camera is None:
            self._drop()
            return
        now = Clock.get_boottime()
        preview = camera.preview()
        frame = preview.frame
        if frame is not None and preview.number != self._frame_number:
            self._frame_number, self._shown_at = preview.number, now
            self._upload(frame)
        if frame is None or now - self._shown_at > FROZEN_S:
            # No picture yet, the camera stopped, or it never started: give it a moment first.
            if camera.state is not DeviceState.ENABLED or now - self._started_at > STARTING_S:
                self._drop()
            return
        self.live = True
        self.hint = preview.hint.value
        if preview.region != self._region:
            self._region = preview.region
            self._layout()

    def _upload(self, frame: Any) -> None:
        height, width = frame.shape[:2]
        step = max(1, math.ceil(width / MAX_WIDTH))
        small = frame[::step, ::step].copy()  # C-contiguous, a quarter of the bytes at 1280 wide
        fmt = "bgr" if small.ndim == 3 else "luminance"
        size = (small.shape[1], small.shape[0])
        if self._texture is None or self._texture_key != (size, fmt):
            self._texture = Texture.create(size=size, colorfmt="rgb" if fmt == "bgr" else fmt)
            self._texture_key = (size, fmt)
            self._texture.flip_vertical()  # frames are top row first, GL textures bottom row first
            self._image.texture = self._texture
            self._frame_size = (width, height)
            self.frame_aspect = width / height
            self._layout()
        self._texture.blit_buffer(small.reshape(-1).data, colorfmt=fmt, bufferfmt="ubyte")
        self.ids.picture.canvas.ask_update()
        self.frames += 1

    def _drop(self) -> None:
        self.live = False
        self._region = ()
        if self._texture is not None:
            self._image.texture = self._texture = None
            self._layout()

    def _layout(self, *_args: Any) -> None:
        picture = self.ids.picture
        theme = App.get_running_app().theme
        # The picture, as large as fits without distortion, centred; without one, a soft panel.
        fw, fh = self._frame_size
        scale = min(picture.width / fw, picture.height / fh)
        iw, ih = fw * scale, fh * scale
        ix, iy = picture.center_x - iw / 2, picture.center_y - ih / 2
        self._image.pos, self._image.size = (ix, iy), (iw if self.live else 0, ih if self.live else 0)
        self._backdrop.pos, self._backdrop.size = picture.pos, picture.size
        self._backdrop_color.rgba = (0, 0, 0, 0) if self.live else theme.primary_soft
        # Corner marks where the code should go.
        gw = min(iw * _GUIDE_FILL, ih * _GUIDE_FILL * self.guide_aspect)
        gh = gw / self.guide_aspect
        gx, gy = picture.center_x - gw / 2, picture.center_y - gh / 2
        c = min(gw, gh) * _CORNER
        marks = (
            (gx, gy + c, gx, gy, gx + c, gy),
            (gx + gw - c, gy, gx + gw, gy, gx + gw, gy + c),
            (gx + gw, gy + gh - c, gx + gw, gy + gh, gx + gw - c, gy + gh),
            (gx + c, gy + gh, gx, gy + gh, gx, gy + gh - c),
        )
        for line, points in zip(self._guide, marks, strict=True):
            line.points = points
        found = self.hint == ScanHint.FOUND.value
        self._guide_color.rgba = (*(theme.primary[:3] if found else (1, 1, 1)), 0.95 if self.live else 0)
        # Where the camera sees a code: green once read, amber while it cannot be read yet.
        if self.live and self._region:
            # Clamped to the picture: a code half out of the frame is outlined along its edge.
            self._code.points = [
                v
                for x, y in self._region
                for v in (min(max(ix + x * scale, ix), ix + iw), min(max(iy + ih - y * scale, iy), iy + ih))
            ]
            self._code_color.rgba = theme.primary if found else (1.0, 0.72, 0.2, 1)
        else:
            self._code.points = []
            self._code_color.rgba = (0, 0, 0, 0)


class PreviewScreen:
    """Mixed into a screen whose CameraView has the id ``camera``: the picture runs only while the
    screen is shown (``class FindScreen(PreviewScreen, JourneyScreen)``)."""

    ids: Any

    def on_enter(self) -> None:
        self.ids.camera.start()

    def on_leave(self) -> None:
        self.ids.camera.stop()


Builder.load_file(str(HERE / "camera_view.kv"))
