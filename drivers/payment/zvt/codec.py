"""ZVT data: APDUs, BCD numbers, LLVAR/LLLVAR fields, BMPs and the TLV container.

Every parser takes untrusted bytes from a terminal (or a fuzzer) and either returns a value or
raises ``ZvtProtocolError``; nothing else escapes, and no input makes them loop. The container
parsers (``parse_bmps``, ``parse_tlv``) can instead be given an ``issues`` list: then they note the
problem there and return what they read before it, so one bad field never loses the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from drivers.base import DeviceFailureError


class ZvtProtocolError(DeviceFailureError):
    """The peer sent bytes that are not valid ZVT."""

    code = "protocol"


# --- APDU ---------------------------------------------------------------------------------------

MAX_APDU_DATA = 0xFFFF


@dataclass(frozen=True)
class Apdu:
    """One ZVT message: class byte, instruction byte and data."""

    cls: int
    instr: int
    data: bytes = b""

    @property
    def command(self) -> tuple[int, int]:
        return (self.cls, self.instr)

    def encode(self) -> bytes:
        n = len(self.data)
        if n < 0xFF:
            head = bytes([self.cls, self.instr, n])
        elif n <= MAX_APDU_DATA:
            head = bytes([self.cls, self.instr, 0xFF]) + n.to_bytes(2, "little")
        else:
            raise ValueError(f"APDU data too long: {n} bytes")
        return head + self.data

    def __repr__(self) -> str:
        # Only the command and the size: the data may hold card data and reprs end up in logs.
        return f"Apdu({self.cls:02X} {self.instr:02X}, {len(self.data)} bytes)"


ACK = Apdu(0x80, 0x00)


def split_apdu(buf: bytes | bytearray) -> tuple[Apdu, int] | None:
    """The first APDU in ``buf`` and how many bytes it took, or None if it is not complete yet."""
    if len(buf) < 3:
        return None
    if buf[2] == 0xFF:
        if len(buf) < 5:
            return None
        n, start = int.from_bytes(buf[3:5], "little"), 5
    else:
        n, start = buf[2], 3
    end = start + n
    if len(buf) < end:
        return None
    return Apdu(buf[0], buf[1], bytes(buf[start:end])), end


def decode_apdu(buf: bytes) -> Apdu:
    """Exactly one APDU; a short or over-long buffer is a protocol error."""
    found = split_apdu(buf)
    if found is None:
        raise ZvtProtocolError(f"truncated APDU ({len(buf)} bytes)")
    apdu, used = found
    if used != len(buf):
        raise ZvtProtocolError(f"{len(buf) - used} bytes after the APDU")
    return apdu


# --- BCD and variable-length fields -------------------------------------------------------------


def encode_bcd(value: int, size: int) -> bytes:
    """``value`` as ``size`` bytes of packed BCD, most significant digit first."""
    if value < 0:
        raise ValueError("BCD cannot hold a negative number")
    digits = str(value).rjust(size * 2, "0")
    if len(digits) > size * 2:
        raise ValueError(f"{value} does not fit in {size} BCD bytes")
    return bytes.fromhex(digits)


def decode_bcd(data: bytes) -> int:
    text = data.hex()
    if not text.isdigit():
        raise ZvtProtocolError("BCD field holds a non-decimal nibble")
    return int(text) if text else 0


def _var_length(data: bytes, pos: int, digits: int) -> tuple[int, int]:
    head = data[pos : pos + digits]
    if len(head) < digits:
        raise ZvtProtocolError("truncated LLVAR length")
    if any(b & 0xF0 != 0xF0 or b & 0x0F > 9 for b in head):
        raise ZvtProtocolError("LLVAR length bytes must be F0..F9")
    return int("".join(str(b & 0x0F) for b in head)), pos + digits


def decode_var(data: bytes, pos: int, digits: Literal[2, 3]) -> tuple[bytes, int]:
    """An LLVAR / LLLVAR value at ``pos`` and the position after it."""
    length, pos = _var_length(data, pos, digits)
    value = data[pos : pos + length]
    if len(value) < length:
        raise ZvtProtocolError("truncated variable-length field")
    return value, pos + length


def encode_var(value: bytes, digits: Literal[2, 3]) -> bytes:
    """An LLVAR (2) or LLLVAR (3) field: the length as F-prefixed decimal digits, then the value."""
    if len(value) >= 10**digits:
        raise ValueError(f"value too long for a {digits}-digit length")
    return bytes(0xF0 | int(d) for d in str(len(value)).rjust(digits, "0")) + value


def decode_card_number(data: bytes) -> tuple[str, str | None]:
    """BMP 22 (PAN / EF_ID): the digits ('*' for a masked E) and what was wrong, if anything.

    The number ends at the F filler or at a D separator (the EF_ID form: expiry and chip data
    follow). Any other non-decimal nibble means the field is not a card number: the digits read
    so far are returned with the problem, never the raw bytes (they may hold card data).
    """
    out = []
    for nibble in data.hex().upper():
        if nibble in "FD":
            break
        if nibble.isdigit():
            out.append(nibble)
        elif nibble == "E":
            out.append("*")
        else:
            return "".join(out), f"card number holds a non-decimal nibble after {len(out)} digits"
    return "".join(out), None


def encode_digits(text: str) -> bytes:
    """Inverse of ``decode_card_number``: '*' becomes E, an odd count is padded with F."""
    nibbles = text.replace("*", "E")
    if len(nibbles) % 2:
        nibbles += "F"
    return bytes.fromhex(nibbles)


# --- TLV container ------------------------------------------------------------------------------

MAX_TLV_DEPTH = 8


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes = b""
    children: tuple[Tlv, ...] = ()

    @property
    def constructed(self) -> bool:
        return bool(_tag_bytes(self.tag)[0] & 0x20)

    def find(self, tag: int) -> list[Tlv]:
        """Every descendant (depth first) with ``tag``."""
        found = []
        for child in self.children:
            if child.tag == tag:
                found.append(child)
            found.extend(child.find(tag))
        return found

    def __repr__(self) -> str:
        return f"Tlv({self.tag:X}, {len(self.value)} bytes, {len(self.children)} children)"


def _tag_bytes(tag: int) -> bytes:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n <= 0xFF:
        return bytes([0x81, n])
    if n <= 0xFFFF:
        return b"\x82" + n.to_bytes(2, "big")
    raise ValueError("TLV value too long")


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise ZvtProtocolError("truncated TLV length")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    if size not in (1, 2) or pos + 1 + size > len(data):
        raise ZvtProtocolError("bad TLV length")
    return int.from_bytes(data[pos + 1 : pos + 1 + size], "big"), pos + 1 + size


def encode_tlv(items: Iterable[Tlv]) -> bytes:
    out = bytearray()
    for item in items:
        value = encode_tlv(item.children) if item.children else item.value
        out += _tag_bytes(item.tag) + encode_length(len(value)) + value
    return bytes(out)


def parse_tlv(data: bytes, depth: int = 0, issues: list[str] | None = None) -> tuple[Tlv, ...]:
    """The TLV items of ``data``; with ``issues``, a bad item is noted there and ends the list."""
    items: list[Tlv] = []
    try:
        _parse_tlv_into(items, data, depth, issues)
    except ZvtProtocolError as exc:
        if issues is None:
            raise
        issues.append(f"TLV: {exc}")
    return tuple(items)


def _parse_tlv_into(items: list[Tlv], data: bytes, depth: int, issues: list[str] | None) -> None:
    if depth > MAX_TLV_DEPTH:
        raise ZvtProtocolError("TLV nested too deeply")
    pos = 0
    while pos < len(data):
        start = pos
        first = data[pos]
        pos += 1
        if first & 0x1F == 0x1F:  # multi-byte tag: continuation bytes have bit 8 set
            while True:
                if pos >= len(data) or pos - start > 3:
                    raise ZvtProtocolError("bad TLV tag")
                pos += 1
                if not data[pos - 1] & 0x80:
                    break
        tag = int.from_bytes(data[start:pos], "big")
        length, pos = _read_length(data, pos)
        value = data[pos : pos + length]
        if len(value) < length:
            raise ZvtProtocolError(f"truncated TLV value of tag {tag:X}")
        pos += length
        if first & 0x20:
            items.append(Tlv(tag, b"", parse_tlv(value, depth + 1, issues)))
        else:
            items.append(Tlv(tag, value))


# --- BMPs ---------------------------------------------------------------------------------------

LL, LLL, TLV = "LL", "LLL", "TLV"
BmpFormat = int | Literal["LL", "LLL", "TLV"]

# The BMPs a terminal may send us, with their fixed length or length format. An unknown BMP cannot
# be skipped (its length is not on the wire), so it is a protocol error.
BMP_FORMATS: dict[int, BmpFormat] = {
    0x01: 1,  # timeout
    0x02: 1,  # max. status infos
    0x03: 1,  # service byte
    0x04: 6,  # amount, BCD minor units
    0x05: 1,  # pump number
    0x06: TLV,  # TLV container
    0x0B: 3,  # trace number
    0x0C: 3,  # time HHMMSS
    0x0D: 2,  # date MMDD
    0x0E: 2,  # expiry YYMM (read, never kept)
    0x17: 2,  # card sequence number
    0x19: 1,  # payment type / status byte
    0x22: LL,  # card number (PAN), masked by the terminal
    0x23: LL,  # track 2 (read, never kept)
    0x24: LLL,  # track 3 (read, never kept)
    0x27: 1,  # result code
    0x29: 4,  # terminal id
    0x2A: 15,  # VU number (merchant id)
    0x2D: LL,  # track 1 (read, never kept)
    0x2E: LLL,  # synchronous chip data
    0x37: 3,  # trace number of the original transaction
    0x3A: 2,  # CVV (never kept)
    0x3B: 8,  # AID: the authorisation code
    0x3C: LLL,  # additional data / text
    0x3D: 3,  # password
    0x49: 2,  # currency code, BCD ISO 4217 numeric
    0x60: LLL,  # individual totals
    0x87: 2,  # receipt number
    0x88: 3,  # turnover number
    0x8A: 1,  # card type
    0x8B: LL,  # card name
    0x8C: 1,  # card type id of the network operator
    0x92: LLL,  # additional ec-cash data
    0x9A: LLL,  # Geldkarte payment record
    0xA0: 1,  # result code of the authorisation system
    0xA7: LL,  # chip data
    0xAF: LLL,  # EF_ID
    0xBA: 5,  # AID parameter
}


def encode_bmp(tag: int, value: bytes) -> bytes:
    fmt = BMP_FORMATS[tag]
    if fmt == TLV:
        return bytes([tag]) + encode_length(len(value)) + value
    if fmt in (LL, LLL):
        return bytes([tag]) + encode_var(value, 2 if fmt == LL else 3)
    if len(value) != fmt:
        raise ValueError(f"BMP {tag:02X} takes {fmt} bytes, got {len(value)}")
    return bytes([tag]) + value


def parse_bmps(data: bytes, issues: list[str] | None = None) -> dict[int, bytes]:
    """The BMPs of a message body, by tag (a repeated tag keeps its first value).

    With ``issues``, a BMP that cannot be read is noted there and the fields before it are
    returned: an unknown BMP has no length on the wire, so nothing after it can be located.
    """
    fields: dict[int, bytes] = {}
    pos = 0
    while pos < len(data):
        tag = data[pos]
        try:
            value, pos = _read_bmp(data, pos + 1, tag)
        except ZvtProtocolError as exc:
            if issues is None:
                raise
            issues.append(f"{exc}; {len(data) - pos} bytes from there not read")
            break
        fields.setdefault(tag, value)
    return fields


def _read_bmp(data: bytes, pos: int, tag: int) -> tuple[bytes, int]:
    fmt = BMP_FORMATS.get(tag)
    if fmt is None:
        raise ZvtProtocolError(f"unknown BMP {tag:02X}")
    if fmt == TLV:
        length, pos = _read_length(data, pos)
    elif fmt in (LL, LLL):
        length, pos = _var_length(data, pos, 2 if fmt == LL else 3)
    else:
        length = fmt
    value = data[pos : pos + length]
    if len(value) < length:
        raise ZvtProtocolError(f"truncated BMP {tag:02X}")
    return value, pos + length
