"""Light types shared by the camera driver, its options and the UI; importing this loads no OpenCV."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Symbology(enum.StrEnum):
    QR = "qr"
    PDF417 = "pdf417"
    DATAMATRIX = "datamatrix"
    CODE128 = "code128"


class ScanHint(enum.StrEnum):
    """What the preview tells the guest. The UI translates these; the driver only decides."""

    SHOW_CODE = "show_code"  # nothing code-like in view
    MOVE_CLOSER = "move_closer"  # a code is there but too small to read
    HOLD_STILL = "hold_still"  # a code is there at a readable size but blurred or moving
    FOUND = "found"  # read; decoding has stopped


Point = tuple[float, float]


@dataclass(frozen=True)
class DecodedCode:
    symbology: Symbology
    raw: bytes = field(repr=False)  # payload bytes exactly as decoded; separators intact
    corners: tuple[Point, ...] = ()  # in frame pixels, for the preview's guide frame
    via: str = "zxing"  # "zxing", "deskew" or "opencv": which stage read it


@dataclass(frozen=True)
class FrameResult:
    codes: tuple[DecodedCode, ...]
    hint: ScanHint
    region: tuple[Point, ...] = ()  # where a code seems to be, decoded or not
