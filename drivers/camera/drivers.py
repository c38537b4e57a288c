"""Camera devices: an OpenCV webcam and a simulator that plays image files or generated frames.

Both run the same pipeline: a capture thread keeps the newest frame, a decode thread reads codes
from it and emits each document as a DataEvent (an ``IdDocument``). Decoding stops at the first
valid document; ``arm()`` starts it again for the next guest. The preview (newest frame, hint,
where the code seems to be) is polled by the UI; nothing here knows about Kivy.

Frames live in memory only: nothing is written to disk, and the slot is emptied on disable.
OpenCV and zxing-cpp load when a camera is enabled, not when the driver is registered.

The capture and decode threads are daemons, so a hung camera cannot keep the process alive; but a
daemon thread still inside OpenCV while the interpreter tears itself down aborts the process
(cv::Exception from a destroyed object). So every running camera is stopped and its threads are
joined at exit, also when the application quit without closing its devices.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field, model_validator

from drivers.base import Device, DeviceFailureError, DeviceOptions, ErrorEvent, HealthReport, NoHardwareError
from drivers.camera.capture import CaptureThread, FrameSource, LatestFrame
from drivers.camera.types import IdPhoto, Point, ScanHint, Symbology
from drivers.idscan.document import DocumentKind, Source
from drivers.idscan.recognize import recognize
from drivers.registry import register

if TYPE_CHECKING:
    import numpy as np

    from drivers.camera.decode import FrameDecoder
    from drivers.camera.vault import ImageVault

log = logging.getLogger(__name__)

_NO_FRAMES_AFTER_S = 2.0  # a camera silent this long while capturing is faulty
_PURGE_EVERY_S = 3600.0
_JOIN_S = 5.0  # longest wait for a capture or decode thread to finish what it is doing
_RUNNING: weakref.WeakSet[CameraDevice] = weakref.WeakSet()


@atexit.register
def _stop_running_cameras() -> None:
    for camera in list(_RUNNING):
        camera._stop_threads()


class CameraOptions(DeviceOptions):
    symbologies: list[Symbology] = Field(default_factory=lambda: list(Symbology), min_length=1)
    deskew: bool = True  # straighten tilted PDF417 with OpenCV before a second zxing pass
    opencv_fallback: bool = True  # OpenCV's QR detector on square regions zxing could not read
    # Pictures of ID documents are kept only when a property turns this on: then encrypted at
    # rest and deleted after the retention period. Booking codes are never kept.
    store_id_images: bool = False
    image_dir: Path = Path("var/id-images")
    image_key_file: Path = Path("var/id-images.key")
    image_retention_days: int = Field(7, ge=1, le=365)


@dataclass(frozen=True)
class Preview:
    """What the kiosk's preview shows: the newest frame, a hint, and a guide around the code.

    ``frame`` is the capture thread's own array (BGR): copy it before drawing on it.
    """

    frame: np.ndarray | None
    hint: ScanHint
    region: tuple[Point, ...]
    scanning: bool
    number: int = 0  # counts the frames captured: a new number is a new picture


class CameraDevice(Device):
    kind = "camera"
    Options: ClassVar[type[DeviceOptions]] = CameraOptions
    options: CameraOptions

    def __init__(self, name: str, options: DeviceOptions | None = None) -> None:
        super().__init__(name, options)
        self._source: FrameSource | None = None
        self._slot = LatestFrame()
        self._capture: CaptureThread | None = None
        self._decoder_thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._armed = threading.Event()
        self._lock = threading.Lock()
        self._hint, self._region = ScanHint.SHOW_CODE, ()
        self._rejected: set[bytes] = set()
        self._armed_at = 0  # frame number at the last arm()
        self._vault: ImageVault | None = None
        self._threads_lock = threading.Lock()
        self._stuck: threading.Thread | None = None  # a capture thread that did not stop in time

    # -- for the kiosk -------------------------------------------------------------------------

    def arm(self) -> None:
        """Start looking for a code again (after a valid read stopped decoding).

        Only frames captured from now on are decoded: the last guest's code is not read twice.
        """
        with self._lock:
            self._rejected.clear()
            self._hint, self._region = ScanHint.SHOW_CODE, ()
            self._armed_at = self._slot.newest()[0]
        self._armed.set()
        log.info("%s: looking for a code", self.name)

    def photograph(self) -> IdPhoto:
        """The newest frame as a JPEG for the desk, with whether it shows a document (worker thread)."""
        from drivers.camera.photo import inspect

        frame = self._slot.newest()[1]
        if frame is None:
            raise DeviceFailureError(f"{self.name} has no picture yet")
        return inspect(frame)

    def preview(self) -> Preview:
        """Never blocks: the newest frame and the latest hint."""
        number, frame = self._slot.newest()
        with self._lock:
            return Preview(frame, self._hint, self._region, self._armed.is_set(), number)

    # -- lifecycle hooks -----------------------------------------------------------------------

    def _open_source(self) -> FrameSource:
        raise NotImplementedError

    def _do_open(self) -> None:
        self._source = self._open_source()

    def _do_enable(self) -> None:
        from drivers.camera.decode import FrameDecoder

        opts = self.options
        decoder = FrameDecoder(opts.symbologies, deskew=opts.deskew, opencv_fallback=opts.opencv_fallback)
        if opts.store_id_images:
            from drivers.camera.vault import ImageVault  # cryptography: ~7 MB, only when images are kept

            self._vault = ImageVault(opts.image_dir, opts.image_key_file, opts.image_retention_days)
        assert self._source is not None
        self._slot = LatestFrame()
        self._stop.clear()
        self._capture = CaptureThread(self._source, self._slot, self.name)
        self._decoder_thread = threading.Thread(
            target=self._decode_loop, args=(decoder,), name=f"decode-{self.name}", daemon=True
        )
        self._capture.start()
        self._decoder_thread.start()
        _RUNNING.add(self)
        self.arm()

    def _do_disable(self) -> None:
        self._stop_threads()

    def _stop_threads(self) -> None:
        """Stop capturing and decoding and wait for both threads (the device thread or atexit)."""
        with self._threads_lock:
            capture, decoder = self._capture, self._decoder_thread
            self._capture = self._decoder_thread = None
        _RUNNING.discard(self)
        self._armed.clear()
        self._stop.set()
        self._slot.close()
        if capture is not None and not capture.stop(_JOIN_S):
            log.warning("%s: a frame read did not return within %.0f s", self.name, _JOIN_S)
            self._stuck = capture
        if decoder is not None:
            decoder.join(_JOIN_S)

    def _do_close(self) -> None:
        if self._source is not None:
            if self._stuck is not None and self._stuck.is_alive():
                # Releasing a capture under a running read aborts inside OpenCV: leave it to the OS.
                log.warning("%s: not released, its read is still running", self.name)
            else:
                self._source.close()
            self._source = None

    def _do_check_health(self) -> HealthReport:
        if self._capture is None:
            return HealthReport.unknown("not capturing")
        if not self._slot.at:
            return HealthReport.unknown("no frame yet")
        silent = time.monotonic() - self._slot.at
        if silent > _NO_FRAMES_AFTER_S:
            return HealthReport.faulty("camera delivers no frames", silent_s=round(silent, 1))
        return HealthReport.ok()

    # -- decoding ------------------------------------------------------------------------------

    def _decode_loop(self, decoder: FrameDecoder) -> None:
        seen = 0
        next_purge = 0.0
        while not self._stop.is_set():
            if self._vault is not None and time.monotonic() >= next_purge:
                self._vault.purge()
                next_purge = time.monotonic() + _PURGE_EVERY_S
            if not self._armed.wait(timeout=0.2):
                continue
            with self._lock:
                seen = max(seen, self._armed_at)
            got = self._slot.wait_newer(seen, timeout=0.5)
            if got is None:
                continue
            seen, frame = got
            try:
                result = decoder.decode(frame)
            except Exception:  # one odd frame must not end scanning for the rest of the day
                log.exception("%s: decoding a frame failed", self.name)
                continue
            hint = result.hint
            for code in result.codes:
                doc = recognize(code.raw, Source.CAMERA)
                if doc.valid:
                    self._armed.clear()  # stop decoding: the guest has been read
                    self._set_preview(ScanHint.FOUND, code.corners)
                    if self._vault is not None and doc.kind is not DocumentKind.BOOKING:
                        self._keep_image(frame)
                    log.info("%s: read %s from a %s code", self.name, doc.summary(), code.symbology.value)
                    self.emit_data(doc)
                    break
                hint = ScanHint.SHOW_CODE  # a code, but not one we can use
                with self._lock:
                    fresh = code.raw not in self._rejected
                    self._rejected.add(code.raw)
                if fresh:  # tell the journey once, not thirty times a second
                    log.info("%s: read %s", self.name, doc.summary())
                    self.emit_data(doc)
            else:
                self._set_preview(hint, result.region)

    def _keep_image(self, frame: np.ndarray) -> None:
        import cv2

        assert self._vault is not None
        ok, png = cv2.imencode(".png", frame)
        try:
            if not ok:
                raise OSError("could not encode the frame")
            self._vault.store(png.tobytes())
        except OSError as exc:  # a full disk must not stop the check-in; staff see the error
            self.emit(ErrorEvent(self.name, DeviceFailureError(f"ID image not stored: {exc}")))

    def _set_preview(self, hint: ScanHint, region: tuple[Point, ...]) -> None:
        with self._lock:
            self._hint, self._region = hint, region


# --- OpenCV webcam ------------------------------------------------------------------------------


class OpenCvCameraOptions(CameraOptions):
    index: int | str = 0  # camera number, or a device path such as /dev/v4l/by-id/...-video-index0
    width: int = Field(1280, ge=160, le=4096)
    height: int = Field(720, ge=120, le=2160)
    fps: int = Field(30, ge=1, le=120)
    autofocus: bool = True
    focus: int | None = Field(None, ge=0, le=1023)  # fixed focus (driver units); needs autofocus off

    @model_validator(mode="after")
    def _focus_needs_manual(self) -> OpenCvCameraOptions:
        if self.focus is not None and self.autofocus:
            raise ValueError("focus is fixed only with autofocus = false")
        return self


class _VideoCaptureSource:
    def __init__(self, opts: OpenCvCameraOptions) -> None:
        import cv2

        self._cap = cv2.VideoCapture(opts.index)
        if not self._cap.isOpened():
            raise NoHardwareError(f"no camera at {opts.index!r}")
        # One buffered frame: OpenCV's own queue would otherwise hand out stale pictures.
        self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, opts.width)
        self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, opts.height)
        self._cap.set(cv2.CAP_PROP_FPS, opts.fps)
        self._cap.set(cv2.CAP_PROP_AUTOFOCUS, 1 if opts.autofocus else 0)
        if opts.focus is not None:
            self._cap.set(cv2.CAP_PROP_FOCUS, opts.focus)

    def read(self) -> np.ndarray | None:
        ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        self._cap.release()


@register
class OpenCvCamera(CameraDevice):
    driver = "opencv"
    Options = OpenCvCameraOptions
    options: OpenCvCameraOptions

    def _open_source(self) -> FrameSource:
        return _VideoCaptureSource(self.options)


# --- simulator ----------------------------------------------------------------------------------


class SimulatedCameraOptions(CameraOptions):
    files: list[Path] = Field(default_factory=list)  # images shown in turn; none: an empty desk
    fps: float = Field(15.0, gt=0, le=60)
    width: int = Field(1280, ge=160, le=4096)
    height: int = Field(720, ge=120, le=2160)
    # With no files: an ID card lies on the desk under the camera (an ID photo then passes),
    # or the desk is empty (a grey frame, which the ID photo check refuses).
    id_card: bool = False


class _PlayedSource:
    """Frames at a steady rate: the current picture set, looped. ``show`` swaps the set."""

    def __init__(self, frames: Sequence[np.ndarray], fps: float) -> None:
        self._frames, self._index = list(frames), 0
        self._interval = 1.0 / fps
        self._closed = threading.Event()
        self._lock = threading.Lock()

    def show(self, frames: Sequence[np.ndarray]) -> None:
        with self._lock:
            self._frames, self._index = list(frames), 0

    def read(self) -> np.ndarray | None:
        if self._closed.wait(self._interval):  # paces like a real camera, wakes at once on close
            return None
        with self._lock:
            frame = self._frames[self._index % len(self._frames)]
            self._index += 1
        return frame

    def close(self) -> None:
        self._closed.set()


@register
class SimulatedCamera(CameraDevice):
    """Plays image files or generated frames; ``show()`` holds a code up to it."""

    driver = "sim"
    Options = SimulatedCameraOptions
    options: SimulatedCameraOptions

    def _blank(self) -> list[np.ndarray]:
        """What the camera sees when nothing is held up to it."""
        import numpy as np

        from drivers.camera.synth import CardScene, render_card

        size = (self.options.width, self.options.height)
        if self.options.id_card:
            return [render_card(CardScene(size=size, angle=4, tilt=0.05))]
        return [np.full((size[1], size[0], 3), 96, np.uint8)]

    def _open_source(self) -> FrameSource:
        import cv2

        frames = []
        for path in self.options.files:
            frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if frame is None:
                raise NoHardwareError(f"cannot read image {path}")
            frames.append(frame)
        return _PlayedSource(frames or self._blank(), self.options.fps)

    def show(self, payload: bytes | str | None, symbology: Symbology = Symbology.QR, **scene: Any) -> None:
        """Hold a code up to the camera (rendered with ``drivers.camera.synth``); None takes it away.

        ``scene`` takes the other ``synth.Scene`` fields: angle, blur, noise, light, surface, ...
        """
        from drivers.camera.synth import Scene, render

        if not isinstance(self._source, _PlayedSource):
            raise DeviceFailureError(f"{self.name} is not open")
        if payload is None:
            self._source.show(self._blank())
            return
        data = payload.encode() if isinstance(payload, str) else payload
        size = (self.options.width, self.options.height)
        scene.setdefault("module_px", 6.0 if symbology is Symbology.QR else 3.0)
        self._source.show([render(Scene(data, symbology, size=size, **scene))])

    def show_card(self, **scene: Any) -> None:
        """Lay an ID card without machine-readable lines under the camera (``synth.CardScene``)."""
        from drivers.camera.synth import CardScene, render_card

        if not isinstance(self._source, _PlayedSource):
            raise DeviceFailureError(f"{self.name} is not open")
        size = (self.options.width, self.options.height)
        self._source.show([render_card(CardScene(size=size, **scene))])
