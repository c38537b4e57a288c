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


class PhotoContent(enum.StrEnum):
    """What a photo taken for the desk shows, as far as the camera can tell."""

    DOCUMENT = "document"  # a card- or page-shaped document fills a fair share of the frame
    NOTHING = "nothing"  # an empty desk, a grey or dark frame, a wall, a hand: no document


@dataclass(frozen=True)
class IdPhoto:
    """A photo of an ID document for the desk to verify, and what was found in it."""

    jpeg: bytes = field(repr=False)
    content: PhotoContent
    region: tuple[Point, ...] = ()  # the document's corners in frame pixels
