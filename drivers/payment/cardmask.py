"""Card data never leaves the driver unmasked: a card number keeps at most its last four digits.

Terminals usually mask the number themselves; these functions make sure of it for the ones that
do not, and scrub free text (receipt lines, display texts) of anything that looks like one.
"""

from __future__ import annotations

import re

# 12 to 19 digits, optionally grouped by single spaces or dashes, as card numbers are printed.
_PAN_LIKE = re.compile(r"(?<!\d)(?:\d[ -]?){11,18}\d(?!\d)")


def mask_pan(number: str) -> str:
    """Everything but the last four digits becomes '*'; already masked input stays masked."""
    clean = "".join(c for c in number if c.isdigit() or c == "*")
    if len(clean) <= 4:
        return "*" * len(clean)
    return "*" * (len(clean) - 4) + clean[-4:]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def redact_text(text: str) -> str:
    """Mask every Luhn-valid 12-19 digit run (a card number) in free text."""

    def repl(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        return mask_pan(digits) if luhn_ok(digits) else match.group()

    return _PAN_LIKE.sub(repl, text)
