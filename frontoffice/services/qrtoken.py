"""Booking QR tokens signed by the server: ``SBT1.<property code>.<reservation id hex>.<signature>``.

The signature is a truncated HMAC-SHA256 under the property's secret, so a guessed or altered
code is refused. 128 bits of MAC keep the QR code small and still unforgeable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid

PREFIX = "SBT1"
_SHAPE = re.compile(r"^SBT1\.([A-Z0-9-]{1,16})\.([0-9a-f]{32})\.([A-Za-z0-9_-]{22})$")


def _mac(secret: bytes, property_code: str, reservation_id: uuid.UUID) -> str:
    msg = f"{PREFIX}.{property_code}.{reservation_id.hex}".encode()
    digest = hmac.new(secret, msg, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(secret: bytes, property_code: str, reservation_id: uuid.UUID) -> str:
    return f"{PREFIX}.{property_code}.{reservation_id.hex}.{_mac(secret, property_code, reservation_id)}"


def parse(token: str) -> tuple[str, uuid.UUID, str] | None:
    """Split a token into (property code, reservation id, signature), or None if malformed."""
    match = _SHAPE.match(token.strip())
    if not match:
        return None
    return match.group(1), uuid.UUID(match.group(2)), match.group(3)


def verify(secret: bytes, property_code: str, reservation_id: uuid.UUID, signature: str) -> bool:
    return hmac.compare_digest(_mac(secret, property_code, reservation_id), signature)
