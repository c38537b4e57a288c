"""ID scanning commands for technicians: read a document from text or an image, without the kiosk.

    python main.py idscan parse FILE|-        an MRZ, booking token or AAMVA dump, as a scanner sends it
    python main.py idscan image IMAGE...      decode codes in photos with the camera pipeline

Output masks document numbers and leaves out names, as the logs do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drivers.idscan.document import IdDocument, Source, mask
from drivers.idscan.mrz import describe_code
from drivers.idscan.recognize import recognize


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("idscan", help="read ID documents and codes from text or images")
    commands = parser.add_subparsers(dest="idscan_command", metavar="ACTION", required=True)
    parse = commands.add_parser("parse", help="parse scanner output (MRZ, booking token, AAMVA bytes)")
    parse.add_argument("file", help="a file with one scan, or - for standard input")
    parse.set_defaults(func=_parse)
    image = commands.add_parser("image", help="decode codes in image files with the camera pipeline")
    image.add_argument("images", nargs="+", type=Path)
    image.set_defaults(func=_image)


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
