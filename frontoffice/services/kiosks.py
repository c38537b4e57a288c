"""Kiosk tokens: shown once, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontoffice.models import Kiosk, Property
from frontoffice.models.base import utcnow
from frontoffice.services.errors import Conflict, NotFound
from frontoffice.services.operations import Caller

TOKEN_PREFIX = "sbk_"


def hash_token(token: str) -> str:
    # The token carries 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def add_kiosk(session: Session, prop: Property, name: str) -> tuple[Kiosk, str]:
    """Create a kiosk, or give an existing one a new token (the old one stops working)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    kiosk = session.scalars(select(Kiosk).where(Kiosk.property_id == prop.id, Kiosk.name == name)).first()
    if kiosk is None:
        kiosk = Kiosk(property_id=prop.id, name=name, token_hash=hash_token(token))
        session.add(kiosk)
    else:  # the same kiosk (its id, its records) with a new token
        kiosk.token_hash = hash_token(token)
        kiosk.revoked_at = None
        kiosk.refused_at, kiosk.refused_reason, kiosk.refused_count = None, "", 0
    session.flush()
    return kiosk, token


def revoke_kiosk(session: Session, prop: Property, name: str) -> Kiosk:
    kiosk = session.scalars(select(Kiosk).where(Kiosk.property_id == prop.id, Kiosk.name == name)).first()
    if kiosk is None:
        raise NotFound(f"no kiosk named {name!r}")
    if kiosk.revoked_at is not None:
        raise Conflict(f"kiosk {name!r} is already revoked")
    kiosk.revoked_at = utcnow()
    return kiosk


def record_refusal(session: Session, kiosk_id: uuid.UUID, reason: str, now: datetime) -> None:
    """A kiosk's call was refused: keep when and why, for the dashboard (it cannot hear the kiosk)."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is not None:
        kiosk.refused_at, kiosk.refused_reason = now, reason[:200]
        kiosk.refused_count = (kiosk.refused_count or 0) + 1


def refused_token_owner(session: Session, token: str) -> Kiosk | None:
    """The kiosk a refused token belongs to, when the server still knows it: a revoked one.
    (A replaced token's hash is gone: that kiosk shows as silent instead.)"""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return session.scalars(
        select(Kiosk).where(Kiosk.token_hash == hash_token(token), Kiosk.revoked_at.is_not(None))
    ).first()


def authenticate(session: Session, token: str) -> Caller | None:
    """The kiosk holding this token and its property, in one query; None if unknown or revoked."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.execute(
        select(Kiosk, Property)
        .join(Property, Property.id == Kiosk.property_id)
        .where(Kiosk.token_hash == hash_token(token), Kiosk.revoked_at.is_(None))
    ).first()
    return Caller(*row) if row else None
