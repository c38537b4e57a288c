"""Does a scanned passport or ID card belong to the guest on the booking?

Names follow the server's rules (``frontoffice/services/names.py``: case, accents, spacing,
punctuation and word order ignored, single-word names allowed) through the kiosk's copy of its
tokeniser in ``kiosk.names``; the whole-name comparison below is the server's
``full_name_matches``, which ``kiosk.names`` does not carry.
"""

from __future__ import annotations

import enum
from datetime import date

from kiosk.frontdesk import Guest
from kiosk.journey.ports import ScannedDocument
from kiosk.names import tokens

MRZ_KINDS = frozenset({"td1", "td2", "td3", "mrv_a", "mrv_b", "aamva_dl", "aamva_id"})


class Verdict(enum.StrEnum):
    MATCH = "match"
    UNREADABLE = "unreadable"  # not a document, or its check digits fail
    EXPIRED = "expired"
    MISMATCH = "mismatch"  # another person's name or birth date


def full_name_matches(surname_a: str, given_a: str, surname_b: str, given_b: str) -> bool:
    """Do two full names name the same person, whichever word was filed as surname?"""
    a = tokens(f"{given_a} {surname_a}")
    b = tokens(f"{given_b} {surname_b}")
    return bool(a) and (sorted(a) == sorted(b) or "".join(sorted(a)) == "".join(sorted(b)))


def truncated_name_matches(surname_a: str, given_a: str, surname_b: str, given_b: str) -> bool:
    """Could the document's name ``a``, cut short to fit, be the booking's name ``b``? Issuers cut
    from the end: AAMVA shortens each word but keeps its first letter, an MRZ drops what does not
    fit its field. So each of a's family and given words must begin the booking's word in the same
    place; words cut off entirely are missing at the end."""

    def begins(cut: str, whole: str) -> bool:
        cut_words, whole_words = tokens(cut), tokens(whole)
        return len(cut_words) <= len(whole_words) and all(
            w.startswith(c) for c, w in zip(cut_words, whole_words, strict=False)
        )

    return bool(tokens(surname_a)) and begins(surname_a, surname_b) and begins(given_a, given_b)


def masked_name(guest: Guest) -> str:
    """The booking's name as shown before identity: given names as initials ("B. A. Santoso"), so
    whoever typed a surname learns nothing of the guest they did not already know."""
    initials = " ".join(f"{word[0]}." for word in guest.given_names.split())
    return f"{initials} {guest.surname}".strip()


def is_identity_document(doc: ScannedDocument) -> bool:
    return str(doc.kind) in MRZ_KINDS


def verify(doc: ScannedDocument, guest: Guest, business_date: date) -> Verdict:
    """Never a silent pass: anything but a readable, unexpired document of this guest fails."""
    if not doc.valid or not is_identity_document(doc):
        return Verdict.UNREADABLE
    f = doc.fields
    if f.expiry_date is not None and f.expiry_date < business_date:
        return Verdict.EXPIRED
    names = (f.surname, f.given_names, guest.surname, guest.given_names)
    if not full_name_matches(*names) and not (f.names_truncated and truncated_name_matches(*names)):
        return Verdict.MISMATCH
    if guest.birth_date is not None and f.birth_date is not None and guest.birth_date != f.birth_date:
        return Verdict.MISMATCH
    return Verdict.MATCH
