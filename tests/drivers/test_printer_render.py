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
from tests.drivers.printer_samples import PAYMENT, sample_checkin, sample_invoice, sample_payment

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
        ("invoice-58mm", lambda: sample_invoice("en_ID"), PROFILE_58MM, None),
        ("invoice-80mm", lambda: sample_invoice("id_ID"), PROFILE_80MM, None),
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
    assert printed_text(render(Receipt((Text(name),)), profile), profile).strip() == expected


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
    assert lines[0] == " Amount paid    Rp 1.250.000,00"
    assert all(len(line) <= 31 for line in lines)
    assert lines[-1].endswith(" 12")


@pytest.mark.parametrize("profile", [PROFILE_58MM, PROFILE_80MM])
@pytest.mark.parametrize("build", [sample_checkin, sample_invoice, sample_payment])
def test_no_text_reaches_the_papers_edge(build, profile):
    """The margin is blank on both sides of the rendered paper, whatever the alignment."""
    printer = VirtualPrinter(profile)
    printer.feed(render(build(), profile))
    printer.end_of_job()
    image = printer.receipts[-1].image.convert("L")
    margin = profile.margin_chars * profile.char_width
    for box in ((0, 0, margin, image.height), (image.width - margin, 0, image.width, image.height)):
        assert image.crop(box).getextrema() == (255, 255), f"ink within {margin} dots of the edge"
    lines = printer.receipts[-1].text.splitlines()
    assert all(line[: profile.margin_chars].strip() == "" for line in lines)


def test_styles_are_sent_only_when_they_change():
    doc = Receipt(tuple(Text(f"line {i}", bold=True) for i in range(5)))
    assert render(doc, PROFILE_80MM).count(b"\x1bE\x01") == 1


@pytest.mark.parametrize(
    ("money", "locale", "expected"),
    [
        # The rupiah's cash digits are 0 (CLDR): paper and screen show no ",00".
        (Money(125_000_000, "IDR"), "id", "Rp 1.250.000"),
        (Money(125_000_000, "IDR"), "en", "IDR 1,250,000"),
        (Money(125_000_000, "IDR"), "en_ID", "Rp 1.250.000"),
        (Money(12345, "IDR"), "id", "Rp 123,45"),  # a fraction is never hidden
        (Money(1500, "JPY"), "en", "¥1,500"),
        (Money(1999, "USD"), "en", "$19.99"),
        (Money(2000, "USD"), "en", "$20.00"),
    ],
)
def test_money_is_formatted_from_minor_units(money, locale, expected):
    assert format_money(money, locale) == expected


def test_screens_and_paper_format_money_alike():
    from kiosk.i18n import money

    for amount in (Money(125_000_000, "IDR"), Money(12345, "IDR"), Money(1999, "USD")):
        for lang in ("en", "id"):
            assert money(amount, lang) == format_money(amount, lang)
    text = printed_text(render(sample_payment("id"), PROFILE_80MM))
    assert money(PAYMENT.amount, "id") in text and ",00" not in text


def test_the_invoice_is_one_a_tax_office_accepts():
    """Number and tax id on top; charges, subtotal, each levy at its rate and the total before any
    payment; then payments and the balance; dates as written in Indonesia."""
    lines = printed_text(render(sample_invoice("en_ID"), PROFILE_80MM)).splitlines()
    text = "\n".join(lines)
    assert "Tax ID 01.234.567.8-901.000" in text and "INV-SMB-2026-000042" in text
    order = ["Subtotal", "Service charge 10%", "Tax 10%", "Total", "Card payment", "Balance"]
    at = [next(i for i, line in enumerate(lines) if line.strip().startswith(label)) for label in order]
    assert at == sorted(at)
    assert "Rp 3.705.000" in lines[at[3]] and "-Rp 3.630.000" in lines[at[4]]
    assert "29 Nov 2026" in text and "11/29" not in text and "PM" not in text


def test_the_checkin_receipt_is_a_payment_receipt_that_says_what_was_paid():
    text = " ".join(printed_text(render(sample_checkin(), PROFILE_80MM)).split())
    assert "Payment receipt" in text and "Your stay, 3 nights Rp 1.250.000" in text
    assert "Receipt no. 52000123-0417" in text and "Not a tax invoice" in text


def test_money_refuses_floats_and_bad_codes():
    with pytest.raises(TypeError):
        Money(12.5, "IDR")
    with pytest.raises(ValueError):
        Money(1, "rupiah")


def test_receipt_shows_amount_in_guest_locale_and_translated_labels():
    labels = {"Payment receipt": "Bukti pembayaran", "Room": "Kamar"}
    doc = sample_checkin("id", translate=lambda s: labels.get(s, s))
    lines = [line.strip() for line in printed_text(render(doc, PROFILE_80MM)).splitlines()]
    text = "\n".join(lines)
    assert "Bukti pembayaran" in text and "Rp 1.250.000" in text
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
