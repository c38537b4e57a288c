"""Messages captured from real terminals (Feig, Ingenico/hobex and others; sources in
tests/drivers/zvt_captures.py), each parsed to what the terminal meant."""

import pytest

from drivers.payment.cardmask import luhn_ok
from drivers.payment.messages import READY_TERMINAL_STATUSES, terminal_status_meaning
from drivers.payment.zvt import commands as cmd
from drivers.payment.zvt.codec import Apdu, decode_apdu, encode_bmp, encode_digits, parse_bmps
from tests.drivers.zvt_captures import CAPTURES, FEIG, HOBEX


def apdu(name: str) -> Apdu:
    return decode_apdu(CAPTURES[name].bytes)


def test_the_samples_come_from_at_least_two_named_makes():
    makes = {c.make for c in CAPTURES.values()}
    assert {FEIG, HOBEX} <= makes and len(CAPTURES) >= 10
    assert all("@" in c.source and len(c.source.split("@")[1].split(":")[0]) == 40 for c in CAPTURES.values())


STATUS_INFORMATION = {
    # name: (result, amount, currency, trace, receipt, terminal id, masked number, brand, auth code)
    "feig_preauth": (0, 2500, "EUR", 975, 231, "52523535", "************8074", "MasterCard", "750071"),
    "feig_preauth_reversal": (0, 0, "EUR", 977, 232, "52523535", "************8074", "MasterCard", "750071"),
    "feig_preauth_girocard": (
        0,
        2500,
        "EUR",
        1012,
        249,
        "52523535",
        "***************8004",
        "girocard",
        "018372",
    ),
    "feig_end_of_day": (0, 958, None, 982, None, "", "", "", ""),
    "feig_read_card": (0, None, None, None, None, "", "", "", ""),
    "hobex_status_nfc": (0, None, None, 0, 8, "00000006", "************4771", "MASTERCARD", ""),
    "sale_debit_mastercard": (
        0,
        2040,
        "EUR",
        470,
        470,
        "28004869",
        "************4771",
        "Debit Mastercard",
        "611804",
    ),
    "reversal": (0, 100, "EUR", 607, 607, "28004869", "************4771", "Debit Mastercard", "715691"),
    "bezahl_sale": (0, 1, "EUR", 22, 22, "29001006", "************5726", "Debit Mastercard", "291675"),
    "bezahl_sale_maestro": (0, 1880, "EUR", 153, 153, "29001006", "***************4281", "MAESTRO", "958520"),
    "bezahl_declined": (0x05, None, None, None, None, "29001006", "", "", ""),
    "bezahl_aborted_status": (0x6C, None, None, None, None, "29001006", "", "", ""),
}


@pytest.mark.parametrize("name", sorted(STATUS_INFORMATION))
def test_status_information(name):
    info = cmd.parse_status_information(apdu(name).data)
    got = (
        info.result_code,
        info.amount_minor,
        info.currency,
        info.trace_no,
        info.receipt_no,
        info.terminal_id,
        info.masked_pan,
        info.card_brand,
        info.auth_code,
    )
    assert got == STATUS_INFORMATION[name]
    assert info.parse_issues == ()


def test_reversal_names_the_original_trace_number():
    assert cmd.parse_status_information(apdu("reversal").data).original_trace_no == 606


def test_a_sample_whose_length_byte_overstates_its_data_is_still_read():
    # Portalum's sample says 0x44 bytes and holds 37: on a line the driver would wait for the rest.
    info = cmd.parse_status_information(CAPTURES["abort_timeout"].bytes[3:])
    assert (info.result_code, info.amount_minor, info.terminal_id, info.masked_pan) == (
        0x6C,
        1200,  # EUR 12.00
        "52500295",
        "",
    )


def test_no_card_data_survives_parsing():
    """The girocard sample carries the full number and the card-read sample track 2."""
    for name in ("feig_preauth_girocard", "feig_read_card"):
        info = cmd.parse_status_information(apdu(name).data)
        kept = "".join(str(v) for v in vars(info).values())
        assert "4711008005757038004" not in kept and "6725904411001000142" not in kept
        digits = "".join(c if c.isdigit() else " " for c in kept).split()
        assert not any(len(d) >= 12 and luhn_ok(d) for d in digits)


@pytest.mark.parametrize(
    ("name", "version", "code", "terminal_id", "ready"),
    [
        ("feig_status_enquiry", "GER-APP-v2.0.9;cS02.01.01-10.10-2-2;CC26", 0x00, "52523535", True),
        ("bezahl_status_enquiry", "", 0xDC, "", True),  # status alone: card inserted, still ready
    ],
)
def test_status_enquiry_completion(name, version, code, terminal_id, ready):
    msg = apdu(name)
    assert msg.command == cmd.COMPLETION
    state = cmd.parse_status_completion(msg.data)
    assert (state.software_version, state.status_code, state.terminal_id) == (version, code, terminal_id)
    assert (state.status_code in READY_TERMINAL_STATUSES) is ready and state.parse_issues == ()


def test_terminal_status_table():
    assert terminal_status_meaning(0x51) == "initialisation required"
    assert terminal_status_meaning(0xF0).startswith("reconciliation")
    assert {0x51, 0x62, 0x9C, 0xDF, 0xE4, 0xF0}.isdisjoint(READY_TERMINAL_STATUSES)


@pytest.mark.parametrize(
    ("name", "receipt", "lines", "first", "contains"),
    [
        ("feig_customer_receipt", "customer", 33, "", "** Customer Receipt **"),
        ("hobex_customer_receipt", "customer", 38, "  Leihstellung von hobex", "KUNDENBELEG"),
        ("hobex_merchant_receipt", "merchant", 40, "  Leihstellung von hobex", "HÄNDLERBELEG"),  # CP437
        ("hobex_admin_receipt", "admin", 13, "02.11.2021         17:05:02", "Abschluss - keine TX"),
        ("bezahl_merchant_receipt", "merchant", 33, "** H", "Nr:  **** **** **** 5726"),
        ("bezahl_end_of_day_receipt", "admin", 52, "** KASSENSCHNITT **", "Terminal-ID:    29001006"),
    ],
)
def test_receipt_text_blocks_are_typed_and_end(name, receipt, lines, first, contains):
    block = cmd.parse_text_block(apdu(name).data)
    assert (block.receipt, len(block.lines), block.end_of_receipt) == (receipt, lines, True)
    assert block.lines[0].startswith(first) and any(contains in line for line in block.lines)
    assert block.parse_issues == ()


def test_a_receipt_cut_short_is_named_not_raised():
    block = cmd.parse_text_block(CAPTURES["truncated_receipt"].bytes[5:])
    assert block.lines == () and block.parse_issues and "truncated BMP 06" in block.parse_issues[0]


def test_intermediate_status_and_abort():
    assert cmd.parse_intermediate_status(apdu("feig_intermediate").data) == cmd.IntermediateStatus(0x17)
    assert cmd.parse_intermediate_status(apdu("bezahl_please_wait").data) == cmd.IntermediateStatus(0x0E)
    assert cmd.parse_intermediate_status(apdu("bezahl_display_texts").data) == cmd.IntermediateStatus(
        0x0A, ("Karte vorhalten\neinstecken/durchziehen",)
    )
    assert apdu("feig_partial_reversal_abort").data[:1] == b"\xb8" and apdu("bezahl_aborted").data == b"\x6c"


def test_registration_completions_carry_the_status_byte_terminal_and_currency():
    for name, status, tid in (
        ("feig_registration_completion", 0x10, 52523535),
        ("bezahl_registration_completion", 0, 29001006),
    ):
        fields = parse_bmps(apdu(name).data)
        assert (fields[0x19][0], int(fields[0x29].hex()), fields[0x49]) == (status, tid, b"\x09\x78")


# --- one malformed field: BMP 22 in its EF_ID form ------------------------------------------------


def _with_card_field(name: str, value: bytes) -> bytes:
    """A captured status information with its BMP 22 replaced (every other byte as captured)."""
    data = apdu(name).data
    start = data.index(b"\x22\xf0")
    end = start + 3 + int(f"{data[start + 1] & 0x0F}{data[start + 2] & 0x0F}")
    return data[:start] + encode_bmp(0x22, value) + data[end:]


def test_card_number_with_a_separator_ends_there():
    # The spec's EF_ID form: "data BCD packed, D = separator"; here the Feig card-read sample's
    # track 2 (a public test card) standing in BMP 22 of the captured approved sale.
    data = _with_card_field("bezahl_sale", bytes.fromhex("6725904411001000142d24122012386013860f"))
    info = cmd.parse_status_information(data)
    assert (info.result_code, info.amount_minor, info.trace_no) == (0, 1, 22)
    assert info.masked_pan == "***************0142" and info.parse_issues == ()


def test_card_number_with_non_decimal_nibbles_keeps_the_rest_of_the_message():
    data = _with_card_field("bezahl_sale", bytes.fromhex("5598A3EEEE8074") + encode_digits(""))
    info = cmd.parse_status_information(data)
    assert (info.result_code, info.amount_minor, info.receipt_no, info.auth_code) == (0, 1, 22, "291675")
    assert info.masked_pan == "****" and len(info.parse_issues) == 1
    assert info.parse_issues[0].startswith("BMP 22") and "5598" not in info.parse_issues[0]


def test_an_unknown_bmp_keeps_the_fields_before_it():
    data = apdu("bezahl_sale").data
    cut = data.index(b"\x29\x29")  # the terminal id, after result, amount, trace, time, date, card
    info = cmd.parse_status_information(data[:cut] + b"\xfe\x01" + data[cut:])
    assert (info.result_code, info.amount_minor, info.trace_no, info.masked_pan) == (
        0,
        1,
        22,
        "************5726",
    )
    assert info.terminal_id == "" and "unknown BMP FE" in info.parse_issues[0]
