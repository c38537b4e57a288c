"""Staff accounts for the dashboard: scrypt-hashed passwords (stdlib), one session key each."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontoffice.models import Property, StaffUser
from frontoffice.models.base import utcnow

# scrypt cost: 16 MiB and ~50 ms per check, a brute force's problem rather than ours.
N, R, P = 2**14, 8, 1
MIN_PASSWORD = 10


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# Checked when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = hash_password(secrets.token_urlsafe(16))


def set_password(session: Session, prop: Property, name: str, password: str) -> StaffUser:
    """Create the user or give it a new password; either way its open sessions end."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    user = session.scalars(select(StaffUser).where(StaffUser.name == name)).first()
    if user is None:
        user = StaffUser(property_id=prop.id, name=name, password_hash="", session_key=b"")
        session.add(user)
    user.password_hash = hash_password(password)
    user.session_key = secrets.token_bytes(32)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> StaffUser | None:
    """Read-only: call it outside a write transaction, scrypt takes a while (SQLite has one writer)."""
    user = session.scalars(select(StaffUser).where(StaffUser.name == name)).first()
    if user is None:
        verify_password(password, _DUMMY)
        return None
    return user if verify_password(password, user.password_hash) else None


def record_login(session: Session, user_id: uuid.UUID) -> None:
    session.get_one(StaffUser, user_id).last_login_at = utcnow()


def end_sessions(user: StaffUser) -> None:
    user.session_key = secrets.token_bytes(32)
