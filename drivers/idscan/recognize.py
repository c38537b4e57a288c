"""Whatever a scanner or camera read, turned into an IdDocument: licence, booking code or MRZ."""

from __future__ import annotations

from datetime import date

from drivers.idscan.aamva import looks_like_aamva, parse_aamva
from drivers.idscan.booking import looks_like_booking, parse_booking
from drivers.idscan.document import IdDocument, Source
from drivers.idscan.mrz import parse_mrz


def recognize(data: bytes | str, source: Source, today: date | None = None) -> IdDocument:
    """Never raises: input that is no document at all is an invalid IdDocument of kind UNKNOWN."""
    try:
        raw = data.encode("utf-8", "replace") if isinstance(data, str) else bytes(data)
    except Exception:  # not bytes-like at all
        return IdDocument.invalid(source, "not a valid document")
    stripped = raw.lstrip(b" \t\r\n")
    if looks_like_aamva(stripped):
        return parse_aamva(stripped, source, today)
    text = raw.decode("latin-1")
    if looks_like_booking(text):
        return parse_booking(text, source)
    return parse_mrz(text, source, today)
