"""Fitting Unicode text to a printer's code pages without ever sending garbage bytes.

Each character is kept when some code page of the profile holds it; otherwise it degrades to the
nearest printable spelling (drop a tone mark, "ß" -> "ss", "“" -> '"'), and only as a last resort
to "?". python-escpos's MagicEncode then picks the code page per run of text; it only ever sees
characters it can encode, so its own fallbacks (GB18030 for CJK, "?") never fire.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from escpos.magicencode import Encoder

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook, dot below

# Spellings for characters that no common code page holds and that do not decompose.
_SUBSTITUTES: dict[str, str] = {
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2007": " ",
    "\t": " ",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "″": '"',
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    "…": "...",
    "•": "*",
    "·": ".",
    "€": "EUR",
    "₫": "d",
    "ß": "ss",
    "Đ": "D",
    "đ": "d",
    "Ð": "D",
    "ð": "d",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "Ø": "O",
    "ø": "o",
    "Ł": "L",
    "ł": "l",
    "ı": "i",
    "Þ": "Th",
    "þ": "th",
    "×": "x",
    "™": "TM",
}


class PrintableText:
    """Reduces text to what a printer with the given code pages can print."""

    def __init__(self, code_pages: Mapping[str, int]) -> None:
        self.code_pages = dict(code_pages)
        self._encoder = Encoder(self.code_pages)
        self._fit_char = lru_cache(maxsize=4096)(self._fit_char_uncached)

    def encoder(self) -> Encoder:
        """A fresh encoder for one document (MagicEncode keeps per-document state in it),
        sharing the character maps already built."""
        encoder = Encoder(self.code_pages)
        encoder.available_characters = self._encoder.available_characters
        return encoder

    def can_print(self, char: str) -> bool:
        return any(self._encoder.can_encode(page, char) for page in self.code_pages)

    def fit(self, text: str) -> str:
        return "".join(self._fit_char(c) for c in unicodedata.normalize("NFC", text))

    def _fit_char_uncached(self, char: str) -> str:
        if char == "\n":
            return char
        if unicodedata.category(char) in ("Cc", "Cf"):
            return ""
        if self.can_print(char):
            return char
        substitute = _SUBSTITUTES.get(char)
        if substitute is not None and all(self.can_print(c) for c in substitute):
            return substitute
        # Drop Vietnamese tone marks first, then the other marks from the last one back:
        # "ễ" -> "ê" and "ặ" -> "ă" (both in CP1258) before "e" and "a".
        base, *marks = unicodedata.normalize("NFD", char)
        toneless = [m for m in marks if m not in _TONE_MARKS]
        for kept in [toneless, *(marks[:k] for k in range(len(marks) - 1, -1, -1))]:
            candidate = unicodedata.normalize("NFC", base + "".join(kept))
            if len(candidate) == 1 and self.can_print(candidate):
                return candidate
        return "?"
