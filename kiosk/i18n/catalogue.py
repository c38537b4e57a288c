"""Keep the catalogues in step with the source: ``python -m kiosk.i18n.catalogue`` extracts every
marked text from kiosk/ (Python and kv) and the receipt labels, adds new msgids to each language's
.po (keeping translations, dropping texts no longer used) and compiles the .mo files beside them.
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from kiosk.config import ROOT
from kiosk.i18n import DOMAIN, LOCALE_DIR

LANGUAGES = ("en", "id")
MARKERS = frozenset({"N_", "_", "translate"})
# In kv rules: tr._("...") on one line.
_KV_MARKED = re.compile(r"""\btr\._\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""")
SOURCES = ("kiosk/**/*.py", "kiosk/**/*.kv", "drivers/printer/receipts.py")


def _marked_in_python(text: str) -> Iterator[tuple[str, int]]:
    """Literal first arguments of N_(), _(), tr._() and translate() (the receipts' labels)."""
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in MARKERS and isinstance(node.args[0].value, str):
            yield node.args[0].value, node.lineno


def _marked_in_kv(text: str) -> Iterator[tuple[str, int]]:
    for match in _KV_MARKED.finditer(text):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        yield (
            raw.encode("latin-1", "backslashreplace").decode("unicode_escape"),
            text.count("\n", 0, match.start()) + 1,
        )


def extract() -> dict[str, list[str]]:
    """msgid -> where it is used."""
    found: dict[str, list[str]] = {}
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            marked = _marked_in_kv(text) if path.suffix == ".kv" else _marked_in_python(text)
            for msgid, line in marked:
                found.setdefault(msgid, []).append(f"{path.relative_to(ROOT)}:{line}")
    found.pop("", None)
    return found


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="Sambut")
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update() -> None:
    found = extract()
    for lang in LANGUAGES:
        old = load(lang)
        new = Catalog(locale=lang, domain=DOMAIN, project="Sambut", fuzzy=False)
        for msgid, places in sorted(found.items()):
            kept = old.get(msgid)
            # English is the source language: its msgids are its texts.
            string = kept.string if kept and kept.string else (msgid if lang == "en" else "")
            locations = [(where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1])) for where in places]
            new.add(msgid, string, locations=locations)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, new, width=110, omit_header=False)
        path.with_suffix(".mo").write_bytes(compiled(new))
        missing = [m for m in found if not new[m].string]
        print(f"{lang}: {len(found)} texts, {len(missing)} untranslated")


if __name__ == "__main__":
    update()
