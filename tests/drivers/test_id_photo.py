"""The ID photo check: a photo for the desk passes only when it shows a document.

Frames are the camera synthesizer's (cards at varied size, turn, tilt, blur and noise; an empty
desk; a held-up booking QR) and pictures this project did not make: Kivy's
``kivy/data/images/background.jpg`` (shipped in the Kivy wheel: a dark, nearly empty frame) and
python-barcode's ``docs/_static/images/pybarcode.png`` (shipped in its wheel: printed artwork,
refused on its own, accepted once printed on a card held under the camera).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.drivers import SimulatedCamera
from drivers.camera.photo import find_document, inspect
from drivers.camera.synth import CardScene, Scene, booking_payload, desk, render, render_card
from drivers.camera.types import PhotoContent, Symbology

SIZE = (1280, 720)
# Found without importing Kivy (a driver test has no business starting it).
KIVY = Path(importlib.util.find_spec("kivy").origin).parent  # type: ignore[union-attr, arg-type]
SITE = KIVY.parent
KIVY_BACKGROUND = KIVY / "data" / "images" / "background.jpg"
PYBARCODE_ART = SITE / "docs" / "_static" / "images" / "pybarcode.png"


def frame_of(image: np.ndarray) -> np.ndarray:
    return cv2.resize(image, SIZE, interpolation=cv2.INTER_AREA)


def hand(seed: int = 0) -> np.ndarray:
    """A hand held over the empty desk: a palm and four fingers, skin-toned, softly lit."""
    rng = np.random.default_rng(seed)
    grey = np.clip(desk(SIZE, rng), 0, 255).astype(np.uint8)
    frame = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    skin = (120, 160, 210)
    cv2.ellipse(frame, (640, 470), (150, 190), 0, 0, 360, skin, -1)
    for i, x in enumerate((520, 600, 680, 760)):
        cv2.line(frame, (x, 380), (int(x + (i - 1.5) * 25), int(140 + abs(i - 1.5) * 40)), skin, 60)
    cv2.line(frame, (500, 520), (360, 420), skin, 60)  # the thumb
    return cv2.GaussianBlur(frame, (0, 0), 3)


CARDS = [
    CardScene(),
    CardScene(width_share=0.35, angle=-25, offset=(-200, 40)),
    CardScene(width_share=0.75, angle=6),
    CardScene(angle=15, tilt=0.25, blur=1.5, noise=6, seed=3),
    CardScene(width_share=0.45, angle=-9, tilt=0.15, offset=(180, -60), noise=4, seed=5),
]


@pytest.mark.parametrize("scene", CARDS, ids=str)
def test_a_card_under_the_camera_is_a_document(scene):
    frame = render_card(scene)
    corners = find_document(frame)
    assert len(corners) == 4
    # The corners found are the card's: their box covers about the card's share of the frame.
    xs = [x for x, _ in corners]
    assert (max(xs) - min(xs)) >= SIZE[0] * scene.width_share * 0.8


def test_a_card_printed_with_artwork_from_elsewhere_is_a_document():
    art = cv2.imread(str(PYBARCODE_ART))
    assert art is not None, PYBARCODE_ART
    assert find_document(frame_of(art)) == ()  # the artwork alone, filling the frame: no document
    assert find_document(render_card(CardScene(angle=-7, tilt=0.1, art=art))) != ()


REFUSED = {
    "grey frame (the simulator's empty desk)": np.full((SIZE[1], SIZE[0], 3), 96, np.uint8),
    "black frame": np.zeros((SIZE[1], SIZE[0], 3), np.uint8),
    "white frame": np.full((SIZE[1], SIZE[0], 3), 250, np.uint8),
    "noise": np.random.default_rng(1).integers(0, 256, (SIZE[1], SIZE[0], 3), dtype=np.uint8),
    "empty desk": cv2.cvtColor(np.clip(desk(SIZE, np.random.default_rng(2)), 0, 255).astype(np.uint8),
                               cv2.COLOR_GRAY2BGR),
    "blurred card (a wall out of focus)": render_card(CardScene(blur=25.0)),
    "a hand": hand(),
    "a booking QR code held up": render(Scene(booking_payload(np.random.default_rng(4)), Symbology.QR,
                                              module_px=7, angle=10)),
}  # fmt: skip


@pytest.mark.parametrize("name", REFUSED)
def test_frames_without_a_document_are_refused(name):
    assert find_document(REFUSED[name]) == ()
    assert inspect(REFUSED[name]).content is PhotoContent.NOTHING


def test_a_picture_from_elsewhere_without_a_document_is_refused():
    image = cv2.imread(str(KIVY_BACKGROUND))
    assert image is not None, KIVY_BACKGROUND
    assert find_document(frame_of(image)) == ()


def test_inspect_keeps_the_jpeg_and_the_corners():
    photo = inspect(render_card(CardScene(angle=5)))
    assert photo.content is PhotoContent.DOCUMENT and len(photo.region) == 4
    decoded = cv2.imdecode(np.frombuffer(photo.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (SIZE[1], SIZE[0], 3)


def test_sim_camera_photographs_an_empty_desk_or_a_card():
    dev = SimulatedCamera("camera", SimulatedCamera.Options(fps=30, width=1280, height=720))
    dev.start().result(timeout=5)
    try:
        deadline = time.monotonic() + 5
        while dev.preview().frame is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert dev.photograph().content is PhotoContent.NOTHING  # the simulator's grey desk
        dev.show_card(angle=-6)
        time.sleep(0.2)  # a few frames at 30 fps: the card is the newest
        assert dev.photograph().content is PhotoContent.DOCUMENT
    finally:
        dev.shutdown()
    # With id_card = true (to try the ID photo in `make run`) the card lies there from the start.
    dev = SimulatedCamera("camera", SimulatedCamera.Options(fps=30, id_card=True))
    dev.start().result(timeout=5)
    try:
        deadline = time.monotonic() + 5
        while dev.preview().frame is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert dev.photograph().content is PhotoContent.DOCUMENT
    finally:
        dev.shutdown()


def test_the_check_takes_milliseconds_per_frame():
    frames = [render_card(c) for c in CARDS] + list(REFUSED.values())
    start = time.perf_counter()
    for frame in frames * 4:
        find_document(frame)
    per_frame = (time.perf_counter() - start) / (len(frames) * 4)
    assert per_frame < 0.1, f"{per_frame * 1000:.1f} ms per 1280x720 frame"
