"""The virtual receipt printer: an ESC/POS interpreter that renders receipts to images.

It parses the bytes a real printer would get (text, styles, alignment, code pages, GS v 0 raster
images, GS ( k native QR, GS k barcodes, cuts) and draws them at the profile's dots per line; each
cut yields one receipt image. It answers DLE EOT like a real printer, and can be switched to paper
near end / out / cover open / offline (silent) / garbled answers. Feed it bytes with ``feed()``;
``drivers.sim.printer_server`` puts it behind TCP or a pty.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import barcode
import qrcode
from barcode.writer import ImageWriter
from escpos.magicencode import Encoder
from PIL import Image, ImageDraw, ImageFont, ImageOps

from drivers.printer.profiles import PROFILE_80MM, PrinterProfile

log = logging.getLogger(__name__)

FONT_PATH = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansMono-Regular.ttf"
CELL_HEIGHT = 24  # font A is 12 x 24 dots on 203-dpi printers
DEFAULT_LINE_DOTS = 30
_QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M}
_QR_EC |= {50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}
_GARBLED = b"\xa5"  # fails the fixed bits every status byte has
KEPT_RECEIPTS = 100  # in memory; a long-running printer-sim has them on disk


class Paper(enum.StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"


@dataclass
class Faults:
    """What the virtual printer pretends is wrong with it."""

    paper: Paper = Paper.OK
    cover_open: bool = False
    offline: bool = False  # neither prints nor answers, like a printer that is switched off
    garbled: bool = False  # answers status requests with bytes that are not a status
    paper_left_dots: int | None = None  # paper runs out after this many more dots of printing


FAULT_COMMANDS = "paper ok|near_end|out, cover open|closed, offline on|off, garbled on|off, paper-left DOTS"


def parse_fault_command(line: str) -> dict[str, object]:
    """A technician's one-line switch, e.g. "paper out" -> {"paper": Paper.OUT}."""
    match line.split():
        case ["paper", state] if state in Paper.__members__.values():
            return {"paper": Paper(state)}
        case ["cover", "open" | "closed" as state]:
            return {"cover_open": state == "open"}
        case ["offline" | "garbled" as what, "on" | "off" as state]:
            return {what: state == "on"}
        case ["paper-left", dots] if dots.isdigit():
            return {"paper_left_dots": int(dots)}
    raise ValueError(f"not a fault command: {line.strip()!r} (try: {FAULT_COMMANDS})")


@dataclass(frozen=True)
class _Style:
    bold: bool = False
    underline: bool = False
    width: int = 1
    height: int = 1
    invert: bool = False


@dataclass
class PrintedReceipt:
    image: Image.Image
    text: str  # the decoded text lines, for tests and logs
    path: Path | None = None


@dataclass
class _Page:
    rows: list[Image.Image] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), 20)


@lru_cache(maxsize=4096)
def _glyph(char: str, char_width: int, style: _Style) -> Image.Image:
    cell = Image.new("L", (char_width, CELL_HEIGHT), 255)
    draw = ImageDraw.Draw(cell)
    draw.text((char_width / 2, CELL_HEIGHT - 5), char, font=_font(), fill=0, anchor="ms")
    if style.bold:
        draw.text((char_width / 2 + 1, CELL_HEIGHT - 5), char, font=_font(), fill=0, anchor="ms")
    if style.underline:
        draw.line((0, CELL_HEIGHT - 2, char_width, CELL_HEIGHT - 2), fill=0, width=2)
    if style.invert:
        cell = ImageOps.invert(cell)
    if style.width > 1 or style.height > 1:
        cell = cell.resize((char_width * style.width, CELL_HEIGHT * style.height), Image.Resampling.NEAREST)
    return cell


class VirtualPrinter:
    def __init__(
        self,
        profile: PrinterProfile = PROFILE_80MM,
        out_dir: Path | None = None,
        on_receipt: Callable[[PrintedReceipt], None] | None = None,
    ) -> None:
        self.profile = profile
        self.out_dir = out_dir
        self.on_receipt = on_receipt
        self.faults = Faults()
        self.receipts: list[PrintedReceipt] = []  # the newest KEPT_RECEIPTS
        self.printed = 0
        self.unknown_commands: list[bytes] = []
        self._code_pages = {n: name for name, n in profile.code_pages.items()}
        self._charmaps: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._buf = bytearray()
        self._page = _Page()
        self._reset()

    # -- control -----------------------------------------------------------------------------

    def set_faults(self, **changes: object) -> None:
        """Switch faults, e.g. ``set_faults(paper=Paper.OUT)`` or ``set_faults(offline=True)``."""
        with self._lock:
            self.faults = replace(self.faults, **changes)

    def feed(self, data: bytes) -> bytes:
        """Interpret bytes from the host; returns what the printer sends back."""
        with self._lock:
            if self.faults.offline:
                return b""
            self._buf += data
            answers = bytearray()
            pos = 0
            while pos < len(self._buf):
                used = self._command(pos, answers)
                if used == 0:  # incomplete command: wait for more bytes
                    break
                pos += used
            del self._buf[:pos]
            return bytes(answers)

    def end_of_job(self) -> None:
        """The host disconnected: a page with content but no cut still comes out."""
        with self._lock:
            self._flush_line()
            if not self._page.empty:
                self._finish_page()

    # -- state -------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._style = _Style()
        self._align = 0
        self._line_dots = DEFAULT_LINE_DOTS
        self._encoding = self._code_pages.get(0, "CP437")
        self._line: list[tuple[str, _Style]] = []
        self._qr_module = 3
        self._qr_ec = 48
        self._qr_data = b""
        self._bc_height = 162
        self._bc_width = 3
        self._bc_hri = 0

    def _can_print(self) -> bool:
        return self.faults.paper is not Paper.OUT and not self.faults.cover_open

    # -- status ------------------------------------------------------------------------------

    def _status_byte(self, n: int) -> bytes:
        f = self.faults
        out = f.paper is Paper.OUT
        if n == 1:
            value = 0x12 | (0x08 if out or f.cover_open else 0)
        elif n == 2:
            value = 0x12 | (0x04 if f.cover_open else 0) | (0x20 if out else 0)
        elif n == 3:
            value = 0x12
        elif n == 4:
            value = 0x12 | (0x60 if out else 0x0C if f.paper is Paper.NEAR_END else 0)
        else:
            return b""
        return _GARBLED if f.garbled else bytes((value,))

    # -- parser ------------------------------------------------------------------------------

    def _command(self, pos: int, answers: bytearray) -> int:
        """Interpret one command at ``pos``; returns the bytes used, 0 if it is incomplete."""
        buf = self._buf
        b = buf[pos]
        if b == 0x0A:
            self._print_line()
            return 1
        if b == 0x0D:
            return 1
        if b == 0x09:
            self._text(" " * (8 - len(self._line) % 8))
            return 1
        if b == 0x10:
            return self._dle(pos, answers)
        if b == 0x1B:
            return self._esc(pos)
        if b == 0x1D:
            return self._gs(pos)
        if b < 0x20:
            self.unknown_commands.append(bytes((b,)))
            return 1
        end = pos
        while end < len(buf) and buf[end] >= 0x20:
            end += 1
        self._text(self._decode(bytes(buf[pos:end])))
        return end - pos

    def _need(self, pos: int, n: int) -> bool:
        return pos + n <= len(self._buf)

    def _dle(self, pos: int, answers: bytearray) -> int:
        if not self._need(pos, 3):
            return 0
        cmd, n = self._buf[pos + 1], self._buf[pos + 2]
        if cmd == 0x04:
            answers += self._status_byte(n)
            return 3
        if cmd == 0x05:  # DLE ENQ n: recover from error; nothing to answer
            return 3
        if cmd == 0x14:  # DLE DC4 fn m t
            return 5 if self._need(pos, 5) else 0
        self.unknown_commands.append(bytes(self._buf[pos : pos + 2]))
        return 2

    def _esc(self, pos: int) -> int:
        if not self._need(pos, 2):
            return 0
        cmd = chr(self._buf[pos + 1])
        if cmd == "@":
            self._flush_line()
            self._reset()
            return 2
        if cmd == "2":
            self._line_dots = DEFAULT_LINE_DOTS
            return 2
        # Commands with one parameter byte.
        if cmd not in "E-!atdJM3GVR{c":
            self.unknown_commands.append(bytes(self._buf[pos : pos + 2]))
            return 2
        if not self._need(pos, 3):
            return 0
        n = self._buf[pos + 2]
        match cmd:
            case "E" | "G":
                self._style = replace(self._style, bold=bool(n & 1))
            case "-":
                self._style = replace(self._style, underline=bool(n & 3))
            case "!":
                self._style = replace(
                    self._style,
                    bold=bool(n & 0x08),
                    height=2 if n & 0x10 else 1,
                    width=2 if n & 0x20 else 1,
                    underline=bool(n & 0x80),
                )
            case "a":
                self._align = n % 48 if n >= 48 else n
            case "t":
                self._encoding = self._code_pages.get(n, "")
                if not self._encoding:
                    self.unknown_commands.append(b"\x1bt" + bytes((n,)))
            case "d":
                self._flush_line()
                self._feed(n * self._line_dots)
            case "J":
                self._flush_line()
                self._feed(n)
            case "3":
                self._line_dots = max(n, 1)
            case "c":  # ESC c 5 n etc. take two more bytes
                return 4 if self._need(pos, 4) else 0
        return 3

    def _gs(self, pos: int) -> int:
        if not self._need(pos, 2):
            return 0
        cmd = chr(self._buf[pos + 1])
        if cmd == "V":
            if not self._need(pos, 3):
                return 0
            m = self._buf[pos + 2]
            used = 4 if m in (65, 66, 97, 98, 103, 104) else 3
            if not self._need(pos, used):
                return 0
            self._cut()
            return used
        if cmd == "v":
            return self._raster(pos)
        if cmd == "(":
            return self._extended(pos)
        if cmd == "k":
            return self._barcode(pos)
        if cmd in "!BhwHfrab":
            if not self._need(pos, 3):
                return 0
            n = self._buf[pos + 2]
            match cmd:
                case "!":
                    self._style = replace(self._style, width=(n >> 4) + 1, height=(n & 0x0F) + 1)
                case "B":
                    self._style = replace(self._style, invert=bool(n & 1))
                case "h":
                    self._bc_height = n
                case "w":
                    self._bc_width = n
                case "H":
                    self._bc_hri = n % 48 if n >= 48 else n
            return 3
        if cmd in "LW":  # left margin / print area: two parameter bytes, not modelled
            return 4 if self._need(pos, 4) else 0
        self.unknown_commands.append(bytes(self._buf[pos : pos + 2]))
        return 2

    def _raster(self, pos: int) -> int:
        """GS v 0 m xL xH yL yH d1...dk"""
        if not self._need(pos, 8):
            return 0
        buf = self._buf
        mode = buf[pos + 3] % 48 if buf[pos + 3] >= 48 else buf[pos + 3]
        width_bytes = buf[pos + 4] | buf[pos + 5] << 8
        height = buf[pos + 6] | buf[pos + 7] << 8
        size = width_bytes * height
        if not self._need(pos, 8 + size):
            return 0
        data = bytes(buf[pos + 8 : pos + 8 + size])
        # In ESC/POS a set bit is a black dot; in Pillow's "1" mode it is white.
        image = ImageOps.invert(Image.frombytes("1", (width_bytes * 8, height), data).convert("L"))
        if mode & 1:
            image = image.resize((image.width * 2, image.height), Image.Resampling.NEAREST)
        if mode & 2:
            image = image.resize((image.width, image.height * 2), Image.Resampling.NEAREST)
        self._flush_line()
        self._place(image)
        return 8 + size

    def _extended(self, pos: int) -> int:
        """GS ( k (2D codes) and other GS ( x pL pH ... commands."""
        if not self._need(pos, 5):
            return 0
        buf = self._buf
        length = buf[pos + 3] | buf[pos + 4] << 8
        if not self._need(pos, 5 + length):
            return 0
        body = bytes(buf[pos + 5 : pos + 5 + length])
        if chr(buf[pos + 2]) != "k" or len(body) < 2 or body[0] != 49:  # cn 49: QR code
            self.unknown_commands.append(bytes(buf[pos : pos + 3]))
            return 5 + length
        fn = body[1]
        if fn == 67:
            self._qr_module = body[2]
        elif fn == 69:
            self._qr_ec = body[2]
        elif fn == 80:
            self._qr_data = body[3:]
        elif fn == 81:
            self._flush_line()
            self._print_qr()
        return 5 + length

    def _print_qr(self) -> None:
        code = qrcode.QRCode(
            error_correction=_QR_EC.get(self._qr_ec, qrcode.constants.ERROR_CORRECT_L),
            box_size=max(self._qr_module, 1),
            border=0,  # real printers add no quiet zone; the receipt's margins and feeds are it
        )
        code.add_data(self._qr_data)
        code.make(fit=True)
        self._place(code.make_image().get_image().convert("L"))

    def _barcode(self, pos: int) -> int:
        """GS k m d1...dk NUL (m 0..6) or GS k m n d1...dn (m 65..79)."""
        if not self._need(pos, 3):
            return 0
        buf = self._buf
        m = buf[pos + 2]
        if m <= 6:
            end = buf.find(b"\x00", pos + 3)
            if end < 0:
                return 0
            data, used = bytes(buf[pos + 3 : end]), end + 1 - pos
        else:
            if not self._need(pos, 4):
                return 0
            n = buf[pos + 3]
            if not self._need(pos, 4 + n):
                return 0
            data, used = bytes(buf[pos + 4 : pos + 4 + n]), 4 + n
        if m != 73:
            self.unknown_commands.append(bytes(buf[pos : pos + 3]))
            return used
        text = data.decode("ascii", "replace")
        if text[:1] == "{":  # code set selection, e.g. "{B"
            text = text[2:]
        self._flush_line()
        mm_per_dot = 25.4 / self.profile.dpi
        code = barcode.get_barcode_class("code128")(text, writer=ImageWriter())
        image = code.render(
            writer_options={
                "module_width": self._bc_width * mm_per_dot,
                "module_height": self._bc_height * mm_per_dot,
                "quiet_zone": 2,
                "dpi": self.profile.dpi,
                "write_text": False,
            }
        ).convert("L")
        self._place(image)
        if self._bc_hri in (2, 3):
            saved, self._line = self._line, [(c, _Style()) for c in text]
            self._print_line()
            self._line = saved
        return used

    # -- text --------------------------------------------------------------------------------

    def _charmap(self, encoding: str) -> list[str]:
        if encoding not in self._charmaps:
            self._charmaps[encoding] = Encoder._get_codepage_char_list(encoding)
        return self._charmaps[encoding]

    def _decode(self, data: bytes) -> str:
        if not self._encoding:
            return "\ufffd" * len(data)
        high = self._charmap(self._encoding)
        return "".join(chr(b) if b < 0x80 else high[b - 0x80] for b in data)

    def _text(self, text: str) -> None:
        per_line = self.profile.chars_per_line
        for char in text:
            used = sum(style.width for _, style in self._line)
            if used + self._style.width > per_line:  # real printers wrap at the paper edge
                self._print_line()
            self._line.append((char, self._style))

    def _flush_line(self) -> None:
        if self._line:
            self._print_line()

    def _print_line(self) -> None:
        cw = self.profile.char_width
        height = max([CELL_HEIGHT * s.height for _, s in self._line] + [CELL_HEIGHT])
        height = max(height + self._line_dots - CELL_HEIGHT, height)
        width = sum(cw * s.width for _, s in self._line)
        row = Image.new("L", (max(width, 1), height), 255)
        x = 0
        for char, style in self._line:
            glyph = _glyph(char, cw, style)
            row.paste(glyph, (x, height - glyph.height - (self._line_dots - CELL_HEIGHT) // 2))
            x += glyph.width
        self._page.text.append("".join(c for c, _ in self._line).rstrip())
        self._line = []
        self._place(row)

    def _feed(self, dots: int) -> None:
        if dots > 0:
            self._place(Image.new("L", (1, dots), 255))

    def _place(self, image: Image.Image) -> None:
        """Add one band to the page at the current alignment, using up paper."""
        if not self._can_print():
            return
        left = self.profile.dots_per_line - image.width
        x = 0 if self._align == 0 else max(left // 2 if self._align == 1 else left, 0)
        band = Image.new("L", (self.profile.dots_per_line, image.height), 255)
        band.paste(image.crop((0, 0, min(image.width, self.profile.dots_per_line), image.height)), (x, 0))
        if self.faults.paper_left_dots is not None:
            left_dots = self.faults.paper_left_dots
            if image.height >= left_dots:
                band = band.crop((0, 0, band.width, max(left_dots, 0)))
                self.faults = replace(self.faults, paper=Paper.OUT, paper_left_dots=None)
            else:
                self.faults = replace(self.faults, paper_left_dots=left_dots - image.height)
        if band.height:
            self._page.rows.append(band)

    # -- pages -------------------------------------------------------------------------------

    def _cut(self) -> None:
        self._flush_line()
        if self._can_print() or not self._page.empty:
            self._finish_page()

    def _finish_page(self) -> None:
        page, self._page = self._page, _Page()
        height = sum(r.height for r in page.rows) or 1
        image = Image.new("L", (self.profile.dots_per_line, height), 255)
        y = 0
        for row in page.rows:
            image.paste(row, (0, y))
            y += row.height
        # Thermal paper has no grey: threshold the antialiased glyphs.
        image = image.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
        receipt = PrintedReceipt(image, "\n".join(page.text))
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            receipt.path = self.out_dir / f"receipt-{stamp}-{self.printed + 1:04d}.png"
            image.save(receipt.path)
            log.info("receipt rendered to %s", receipt.path)
        self.printed += 1
        self.receipts.append(receipt)
        del self.receipts[:-KEPT_RECEIPTS]
        if self.on_receipt is not None:
            self.on_receipt(receipt)
