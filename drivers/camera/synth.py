"""Generated camera frames: a code on a card or phone screen, as a cheap webcam would see it.

The simulated camera plays these; tests and the bench use them to measure the decoder under tilt,
blur, noise, dim light, glare and phone screens (inverted or low-contrast codes).
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


def render(scene: Scene) -> np.ndarray:
    """One BGR frame of ``scene``; deterministic for a given seed."""
    rng = np.random.default_rng(scene.seed)
    width, height = scene.size
    # A desk-like background: a gentle gradient with some texture.
    ramp = np.linspace(70, 130, width, dtype=np.float32)[None, :]
    frame = np.repeat(ramp, height, axis=0) + rng.normal(0, 6, (height, width)).astype(np.float32)
    frame = cv2.GaussianBlur(frame, (0, 0), 2)

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
