"""Fitting Unicode text to a printer's code pages without ever sending garbage bytes.

Each character is kept when some code page of the profile holds it; otherwise it degrades to the
nearest printable spelling (drop a tone mark, "ß" -> "ss", "“" -> '"'), and only as a last resort
to "?". python-escpos's MagicEncode then picks the code page per run of text; it only ever sees
characters it can encode, so its own fallbacks (GB18030 for CJK, "?") never fire.
"""

from __future__ import annotations

import re
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


def _table(upper: str, latin: str) -> dict[str, str]:
    """Letter -> Latin spelling, for both cases, from parallel space-separated lists."""
    pairs = dict(zip(upper.split(), latin.split(), strict=True))
    return pairs | {u.lower(): t.lower() for u, t in pairs.items()}


# For printers without a Cyrillic or Greek code page: whole words are spelt in Latin letters.
_LATIN = (
    _table(
        "А Б В Г Ґ Д Е Є Ж З И І Ї Й К Л М Н О П Р С Т У Ф Х Ц Ч Ш Щ Ы Э Ю Я Ё",
        "A B V G G D E Ye Zh Z I I Yi Y K L M N O P R S T U F Kh Ts Ch Sh Shch Y E Yu Ya Yo",
    )
    | _table(
        "Α Β Γ Δ Ε Ζ Η Θ Ι Κ Λ Μ Ν Ξ Ο Π Ρ Σ Τ Υ Φ Χ Ψ Ω",
        "A V G D E Z I Th I K L M N X O P R S T Y F Ch Ps O",
    )
    | {"Ъ": "", "ъ": "", "Ь": "", "ь": "", "ς": "s"}
)


_DIGRAPHS = {"ου": "ou", "Ου": "Ou", "ΟΥ": "OU", "ού": "ou"}


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
        words = re.split(r"(\s+)", unicodedata.normalize("NFC", text))
        return "".join(self._fit_word(word) for word in words)

    def _fit_word(self, word: str) -> str:
        fitted = "".join(self._fit_char(c) for c in word)
        if fitted == word or all(self._latin(c) is None for c in word):
            return fitted
        # Not all of it prints: spell the whole word in Latin rather than mix scripts ("Ελένη"
        # gives "Eleni", not "??ε??").
        for greek, latin in _DIGRAPHS.items():
            word = word.replace(greek, latin)
        return "".join(self._fit_char(c) if (latin := self._latin(c)) is None else latin for c in word)

    @staticmethod
    def _latin(char: str) -> str | None:
        latin = _LATIN.get(char)  # "Й" is "Y", not its base letter "И"
        return _LATIN.get(unicodedata.normalize("NFD", char)[0]) if latin is None else latin

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
