"""ID scanning commands for technicians: read a document from text or an image, without the kiosk.

    python main.py idscan parse FILE|-        an MRZ, booking token or AAMVA dump, as a scanner sends it
    python main.py idscan image IMAGE...      decode codes in photos with the camera pipeline
    python main.py idscan scanner-sim [FILE]  a scanner on a TCP port for the kiosk's serial driver

Output masks document numbers and leaves out names, as the logs do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drivers.idscan.aamva import looks_like_aamva
from drivers.idscan.document import IdDocument, Source, mask
from drivers.idscan.mrz import describe_code
from drivers.idscan.recognize import recognize
from drivers.idscan.scanner_sim import ScannerSimulator


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("idscan", help="read ID documents and codes from text or images")
    commands = parser.add_subparsers(dest="idscan_command", metavar="ACTION", required=True)
    parse = commands.add_parser("parse", help="parse scanner output (MRZ, booking token, AAMVA bytes)")
    parse.add_argument("file", help="a file with one scan, or - for standard input")
    parse.set_defaults(func=_parse)
    image = commands.add_parser("image", help="decode codes in image files with the camera pipeline")
    image.add_argument("images", nargs="+", type=Path)
    image.set_defaults(func=_image)
    sim = commands.add_parser(
        "scanner-sim",
        help="serve scans on a TCP port; point a serial scanner at port = socket://HOST:PORT",
    )
    sim.add_argument(
        "file", nargs="?", type=Path, help="scans separated by blank lines; default: stdin lines"
    )
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8473)
    sim.add_argument("--terminator", choices=sorted(_TERMINATORS), default="crlf")
    sim.set_defaults(func=_scanner_sim)


_TERMINATORS = {"crlf": b"\r\n", "cr": b"\r", "lf": b"\n"}


def describe(doc: IdDocument) -> str:
    f = doc.fields
    parts = [f"{doc.kind.value}: {'valid' if doc.valid else 'NOT VALID'}"]
    if doc.reason:
        parts.append(f"reason={doc.reason}")
    if f.document_number:
        parts.append(f"number={mask(f.document_number)}")
    if f.issuing_state:
        parts.append(f"issued by {describe_code(f.issuing_state)}")
    if f.booking_property:
        parts.append(f"property={f.booking_property}")
    if f.expiry_date:
        parts.append(f"expires={f.expiry_date.isoformat()} ({doc.expiry.value})")
    # An asterisk marks a check that passed after an OCR look-alike was corrected.
    checks = " ".join(
        f"{c.name}={'ok' if c.passed else 'FAIL'}{'*' if c.corrected else ''}" for c in doc.checks
    )
    if checks:
        parts.append(f"checks: {checks}")
    return "  ".join(parts)


def _parse(args: argparse.Namespace) -> int:
    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    doc = recognize(data, Source.TEXT)
    print(describe(doc))
    return 0 if doc.valid else 1


def _image(args: argparse.Namespace) -> int:
    import cv2

    from drivers.camera.decode import FrameDecoder

    decoder = FrameDecoder()
    found_all = True
    for path in args.images:
        frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if frame is None:
            print(f"{path}: cannot read image")
            found_all = False
            continue
        result = decoder.decode(frame)
        if not result.codes:
            print(f"{path}: no code ({result.hint.value})")
            found_all = False
        for code in result.codes:
            doc = recognize(code.raw, Source.CAMERA)
            print(f"{path}: {code.symbology.value} via {code.via}: {describe(doc)}")
    return 0 if found_all else 1


def _scanner_sim(args: argparse.Namespace) -> int:
    sim = ScannerSimulator(args.host, args.port, _TERMINATORS[args.terminator])
    try:
        print(f"scanner on socket://{args.host}:{sim.port}: waiting for the kiosk", file=sys.stderr)
        sim.wait_for_kiosk()
        if args.file is not None:
            data = args.file.read_bytes()
            scans = [data] if looks_like_aamva(data) else [b for b in data.split(b"\n\n") if b.strip()]
            for scan in scans:
                sim.send(scan.strip(b"\n"))
        else:
            print("connected: type a scan per line (an MRZ line by line), Ctrl-D to end", file=sys.stderr)
            for line in sys.stdin.buffer:
                sim.send(line.rstrip(b"\r\n"))
    finally:
        sim.close()
    return 0
