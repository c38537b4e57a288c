"""Money on the kiosk: integer minor units of an ISO 4217 currency, formatted by Babel.

Shared by the payment terminal (what is charged), the screens and the printer (what the receipt
shows): one formatter, so paper and screen show an amount the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.core import get_global
from babel.numbers import format_currency, get_currency_precision

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Babel writes "Rp1.250.000,00" and "IDR1,250,000.00"; receipts and screens want a space.
_CURRENCY_SPACING = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_FRACTION = re.compile(r"\.0+")


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
    """``Rp 1.250.000`` in Indonesian, ``IDR 1,250,000`` in English, ``$20.00``: amounts are shown
    with the currency's cash digits (CLDR: 0 for the rupiah, whose ISO 4217 minor unit nobody writes)
    and with all its digits only when there is something in them (``Rp 123,45``)."""
    value = Decimal(money.minor).scaleb(-get_currency_precision(money.currency))
    cash = _cash_digits(money.currency)
    if value == value.quantize(Decimal(1).scaleb(-cash)):
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
        pattern = _FRACTION.sub("." + "0" * cash if cash else "", pattern)
        text = format_currency(value, money.currency, pattern, locale, currency_digits=False)
    else:
        text = format_currency(value, money.currency, locale=locale)
    return _CURRENCY_SPACING.sub(" ", text)


def _cash_digits(currency: str) -> int:
    fractions = get_global("currency_fractions")
    return int(fractions.get(currency, fractions["DEFAULT"])[2])


def format_signed(minor: int, currency: str, locale: str) -> str:
    """A credit or a refund: ``-Rp 250.000``."""
    text = format_money(Money(abs(minor), currency), locale)
    return f"-{text}" if minor < 0 else text
