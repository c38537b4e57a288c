"""Guest-name matching that ignores case, accents, spacing, punctuation and word order.

Names arrive typed on a touchscreen, read from an MRZ (no accents, no apostrophes, '<' for
spaces) or entered by the desk; single-word names (common in Indonesia) have no given name.
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


def surname_matches(query: str, surname: str, given_names: str = "") -> bool:
    """Does a typed or scanned surname identify the guest named ``given_names surname``?

    Every word typed must be one of the guest's name words (any order), or the words typed run
    together must spell the surname run together ("Van der Berg" = "Vanderberg").
    """
    typed = tokens(query)
    if not typed:
        return False
    family = tokens(surname)
    if "".join(typed) == "".join(family):
        return True
    return set(typed) <= set(family) | set(tokens(given_names))


def full_name_matches(surname_a: str, given_a: str, surname_b: str, given_b: str) -> bool:
    """Do two full names name the same person, whichever word was filed as surname?"""
    a = tokens(f"{given_a} {surname_a}")
    b = tokens(f"{given_b} {surname_b}")
    return bool(a) and (sorted(a) == sorted(b) or "".join(sorted(a)) == "".join(sorted(b)))
