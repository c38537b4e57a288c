"""The receipt document model: what a journey builds instead of bytes.

A receipt is a flat sequence of elements; ``drivers.printer.render`` turns it into ESC/POS for a
given printer profile. Elements hold plain Unicode text; fitting it to the printer's code pages is
the renderer's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PIL import Image

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Title:
    """Centred, bold, double-size heading."""

    text: str


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper width."""

    text: str
    align: Align = "left"
    bold: bool = False
    underline: bool = False
    double: bool = False


@dataclass(frozen=True)
class Row:
    """Two columns: a label on the left, a value (an amount, a room number) flush right."""

    left: str
    right: str
    bold: bool = False


@dataclass(frozen=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True)
class QRCode:
    payload: str
    module_dots: int = 6
    error_correction: Literal["L", "M", "Q", "H"] = "M"


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode with its text below."""

    data: str
    height_dots: int = 80
    module_dots: int = 2

    def __post_init__(self) -> None:
        if not (self.data.isascii() and self.data.isprintable() and 0 < len(self.data) <= 250):
            raise ValueError(f"CODE128 takes 1-250 printable ASCII characters, not {self.data!r}")


@dataclass(frozen=True)
class Logo:
    """An image printed as a raster, centred and scaled down to the paper width if wider."""

    image: Image.Image


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    partial: bool = True


Element = Title | Text | Row | Separator | QRCode | Barcode | Logo | Feed | Cut


@dataclass(frozen=True)
class Receipt:
    """A document to print. ``kind`` names it in the print journal (e.g. "checkin", "payment")."""

    elements: tuple[Element, ...]
    kind: str = "receipt"

    def qr_payloads(self) -> list[str]:
        return [e.payload for e in self.elements if isinstance(e, QRCode)]
