"""The virtual printer: document -> ESC/POS -> interpreter -> PNG -> the QR decodes again."""

import pytest
import zxingcpp
from PIL import Image

from drivers.printer.document import Barcode, Cut, QRCode, Receipt, Text
from drivers.printer.profiles import PROFILE_58MM, PROFILE_80MM
from drivers.printer.render import render
from drivers.sim.printer import Paper, VirtualPrinter, parse_fault_command
from tests.drivers.printer_samples import QR_PAYLOAD, sample_checkin


def decoded(image, fmt=zxingcpp.BarcodeFormat.QRCode):
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == fmt]


@pytest.mark.parametrize(
    ("profile", "native_qr"),
    [(PROFILE_80MM, True), (PROFILE_80MM, False), (PROFILE_58MM, False)],
    ids=["80mm-native", "80mm-raster", "58mm-raster"],
)
def test_checkin_receipt_round_trip(profile, native_qr, tmp_path):
    printer = VirtualPrinter(profile, out_dir=tmp_path)
    assert printer.feed(render(sample_checkin(), profile, native_qr=native_qr)) == b""
    assert printer.unknown_commands == []
    [receipt] = printer.receipts
    assert receipt.image.width == profile.dots_per_line
    assert receipt.path is not None and receipt.path.exists()
    assert decoded(receipt.image) == [QR_PAYLOAD]
    assert "1204" in receipt.text and "482913" in receipt.text


def test_a_printer_without_native_qr_skips_gs_k_and_says_so(tmp_path):
    assert not PROFILE_58MM.native_qr
    printer = VirtualPrinter(PROFILE_58MM, out_dir=tmp_path)
    printer.feed(render(sample_checkin(), PROFILE_58MM, native_qr=True))
    [receipt] = printer.receipts
    assert decoded(receipt.image) == []
    assert "1204" in receipt.text
    assert receipt.notes == ["the 58mm printer has no native QR code (GS ( k): not printed"]
    assert Image.open(receipt.path).text["Comment"] == receipt.notes[0]


def test_barcode_prints_and_decodes():
    printer = VirtualPrinter(PROFILE_80MM)
    printer.feed(render(Receipt((Barcode("SMB-7K2Q9X"), Cut())), PROFILE_80MM))
    assert decoded(printer.receipts[0].image, zxingcpp.BarcodeFormat.Code128) == ["SMB-7K2Q9X"]
    assert "SMB-7K2Q9X" in printer.receipts[0].text


def test_commands_split_across_reads_give_the_same_receipt():
    data = render(sample_checkin(), PROFILE_58MM)
    whole, dribbled = VirtualPrinter(PROFILE_58MM), VirtualPrinter(PROFILE_58MM)
    whole.feed(data)
    for i in range(0, len(data), 7):
        dribbled.feed(data[i : i + 7])
    assert whole.receipts[0].image.tobytes() == dribbled.receipts[0].image.tobytes()


def test_each_cut_is_one_receipt_and_a_dropped_connection_flushes_the_rest():
    printer = VirtualPrinter()
    printer.feed(render(Receipt((Text("one"), Cut(), Text("two"))), PROFILE_80MM))
    printer.end_of_job()
    assert [r.text.strip() for r in printer.receipts] == ["one", "two"]


@pytest.mark.parametrize(
    ("faults", "answers"),
    [
        ({}, b"\x12\x12\x12"),
        ({"paper": Paper.NEAR_END}, b"\x12\x12\x1e"),
        ({"paper": Paper.OUT}, b"\x1a\x32\x72"),
        ({"cover_open": True}, b"\x1a\x16\x12"),
        ({"garbled": True}, b"\xa5\xa5\xa5"),
        ({"offline": True}, b""),
    ],
)
def test_answers_dle_eot_like_a_printer(faults, answers):
    printer = VirtualPrinter()
    printer.set_faults(**faults)
    assert printer.feed(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04") == answers


def test_paper_running_out_mid_receipt_truncates_it():
    printer = VirtualPrinter()
    printer.set_faults(paper_left_dots=200)
    printer.feed(render(sample_checkin(), PROFILE_80MM))
    assert printer.faults.paper is Paper.OUT
    assert printer.feed(b"\x10\x04\x04") == b"\x72"
    assert printer.receipts[0].image.height == 200
    assert decoded(printer.receipts[0].image) == []


def test_nothing_prints_with_the_cover_open():
    printer = VirtualPrinter()
    printer.set_faults(cover_open=True)
    printer.feed(render(Receipt((Text("lost"), Cut())), PROFILE_80MM))
    assert printer.receipts == []


@pytest.mark.parametrize(
    ("line", "change"),
    [
        ("paper near_end", {"paper": Paper.NEAR_END}),
        ("cover open", {"cover_open": True}),
        ("offline off", {"offline": False}),
        ("garbled on", {"garbled": True}),
        ("paper-left 120", {"paper_left_dots": 120}),
    ],
)
def test_fault_commands(line, change):
    assert parse_fault_command(line) == change


def test_a_bad_fault_command_says_what_is_possible():
    with pytest.raises(ValueError, match="paper ok"):
        parse_fault_command("paper gone")


def test_status_request_bytes_inside_image_data_are_not_answered():
    from PIL import Image

    from drivers.printer.document import Logo

    # Rows of 0x10 0x04 0x01 ... in the raster: a parser that does not honour GS v 0's length
    # would answer them as DLE EOT requests.
    # Pillow's "1" mode has white as 1, ESC/POS black as 1: the inverse goes on the wire.
    pattern = Image.frombytes("1", (24, 8), bytes([0xEF, 0xFB, 0xFE]) * 8)
    data = render(Receipt((Logo(pattern), Cut())), PROFILE_80MM)
    assert b"\x10\x04\x01" * 8 in data
    printer = VirtualPrinter()
    assert printer.feed(data) == b""
    assert printer.unknown_commands == []


def test_raster_qr_is_sent_at_half_resolution_and_printed_doubled():
    data = render(Receipt((QRCode("HELLO", module_dots=6),)), PROFILE_58MM)
    assert b"\x1dv0\x03" in data  # m=3: double width and double height
    printer = VirtualPrinter(PROFILE_58MM)
    printer.feed(data)
    printer.end_of_job()
    assert decoded(printer.receipts[0].image) == ["HELLO"]
