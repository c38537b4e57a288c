"""Receipt documents -> ESC/POS: golden bytes, code pages, layout, money and card-data rules."""

import os
from pathlib import Path

import pytest

from drivers.money import Money, format_money
from drivers.printer.document import QRCode, Receipt, Row, Text
from drivers.printer.profiles import PROFILE_58MM, PROFILE_80MM
from drivers.printer.receipts import CardPayment
from drivers.printer.render import render
from drivers.printer.text import PrintableText
from drivers.sim.printer import VirtualPrinter
from tests.drivers.printer_samples import sample_checkin, sample_payment

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SAMBUT_UPDATE_GOLDEN") == "1"


def printed_text(data: bytes, profile=PROFILE_80MM) -> str:
    printer = VirtualPrinter(profile)
    printer.feed(data)
    printer.end_of_job()
    assert printer.unknown_commands == []
    return printer.receipts[-1].text


@pytest.mark.parametrize(
    ("name", "build", "profile", "native_qr"),
    [
        ("checkin-80mm-native", lambda: sample_checkin("en"), PROFILE_80MM, True),
        ("checkin-58mm-raster", lambda: sample_checkin("id"), PROFILE_58MM, False),
        ("payment-80mm", lambda: sample_payment("id"), PROFILE_80MM, None),
    ],
)
def test_golden_bytes(name, build, profile, native_qr):
    """Any change to the bytes a printer gets must be deliberate: regenerate with
    SAMBUT_UPDATE_GOLDEN=1 and review the diff."""
    data = render(build(), profile, native_qr=native_qr)
    path = GOLDEN / f"{name}.bin"
    if UPDATE:
        path.write_bytes(data)
    assert data == path.read_bytes()


def test_rendering_is_deterministic():
    assert render(sample_checkin(), PROFILE_80MM) == render(sample_checkin(), PROFILE_80MM)


def test_native_qr_is_gs_k_and_raster_is_gs_v_0():
    doc = Receipt((QRCode("HELLO"),))
    native = render(doc, PROFILE_80MM)
    raster = render(doc, PROFILE_58MM)
    assert b"\x1d(k" in native and b"\x1dv0" not in native
    assert b"\x1dv0" in raster and b"\x1d(k" not in raster
    assert b"\x1d(k" in render(doc, PROFILE_58MM, native_qr=True)


@pytest.mark.parametrize(
    ("name", "profile", "expected"),
    [
        ("Nguyễn Thị Ánh", PROFILE_80MM, "Nguyễn Thị Ánh"),  # TCVN-3 pages
        ("Nguyễn Thị Ánh", PROFILE_58MM, "Nguyên Thi Ánh"),  # no TCVN-3: tone marks dropped
        ("O'Brien", PROFILE_58MM, "O'Brien"),
        ("Zoë Straße", PROFILE_58MM, "Zoë Straße"),
        ("Łukasz Čapek", PROFILE_80MM, "Łukasz Čapek"),
        ("Łukasz", PROFILE_58MM, "Łukasz"),
        ("Пётр", PROFILE_80MM, "Пётр"),
        ("Ελένη Παπαδοπούλου", PROFILE_80MM, "Ελένη Παπαδοπούλου"),
        ("Ελένη Παπαδοπούλου", PROFILE_58MM, "Eleni Papadopoulou"),  # no Greek page: whole words
        ("Ελένη", PROFILE_58MM, "Eleni"),
        ("“Đặng” – 日本", PROFILE_58MM, "“Đăng” – ??"),  # CP1258 has the quotes and the dash
        ("“Đặng” – 日本", PROFILE_80MM, "“Đặng” – ??"),
    ],
)
def test_names_print_or_degrade_readably(name, profile, expected):
    assert printed_text(render(Receipt((Text(name),)), profile), profile) == expected


def test_cyrillic_is_spelt_in_latin_where_no_page_has_it():
    fit = PrintableText({"CP437": 0})
    assert fit.fit("Пётр Йодко, Їжак") == "Pyotr Yodko, Yizhak"


def test_text_never_reaches_escpos_fallbacks():
    """Whatever comes in, every character handed on is printable on the profile."""
    fit = PrintableText(PROFILE_58MM.code_pages)
    sample = "Nguyễn 日本 عربى 🙂 ﬁ \x07 Ἀθῆναι ǅ"
    assert all(fit.can_print(c) for c in fit.fit(sample))
    assert "\x07" not in fit.fit(sample)


def test_row_puts_the_value_flush_right_and_wraps_long_labels():
    doc = Receipt((Row("Amount paid", "Rp 1.250.000,00"), Row("A very long label " * 3, "12")))
    lines = printed_text(render(doc, PROFILE_58MM), PROFILE_58MM).splitlines()
    assert lines[0] == "Amount paid      Rp 1.250.000,00"
    assert all(len(line) <= 32 for line in lines)
    assert lines[-1].endswith(" 12")


def test_styles_are_sent_only_when_they_change():
    doc = Receipt(tuple(Text(f"line {i}", bold=True) for i in range(5)))
    assert render(doc, PROFILE_80MM).count(b"\x1bE\x01") == 1


@pytest.mark.parametrize(
    ("money", "locale", "expected"),
    [
        (Money(125_000_000, "IDR"), "id", "Rp 1.250.000,00"),
        (Money(125_000_000, "IDR"), "en", "IDR 1,250,000.00"),
        (Money(1500, "JPY"), "en", "¥1,500"),
        (Money(1999, "USD"), "en", "$19.99"),
    ],
)
def test_money_is_formatted_from_minor_units(money, locale, expected):
    assert format_money(money, locale) == expected


def test_money_refuses_floats_and_bad_codes():
    with pytest.raises(TypeError):
        Money(12.5, "IDR")
    with pytest.raises(ValueError):
        Money(1, "rupiah")


def test_receipt_shows_amount_in_guest_locale_and_translated_labels():
    labels = {"Amount paid": "Jumlah dibayar", "Room": "Kamar"}
    doc = sample_checkin("id", translate=lambda s: labels.get(s, s))
    text = printed_text(render(doc, PROFILE_80MM))
    assert "Jumlah dibayar" in text and "Rp 1.250.000,00" in text
    assert "\nKamar\n1204\n" in text
    assert "VISA **** **** **** 1234" in text


def test_a_receipt_without_access_code_sends_the_guest_to_the_desk_for_it():
    assert "Room access code" in printed_text(render(sample_checkin(), PROFILE_80MM))
    text = printed_text(render(sample_checkin(room_access_code=""), PROFILE_80MM))  # checked in offline
    assert "Room access code" not in text and "waiting for you at the front desk" in " ".join(text.split())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"masked_pan": "4111 11** **** 1111"},
        {"masked_pan": "**** 1234", "terminal_lines": ("PAN 4111 1111 1111 1111",)},
    ],
)
def test_card_payment_refuses_more_than_the_last_four_digits(kwargs):
    with pytest.raises(ValueError):
        CardPayment(Money(100, "IDR"), "VISA", auth_code="1", **{"masked_pan": "**** 1234", **kwargs})


def test_issued_at_must_be_zone_aware():
    from datetime import datetime

    from drivers.printer.receipts import payment_receipt
    from tests.drivers.printer_samples import PAYMENT

    with pytest.raises(ValueError):
        payment_receipt(hotel_name="H", payment=PAYMENT, issued_at=datetime(2026, 1, 1))


def test_a_barcode_takes_printable_ascii_only():
    from drivers.printer.document import Barcode

    with pytest.raises(ValueError):
        Barcode("Zoë")
