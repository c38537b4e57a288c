"""Staff sessions for the dashboard: a signed cookie, and a CSRF token on every form.

The cookie is ``<user id>.<expiry>.<HMAC>`` under the user's own session key, HttpOnly and
SameSite=Strict; logging out replaces the key, which ends every session of that user. A form's
CSRF token is an HMAC of the cookie under the same key, so it is worthless without the cookie
and the cookie is worthless without it. The login form, before any session, uses a random token
that must match a short-lived cookie (double submit).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request, Response
from sqlalchemy import select

from frontoffice.api.deps import DB
from frontoffice.models import Property, StaffUser
from frontoffice.services import staff

COOKIE = "sambut_staff"
LOGIN_COOKIE = "sambut_login"
LIFETIME_S = 12 * 3600  # one shift


class LoginRequired(Exception):
    """No valid staff session: a page sends the browser to the login form."""


class CsrfRefused(Exception):
    """A form was posted without this session's token: refused, nothing done."""


def _mac(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def session_cookie(user: StaffUser, now: float | None = None) -> str:
    expires = int((now or time.time()) + LIFETIME_S)
    payload = f"{user.id.hex}.{expires}"
    return f"{payload}.{_mac(user.session_key, payload)}"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


@dataclass(frozen=True)
class Staff:
    user: StaffUser
    property: Property
    csrf: str

    @property
    def actor(self) -> str:
        return f"staff:{self.user.name}"


def read_session(db: DB, request: Request) -> Staff | None:
    cookie = request.cookies.get(COOKIE, "")
    user_hex, _, rest = cookie.partition(".")
    expires, _, mac = rest.partition(".")
    try:
        user_id = uuid.UUID(hex=user_hex)
        if int(expires) < time.time():
            return None
    except ValueError:
        return None
    with db.session() as session:
        row = session.execute(
            select(StaffUser, Property)
            .join(Property, Property.id == StaffUser.property_id)
            .where(StaffUser.id == user_id)
        ).first()
    if row is None:
        return None
    user, prop = row
    if not hmac.compare_digest(_mac(user.session_key, f"{user_hex}.{expires}").encode(), mac.encode()):
        return None
    return Staff(user, prop, csrf=_mac(user.session_key, f"csrf.{cookie}"))


def current_staff(db: DB, request: Request) -> Staff:
    found = read_session(db, request)
    if found is None:
        raise LoginRequired
    return found


CurrentStaff = Annotated[Staff, Depends(current_staff)]


def checked_staff(found: CurrentStaff, csrf: Annotated[str, Form()] = "") -> Staff:
    """A staff member posting a form of this session; anything else is refused."""
    if not hmac.compare_digest(csrf.encode(), found.csrf.encode()):
        raise CsrfRefused
    return found


PostingStaff = Annotated[Staff, Depends(checked_staff)]


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def check_login_csrf(request: Request, csrf: str) -> None:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf.encode(), expected.encode()):
        raise CsrfRefused


def basic_auth_staff(db: DB, request: Request) -> Staff | None:
    """HTTP Basic with a staff name and password, for accounting scripts that fetch the totals."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        name, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except ValueError:  # not base64, not ASCII, not UTF-8
        return None
    with db.session() as session:
        user = staff.authenticate(session, name, password)
        if user is None:
            return None
        prop = session.get_one(Property, user.property_id)
    return Staff(user, prop, csrf="")
