"""The server-signed booking QR token: ``SBT1.<property>.<reservation id>.<signature>``.

The kiosk only recognises the shape and hands the whole token to the server's lookup; the server
checks the signature. Anything else, even close, is not a booking code.
"""

from __future__ import annotations

import re

from drivers.idscan.document import DocumentFields, DocumentKind, ExpiryState, IdDocument, Source

_TOKEN = re.compile(r"SBT1\.([A-Z0-9-]{1,16})\.([0-9a-f]{32})\.([A-Za-z0-9_-]{22})")


def looks_like_booking(text: str) -> bool:
    return text.strip().startswith("SBT1.")


def parse_booking(text: str, source: Source = Source.CAMERA) -> IdDocument:
    token = text.strip()
    raw = token.encode("utf-8", "replace")
    match = _TOKEN.fullmatch(token)
    if match is None:
        return IdDocument.invalid(source, "not a booking code", raw, DocumentKind.BOOKING)
    fields = DocumentFields(booking_property=match[1], booking_reservation=match[2], booking_token=token)
    return IdDocument(
        kind=DocumentKind.BOOKING, source=source, fields=fields, expiry=ExpiryState.NOT_APPLICABLE, raw=raw
    )
