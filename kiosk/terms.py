"""The house rules and privacy notice the guest accepts on the registration card, as the property
wrote them: ``<terms_dir>/<version>/house-rules.<lang>.txt`` and ``privacy.<lang>.txt``.

Read once when the kiosk starts (not while a guest waits). A language without its own text shows
the first language's; a version without texts leaves none, and the journey says they are at the
front desk rather than show an empty page.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.journey.ports import Terms

log = logging.getLogger(__name__)
DOCUMENTS = ("house-rules", "privacy")


def load_terms(folder: Path, version: str, languages: tuple[str, ...]) -> dict[str, Terms]:
    """The texts per language; each text is a title line, then paragraphs split by blank lines."""
    found: dict[str, Terms] = {}
    for lang in languages:
        texts = [_read(folder / version / f"{name}.{lang}.txt") for name in DOCUMENTS]
        if all(texts):
            found[lang] = Terms(version, *texts)
    if not found:
        log.warning("no house rules and privacy notice for version %s under %s", version, folder)
        return {}
    fallback = found.get(languages[0]) or next(iter(found.values()))
    return {lang: found.get(lang, fallback) for lang in languages}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
