"""ID documents and codes: MRZ (ICAO 9303), AAMVA PDF417, booking QR tokens, and the scanners that read them.

Importing this package loads only the pure-Python parsers; camera code lives in ``drivers.camera``.
"""

from drivers.idscan.aamva import encode_aamva, parse_aamva
from drivers.idscan.booking import parse_booking
from drivers.idscan.document import (
    Check,
    DocumentFields,
    DocumentKind,
    ExpiryState,
    IdDocument,
    Sex,
    Source,
    mask,
)
from drivers.idscan.mrz import check_digit, parse_mrz
from drivers.idscan.recognize import recognize

__all__ = [
    "Check",
    "DocumentFields",
    "DocumentKind",
    "ExpiryState",
    "IdDocument",
    "Sex",
    "Source",
    "check_digit",
    "encode_aamva",
    "mask",
    "parse_aamva",
    "parse_booking",
    "parse_mrz",
    "recognize",
]
