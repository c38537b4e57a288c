"""PINs and badge UIDs are kept only as scrypt hashes (stdlib ``hashlib.scrypt``).

A hash is one string, ``scrypt$n$r$p$salt$digest`` (salt and digest base64), so its cost travels
with it and can be raised later without invalidating the ones already set. PINs get a salt each.
Badge UIDs share one per-kiosk salt (``[admin] badge_salt``) so a read is hashed once and looked
up, instead of being tried against every badge; UIDs are short, hence a slow hash here too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Literal, get_args

Role = Literal["staff", "technician"]
ROLES: tuple[Role, ...] = get_args(Role)

N, R, P = 2**14, 8, 1  # ~16 MiB and a few hundred ms per PIN: slows guessing from a copied config
_MAXMEM = 64 * 2**20
PIN_LENGTHS = range(4, 9)


class CredentialError(ValueError):
    pass


def check_pin_format(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS):
        raise CredentialError(f"a PIN is {PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)


def hash_secret(secret: str, *, salt: bytes | None = None, n: int = N, r: int = R, p: int = P) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(_scrypt(secret, salt, n, r, p))}"


def _parse(encoded: str) -> tuple[bytes, int, int, int, bytes]:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        return base64.b64decode(salt), int(n), int(r), int(p), base64.b64decode(digest)
    except ValueError:
        raise CredentialError("not a scrypt hash made by `python main.py admin set-pin`") from None


def check_hash_format(encoded: str) -> str:
    _parse(encoded)
    return encoded


def verify_secret(secret: str, encoded: str) -> bool:
    salt, n, r, p, digest = _parse(encoded)
    return hmac.compare_digest(_scrypt(secret, salt, n, r, p), digest)


def hash_pin(pin: str, *, n: int = N) -> str:
    check_pin_format(pin)
    return hash_secret(pin, n=n)


def new_badge_salt() -> str:
    return _b64(secrets.token_bytes(16))


def hash_badge(uid: str, badge_salt: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """Deterministic for one kiosk's salt, so a read can be looked up; ``uid`` is normalised hex."""
    if not badge_salt:
        raise CredentialError("[admin] badge_salt is not set (`python main.py admin add-badge` sets it)")
    return hash_secret(uid.upper(), salt=base64.b64decode(badge_salt), n=n, r=r, p=p)
