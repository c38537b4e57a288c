"""Receipt document -> ESC/POS bytes, through python-escpos's command layer (its Dummy printer).

Styles are sent only when they change, and QR codes go native (GS ( k) where the profile allows:
a receipt for a 9600-baud serial printer has to stay small. Text keeps the profile's margin on both
sides: it is laid out in spaces within the margins (every printer prints a space; not every one
honours GS L / GS W), and images are centred by ESC a.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache

from escpos.constants import QR_ECLEVEL_H, QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q
from escpos.printer import Dummy
from PIL import Image

from drivers.printer.document import (
    Align,
    Barcode,
    Cut,
    Element,
    Feed,
    Logo,
    QRCode,
    Receipt,
    Row,
    Separator,
    Text,
    Title,
)
from drivers.printer.profiles import PrinterProfile
from drivers.printer.text import PrintableText

_EC_LEVELS = {"L": QR_ECLEVEL_L, "M": QR_ECLEVEL_M, "Q": QR_ECLEVEL_Q, "H": QR_ECLEVEL_H}


@lru_cache(maxsize=8)
def _printable_text(profile: PrinterProfile) -> PrintableText:
    return PrintableText(profile.code_pages)


@dataclass
class _Style:
    align: Align = "left"
    bold: bool = False
    underline: bool = False
    double: bool = False


class _Renderer:
    def __init__(self, profile: PrinterProfile, native_qr: bool) -> None:
        self.profile = profile
        self.native_qr = native_qr
        self.text = _printable_text(profile)
        self.out = Dummy(profile=profile.escpos_profile(), magic_encode_args={"encoder": self.text.encoder()})
        self.style = _Style()

    def set_style(self, style: _Style) -> None:
        """Send only what differs from the printer's current style."""
        cur = self.style
        self.out.set(
            align=style.align if style.align != cur.align else None,
            bold=style.bold if style.bold != cur.bold else None,
            underline=int(style.underline) if style.underline != cur.underline else None,
            double_width=style.double if style.double != cur.double else None,
            double_height=style.double if style.double != cur.double else None,
            normal_textsize=(not style.double) if style.double != cur.double else None,
        )
        self.style = style

    def margin(self, double: bool = False) -> int:
        margin = self.profile.margin_chars
        return -(-margin // 2) if double else margin

    def columns(self, double: bool = False) -> int:
        """The characters of a line between the margins."""
        return self.profile.chars_per_line // (2 if double else 1) - 2 * self.margin(double)

    def textln(self, line: str, double: bool = False) -> None:
        self.out.textln((" " * self.margin(double) + line).rstrip())

    def lines(self, text: str, align: Align, style: _Style) -> None:
        self.set_style(style)
        width = self.columns(style.double)
        for paragraph in self.text.fit(text).split("\n"):
            for line in textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""]:
                placed = {"left": line.ljust, "center": line.center, "right": line.rjust}[align](width)
                self.textln(placed, style.double)

    def row(self, row: Row) -> None:
        self.set_style(_Style(bold=row.bold))
        width = self.columns()
        right = self.text.fit(row.right)[:width]
        left_lines = textwrap.wrap(self.text.fit(row.left), width) or [""]
        # The value goes on the label's last line when both fit, else on a line of its own.
        if len(left_lines[-1]) + 1 + len(right) > width:
            left_lines.append("")
        for line in left_lines[:-1]:
            self.textln(line)
        last = left_lines[-1]
        self.textln(last + right.rjust(width - len(last)))

    def qr(self, qr: QRCode) -> None:
        self.set_style(_Style(align="center"))
        # Blank lines above and below are the quiet zone a scanner needs.
        self.out.ln()
        if self.native_qr:
            ec = _EC_LEVELS[qr.error_correction]
            self.out.qr(qr.payload, ec=ec, size=qr.module_dots, native=True)
        else:
            self.raster_qr(qr)
        self.out.ln()

    def raster_qr(self, qr: QRCode) -> None:
        """The QR as a GS v 0 image, centred by ESC a (padding it to the paper width would triple
        the bytes). An even module size is sent at half resolution and printed in double-width,
        double-height mode: a quarter of the bytes for the same code on paper."""
        import zxingcpp  # its C++ encoder is ~20x faster than python-escpos's pure-Python one

        code = zxingcpp.create_barcode(
            qr.payload, zxingcpp.BarcodeFormat.QRCode, ec_level=qr.error_correction
        )
        halved = qr.module_dots % 2 == 0
        scale = qr.module_dots // 2 if halved else qr.module_dots
        pixels = memoryview(code.to_image(scale=scale, add_quiet_zones=False))
        image = Image.frombytes("L", (pixels.shape[1], pixels.shape[0]), pixels.tobytes())
        self.out.image(image, high_density_vertical=not halved, high_density_horizontal=not halved)

    def barcode(self, barcode: Barcode) -> None:
        self.set_style(_Style(align="center"))
        # _hw_barcode rather than barcode(): the public method prints a line to stdout.
        self.out._hw_barcode(
            "{B" + barcode.data,
            "CODE128",
            height=barcode.height_dots,
            width=barcode.module_dots,
            pos="BELOW",
            align_ct=False,
            function_type="B",
        )
        self.out.ln()

    def logo(self, logo: Logo) -> None:
        image = logo.image
        if image.width > self.profile.dots_per_line:
            height = round(image.height * self.profile.dots_per_line / image.width)
            image = image.resize((self.profile.dots_per_line, height), Image.Resampling.LANCZOS)
        # Centred by ESC a, like the raster QR, rather than padded to the paper width.
        self.set_style(_Style(align="center"))
        self.out.image(image)

    def element(self, element: Element) -> None:
        match element:
            case Title(text):
                self.lines(text, "center", _Style(bold=True, double=True))
            case Text(text, align, bold, underline, double):
                self.lines(text, align, _Style("left", bold, underline, double))
            case Row():
                self.row(element)
            case Separator(char):
                self.set_style(_Style())
                self.textln((self.text.fit(char) or "-")[0] * self.columns())
            case QRCode():
                self.qr(element)
            case Barcode():
                self.barcode(element)
            case Logo():
                self.logo(element)
            case Feed(lines):
                self.out.print_and_feed(lines)
            case Cut(partial):
                self.out.cut(mode="PART" if partial else "FULL")


def render(doc: Receipt, profile: PrinterProfile, *, native_qr: bool | None = None) -> bytes:
    """ESC/POS for ``doc``; ``native_qr`` overrides the profile (None: as the profile says)."""
    renderer = _Renderer(profile, profile.native_qr if native_qr is None else native_qr)
    renderer.out.hw("INIT")
    for element in doc.elements:
        renderer.element(element)
    return renderer.out.output
