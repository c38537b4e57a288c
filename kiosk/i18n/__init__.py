"""Translations (gettext catalogues, en and id) and Babel formatting of money and dates.

Pure Python: the journey marks its texts with ``N_`` and the screens translate them through
``translate(lang, msgid)``; ``kiosk.i18n.live`` makes kv rules follow a language switch.
Catalogues live in ``locale/<lang>/LC_MESSAGES/sambut.po`` and are compiled to ``.mo`` by
``python -m kiosk.i18n.catalogue``.
"""

from __future__ import annotations

import gettext
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency, get_currency_precision

from drivers.money import _CURRENCY_SPACING, Money

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "sambut"
LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}


def N_(msgid: str) -> str:
    """Mark a msgid for the catalogues; it is translated where it is shown."""
    return msgid


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translate(lang: str, msgid: str) -> str:
    return _translations(lang).gettext(msgid) if msgid else ""


def money(amount: Money, lang: str) -> str:
    """``Rp 1.250.000`` in Indonesian, ``IDR 1,250,000`` in English; cents only when there are any."""
    value = Decimal(amount.minor).scaleb(-get_currency_precision(amount.currency))
    whole = value == value.to_integral_value()
    text = format_currency(
        value,
        amount.currency,
        locale=lang,
        format="¤ #,##0" if whole else None,
        currency_digits=not whole,
    )
    return _CURRENCY_SPACING.sub(" ", text).replace("  ", " ")


def long_date(day: date, lang: str) -> str:
    """``Thursday, 26 November 2026`` / ``Kamis, 26 November 2026``."""
    return format_date(day, "full", locale=lang)


def short_date(day: date, lang: str) -> str:
    return format_date(day, "medium", locale=lang)
