"""The virtual printer against ESC/POS it did not write: other generators' streams, every documented
command, malformed jobs, and a seeded fuzz. Whatever comes in, no exception escapes, what cannot be
drawn is noted on the receipt, and the next job prints.

Foreign material: python-escpos 3.1 (PyPI, the project's own dependency) and, from npm (pinned in
tests/drivers/escpos_generators/package-lock.json, installed by scripts/npm-generators.sh),
@point-of-sale/receipt-printer-encoder 4.0.1 (https://github.com/NielsLeenheer/ReceiptPrinterEncoder)
and node-thermal-printer 4.6.1 (https://github.com/Klemen1337/node-thermal-printer).
"""

import base64
import json
import os
import random
import socket
import subprocess
import time
from pathlib import Path

import pytest
import zxingcpp
from escpos.printer import Dummy
from PIL import Image

from drivers.printer.document import Cut, Receipt, Text
from drivers.printer.profiles import PROFILE_58MM, PROFILE_80MM
from drivers.printer.render import render
from drivers.sim.printer import VirtualPrinter
from drivers.sim.printer_server import TcpPrinterServer
from tests.drivers.printer_samples import QR_PAYLOAD, sample_checkin

ROOT = Path(__file__).resolve().parents[2]
GENERATORS = Path(__file__).with_name("escpos_generators")
NEXT_JOB = render(Receipt((Text("NEXT JOB"), Cut())), PROFILE_80MM)
FUZZ_SECONDS = 20
FUZZ_CASES = 3000


def codes(image, fmt):
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == fmt]


def assert_next_job_prints(printer: VirtualPrinter) -> None:
    printed = printer.printed
    printer.feed(NEXT_JOB)
    assert printer.printed == printed + 1
    assert printer.receipts[-1].text.strip() == "NEXT JOB"  # paper fed after a cut may lead it


# -- malformed jobs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("job", "note"),
    [
        (b"\x1dkI\x06{BAB\xe9C", "could not render GS k 73: byte 0xe9 is not in Code 128 set B"),
        (b"\x1dw\x00\x1dkI\x05{BABC", "barcode module width (GS w) 0 is outside 1..6: kept 3"),
        (b"\x1dkI\x00", "an empty code128 barcode was skipped"),
        (b"\x1dk\x04\x00", "an empty code39 barcode was skipped"),
        (b"\x1dkI\x03ABC", "could not render GS k 73: Code 128 data must begin with a code set"),
        (b"\x1dkC\x05ABCDE", "could not render GS k 67"),
        (b"\x1d(k\x03\x001Q0", "a QR code without data was skipped"),
        (b"\x1dv0\x00\x00\x00\x00\x00", "an empty raster image (GS v 0) was skipped"),
    ],
    ids=[
        "code128-non-ascii",
        "bar-width-0",
        "empty-code128",
        "empty-code39",
        "no-code-set",
        "ean13-letters",
        "empty-qr",
        "empty-raster",
    ],
)
def test_a_malformed_command_is_skipped_noted_and_the_next_job_prints(job, note, caplog):
    printer = VirtualPrinter()
    printer.feed(b"\x1b@before\n" + job + b"after\n\x1dV\x00")
    [receipt] = printer.receipts
    assert receipt.text == "before\nafter"
    assert len(receipt.notes) == 1 and receipt.notes[0].startswith(note)
    assert note in caplog.text
    assert_next_job_prints(printer)


def test_a_half_sent_command_is_dropped_when_the_host_disconnects():
    printer = VirtualPrinter()
    printer.feed(b"\x1b@printed\n\x1dv0\x00\x10\x00\x10\x00\x01\x02")  # 256 bytes announced, 2 sent
    printer.end_of_job()
    [receipt] = printer.receipts
    assert receipt.text == "printed"
    assert receipt.notes == [
        "an incomplete GS v 48 command (10 bytes) was cut off when the host disconnected: skipped"
    ]
    assert_next_job_prints(printer)


def test_code128_sets_are_read_as_the_reference_defines_them():
    printer = VirtualPrinter()
    printer.feed(b"\x1dH\x02\x1dkI\x09{C\x0c\x22\x38{B-X\x1dV\x00")  # set C: 12 34 56, then set B
    assert codes(printer.receipts[0].image, zxingcpp.BarcodeFormat.Code128) == ["123456-X"]
    assert printer.receipts[0].notes == []


# -- every documented command is stepped over by its length -------------------------------------

DOCUMENTED = {
    "FS . cancel Kanji": b"\x1c.",
    "FS & Kanji mode": b"\x1c&",
    "FS ! Kanji print mode": b"\x1c!\x00",
    "FS C code system": b"\x1cC\x01",
    "FS S Kanji spacing": b"\x1cS\x01\x02",
    "FS 2 user Kanji": b"\x1c2\x77\xa1" + b"\x41" * 72,
    "FS ( A Kanji font": b"\x1c(A\x02\x000A",
    "FS p NV image": b"\x1cp\x01\x30",
    "FS q define NV image": b"\x1cq\x01\x01\x00\x01\x00" + b"\x41" * 8,
    "FS g 1 NV memory": b"\x1cg1\x00\x00\x00\x00\x00\x03\x00ABC",
    "ESC B buzzer": b"\x1bB\x01\x01",
    "ESC p pulse": b"\x1bp\x00\x19\xfa",
    "ESC ( A beeper": b"\x1b(A\x04\x000\x01\x01\x01",
    "ESC * bit image": b"\x1b*\x21\x02\x00" + b"\x41" * 6,
    "ESC & user chars": b"\x1b&\x03\x41\x42\x0c" + b"\x41" * 36 + b"\x0c" + b"\x41" * 36,
    "ESC D tab stops": b"\x1bD\x08\x10\x18\x00",
    "ESC W page area": b"\x1bW\x00\x00\x00\x00\x40\x02\x40\x02",
    "ESC c 5 panel": b"\x1bc5\x00",
    "ESC = peripheral": b"\x1b=\x01",
    "ESC SP spacing": b"\x1b \x00",
    "ESC $ position": b"\x1b$\x10\x00",
    "GS ( E user setup": b"\x1d(E\x03\x00\x01IN",
    "GS ( L NV graphics": b"\x1d(L\x06\x0000AA\x20\x20",
    "GS 8 L graphics": b"\x1d8L\x04\x00\x00\x0000AA",
    "GS ( k PDF417 store": b"\x1d(k\x06\x000P0ABC",
    "GS P motion units": b"\x1dP\xcb\xcb",
    "GS ^ macro": b"\x1d^\x01\x00\x00",
    "GS g 0 counter": b"\x1dg0\x00\x14\x00",
    "GS z online wait": b"\x1dz0\x01\x01",
    "GS a status back": b"\x1da\x00",
    "GS I printer id": b"\x1dI\x01",
    "GS * download image": b"\x1d*\x01\x01" + b"\x41" * 8,
    "DLE DC4 clear buffers": b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08",
    "DLE DC4 buzzer": b"\x10\x14\x03\x01\x01\x01\x01\x01",
    "DLE ENQ": b"\x10\x05\x02",
}


@pytest.mark.parametrize("command", DOCUMENTED.values(), ids=DOCUMENTED.keys())
def test_documented_commands_are_skipped_by_their_length_not_printed(command):
    printer = VirtualPrinter()
    printer.feed(b"\x1b@AB" + command + b"CD\n\x1dV\x00")
    [receipt] = printer.receipts
    assert receipt.text == "ABCD"
    assert printer.unknown_commands == []


def test_an_undocumented_command_is_skipped_and_listed():
    printer = VirtualPrinter()
    printer.feed(b"\x1b@AB\x1c\x7fCD\n\x1dV\x00")
    assert printer.receipts[0].text == "ABCD"
    assert printer.unknown_commands == [b"\x1c\x7f"]


@pytest.mark.parametrize("tail", [b"\n", b"\r", b"\n\r", b"\r\n\n"], ids=repr)
def test_line_feeds_after_the_last_cut_make_no_second_receipt(tail):
    printer = VirtualPrinter()
    printer.feed(b"\x1b@one\n\x1dV\x00" + tail)
    printer.end_of_job()
    assert [r.text for r in printer.receipts] == ["one"]


# -- other generators' streams -------------------------------------------------------------------

SPEC = {
    "lines": ["HOTEL SAMBUT BALI", "Guest Ana Lestari", "Room 1204"],
    "qr": QR_PAYLOAD,
    "barcode": "SMB-7K2Q9X",
}


def python_escpos_stream(profile, native_qr: bool) -> bytes:
    """python-escpos with one of its own capability profiles (e.g. "TM-T88III") or ours."""
    out = Dummy(profile=profile)
    out.hw("INIT")
    out.set(align="center", bold=True, double_height=True)
    out.textln(SPEC["lines"][0])
    out.set_with_default()
    for line in SPEC["lines"][1:]:
        out.textln(line)
    out.set(underline=1, double_width=True)
    out.textln("wide")
    out.set_with_default(align="center")
    out.image(Image.new("1", (64, 32), 0), impl="graphics")
    out.qr(SPEC["qr"], size=6, native=native_qr)
    out._hw_barcode("{B" + SPEC["barcode"], "CODE128", function_type="B", height=80, width=3, pos="BELOW")
    out.cut()
    return out.output


def npm_streams(columns: int) -> dict[str, bytes]:
    node_modules = subprocess.run(
        ["bash", str(ROOT / "scripts" / "npm-generators.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()
    spec = json.dumps(SPEC | {"columns": columns})
    env = os.environ | {"NODE_PATH": node_modules}
    out = subprocess.run(
        ["node", str(GENERATORS / "generate.cjs"), spec], check=True, capture_output=True, env=env
    ).stdout
    return {name: base64.b64decode(data) for name, data in json.loads(out).items()}


# node-thermal-printer's code128() sends "GS w 0" for its default width, outside the documented 1..6.
FOREIGN_NOTES = {"node-thermal-printer": ["barcode module width (GS w) 0 is outside 1..6: kept 3"]}


@pytest.fixture(scope="module")
def foreign_streams() -> dict[str, bytes]:
    return {"python-escpos": python_escpos_stream("TM-T88III", native_qr=True)} | npm_streams(
        PROFILE_80MM.chars_per_line
    )


@pytest.mark.parametrize("generator", ["python-escpos", "receipt-printer-encoder", "node-thermal-printer"])
def test_other_generators_streams_print_their_text_and_codes(generator, foreign_streams, tmp_path):
    printer = VirtualPrinter(PROFILE_80MM, out_dir=tmp_path)
    assert printer.feed(foreign_streams[generator]) == b""
    printer.end_of_job()
    [receipt] = printer.receipts
    lines = [line.strip() for line in receipt.text.splitlines()]
    for line in SPEC["lines"]:
        assert line in lines
    assert all(line != "." for line in lines)
    png = Image.open(receipt.path)  # the rendered PNG, as a technician gets it
    assert codes(png, zxingcpp.BarcodeFormat.QRCode) == [SPEC["qr"]]
    assert codes(png, zxingcpp.BarcodeFormat.Code128) == [SPEC["barcode"]]
    assert receipt.notes == FOREIGN_NOTES.get(generator, [])
    assert printer.unknown_commands == []


def test_python_escpos_on_a_58mm_printer_without_native_qr_decodes_its_raster_qr():
    printer = VirtualPrinter(PROFILE_58MM)
    printer.feed(python_escpos_stream(PROFILE_58MM.escpos_profile(), native_qr=False))
    [receipt] = printer.receipts
    assert codes(receipt.image, zxingcpp.BarcodeFormat.QRCode) == [SPEC["qr"]]
    assert receipt.notes == []


# -- fuzz ----------------------------------------------------------------------------------------


def _mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out))
        match rng.randrange(4):
            case 0:
                out[at] = rng.randrange(256)
            case 1:
                del out[at : at + rng.randint(1, 16)]
            case 2:
                out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            case _:  # a prefix byte where it hurts most
                out[at] = rng.choice((0x10, 0x1B, 0x1C, 0x1D))
    return bytes(out)


def test_fuzz_no_exception_escapes_and_the_next_job_prints(foreign_streams, record_property):
    rng = random.Random(20261204)
    seeds = [*foreign_streams.values(), render(sample_checkin(), PROFILE_80MM)]
    prefixes = (b"\x10", b"\x1b", b"\x1c", b"\x1d", b"\x1d(k", b"\x1dk", b"\x1dv0", b"\x1d(L")
    printer = VirtualPrinter()
    cases = 0
    deadline = time.monotonic() + FUZZ_SECONDS
    while cases < FUZZ_CASES and time.monotonic() < deadline:
        if cases % 2:
            job = _mutate(rng, rng.choice(seeds))
        else:
            job = b"".join(rng.choice(prefixes) + rng.randbytes(rng.randint(0, 12)) for _ in range(20))
        for i in range(0, len(job), 997):  # in reads, as a socket delivers it
            printer.feed(job[i : i + 997])
        printer.end_of_job()
        assert_next_job_prints(printer)
        cases += 1
    record_property("fuzz_cases", cases)
    print(f"fuzz: {cases} cases, 0 interpreter crashes")
    assert cases >= 500  # even on a loaded machine the fuzz must mean something


def test_python_escpos_graphics_images_are_drawn():
    out = Dummy(profile="TM-T88III")
    out.image(Image.new("1", (64, 32), 0), impl="graphics", center=False)  # GS ( L fn 112, fn 50
    out.cut()
    printer = VirtualPrinter()
    printer.feed(out.output)
    [receipt] = printer.receipts
    assert receipt.image.convert("L").histogram()[0] == 64 * 32 and receipt.notes == []


def test_graphics_with_a_32_bit_length_are_drawn():
    # GS 8 L p1 p2 p3 p4 m fn a bx by c xL xH yL yH d1...dk, as Epson's reference defines it for
    # images of more than 64 KB: here 512 x 1100 dots, 70,400 bytes.
    width, height = 512, 1100
    body = (
        b"0p0\x01\x011"
        + width.to_bytes(2, "little")
        + height.to_bytes(2, "little")
        + b"\xff" * (width * height // 8)
    )
    data = b"\x1d8L" + len(body).to_bytes(4, "little") + body + b"\x1d(L\x02\x0002\x1dV\x00"
    printer = VirtualPrinter()
    printer.feed(data)
    [receipt] = printer.receipts
    assert receipt.image.convert("L").histogram()[0] == width * height and receipt.notes == []


def test_one_bad_connection_does_not_stop_the_receipts_after_it():
    printer = VirtualPrinter()
    with TcpPrinterServer(printer, port=0) as server:
        bad = b"\x1b@\x1dkI\x06{BAB\xe9C\x1dv0\x00\x10\x00\x10\x00\x01"  # a bad barcode, a half image
        for job in (bad, NEXT_JOB):
            with socket.create_connection((server.host, server.port)) as sock:
                sock.sendall(job)
            deadline = time.monotonic() + 5
            while printer.printed < (1 if job is bad else 2) and time.monotonic() < deadline:
                time.sleep(0.01)
    assert [r.text.strip() for r in printer.receipts] == ["", "NEXT JOB"]  # the margin is the receipt's
    assert [len(r.notes) for r in printer.receipts] == [2, 0]
