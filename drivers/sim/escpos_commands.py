"""How long each ESC/POS command is, so an interpreter can step over every documented command,
including the ones it does not model, instead of printing its parameters as text.

The lengths follow the command formats of Epson's ESC/POS Command Reference
(https://download4.epson.biz/sec_pubs/pos/reference_en/escpos/, the TM-T20III/TM-T88 command
lists); ``ESC B n t`` is the buzzer of the many ESC/POS clones (Xprinter, Rongta, ...) that
generators such as node-thermal-printer send.
"""

from __future__ import annotations

from collections.abc import Callable

DLE, ESC, FS, GS = 0x10, 0x1B, 0x1C, 0x1D
PREFIXES = frozenset((DLE, ESC, FS, GS))

# Given the buffer and the command's start, the whole command's length, or None while bytes are missing.
Length = Callable[[bytes | bytearray, int], int | None]


def _fixed(n: int) -> Length:
    return lambda buf, pos: n if pos + n <= len(buf) else None


def _u16(buf: bytes | bytearray, at: int) -> int:
    return buf[at] | buf[at + 1] << 8


def _then(head: int, size: Callable[[bytes | bytearray, int], int]) -> Length:
    """``head`` bytes, then a data block whose size ``size`` reads from them."""

    def length(buf: bytes | bytearray, pos: int) -> int | None:
        if pos + head > len(buf):
            return None
        total = head + size(buf, pos)
        return total if pos + total <= len(buf) else None

    return length


def _nul_terminated(head: int, limit: int) -> Length:
    """Parameters up to a NUL (ESC D tab stops, GS k barcodes of the first form)."""

    def length(buf: bytes | bytearray, pos: int) -> int | None:
        end = buf.find(b"\x00", pos + head, pos + head + limit + 1)
        if end >= 0:
            return end + 1 - pos
        return head + limit if pos + head + limit < len(buf) else None  # no NUL: stop at the limit

    return length


def _choice(at: int, by_value: dict[int, Length], default: Length) -> Length:
    """The length depends on the parameter byte at offset ``at`` (GS V, DLE DC4, ESC c, ...)."""

    def length(buf: bytes | bytearray, pos: int) -> int | None:
        if pos + at >= len(buf):
            return None
        return by_value.get(buf[pos + at], default)(buf, pos)

    return length


# "X ( x pL pH d1...dk": the extended commands of all three families.
_PARAMS16 = _then(5, lambda buf, pos: _u16(buf, pos + 3))


def _esc_bit_image(buf: bytes | bytearray, pos: int) -> int:
    """ESC * m nL nH d1...dk: 8-dot modes take one byte a column, 24-dot modes three."""
    return (3 if buf[pos + 2] in (32, 33) else 1) * _u16(buf, pos + 3)


def _esc_user_chars(buf: bytes | bytearray, pos: int) -> int | None:
    """ESC & y c1 c2 [x d1...d(y*x)]...: one block per character from c1 to c2."""
    if pos + 5 > len(buf):
        return None
    y, c1, c2 = buf[pos + 2], buf[pos + 3], buf[pos + 4]
    at = pos + 5
    for _ in range(max(c2 - c1 + 1, 0)):
        if at >= len(buf):
            return None
        at += 1 + y * buf[at]
    return at - pos if at <= len(buf) else None


def _fs_nv_images(buf: bytes | bytearray, pos: int) -> int | None:
    """FS q n [xL xH yL yH d1...dk]...: n images of x*8 columns by y*8 rows."""
    if pos + 3 > len(buf):
        return None
    at = pos + 3
    for _ in range(buf[pos + 2]):
        if at + 4 > len(buf):
            return None
        at += 4 + _u16(buf, at) * _u16(buf, at + 2) * 8
    return at - pos if at <= len(buf) else None


def _gs_barcode(buf: bytes | bytearray, pos: int) -> int | None:
    """GS k m d1...dk NUL (m 0..6) or GS k m n d1...dn (m 65..)."""
    if pos + 3 > len(buf):
        return None
    if buf[pos + 2] <= 6:
        return _nul_terminated(3, 255)(buf, pos)
    return _then(4, lambda b, p: b[p + 3])(buf, pos)


_ESC: dict[int, Length] = {
    0x0C: _fixed(2),  # ESC FF print data in page mode
    ord(" "): _fixed(3),
    ord("!"): _fixed(3),
    ord("$"): _fixed(4),
    ord("%"): _fixed(3),
    ord("&"): _esc_user_chars,
    ord("("): _PARAMS16,  # ESC ( A beeper, ESC ( Y ...
    ord("*"): _then(5, _esc_bit_image),
    ord("-"): _fixed(3),
    ord("2"): _fixed(2),
    ord("3"): _fixed(3),
    ord("="): _fixed(3),
    ord("?"): _fixed(3),
    ord("@"): _fixed(2),
    ord("B"): _fixed(4),  # clones' buzzer: ESC B n t
    ord("D"): _nul_terminated(2, 32),
    ord("E"): _fixed(3),
    ord("G"): _fixed(3),
    ord("J"): _fixed(3),
    ord("K"): _fixed(3),
    ord("L"): _fixed(2),
    ord("M"): _fixed(3),
    ord("R"): _fixed(3),
    ord("S"): _fixed(2),
    ord("T"): _fixed(3),
    ord("U"): _fixed(3),
    ord("V"): _fixed(3),
    ord("W"): _fixed(10),
    ord("\\"): _fixed(4),
    ord("a"): _fixed(3),
    ord("c"): _fixed(4),  # ESC c 0/1/3/4/5 n
    ord("d"): _fixed(3),
    ord("e"): _fixed(3),
    ord("i"): _fixed(2),
    ord("m"): _fixed(2),
    ord("p"): _fixed(5),
    ord("r"): _fixed(3),
    ord("t"): _fixed(3),
    ord("u"): _fixed(3),
    ord("v"): _fixed(2),
    ord("{"): _fixed(3),
}

_FS: dict[int, Length] = {
    ord("!"): _fixed(3),
    ord("&"): _fixed(2),
    ord("("): _PARAMS16,  # FS ( A / C / E / L
    ord("-"): _fixed(3),
    ord("."): _fixed(2),
    ord("2"): _fixed(4 + 72),  # FS 2 c1 c2 d1...d72: one 24 x 24 Kanji
    ord("?"): _fixed(4),
    ord("C"): _fixed(3),
    ord("S"): _fixed(4),
    ord("W"): _fixed(3),
    ord("g"): _choice(2, {ord("1"): _then(10, lambda b, p: _u16(b, p + 8))}, _fixed(10)),
    ord("p"): _fixed(4),
    ord("q"): _fs_nv_images,
}

_GS: dict[int, Length] = {
    ord("!"): _fixed(3),
    ord("$"): _fixed(4),
    ord("("): _PARAMS16,  # GS ( A / D / E / H / K / L / k ...
    ord("*"): _then(4, lambda b, p: b[p + 2] * b[p + 3] * 8),
    ord("/"): _fixed(3),
    ord("8"): _then(7, lambda b, p: b[p + 3] | b[p + 4] << 8 | b[p + 5] << 16 | b[p + 6] << 24),
    ord(":"): _fixed(2),
    ord("B"): _fixed(3),
    ord("H"): _fixed(3),
    ord("I"): _fixed(3),
    ord("L"): _fixed(4),
    ord("P"): _fixed(4),
    ord("T"): _fixed(3),
    ord("V"): _choice(2, dict.fromkeys((65, 66, 97, 98, 103, 104), _fixed(4)), _fixed(3)),
    ord("W"): _fixed(4),
    ord("\\"): _fixed(4),
    ord("^"): _fixed(5),
    ord("a"): _fixed(3),
    ord("b"): _fixed(3),
    ord("c"): _fixed(2),
    ord("f"): _fixed(3),
    ord("g"): _fixed(6),  # GS g 0 m nL nH, GS g 2 m nL nH
    ord("h"): _fixed(3),
    ord("j"): _fixed(3),
    ord("k"): _gs_barcode,
    ord("r"): _fixed(3),
    ord("v"): _then(8, lambda b, p: _u16(b, p + 4) * _u16(b, p + 6)),  # GS v 0 m xL xH yL yH
    ord("w"): _fixed(3),
    ord("z"): _fixed(5),
}

_DLE: dict[int, Length] = {
    0x04: _choice(2, {7: _fixed(4), 8: _fixed(4)}, _fixed(3)),  # DLE EOT n [a]
    0x05: _fixed(3),
    0x14: _choice(2, {1: _fixed(5), 2: _fixed(5), 3: _fixed(8), 7: _fixed(4), 8: _fixed(10)}, _fixed(3)),
}

TABLE: dict[int, dict[int, Length]] = {DLE: _DLE, ESC: _ESC, FS: _FS, GS: _GS}


def command_length(buf: bytes | bytearray, pos: int) -> tuple[int | None, bool]:
    """The length of the command starting with a prefix byte at ``pos`` (None: wait for more bytes)
    and whether it is a documented command. An undocumented one is its prefix and one byte."""
    if pos + 2 > len(buf):
        return None, True
    length = TABLE[buf[pos]].get(buf[pos + 1])
    if length is None:
        return 2, False
    return length(buf, pos), True
