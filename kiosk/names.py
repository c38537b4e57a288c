"""Guest-name matching on the kiosk: the server's rules (``frontoffice/services/names.py``), ported so
an offline lookup finds exactly what the server would. Keep the two in step; a test checks they agree.

Names arrive typed on a touchscreen or read from an MRZ (no accents, '<' for spaces); single-word
names (common in Indonesia) have no given name.
"""

from __future__ import annotations

import re
import unicodedata

_JOINERS = re.compile(r"['’`´ʼ.]")  # O'Brien and OBrien are one word
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "œ": "oe", "ı": "i"})


def tokens(name: str) -> tuple[str, ...]:
    """The name's words, lower-case ASCII, in order."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _JOINERS.sub("", text)
    return tuple(t for t in _SEPARATORS.split(text) if t)


def typed_matches(typed: tuple[str, ...], family: tuple[str, ...], given: tuple[str, ...]) -> bool:
    """``surname_matches`` on names already split by ``tokens`` (the store keeps them split)."""
    if not typed:
        return False
    return "".join(typed) == "".join(family) or set(typed) <= set(family) | set(given)


def surname_matches(query: str, surname: str, given_names: str = "") -> bool:
    """Does a typed or scanned surname identify the guest named ``given_names surname``?

    Every word typed must be one of the guest's name words (any order), or the words typed run
    together must spell the surname run together ("Van der Berg" = "Vanderberg").
    """
    return typed_matches(tokens(query), tokens(surname), tokens(given_names))


def normalize_code(code: str) -> str:
    """Confirmation codes are read aloud and typed: ignore case, spaces and dashes."""
    return re.sub(r"[\s-]", "", code).upper()
