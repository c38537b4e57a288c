"""Devices as staff call them: "Card terminal", "Receipt printer 2", not their kiosk.toml keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kiosk.i18n import N_

KIND_NAMES = {
    "printer": N_("Receipt printer"),
    "payment": N_("Card terminal"),
    "scanner": N_("ID and code scanner"),
    "camera": N_("Camera"),
    "badge": N_("Staff badge reader"),
}


def kind_name(kind: str, translate: Callable[[str], str]) -> str:
    return translate(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def device_title(name: str, kinds: Mapping[str, str], translate: Callable[[str], str]) -> str:
    """``name``'s kind in words, numbered when the kiosk has more than one of that kind (in the
    order kiosk.toml lists them). ``kinds``: every device's kind by its name."""
    kind = kinds.get(name, "")
    same = [n for n, k in kinds.items() if k == kind]
    title = kind_name(kind, translate) if kind else name
    return f"{title} {same.index(name) + 1}" if len(same) > 1 and name in same else title
