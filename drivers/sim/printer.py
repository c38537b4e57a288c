"""The virtual receipt printer: an ESC/POS interpreter that renders receipts to images.

It parses the bytes a real printer would get (text, styles, alignment, code pages, GS v 0 and
GS ( L raster images, GS ( k native QR, GS k barcodes, cuts) and draws them at the profile's dots
per line; each cut yields one receipt image. Every documented command is stepped over by its
length (``escpos_commands``); what it cannot draw is skipped and noted on the receipt. It answers
DLE EOT like a real printer, and can be switched to paper near end / out / cover open / offline
(silent) / garbled answers. Feed it bytes with ``feed()``; ``drivers.sim.printer_server`` puts it
behind TCP or a pty.
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
from PIL.PngImagePlugin import PngInfo

from drivers.printer.profiles import PROFILE_80MM, PrinterProfile
from drivers.sim.escpos_commands import DLE, ESC, FS, GS, PREFIXES, command_length

log = logging.getLogger(__name__)

FONT_PATH = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansMono-Regular.ttf"
CELL_HEIGHT = 24  # font A is 12 x 24 dots on 203-dpi printers
DEFAULT_LINE_DOTS = 30
_QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M}
_QR_EC |= {50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}
_GARBLED = b"\xa5"  # fails the fixed bits every status byte has
KEPT_RECEIPTS = 100  # in memory; a long-running printer-sim has them on disk
MAX_COMMAND_BYTES = 4 << 20  # a command announcing more than this is dropped, not waited for
# GS k m (m 0..6, or 65 + that number): python-barcode's name for each, None where it has none.
_BARCODES = {0: "upca", 1: None, 2: "ean13", 3: "ean8", 4: "code39", 5: "itf", 6: "codabar"}
_BARCODES |= {7: None, 8: "code128"}
# Documented commands that print something this interpreter does not draw: it says so.
_UNRENDERED = {
    bytes((ESC, ord("*"))): "a bit image (ESC *)",
    bytes((FS, ord("p"))): "an NV bit image (FS p)",
    bytes((GS, ord("/"))): "a downloaded bit image (GS /)",
    bytes((GS, ord("D"))): "a Windows BMP image (GS D)",
}
_PREFIX_NAMES = {DLE: "DLE", ESC: "ESC", FS: "FS", GS: "GS"}


def _name(cmd: bytes) -> str:
    """A command as the reference writes it, e.g. "GS k 73"."""
    code = chr(cmd[1]) if 0x20 < cmd[1] < 0x7F else f"0x{cmd[1]:02x}"
    return " ".join((_PREFIX_NAMES[cmd[0]], code, *(str(b) for b in cmd[2:3])))


def _code128_text(data: bytes) -> str:
    """GS k 73's data as text: it starts with a code set ({A, {B or {C); "{" then a letter switches
    the set, "{{" is a brace; in set C each byte is two digits (0..99)."""
    if len(data) < 2 or data[:1] != b"{" or data[1:2] not in (b"A", b"B", b"C"):
        raise ValueError("Code 128 data must begin with a code set ({A, {B or {C)")
    text: list[str] = []
    code_set, i = data[1], 2
    while i < len(data):
        b = data[i]
        if b == 0x7B and i + 1 < len(data):
            if data[i + 1] == 0x7B:
                text.append("{")
            elif data[i + 1] in b"ABC":
                code_set = data[i + 1]
            else:
                raise ValueError(f"Code 128 function {chr(data[i + 1])!r} is not rendered")
            i += 2
            continue
        if code_set == ord("C"):
            if b > 99:
                raise ValueError(f"byte {b} is not a digit pair of Code 128 set C")
            text.append(f"{b:02d}")
        elif b > 0x7F or (code_set == ord("B") and b < 0x20) or (code_set == ord("A") and b > 0x5F):
            raise ValueError(f"byte 0x{b:02x} is not in Code 128 set {chr(code_set)}")
        else:
            text.append(chr(b))
        i += 1
    if not text:
        raise ValueError("Code 128 barcode without data")
    return "".join(text)


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
    notes: list[str] = field(default_factory=list)  # what in the job could not be printed, and why


@dataclass
class _Page:
    rows: list[Image.Image] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inked: bool = False  # anything but blank paper

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
            if len(self._buf) > MAX_COMMAND_BYTES:
                self._drop_incomplete("is longer than any receipt")
            return bytes(answers)

    def end_of_job(self) -> None:
        """The host disconnected: what it left half-sent is dropped, and a page with ink (or with a
        note of what could not be printed) but no cut still comes out. Paper merely fed after the
        last cut stays in the printer, as on a real one."""
        with self._lock:
            if self._buf:
                self._drop_incomplete("was cut off when the host disconnected")
            self._flush_line()
            if self._page.inked or self._page.notes:
                self._finish_page()

    def _drop_incomplete(self, why: str) -> None:
        head = bytes(self._buf[:3])
        what = _name(head) if len(head) >= 2 and head[0] in PREFIXES else "text"
        self._note(f"an incomplete {what} command ({len(self._buf)} bytes) {why}: skipped")
        self._buf.clear()

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
        self._graphic: Image.Image | None = None

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
        if b in PREFIXES:
            length, known = command_length(buf, pos)
            if length is None:  # incomplete command: wait for more bytes
                return 0
            cmd = bytes(buf[pos : pos + length])
            if not known:
                self.unknown_commands.append(cmd)
                log.info("printer-sim: skipped an undocumented command %s", cmd.hex(" "))
                return length
            try:
                self._execute(cmd, answers)
            except Exception as exc:  # one command it cannot render must not stop the job
                self._note(f"could not render {_name(cmd)}: {exc}")
            return length
        if b == 0x0A:
            self._print_line()
            return 1
        if b == 0x09:
            self._text(" " * (8 - len(self._line) % 8))
            return 1
        if b < 0x20:  # CR, FF, CAN and the other control bytes print nothing in standard mode
            return 1
        end = pos
        while end < len(buf) and buf[end] >= 0x20:
            end += 1
        self._text(self._decode(bytes(buf[pos:end])))
        return end - pos

    def _note(self, problem: str) -> None:
        """Something in the job could not be printed: tell the log and the receipt it ends up on."""
        log.warning("printer-sim: %s", problem)
        self._page.notes.append(problem)

    def _execute(self, cmd: bytes, answers: bytearray) -> None:
        prefix, code = cmd[0], chr(cmd[1])
        if prefix == DLE:
            if code == "\x04":
                answers += self._status_byte(cmd[2])
        elif prefix == ESC:
            self._esc(code, cmd)
        elif prefix == GS:
            self._gs(code, cmd)
        elif cmd[:2] in _UNRENDERED:
            self._note(f"{_UNRENDERED[cmd[:2]]} is not rendered")

    def _esc(self, code: str, cmd: bytes) -> None:
        n = cmd[2] if len(cmd) > 2 else 0
        match code:
            case "@":
                self._flush_line()
                self._reset()
            case "2":
                self._line_dots = DEFAULT_LINE_DOTS
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
                    self.unknown_commands.append(cmd)
            case "d":
                self._flush_line()
                self._feed(n * self._line_dots)
            case "J":
                self._flush_line()
                self._feed(n)
            case "3":
                self._line_dots = max(n, 1)
            case "i" | "m":  # obsolete partial cuts
                self._cut()
            case _ if cmd[:2] in _UNRENDERED:
                self._note(f"{_UNRENDERED[cmd[:2]]} is not rendered")

    def _gs(self, code: str, cmd: bytes) -> None:
        n = cmd[2] if len(cmd) > 2 else 0
        match code:
            case "V":
                self._cut()
            case "v":
                self._raster(cmd)
            case "(":
                self._extended(cmd)
            case "8" if cmd[2] == ord("L"):  # GS ( L with a 32-bit length, for large images
                self._graphics(cmd[7:])
            case "k":
                self._barcode(cmd)
            case "!":
                self._style = replace(self._style, width=(n >> 4 & 7) + 1, height=(n & 7) + 1)
            case "B":
                self._style = replace(self._style, invert=bool(n & 1))
            case "h":
                self._bc_height = self._in_range("barcode height (GS h)", n, 1, 255, self._bc_height)
            case "w":
                self._bc_width = self._in_range("barcode module width (GS w)", n, 1, 6, self._bc_width)
            case "H":
                self._bc_hri = n % 48 if n >= 48 else n
            case _ if cmd[:2] in _UNRENDERED:
                self._note(f"{_UNRENDERED[cmd[:2]]} is not rendered")

    def _in_range(self, what: str, n: int, low: int, high: int, current: int) -> int:
        """Like a real printer, a parameter out of its documented range leaves the setting as it was."""
        if low <= n <= high:
            return n
        self._note(f"{what} {n} is outside {low}..{high}: kept {current}")
        return current

    def _raster(self, cmd: bytes) -> None:
        """GS v 0 m xL xH yL yH d1...dk"""
        mode = cmd[3] % 48 if cmd[3] >= 48 else cmd[3]
        width_bytes = cmd[4] | cmd[5] << 8
        height = cmd[6] | cmd[7] << 8
        if not width_bytes or not height:
            self._note("an empty raster image (GS v 0) was skipped")
            return
        self._flush_line()
        self._place_bits(cmd[8:], width_bytes * 8, height, 2 if mode & 1 else 1, 2 if mode & 2 else 1)

    def _place_bits(self, data: bytes, width: int, height: int, x_scale: int, y_scale: int) -> None:
        # In ESC/POS a set bit is a black dot; in Pillow's "1" mode it is white.
        image = ImageOps.invert(Image.frombytes("1", (width, height), data).convert("L"))
        if x_scale > 1 or y_scale > 1:
            image = image.resize((width * x_scale, height * y_scale), Image.Resampling.NEAREST)
        self._place(image)

    def _extended(self, cmd: bytes) -> None:
        """GS ( k (2D codes), GS ( L (graphics); the other GS ( x pL pH ... set things we do not model."""
        body = cmd[5:]
        if cmd[2] == ord("L"):
            self._graphics(body)
        elif cmd[2] == ord("k") and len(body) >= 2:
            self._symbol(body)

    def _graphics(self, body: bytes) -> None:
        """GS ( L fn 112 stores a raster image (m fn a bx by c xL xH yL yH d1...dk), fn 50 prints it."""
        if len(body) >= 2 and body[1] in (50, 2):
            if self._graphic is not None:
                self._flush_line()
                self._place(self._graphic)
                self._graphic = None
        elif len(body) >= 10 and body[1] == 112:
            bx, by = body[3], body[4]
            width, height = body[6] | body[7] << 8, body[8] | body[9] << 8
            row_bytes = (width + 7) // 8
            data = body[10 : 10 + row_bytes * height]
            if len(data) < row_bytes * height or not width or not height:
                raise ValueError("graphics data shorter than its size")
            image = ImageOps.invert(Image.frombytes("1", (row_bytes * 8, height), data).convert("L"))
            image = image.crop((0, 0, width, height))
            self._graphic = image.resize((width * max(bx, 1), height * max(by, 1)), Image.Resampling.NEAREST)
        elif len(body) >= 2 and body[1] not in (48, 49, 51, 52, 64, 65, 66, 80, 81, 82):
            self._note(f"graphics function {body[1]} (GS ( L) is not rendered")

    def _symbol(self, body: bytes) -> None:
        """GS ( k cn fn ...: only QR (cn 49) is rendered, and only on a printer that has it."""
        cn, fn = body[0], body[1]
        if cn != 49:
            if fn == 81:
                self._note(f"2D symbol type {cn} (GS ( k) is not rendered")
            return
        if fn == 67 and len(body) > 2:
            self._qr_module = self._in_range("QR module size", body[2], 1, 16, self._qr_module)
        elif fn == 69 and len(body) > 2:
            self._qr_ec = body[2]
        elif fn == 80:
            self._qr_data = body[3:]
        elif fn == 81:
            self._flush_line()
            if not self.profile.native_qr:
                self._note(f"the {self.profile.name} printer has no native QR code (GS ( k): not printed")
            elif not self._qr_data:
                self._note("a QR code without data was skipped")
            else:
                self._print_qr()

    def _print_qr(self) -> None:
        code = qrcode.QRCode(
            error_correction=_QR_EC.get(self._qr_ec, qrcode.constants.ERROR_CORRECT_L),
            box_size=self._qr_module,
            border=0,  # real printers add no quiet zone; the receipt's margins and feeds are it
        )
        code.add_data(self._qr_data)
        code.make(fit=True)
        self._place(code.make_image().get_image().convert("L"))

    def _barcode(self, cmd: bytes) -> None:
        """GS k m d1...dk NUL (m 0..6) or GS k m n d1...dn (m 65..79)."""
        m = cmd[2]
        data = cmd[3:-1] if m <= 6 else cmd[4:]
        symbology = _BARCODES.get(m - 65 if m >= 65 else m if m <= 6 else -1)
        if symbology is None:
            self._note(f"barcode type {m} (GS k) is not rendered")
            return
        if not data:
            self._note(f"an empty {symbology} barcode was skipped")
            return
        text = _code128_text(data) if symbology == "code128" else data.decode("ascii")
        options = {"add_checksum": False} if symbology == "code39" else {}
        self._flush_line()
        mm_per_dot = 25.4 / self.profile.dpi
        code = barcode.get_barcode_class(symbology)(text, writer=ImageWriter(), **options)
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
            self._page.inked = self._page.inked or band.getextrema()[0] < 128

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
        receipt = PrintedReceipt(image, "\n".join(page.text), notes=page.notes)
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            receipt.path = self.out_dir / f"receipt-{stamp}-{self.printed + 1:04d}.png"
            info = PngInfo()
            if page.notes:  # what could not be printed travels with the image
                info.add_text("Comment", "\n".join(page.notes))
            image.save(receipt.path, pnginfo=info)
            log.info("receipt rendered to %s", receipt.path)
        self.printed += 1
        self.receipts.append(receipt)
        del self.receipts[:-KEPT_RECEIPTS]
        if self.on_receipt is not None:
            self.on_receipt(receipt)
