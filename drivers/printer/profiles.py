"""Printer profiles: what a receipt printer model can do, as far as the renderer cares.

``code_pages`` maps a python-escpos encoding name to the printer's ``ESC t`` number, in the order
the encoder should try them; the numbers are the printer's own (they differ between vendors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from escpos.capabilities import Profile


# eq=False: profiles are singletons, hashed by identity (the renderer caches per profile).
@dataclass(frozen=True, eq=False)
class PrinterProfile:
    name: str
    paper_mm: int
    dots_per_line: int
    chars_per_line: int  # font A, 12 x 24 dots
    dpi: int
    native_qr: bool
    code_pages: Mapping[str, int]
    cutter: bool = True
    # Blank columns kept on each side of the text: a thermal head prints to the paper's edge.
    margin_chars: int = 1

    @property
    def char_width(self) -> int:
        return self.dots_per_line // self.chars_per_line

    def escpos_profile(self) -> Profile:
        """The same facts as a python-escpos capability profile, for its command layer."""
        profile = Profile(
            columns=self.chars_per_line,
            features={
                "barcodeB": True,
                "bitImageRaster": True,
                "highDensity": True,
                "paperFullCut": self.cutter,
                "paperPartCut": self.cutter,
                "qrCode": self.native_qr,
            },
        )
        data: dict[str, Any] = {
            "name": self.name,
            "media": {
                "dpi": self.dpi,
                "width": {"mm": self.paper_mm, "pixels": self.dots_per_line},
            },
            "fonts": {"0": {"name": "Font A", "columns": self.chars_per_line}},
            "codePages": {str(n): name for name, n in self.code_pages.items()},
            "features": profile.features,
        }
        profile.profile_data = data
        return profile


# An Epson TM-T20II/TM-T88-class 80 mm printer: 576 dots at 203 dpi, native QR (GS ( k), and
# TCVN-3 pages so Vietnamese names print with their tone marks.
PROFILE_80MM = PrinterProfile(
    name="80mm",
    paper_mm=80,
    dots_per_line=576,
    chars_per_line=48,
    dpi=203,
    native_qr=True,
    margin_chars=2,
    code_pages={
        "CP437": 0,
        "CP858": 19,
        "CP1252": 16,
        "CP852": 18,
        "CP1250": 45,
        "TCVN-3-1": 30,
        "TCVN-3-2": 31,
        "CP1258": 52,
        "CP1254": 48,
        "CP1257": 51,
        "CP866": 17,
        "CP1251": 46,
        "ISO_8859-7": 15,
    },
)

# A typical 58 mm kiosk printer (POS-5890 class): 384 dots, no native QR, fewer code pages.
PROFILE_58MM = PrinterProfile(
    name="58mm",
    paper_mm=58,
    dots_per_line=384,
    chars_per_line=32,
    dpi=203,
    native_qr=False,
    code_pages={
        "CP437": 0,
        "CP858": 19,
        "CP1252": 16,
        "CP852": 18,
        "CP1250": 72,
        "CP1258": 94,
        "CP866": 17,
        "CP1251": 73,
    },
)

PROFILES: dict[str, PrinterProfile] = {p.name: p for p in (PROFILE_80MM, PROFILE_58MM)}
