"""Every text a guest can see is in the catalogues, in every language, and the .mo files are current."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from drivers.money import Money
from kiosk.i18n import long_date, money, translate
from kiosk.i18n.catalogue import LANGUAGES, compiled, extract, load, po_path

ROOT = Path(__file__).resolve().parents[2]
# Literal texts in kv rules that are deliberately not translated: language names in their own
# language, keyboard keys, and examples of input.
NOT_TRANSLATED = {"English", "Bahasa Indonesia", "abc", "ABC", "àéñ", "AB12CD", "name@example.com"}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_marked_text_is_translated(lang):
    catalog = load(lang)
    missing = [m for m in extract() if not (catalog.get(m) and catalog.get(m).string)]
    assert not missing, f"{lang}: untranslated (run python -m kiosk.i18n.catalogue): {missing}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy translations: {fuzzy}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    for message in load(lang):
        if message.id:
            assert _fields(message.string) == _fields(message.id), message.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogues_are_current(lang):
    mo = po_path(lang).with_suffix(".mo")
    assert mo.read_bytes() == compiled(load(lang)), "run python -m kiosk.i18n.catalogue"


def test_no_literal_text_in_kv_rules_escapes_the_catalogue():
    text_rule = re.compile(r"^\s*(?:text|hint_text):(.*)$")
    translated = re.compile(r"""tr\._\((["']).*?\1\)""")
    literal = re.compile(r"""(["'])(.*?)\1""")
    offenders = []
    for kv in sorted((ROOT / "kiosk").glob("**/*.kv")):
        for n, line in enumerate(kv.read_text(encoding="utf-8").splitlines(), 1):
            rule = text_rule.match(line)
            if rule is None:
                continue
            for m in literal.finditer(translated.sub("", rule.group(1))):
                if any(c.isalpha() for c in m.group(2)) and m.group(2) not in NOT_TRANSLATED:
                    offenders.append(f"{kv.name}:{n}: {m.group(2)}")
    assert not offenders


def test_indonesian_texts_and_formats():
    assert translate("id", "Check in here in about a minute") == "Check-in di sini hanya dalam satu menit"
    assert translate("en", "Help") == "Help"
    assert money(Money(125000000, "IDR"), "id") == "Rp 1.250.000"
    assert money(Money(125000000, "IDR"), "en") == "IDR 1,250,000"
    assert money(Money(12345, "IDR"), "id") == "Rp 123,45"
    assert long_date(date(2026, 11, 27), "id") == "Jumat, 27 November 2026"
