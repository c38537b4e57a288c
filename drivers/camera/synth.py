"""Generated camera frames: a code on a card or phone screen, or an ID card laid under the camera,
as a cheap webcam would see them.

The simulated camera plays these; tests and the bench use them to measure the decoder under tilt,
blur, noise, dim light, glare and phone screens (inverted or low-contrast codes), and the ID photo
check (``drivers.camera.photo``) on cards and on frames without one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

import cv2
import numpy as np
import zxingcpp

from drivers.camera.decode import ZXING_FORMATS
from drivers.camera.types import Symbology
from drivers.idscan.aamva import encode_aamva


class Light(enum.StrEnum):
    NORMAL = "normal"
    DIM = "dim"
    GLARE = "glare"


class Surface(enum.StrEnum):
    PAPER = "paper"  # printed card or paper: dark modules on white
    INVERTED = "inverted"  # phone in dark mode: light modules on black
    LOW_CONTRAST = "low_contrast"  # phone screen at low brightness, seen at an angle


@dataclass(frozen=True)
class Scene:
    payload: bytes
    symbology: Symbology
    module_px: float = 3.0  # size of one module (QR cell, PDF417 row unit) in frame pixels
    angle: float = 0.0  # degrees, counter-clockwise
    blur: float = 0.0  # Gaussian sigma in pixels
    noise: float = 0.0  # Gaussian noise, standard deviation in grey levels
    light: Light = Light.NORMAL
    surface: Surface = Surface.PAPER
    offset: tuple[int, int] = (0, 0)  # code centre relative to the frame centre
    size: tuple[int, int] = (1280, 720)
    seed: int = 0
    columns: int = 0  # PDF417 data columns; 0: the writer's choice. Few columns make a narrow, tall code


def code_image(payload: bytes, symbology: Symbology, columns: int = 0) -> np.ndarray:
    """The bare symbol, one pixel per module, quiet zone included (0 = dark, 255 = light)."""
    # AAMVA asks for PDF417 error correction level 3 at least; the writer's default is lower.
    options: dict[str, int] = {"ec_level": 3} if symbology is Symbology.PDF417 else {}
    if columns:
        options["columns"] = columns
    barcode = zxingcpp.create_barcode(payload, ZXING_FORMATS[symbology], **options)
    return np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=1), dtype=np.uint8)


def desk(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """An empty desk under the camera: a gentle gradient with some texture (grey, float32)."""
    width, height = size
    ramp = np.linspace(70, 130, width, dtype=np.float32)[None, :]
    frame = np.repeat(ramp, height, axis=0) + rng.normal(0, 6, (height, width)).astype(np.float32)
    return cv2.GaussianBlur(frame, (0, 0), 2)


def render(scene: Scene) -> np.ndarray:
    """One BGR frame of ``scene``; deterministic for a given seed."""
    rng = np.random.default_rng(scene.seed)
    width, height = scene.size
    frame = desk(scene.size, rng)

    code = code_image(scene.payload, scene.symbology, scene.columns).astype(np.float32)
    code = cv2.resize(code, None, fx=scene.module_px, fy=scene.module_px, interpolation=cv2.INTER_LINEAR)
    dark, light = {Surface.PAPER: (25, 235), Surface.INVERTED: (235, 15), Surface.LOW_CONTRAST: (95, 165)}[
        scene.surface
    ]
    code = dark + (light - dark) * (code / 255.0)
    border = int(6 * scene.module_px)
    card = cv2.copyMakeBorder(code, border, border, border, border, cv2.BORDER_CONSTANT, value=float(light))
    h, w = card.shape
    if scene.light is Light.DIM:
        frame = frame * 0.3 + 5
        if scene.surface is Surface.PAPER:  # a phone screen lights itself; paper does not
            card = card * 0.3 + 5
    cx, cy = width / 2 + scene.offset[0], height / 2 + scene.offset[1]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), scene.angle, 1.0)
    m[0, 2] += cx - w / 2
    m[1, 2] += cy - h / 2
    cv2.warpAffine(card, m, (width, height), dst=frame, borderMode=cv2.BORDER_TRANSPARENT)

    if scene.light is Light.GLARE:
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        gx, gy = cx + w * 0.3, cy - h * 0.2
        frame = frame + 110 * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * (0.25 * w) ** 2))
    if scene.blur:
        frame = cv2.GaussianBlur(frame, (0, 0), scene.blur)
    if scene.noise:
        frame = frame + rng.normal(0, scene.noise, frame.shape).astype(np.float32)
    gray = np.clip(frame, 0, 255).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def booking_payload(rng: np.random.Generator) -> bytes:
    """A booking token of the real shape (its signature is random: the kiosk never checks it)."""
    alphabet = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", np.uint8)
    reservation = rng.bytes(16).hex()
    signature = bytes(rng.choice(alphabet, 22)).decode()
    return f"SBT1.HTL-{rng.integers(1, 99):02d}.{reservation}.{signature}".encode()


def licence_payload(rng: np.random.Generator) -> bytes:
    """An AAMVA licence of a random version with plausible elements."""
    names = ["SMITH", "GARCIA", "NGUYEN", "OCONNOR", "WILLIAMSON", "LEE", "PATEL", "KOWALSKI"]
    given = ["ANNA", "JOSE", "MINH", "SEAN", "MARIA", "JOHN", "PRIYA", "ZOFIA"]
    version = int(rng.integers(1, 11))
    year = int(rng.integers(1940, 2005))
    birth = f"{year}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}"
    expiry = f"{int(rng.integers(2020, 2034))}{int(rng.integers(1, 13)):02d}15"
    us_order = version >= 2  # MMDDCCYY from version 2 on, for US issuers
    if us_order:
        birth, expiry = birth[4:] + birth[:4], expiry[4:] + expiry[:4]
    elements = {
        "DAQ": f"{chr(65 + int(rng.integers(26)))}{int(rng.integers(10**7, 10**8))}",
        "DCS" if version >= 2 else "DAB": str(rng.choice(names)),
        "DAC": str(rng.choice(given)),
        "DBB": birth,
        "DBA": expiry,
        "DBC": str(rng.choice(["1", "2"])),
        "DAG": f"{int(rng.integers(1, 9999))} {rng.choice(['MAIN', 'OAK', 'ELM', 'HARBOR'])} ST",
        "DAI": str(rng.choice(["RICHMOND", "PORTLAND", "AUSTIN", "SALEM"])),
        "DAJ": str(rng.choice(["VA", "OR", "TX", "MA"])),
        "DAK": f"{int(rng.integers(10000, 99999))}0000  ",
        "DCG": "USA",
        "DCF": rng.bytes(8).hex().upper(),
    }
    return encode_aamva(elements, version=version, iin=f"6360{int(rng.integers(10, 99))}")


def varied_scenes(count: int, symbology: Symbology, seed: int = 0) -> list[Scene]:
    """A reproducible spread of what a kiosk camera meets: size, tilt up to 30 degrees, blur, noise,
    dim light and glare; QR codes also on phone screens (inverted, low contrast).
    """
    rng = np.random.default_rng(seed)
    scenes = []
    for i in range(count):
        if symbology is Symbology.PDF417:
            payload, module, surface = licence_payload(rng), float(rng.uniform(2.5, 4.0)), Surface.PAPER
        else:
            payload, module = booking_payload(rng), float(rng.uniform(4.0, 9.0))
            surface = Surface(rng.choice(list(Surface)))
        scenes.append(
            Scene(
                payload=payload,
                symbology=symbology,
                module_px=module,
                angle=float(rng.uniform(-30, 30)),
                blur=float(rng.choice([0.0, 0.6, 1.0, 1.4])),
                noise=float(rng.uniform(0, 6)),
                light=Light(rng.choice(list(Light))),
                surface=surface,
                offset=(int(rng.integers(-150, 150)), int(rng.integers(-80, 80))),
                seed=seed * 100_000 + i,
            )
        )
    return scenes


# The frame classes of the bench and the decoder tests, each drawn from ``varied_scenes``'s seeded
# spread and then put on the surface or at the size that makes it a class of its own.
FRAME_CLASSES = ("qr", "pdf417", "qr_dark_mode", "pdf417_dark_mode", "pdf417_tiny")


def class_scenes(name: str, count: int, seed: int = 0) -> list[Scene]:
    """``count`` scenes of one frame class: "qr" and "pdf417" as ``varied_scenes`` makes them; a
    phone in dark mode (light modules on black, lit by itself); a PDF417 of few columns at about
    one pixel per module (a licence held far away)."""
    symbology = Symbology.QR if name.startswith("qr") else Symbology.PDF417
    # The two base classes keep varied_scenes's own seed; each new class draws its own spread.
    scenes = varied_scenes(count, symbology, seed=seed + 1000 * max(FRAME_CLASSES.index(name) - 1, 0))
    rng = np.random.default_rng(seed)
    if name.endswith("dark_mode"):
        return [replace(s, surface=Surface.INVERTED) for s in scenes]
    if name == "pdf417_tiny":
        return [
            replace(s, module_px=float(rng.uniform(1.0, 1.4)), columns=int(rng.integers(3, 6)))
            for s in scenes
        ]
    return scenes


ID1_MM = (85.60, 53.98)  # ISO/IEC 7810 ID-1: bank cards, most national ID cards


@dataclass(frozen=True)
class CardScene:
    """An ID card (ID-1, no machine-readable lines) laid on the desk under the camera."""

    width_share: float = 0.5  # the card's width as a share of the frame's
    angle: float = 0.0  # degrees, counter-clockwise
    tilt: float = 0.0  # perspective: the far edge this share shorter than the near one
    blur: float = 0.0
    noise: float = 0.0
    offset: tuple[int, int] = (0, 0)
    size: tuple[int, int] = (1280, 720)
    seed: int = 0
    art: np.ndarray | None = None  # a picture printed on the card (grey or BGR), e.g. another's


def card_face(width: int, rng: np.random.Generator, art: np.ndarray | None = None) -> np.ndarray:
    """The card's printed face at ``width`` pixels: a header band, a portrait, lines of text."""
    height = round(width * ID1_MM[1] / ID1_MM[0])
    face = np.full((height, width), 228, np.uint8)
    u = width / 100
    face[: int(14 * u)] = 175  # the issuer's band, printed in a light colour
    cv2.putText(face, "REPUBLIK", (int(4 * u), int(10 * u)), cv2.FONT_HERSHEY_SIMPLEX, u / 22, 40, 2)
    portrait = (int(66 * u), int(20 * u), int(94 * u), int(58 * u))
    face[portrait[1] : portrait[3], portrait[0] : portrait[2]] = 150
    centre = ((portrait[0] + portrait[2]) // 2, (portrait[1] + portrait[3]) // 2)
    cv2.ellipse(face, centre, (int(9 * u), int(12 * u)), 0, 0, 360, 95, -1)
    for i in range(5):
        words = "".join(chr(65 + int(c)) for c in rng.integers(0, 26, int(rng.integers(6, 12))))
        y = int((22 + 8 * i) * u)
        cv2.putText(face, words, (int(4 * u), y), cv2.FONT_HERSHEY_SIMPLEX, u / 16, 35, 2)
    if art is not None:
        grey = cv2.cvtColor(art, cv2.COLOR_BGR2GRAY) if art.ndim == 3 else art
        box = (int(4 * u), int(60 * u), int(60 * u), height - int(3 * u))
        fitted = cv2.resize(grey, (box[2] - box[0], box[3] - box[1]), interpolation=cv2.INTER_AREA)
        face[box[1] : box[3], box[0] : box[2]] = fitted
    return face.astype(np.float32)


def render_card(scene: CardScene) -> np.ndarray:
    """One BGR frame of the card on the desk; deterministic for a given seed."""
    rng = np.random.default_rng(scene.seed)
    width, height = scene.size
    frame = desk(scene.size, rng)
    card = card_face(int(width * scene.width_share), rng, scene.art)
    h, w = card.shape
    inset = w * scene.tilt / 2
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[inset, 0], [w - inset, 0], [w, h], [0, h]])
    # Tilt, then turn about the card's centre, then place it in the frame.
    cx, cy = width / 2 + scene.offset[0], height / 2 + scene.offset[1]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), scene.angle, 1.0)
    turn[0, 2] += cx - w / 2
    turn[1, 2] += cy - h / 2
    placed = cv2.transform(dst[None], turn)[0].astype(np.float32)
    warp = cv2.getPerspectiveTransform(src, placed)
    cv2.warpPerspective(card, warp, (width, height), dst=frame, borderMode=cv2.BORDER_TRANSPARENT)
    if scene.blur:
        frame = cv2.GaussianBlur(frame, (0, 0), scene.blur)
    if scene.noise:
        frame = frame + rng.normal(0, scene.noise, frame.shape).astype(np.float32)
    return cv2.cvtColor(np.clip(frame, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
