"""Translations (gettext catalogues, en and id) and Babel formatting of money and dates.

Pure Python: the journey marks its texts with ``N_`` and the screens translate them through
``translate(lang, msgid)``; ``kiosk.i18n.live`` makes kv rules follow a language switch.
Catalogues live in ``locale/<lang>/LC_MESSAGES/sambut.po`` and are compiled to ``.mo`` by
``python -m kiosk.i18n.catalogue``.
"""

from __future__ import annotations

import gettext
from datetime import date, datetime, tzinfo
from functools import cache
from pathlib import Path

from babel import localedata
from babel.core import get_global
from babel.dates import format_date, format_time

from drivers.money import Money, format_money

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
    """``Rp 1.250.000`` in Indonesian, ``IDR 1,250,000`` in English: the printer's rule (one formatter)."""
    return format_money(amount, lang)


@cache
def formats_locale(lang: str, timezone: str) -> str:
    """The Babel locale for dates, times and money: the guest's language as written where the
    property is (``en`` in Asia/Jakarta is ``en_ID``: 26/11/2026 and 14.03, not 11/26/26 and 2:03 PM)."""
    territory = get_global("zone_territories").get(timezone, "")
    candidate = f"{lang}_{territory}"
    return candidate if territory and candidate in localedata.locale_identifiers() else lang


def zone_formats(lang: str, tz: tzinfo) -> str:
    """``formats_locale`` for a property known by its time zone (a ``ZoneInfo``)."""
    return formats_locale(lang, getattr(tz, "key", ""))


def local_time(at: datetime, tz: tzinfo, lang: str, *, seconds: bool = False) -> str:
    """``14:03`` / ``14.03`` / ``2:03 PM``: ``at`` on the property's clock, as the property writes it."""
    return format_time(at.astimezone(tz), "medium" if seconds else "short", locale=zone_formats(lang, tz))


def long_date(day: date, lang: str) -> str:
    """``Thursday, 26 November 2026`` / ``Kamis, 26 November 2026``."""
    return format_date(day, "full", locale=lang)


def short_date(day: date, lang: str) -> str:
    return format_date(day, "medium", locale=lang)
