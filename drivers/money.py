"""Money on the kiosk: integer minor units of an ISO 4217 currency, formatted by Babel.

Shared by the payment terminal (what is charged) and the printer (what the receipt shows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Babel writes "Rp1.250.000,00" and "IDR1,250,000.00"; receipts and screens want a space.
_CURRENCY_SPACING = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


@dataclass(frozen=True)
class Money:
    """An amount in integer minor units of an ISO 4217 currency (IDR 1,250,000.00 = 125000000 'IDR')."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.minor) is not int:
            raise TypeError(f"amount must be an int of minor units, not {type(self.minor).__name__}")
        if self.minor < 0:
            raise ValueError("amount must not be negative")
        if not _CURRENCY.match(self.currency):
            raise ValueError(f"currency must be an ISO 4217 code, not {self.currency!r}")


def format_money(money: Money, locale: str) -> str:
    """``Rp 1.250.000,00`` in Indonesian, ``IDR 1,250,000.00`` in English."""
    amount = Decimal(money.minor).scaleb(-get_currency_precision(money.currency))
    return _CURRENCY_SPACING.sub(" ", format_currency(amount, money.currency, locale=locale))
