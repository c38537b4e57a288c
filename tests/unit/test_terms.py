"""The house rules and privacy notice shipped with the kiosk, as the registration card shows them."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import CheckinSection, load_settings
from kiosk.terms import load_terms

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_version_has_both_texts_in_english_and_indonesian():
    settings = load_settings(ROOT / "config" / "kiosk.toml")
    section = settings.checkin
    terms = load_terms(settings.resolve(section.terms_dir), section.terms_version, ("en", "id"))
    assert terms["en"].version == section.terms_version == CheckinSection().terms_version
    assert terms["en"].house_rules.startswith("House rules") and terms["en"].privacy.startswith(
        "Privacy notice"
    )
    assert (
        terms["id"].house_rules.startswith("Tata tertib")
        and "Pelindungan Data Pribadi" in terms["id"].privacy
    )
    assert terms["en"].privacy.count("\n\n") >= 4  # paragraphs to read, not a line


def test_a_language_without_its_text_shows_the_first_languages(tmp_path):
    (tmp_path / "v2").mkdir()
    for name in ("house-rules", "privacy"):
        (tmp_path / "v2" / f"{name}.en.txt").write_text(f"{name}\n\ntext", encoding="utf-8")
    terms = load_terms(tmp_path, "v2", ("en", "id"))
    assert terms["id"] is terms["en"] and terms["en"].version == "v2"


def test_a_version_without_texts_gives_none(tmp_path):
    assert load_terms(tmp_path, "missing", ("en", "id")) == {}
