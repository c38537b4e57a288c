"""ZVT requests the kiosk sends, and parsers for the messages the terminal sends back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from drivers.money import Money
from drivers.payment.cardmask import mask_pan
from drivers.payment.zvt.codec import (
    Apdu,
    Tlv,
    ZvtProtocolError,
    decode_bcd,
    decode_card_number,
    decode_var,
    encode_bcd,
    encode_bmp,
    parse_bmps,
    parse_tlv,
)

# Terminal -> kiosk message types.
INTERMEDIATE_STATUS = (0x04, 0xFF)
STATUS_INFORMATION = (0x04, 0x0F)
PRINT_LINE = (0x06, 0xD1)
PRINT_TEXT_BLOCK = (0x06, 0xD3)
COMPLETION = (0x06, 0x0F)
ABORT = (0x06, 0x1E)
POSITIVE_ACKS = {(0x80, 0x00), (0x84, 0x00)}

# Registration config byte: the kiosk prints payment and administration receipts from print
# lines (0x02 | 0x04 | 0x80), wants intermediate status (0x08), and the amount and administration
# are started from the kiosk only (0x10 | 0x20).
CONFIG_BYTE = 0x02 | 0x04 | 0x08 | 0x10 | 0x20 | 0x80

# ISO 4217 numeric codes of the currencies a Sambut property is likely to charge in.
CURRENCY_NUMERIC: dict[str, int] = {
    "AUD": 36,
    "CHF": 756,
    "EUR": 978,
    "GBP": 826,
    "IDR": 360,
    "JPY": 392,
    "MYR": 458,
    "SGD": 702,
    "THB": 764,
    "USD": 840,
}
CURRENCY_ALPHA = {num: alpha for alpha, num in CURRENCY_NUMERIC.items()}

# Tag 1F07 of a print text block (06 D3): which receipt it belongs to.
RECEIPT_TYPES = {0x01: "merchant", 0x02: "customer", 0x03: "admin"}

T = TypeVar("T")


def currency_bcd(currency: str) -> bytes:
    try:
        return encode_bcd(CURRENCY_NUMERIC[currency], 2)
    except KeyError:
        raise ValueError(f"currency {currency} is not supported by the ZVT driver") from None


def password_bcd(password: str) -> bytes:
    if len(password) != 6 or not password.isdigit():
        raise ValueError("the terminal password is 6 digits")
    return bytes.fromhex(password)


def _amount(amount: Money) -> bytes:
    return encode_bmp(0x04, encode_bcd(amount.minor, 6)) + encode_bmp(0x49, currency_bcd(amount.currency))


def registration(password: str, currency: str) -> Apdu:
    return Apdu(0x06, 0x00, password_bcd(password) + bytes([CONFIG_BYTE]) + currency_bcd(currency))


def authorisation(amount: Money) -> Apdu:
    return Apdu(0x06, 0x01, _amount(amount))


def pre_authorisation(amount: Money) -> Apdu:
    return Apdu(0x06, 0x22, _amount(amount))


def book_total(amount: Money, receipt_no: int, trace_no: int | None) -> Apdu:
    data = encode_bmp(0x87, encode_bcd(receipt_no, 2)) + _amount(amount)
    if trace_no is not None:
        data += encode_bmp(0x0B, encode_bcd(trace_no, 3))
    return Apdu(0x06, 0x24, data)


def reversal(password: str, receipt_no: int) -> Apdu:
    return Apdu(0x06, 0x30, password_bcd(password) + encode_bmp(0x87, encode_bcd(receipt_no, 2)))


def refund(password: str, amount: Money) -> Apdu:
    return Apdu(0x06, 0x31, password_bcd(password) + _amount(amount))


def end_of_day(password: str) -> Apdu:
    return Apdu(0x06, 0x50, password_bcd(password))


def diagnosis(password: str) -> Apdu:
    """The terminal checks its connection to the payment host."""
    return Apdu(0x06, 0x70, password_bcd(password))


# Status enquiry service byte: send the software version (bit 1 clear) and the TLV container with
# further status information (bit 2), where the terminal identifier (tag 1F44) is.
STATUS_SERVICE_BYTE = 0x04


def status_enquiry(password: str) -> Apdu:
    return Apdu(0x05, 0x01, password_bcd(password) + bytes([0x03, STATUS_SERVICE_BYTE]))


def repeat_receipt(password: str) -> Apdu:
    """Asks for the last transaction again (its status information and receipt)."""
    return Apdu(0x06, 0x20, password_bcd(password))


LOG_OFF = Apdu(0x06, 0x02)
ECR_ABORT = Apdu(0x06, 0xB0)


def negative_ack(code: int) -> Apdu:
    return Apdu(0x84, code)


# --- parsing the terminal's messages ------------------------------------------------------------


def _text(data: bytes) -> str:
    # ZVT texts are in the terminal's 8-bit character set; CP437 maps every byte.
    return data.decode("cp437").rstrip("\x00 ")


def _lines(container: Tlv | None, tag: int = 0x07) -> list[str]:
    return [] if container is None else [_text(t.value) for t in container.find(tag)]


def _tlv_root(fields: dict[int, bytes], issues: list[str] | None = None) -> Tlv | None:
    return Tlv(0, children=parse_tlv(fields[0x06], issues=issues)) if 0x06 in fields else None


def _field(fields: dict[int, bytes], tag: int, decode: Callable[[bytes], T], issues: list[str]) -> T | None:
    """One BMP decoded, or None (noted in ``issues``) when its content is not what the spec says."""
    if tag not in fields:
        return None
    try:
        return decode(fields[tag])
    except (ZvtProtocolError, IndexError, ValueError) as exc:
        issues.append(f"BMP {tag:02X}: {exc}")
        return None


def _card_number(value: bytes, issues: list[str]) -> str:
    digits, problem = decode_card_number(value)
    if problem:
        issues.append(f"BMP 22: {problem}")
    return mask_pan(digits)


@dataclass(frozen=True)
class StatusInformation:
    """The fields of a 04 0F the kiosk keeps. Track data, expiry and CVV are read past, never kept.

    ``parse_issues`` names the fields that could not be read (without their content): what was
    read is kept, so an approved result is never lost to one malformed field.
    """

    result_code: int | None = None
    amount_minor: int | None = None
    currency: str | None = None
    trace_no: int | None = None
    original_trace_no: int | None = None
    receipt_no: int | None = None
    terminal_id: str = ""
    masked_pan: str = ""
    card_brand: str = ""
    auth_code: str = ""
    parse_issues: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"StatusInformation(result={self.result_code}, trace={self.trace_no})"


def parse_status_information(data: bytes) -> StatusInformation:
    issues: list[str] = []
    f = parse_bmps(data, issues)
    numeric = _field(f, 0x49, decode_bcd, issues)
    terminal_id = _field(f, 0x29, decode_bcd, issues)
    return StatusInformation(
        result_code=f[0x27][0] if 0x27 in f else None,
        amount_minor=_field(f, 0x04, decode_bcd, issues),
        # A currency the driver does not know stays None: the request's currency applies.
        currency=CURRENCY_ALPHA.get(numeric) if numeric is not None else None,
        trace_no=_field(f, 0x0B, decode_bcd, issues),
        original_trace_no=_field(f, 0x37, decode_bcd, issues),
        receipt_no=_field(f, 0x87, decode_bcd, issues),
        terminal_id=str(terminal_id).rjust(8, "0") if terminal_id is not None else "",
        masked_pan=_card_number(f[0x22], issues) if 0x22 in f else "",
        card_brand=_text(f[0x8B]) if 0x8B in f else "",
        auth_code=_text(f[0x3B]) if 0x3B in f else "",
        parse_issues=tuple(issues),
    )


@dataclass(frozen=True)
class IntermediateStatus:
    code: int
    lines: tuple[str, ...] = ()


def parse_intermediate_status(data: bytes) -> IntermediateStatus:
    """<status> [<timeout> [06 <TLV with display texts (tag 24)>]]."""
    if not data:
        raise ZvtProtocolError("intermediate status without a status byte")
    lines: list[str] = []
    if len(data) > 2:
        root = _tlv_root(parse_bmps(data[2:]))
        for texts in root.find(0x24) if root else []:
            lines += _lines(texts)
    return IntermediateStatus(data[0], tuple(lines))


def parse_print_line(data: bytes) -> str:
    """<attribute> <text>."""
    if not data:
        raise ZvtProtocolError("print line without an attribute byte")
    return _text(data[1:])


@dataclass(frozen=True)
class TextBlock:
    """A print text block (06 D3): receipt type (tag 1F07), its lines, and whether it ends a receipt."""

    receipt: str
    lines: tuple[str, ...]
    end_of_receipt: bool = False
    parse_issues: tuple[str, ...] = ()


def parse_text_block(data: bytes) -> TextBlock:
    """06 <TLV: [1F07 <receipt type>] 25 { 07 <line>... [09 <attribute>] }>.

    Tag 09 is a print attribute; 1xxx xxxx other than 80 after the last line ends the receipt.
    """
    issues: list[str] = []
    root = _tlv_root(parse_bmps(data, issues), issues)
    kinds = [t.value[0] for t in root.find(0x1F07) if t.value] if root else []
    lines: list[str] = []
    end = False
    for block in root.find(0x25) if root else []:
        lines += _lines(block)
        end = any(a.value and a.value[0] & 0x80 and a.value[0] != 0x80 for a in block.find(0x09))
    kind = RECEIPT_TYPES.get(kinds[0], "") if kinds else ""
    return TextBlock(kind, tuple(lines), end, tuple(issues))


@dataclass(frozen=True)
class TerminalState:
    """The completion (06 0F) of a status enquiry: [<SW version LLLVAR>] <terminal status> [06 TLV]."""

    status_code: int | None
    software_version: str = ""
    terminal_id: str = ""
    parse_issues: tuple[str, ...] = ()


def parse_status_completion(data: bytes) -> TerminalState:
    """The software version is optional (the service byte may suppress it, and some terminals
    never send it); an LLLVAR starts with three F0..F9 bytes and the status byte follows it."""
    issues: list[str] = []
    version = b""
    pos = 0
    if len(data) >= 4 and all(0xF0 <= b <= 0xF9 for b in data[:3]):
        try:
            version, pos = decode_var(data, 0, 3)
        except ZvtProtocolError as exc:
            issues.append(f"software version: {exc}")
            pos = len(data)
    if pos >= len(data):
        issues.append("no terminal status byte")
        return TerminalState(None, _text(version), parse_issues=tuple(issues))
    root = _tlv_root(parse_bmps(data[pos + 1 :], issues), issues)
    tids = [t.value for t in root.find(0x1F44)] if root else []
    tid = _field({0x29: tids[0]}, 0x29, decode_bcd, issues) if tids else None
    return TerminalState(
        data[pos], _text(version), str(tid).rjust(8, "0") if tid is not None else "", tuple(issues)
    )
