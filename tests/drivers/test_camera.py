"""The camera pipeline on generated frames: decoder, deskew, hints, latest-frame capture, drivers."""

import queue
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from drivers.base import DataEvent, Health
from drivers.camera import drivers as camera_drivers
from drivers.camera.capture import LatestFrame
from drivers.camera.decode import FrameDecoder
from drivers.camera.drivers import OpenCvCamera, SimulatedCamera
from drivers.camera.synth import Light, Scene, Surface, class_scenes, render
from drivers.camera.types import ScanHint, Symbology
from drivers.camera.vault import ImageVault
from drivers.idscan import DocumentKind, Source, encode_aamva
from kiosk.config import DeviceSection
from tests.idscan_samples import MODERN, TOKEN

CAMERA_TOML = """
[devices.camera]
kind = "camera"
driver = "sim"
enabled = true

[devices.camera.options]
fps = 15
width = 1280
height = 720
symbologies = ["qr", "pdf417", "datamatrix", "code128"]
deskew = true
opencv_fallback = true
"""

LICENCE = encode_aamva(MODERN)
QR = TOKEN.encode()


@pytest.fixture(scope="module")
def decoder():
    return FrameDecoder()


QR_SCENES = [
    dict(module_px=4.5),
    dict(module_px=9, angle=30),
    dict(module_px=6, angle=-22, blur=1.0, noise=5),
    dict(module_px=5, angle=12, light=Light.DIM),
    dict(module_px=6, angle=-8, light=Light.GLARE),
    dict(module_px=6, angle=17, surface=Surface.INVERTED),
    dict(module_px=7, angle=-28, surface=Surface.LOW_CONTRAST, blur=0.6, noise=3),
    dict(module_px=6, angle=5, surface=Surface.INVERTED, light=Light.GLARE, noise=4),
]
PDF417_SCENES = [
    dict(module_px=3),
    dict(module_px=2.5, angle=4),
    dict(module_px=3, angle=12, blur=0.6, noise=3),
    dict(module_px=3.5, angle=-30),
    dict(module_px=3, angle=21, light=Light.DIM),
    dict(module_px=3, angle=-9, light=Light.GLARE, blur=0.6),
]


@pytest.mark.parametrize("scene", QR_SCENES, ids=str)
def test_qr_read_in_varied_conditions(decoder, scene):
    result = decoder.decode(render(Scene(QR, Symbology.QR, **scene)))
    assert [c.raw for c in result.codes] == [QR]
    assert result.hint is ScanHint.FOUND and len(result.region) == 4


@pytest.mark.parametrize("scene", PDF417_SCENES, ids=str)
def test_pdf417_read_in_varied_conditions_with_raw_bytes(decoder, scene):
    result = decoder.decode(render(Scene(LICENCE, Symbology.PDF417, **scene)))
    assert [c.raw for c in result.codes] == [LICENCE]


def test_tilted_pdf417_needs_the_deskew(decoder):
    frame = render(Scene(LICENCE, Symbology.PDF417, module_px=3, angle=15))
    assert not zxingcpp.read_barcodes(frame)  # the reason the deskew stage exists
    result = decoder.decode(frame)
    assert result.codes[0].via == "deskew" and result.codes[0].raw == LICENCE
    # The guide frame is mapped back into the frame, around the centre of the code.
    centre = np.mean(result.region, axis=0)
    assert abs(centre[0] - 640) < 40 and abs(centre[1] - 360) < 40
    assert not FrameDecoder(deskew=False).decode(frame).codes


@pytest.mark.parametrize("symbology", [Symbology.DATAMATRIX, Symbology.CODE128])
def test_other_symbologies(decoder, symbology):
    result = decoder.decode(render(Scene(b"ROOM-0412", symbology, module_px=4, angle=3)))
    assert [c.raw for c in result.codes] == [b"ROOM-0412"]


def test_hints_for_an_empty_view_and_a_code_too_far(decoder):
    blank = np.full((720, 1280, 3), 100, np.uint8)
    assert decoder.decode(blank).hint is ScanHint.SHOW_CODE
    far = decoder.decode(render(Scene(QR, Symbology.QR, module_px=1.6, blur=1.2)))
    assert not far.codes and far.hint is ScanHint.MOVE_CLOSER


INVERTED_SCENES = [
    (Symbology.PDF417, LICENCE, dict(module_px=3)),
    (Symbology.PDF417, LICENCE, dict(module_px=3, angle=14, noise=3)),
    (Symbology.PDF417, LICENCE, dict(module_px=3.5, angle=-25, light=Light.GLARE)),
    (Symbology.QR, QR, dict(module_px=6, angle=9)),
    (Symbology.DATAMATRIX, b"ROOM-0412", dict(module_px=5, angle=4)),
    (Symbology.CODE128, b"ROOM-0412", dict(module_px=4, angle=3)),
    (Symbology.CODE128, b"ROOM-0412", dict(module_px=4, angle=-18)),
]


@pytest.mark.parametrize(
    ("symbology", "payload", "scene"),
    INVERTED_SCENES,
    ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(INVERTED_SCENES)],
)
def test_codes_on_a_phone_in_dark_mode_are_read_in_every_symbology(decoder, symbology, payload, scene):
    frame = render(Scene(payload, symbology, surface=Surface.INVERTED, **scene))
    assert [c.raw for c in decoder.decode(frame).codes] == [payload]


@pytest.mark.parametrize("name", ["qr_dark_mode", "pdf417_dark_mode"])
def test_the_bench_dark_mode_classes_read(decoder, name):
    scenes = class_scenes(name, 12, seed=7)
    read = sum(s.payload in [c.raw for c in decoder.decode(render(s)).codes] for s in scenes)
    assert read >= 10, f"{read}/12"


@pytest.mark.parametrize("columns", [3, 4])
@pytest.mark.parametrize("module_px", [1.0, 1.2])
def test_a_narrow_pdf417_at_one_pixel_per_module_is_read_or_the_guest_asked_to_move_closer(
    decoder, columns, module_px
):
    frames = [
        render(Scene(LICENCE, Symbology.PDF417, module_px=module_px, columns=columns, angle=a, seed=i))
        for i, a in enumerate((0, 8, -15))
    ]
    for frame in frames:
        result = decoder.decode(frame)
        assert [c.raw for c in result.codes] == [LICENCE] or result.hint is ScanHint.MOVE_CLOSER


def test_latest_frame_has_no_backlog():
    slot = LatestFrame()
    for i in range(3):
        slot.put(np.full((2, 2), i, np.uint8))
    seq, frame = slot.wait_newer(0, timeout=1)
    assert seq == 3 and frame[0, 0] == 2  # the two older frames were dropped
    assert slot.wait_newer(3, timeout=0.01) is None
    slot.close()
    assert slot.newest()[1] is None  # nothing kept once closed


def documents(device):
    events: queue.Queue = queue.Queue()
    device.subscribe(lambda e: events.put(e.data) if isinstance(e, DataEvent) else None)
    return events


@pytest.fixture
def camera():
    dev = SimulatedCamera("camera", SimulatedCamera.Options(fps=30, width=960, height=540))
    docs = documents(dev)
    dev.start().result(timeout=5)
    yield dev, docs
    dev.shutdown()


def test_default_toml_block_validates():
    DeviceSection.model_validate(tomllib.loads(CAMERA_TOML)["devices"]["camera"])


def test_sim_camera_reads_once_then_stops_until_armed(camera):
    dev, docs = camera
    assert dev.preview().scanning
    dev.show(TOKEN, angle=20)
    doc = docs.get(timeout=10)
    assert doc.valid and doc.kind is DocumentKind.BOOKING and doc.source is Source.CAMERA
    preview = dev.preview()
    assert preview.hint is ScanHint.FOUND and not preview.scanning and preview.frame is not None
    assert docs.empty()  # the code is still in view, but decoding has stopped
    dev.show(LICENCE, Symbology.PDF417, angle=-14, light=Light.DIM)
    dev.arm()
    # At most one frame that was on its way before the switch may still show the booking code.
    kinds = [docs.get(timeout=10).kind]
    if kinds[0] is DocumentKind.BOOKING:
        dev.arm()
        kinds.append(docs.get(timeout=10).kind)
    assert kinds[-1] is DocumentKind.AAMVA_DL
    assert dev.check_health().result(timeout=5).health is Health.OK


def test_sim_camera_reports_an_unusable_code_once(camera):
    dev, docs = camera
    dev.show("https://example.com/menu")
    doc = docs.get(timeout=10)
    assert not doc.valid and doc.kind is DocumentKind.UNKNOWN
    dev.show(TOKEN)
    assert docs.get(timeout=10).valid  # the menu QR was not reported again in between


def test_sim_camera_plays_image_files(tmp_path):
    path = tmp_path / "licence.png"
    cv2.imwrite(str(path), render(Scene(LICENCE, Symbology.PDF417, module_px=3, angle=8)))
    dev = SimulatedCamera("camera", SimulatedCamera.Options(files=[path], fps=30))
    docs = documents(dev)
    dev.start().result(timeout=5)
    try:
        assert docs.get(timeout=10).fields.document_number == "T64235789"
    finally:
        dev.shutdown()


def test_opencv_camera_reads_through_videocapture(tmp_path):
    # OpenCV opens a numbered image sequence like a camera: the real driver, no webcam needed.
    for i in range(3):
        frame = render(Scene(QR, Symbology.QR, module_px=6, angle=10 * i))
        cv2.imwrite(str(tmp_path / f"f{i:02d}.png"), frame)
    dev = OpenCvCamera("webcam", OpenCvCamera.Options(index=str(tmp_path / "f%02d.png")))
    docs = documents(dev)
    dev.start().result(timeout=5)
    try:
        assert docs.get(timeout=10).fields.booking_token == TOKEN
    finally:
        dev.shutdown()


LEFT_RUNNING = """
import atexit, sys, threading, time
sys.path.insert(0, sys.argv[1])
# Registered first, so it runs after the camera driver's own exit hook (atexit is last-in first-out).
atexit.register(lambda: print("alive at exit:", sorted(
    t.name for t in threading.enumerate() if t.name.startswith(("capture-", "decode-")))))
from drivers.camera.drivers import OpenCvCamera
dev = OpenCvCamera("webcam", OpenCvCamera.Options(index=sys.argv[2]))
dev.start().result(timeout=10)
while dev.preview().frame is None:
    time.sleep(0.05)
print("capturing", flush=True)
# ... and the program ends without closing the camera, as an app that quits abruptly would.
"""


def test_a_camera_left_running_is_stopped_before_the_interpreter_exits(tmp_path):
    # OpenCV reads in the capture thread (an image sequence opened like a camera) while the
    # interpreter ends: without the exit hook the daemon threads die inside OpenCV.
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"f{i:02d}.png"), render(Scene(QR, Symbology.QR, module_px=4, blur=4)))
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", LEFT_RUNNING, str(root), str(tmp_path / "f%02d.png")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["capturing", "alive at exit: []"]
    assert "terminate called" not in result.stderr and "leaked" not in result.stderr


class _StuckSource:
    """A camera whose read hangs (a USB camera that lost its link mid-frame)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.closed = False

    def read(self) -> None:
        self.release.wait(10)

    def close(self) -> None:
        self.closed = True


def test_a_camera_stuck_in_a_read_is_not_released_under_it(monkeypatch):
    monkeypatch.setattr(camera_drivers, "_JOIN_S", 0.2)
    source = _StuckSource()
    dev = SimulatedCamera("camera", SimulatedCamera.Options())
    monkeypatch.setattr(dev, "_open_source", lambda: source)
    dev.start().result(timeout=5)
    time.sleep(0.1)
    dev.close().result(timeout=5)
    assert not source.closed  # releasing it under the running read would abort inside OpenCV
    source.release.set()


@pytest.mark.parametrize(
    ("driver", "options"),
    [
        ("opencv", {"focus": 40}),  # fixed focus needs autofocus off
        ("opencv", {"width": 10}),
        ("sim", {"symbologies": ["ean13"]}),
        ("sim", {"symbologies": []}),
        ("sim", {"store_id_images": True, "image_retention_days": 0}),
    ],
)
def test_bad_camera_options_are_refused(driver, options):
    with pytest.raises(ValueError):
        DeviceSection(kind="camera", driver=driver, options=options)


def test_fixed_focus_accepted_with_autofocus_off():
    DeviceSection(kind="camera", driver="opencv", options={"autofocus": False, "focus": 40})


def test_id_images_kept_only_when_configured_and_then_encrypted(tmp_path):
    opts = SimulatedCamera.Options(
        fps=30, store_id_images=True, image_dir=tmp_path / "img", image_key_file=tmp_path / "key"
    )
    dev = SimulatedCamera("camera", opts)
    docs = documents(dev)
    dev.start().result(timeout=5)
    try:
        dev.show(TOKEN)
        assert docs.get(timeout=10).kind is DocumentKind.BOOKING
        dev.show(LICENCE, Symbology.PDF417)
        dev.arm()
        kinds = [docs.get(timeout=10).kind]
        if kinds[0] is DocumentKind.BOOKING:  # one frame on its way before the switch
            dev.arm()
            kinds.append(docs.get(timeout=10).kind)
        assert kinds[-1] is DocumentKind.AAMVA_DL
    finally:
        dev.shutdown()
    stored = list((tmp_path / "img").iterdir())
    assert len(stored) == 1  # the licence only, never the booking code
    assert not stored[0].read_bytes().startswith(b"\x89PNG")
    assert ImageVault(tmp_path / "img", tmp_path / "key", 7).load(stored[0]).startswith(b"\x89PNG")
    assert (tmp_path / "key").stat().st_mode & 0o777 == 0o600


def test_no_images_written_by_default(camera, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dev, docs = camera
    dev.show(LICENCE, Symbology.PDF417)
    assert docs.get(timeout=10).valid
    assert list(tmp_path.iterdir()) == []


def test_only_the_configured_symbologies_are_read():
    licence = render(Scene(LICENCE, Symbology.PDF417, module_px=3, angle=12))
    assert not FrameDecoder([Symbology.QR]).decode(licence).codes
    assert FrameDecoder([Symbology.PDF417]).decode(licence).codes[0].raw == LICENCE
