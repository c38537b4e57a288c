"""ZVT requests the kiosk sends, and parsers for the messages the terminal sends back."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.money import Money
from drivers.payment.cardmask import mask_pan
from drivers.payment.zvt.codec import (
    Apdu,
    Tlv,
    ZvtProtocolError,
    decode_bcd,
    decode_digits,
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

RECEIPT_TYPES = {0x01: "merchant", 0x02: "customer", 0x03: "admin"}


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


def status_enquiry(password: str) -> Apdu:
    return Apdu(0x05, 0x01, password_bcd(password))


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


def _tlv_root(fields: dict[int, bytes]) -> Tlv | None:
    return Tlv(0, children=parse_tlv(fields[0x06])) if 0x06 in fields else None


@dataclass(frozen=True)
class StatusInformation:
    """The fields of a 04 0F the kiosk keeps. Track data, expiry and CVV are read past, never kept."""

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

    def __repr__(self) -> str:
        return f"StatusInformation(result={self.result_code}, trace={self.trace_no})"


def parse_status_information(data: bytes) -> StatusInformation:
    f = parse_bmps(data)
    # A currency the driver does not know stays None: the request's currency applies.
    currency = CURRENCY_ALPHA.get(decode_bcd(f[0x49])) if 0x49 in f else None
    return StatusInformation(
        result_code=f[0x27][0] if 0x27 in f else None,
        amount_minor=decode_bcd(f[0x04]) if 0x04 in f else None,
        currency=currency,
        trace_no=decode_bcd(f[0x0B]) if 0x0B in f else None,
        original_trace_no=decode_bcd(f[0x37]) if 0x37 in f else None,
        receipt_no=decode_bcd(f[0x87]) if 0x87 in f else None,
        terminal_id=str(decode_bcd(f[0x29])).rjust(8, "0") if 0x29 in f else "",
        masked_pan=mask_pan(decode_digits(f[0x22])) if 0x22 in f else "",
        card_brand=_text(f[0x8B]) if 0x8B in f else "",
        auth_code=_text(f[0x3B]) if 0x3B in f else "",
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


def parse_text_block(data: bytes) -> tuple[str, list[str]]:
    """06 <TLV: 25 { 09 <receipt type>, 07 <line>... }> -> (receipt type, lines)."""
    root = _tlv_root(parse_bmps(data))
    kind, lines = "", []
    for block in root.find(0x25) if root else []:
        for t in block.find(0x09):
            kind = RECEIPT_TYPES.get(t.value[0], "") if t.value else ""
        lines += _lines(block)
    return kind, lines
