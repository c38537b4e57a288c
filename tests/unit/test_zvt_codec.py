"""ZVT bytes: CRC and framing against known vectors, APDU/BMP/TLV round trips, fuzzed input."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.money import Money
from drivers.payment.zvt import commands as cmd
from drivers.payment.zvt.codec import (
    BMP_FORMATS,
    LL,
    LLL,
    TLV,
    Apdu,
    Tlv,
    ZvtProtocolError,
    decode_apdu,
    decode_bcd,
    decode_card_number,
    encode_bcd,
    encode_bmp,
    encode_digits,
    encode_tlv,
    encode_var,
    parse_bmps,
    parse_tlv,
    split_apdu,
)
from drivers.payment.zvt.framing import Frame, FrameDecoder, Signal, crc16, encode_frame

FUZZ = settings(max_examples=300, deadline=None)


def crc16_bitwise(data: bytes) -> int:
    """Reference: CRC-16/CCITT reflected (0x8408), init 0, bit by bit."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc


# --- CRC and frames ---------------------------------------------------------------------------


def test_crc_catalogue_check_value():
    # CRC-16/KERMIT (poly 0x1021 reflected = 0x8408, init 0, no final xor): check value of "123456789".
    assert crc16(b"123456789") == 0x2189
    assert crc16(b"") == 0


@given(st.binary(max_size=300))
def test_crc_table_matches_bitwise_reference(data):
    assert crc16(data) == crc16_bitwise(data)


def test_ack_apdu_frame_golden_bytes():
    # 80 00 00 + ETX -> CRC over 80 00 00 03, sent low byte first.
    crc = crc16_bitwise(bytes.fromhex("80000003"))
    frame = encode_frame(bytes.fromhex("800000"))
    assert frame == bytes.fromhex("1002800000") + bytes.fromhex("1003") + crc.to_bytes(2, "little")


def test_dle_in_the_apdu_is_doubled_and_crc_covers_it_once():
    apdu = bytes([0x06, 0xD1, 0x02, 0x10, 0x41])
    frame = encode_frame(apdu)
    assert frame[2:-4] == bytes([0x06, 0xD1, 0x02, 0x10, 0x10, 0x41])
    assert frame[-2:] == crc16_bitwise(apdu + b"\x03").to_bytes(2, "little")
    assert FrameDecoder().feed(frame) == [Frame(apdu, True)]


def test_decoder_reports_signals_bad_crc_and_malformed_frames():
    dec = FrameDecoder()
    assert dec.feed(b"\x06\x15") == [Signal.ACK, Signal.NAK]
    assert dec.feed(encode_frame(b"\x80\x00\x00", corrupt_crc=True)) == [Frame(b"\x80\x00\x00", False)]
    assert dec.feed(b"\x10\x02\x01\x10\x41") == [Frame(b"", False)]  # DLE then neither DLE nor ETX
    assert dec.feed(b"noise" + encode_frame(b"\x05\x01\x00")) == [Frame(b"\x05\x01\x00", True)]


@given(st.lists(st.binary(min_size=1, max_size=80), min_size=1, max_size=4), st.integers(1, 17))
def test_frames_survive_any_chunking(apdus, chunk):
    stream = b"".join(encode_frame(a) for a in apdus)
    dec = FrameDecoder()
    out = []
    for i in range(0, len(stream), chunk):
        out += dec.feed(stream[i : i + chunk])
    assert out == [Frame(a, True) for a in apdus]


@FUZZ
@given(st.binary(max_size=400))
def test_decoder_takes_any_bytes(data):
    for item in FrameDecoder().feed(data):
        assert isinstance(item, Signal | Frame)


# --- APDUs ------------------------------------------------------------------------------------


def test_apdu_length_forms():
    assert Apdu(0x80, 0x00).encode() == b"\x80\x00\x00"
    assert Apdu(0x06, 0xD1, b"x" * 0xFE).encode()[:3] == bytes([0x06, 0xD1, 0xFE])
    long = Apdu(0x06, 0xD3, b"y" * 300).encode()
    assert long[:5] == bytes([0x06, 0xD3, 0xFF, 0x2C, 0x01])  # FF + 300 little-endian
    assert decode_apdu(long) == Apdu(0x06, 0xD3, b"y" * 300)


def test_split_apdu_waits_for_the_whole_message():
    raw = Apdu(0x04, 0x0F, b"abc").encode()
    for cut in range(len(raw)):
        assert split_apdu(raw[:cut]) is None
    assert split_apdu(raw + b"\x80") == (Apdu(0x04, 0x0F, b"abc"), len(raw))
    with pytest.raises(ZvtProtocolError):
        decode_apdu(raw + b"\x00")


@given(st.integers(0, 255), st.integers(0, 255), st.binary(max_size=600))
def test_apdu_round_trip(cls, instr, data):
    assert decode_apdu(Apdu(cls, instr, data).encode()) == Apdu(cls, instr, data)


def test_apdu_repr_hides_data():
    assert "4111" not in repr(Apdu(0x04, 0x0F, b"4111111111111111"))


# --- BCD, LLVAR, BMPs, TLV ----------------------------------------------------------------------


def test_bcd_and_llvar_golden():
    assert encode_bcd(12345, 6) == bytes.fromhex("000000012345")
    assert decode_bcd(bytes.fromhex("0978")) == 978
    assert encode_var(b"abc", 2) == b"\xf0\xf3abc"
    assert encode_var(b"x" * 123, 3)[:3] == b"\xf1\xf2\xf3"
    assert decode_card_number(bytes.fromhex("476173EEEEEE0119")) == ("476173******0119", None)
    assert decode_card_number(encode_digits("123")) == ("123", None)
    assert decode_card_number(bytes.fromhex("4761D2412F")) == ("4761", None)  # D: EF_ID separator
    digits, problem = decode_card_number(bytes.fromhex("47A1"))
    assert digits == "47" and problem and "47A1" not in problem.upper()
    with pytest.raises(ZvtProtocolError):
        decode_bcd(b"\x1a")
    with pytest.raises(ValueError):
        encode_bcd(1_000_000, 2)


def test_authorisation_golden_bytes():
    apdu = cmd.authorisation(Money(12345, "EUR"))
    assert apdu.encode() == bytes.fromhex("06 01 0A 04 000000012345 49 0978".replace(" ", ""))
    assert cmd.registration("000000", "IDR").encode() == bytes.fromhex(
        "06 00 06 000000 BE 0360".replace(" ", "")
    )
    assert cmd.reversal("123456", 7).encode() == bytes.fromhex("06 30 06 123456 87 0007".replace(" ", ""))


def _bmp_value(fmt):
    if fmt == TLV:
        return st.just(encode_tlv([Tlv(0x1F10, b"\x01"), Tlv(0x25, children=(Tlv(0x07, b"line"),))]))
    if fmt in (LL, LLL):
        return st.binary(max_size=99)
    return st.binary(min_size=fmt, max_size=fmt)


bmp_fields = st.dictionaries(st.sampled_from(sorted(BMP_FORMATS)), st.none(), max_size=8).flatmap(
    lambda d: st.fixed_dictionaries({tag: _bmp_value(BMP_FORMATS[tag]) for tag in d})
)


@given(bmp_fields)
def test_bmp_round_trip(fields):
    data = b"".join(encode_bmp(tag, value) for tag, value in fields.items())
    assert parse_bmps(data) == fields


tlv_tree = st.recursive(
    st.builds(Tlv, st.sampled_from([0x07, 0x09, 0x1F10, 0x1F8101]), st.binary(max_size=40)),
    lambda children: st.builds(
        lambda tag, kids: Tlv(tag, b"", tuple(kids)),
        st.sampled_from([0x24, 0x25, 0x3F01]),
        st.lists(children, max_size=3),
    ),
    max_leaves=10,
)


@given(st.lists(tlv_tree, max_size=4))
def test_tlv_round_trip(items):
    assert parse_tlv(encode_tlv(items)) == tuple(items)


def test_tlv_long_lengths_and_find():
    big = Tlv(0x07, b"z" * 300)
    raw = encode_tlv([Tlv(0x25, children=(Tlv(0x09, b"\x02"), big))])
    assert raw[:4] == bytes([0x25, 0x82, 0x01, 0x33])  # 3 + 4 + 300
    (root,) = parse_tlv(raw)
    assert root.find(0x07) == [big]


# --- fuzzing: every parser fails cleanly ----------------------------------------------------------

PARSERS = [
    parse_bmps,
    parse_tlv,
    decode_apdu,
    cmd.parse_status_information,
    cmd.parse_intermediate_status,
    cmd.parse_print_line,
    cmd.parse_text_block,
]


@FUZZ
@given(st.sampled_from(PARSERS), st.binary(max_size=300))
def test_parsers_raise_only_protocol_errors(parser, data):
    with contextlib.suppress(ZvtProtocolError):
        parser(data)


@FUZZ
@given(st.sampled_from(PARSERS), bmp_fields, st.integers(0, 400), st.binary(max_size=4))
def test_parsers_on_mutated_valid_messages(parser, fields, cut, noise):
    data = b"".join(encode_bmp(tag, value) for tag, value in fields.items())
    mutated = data[:cut] + noise + data[cut + len(noise) :]
    with contextlib.suppress(ZvtProtocolError):
        parser(mutated)


def test_status_information_masks_a_full_card_number():
    data = encode_bmp(0x27, b"\x00") + encode_bmp(0x22, encode_digits("4111111111111111"))
    info = cmd.parse_status_information(data)
    assert info.masked_pan == "************1111"
    assert info.result_code == 0


def test_intermediate_status_with_display_lines_and_text_block():
    texts = Tlv(0x24, children=(Tlv(0x07, b"Karte einstecken"), Tlv(0x07, b"Insert card")))
    data = bytes([0x0A, 0x00]) + encode_bmp(0x06, encode_tlv([texts]))
    assert cmd.parse_intermediate_status(data) == cmd.IntermediateStatus(
        0x0A, ("Karte einstecken", "Insert card")
    )
    assert cmd.parse_intermediate_status(b"\x0b") == cmd.IntermediateStatus(0x0B)
    # The receipt type is tag 1F07 beside the print texts; 09 inside them is a print attribute.
    texts = Tlv(
        0x25, children=(Tlv(0x07, b"MERCHANT COPY"), Tlv(0x07, b"Total 1.00\x00"), Tlv(0x09, b"\xff"))
    )
    assert cmd.parse_text_block(encode_bmp(0x06, encode_tlv([Tlv(0x1F07, b"\x01"), texts]))) == cmd.TextBlock(
        "merchant", ("MERCHANT COPY", "Total 1.00"), end_of_receipt=True
    )
    untyped = Tlv(0x25, children=(Tlv(0x09, b"\x01"), Tlv(0x07, b"line")))
    assert cmd.parse_text_block(encode_bmp(0x06, encode_tlv([untyped]))) == cmd.TextBlock("", ("line",))
    assert cmd.parse_print_line(b"\xffTHANK YOU") == "THANK YOU"


def test_unknown_currency_in_status_information_is_left_open():
    info = cmd.parse_status_information(
        encode_bmp(0x49, encode_bcd(999, 2)) + encode_bmp(0x04, encode_bcd(5, 6))
    )
    assert (info.currency, info.amount_minor) == (None, 5)
