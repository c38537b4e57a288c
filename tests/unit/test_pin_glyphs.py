"""Every character the PIN pad draws is a glyph of the kiosk's font (a missing one is drawn as an
empty box: U+25CF was, for every digit typed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import ImageFont

from kiosk.screens import admin_pin

FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
NOT_IN_ANY_FONT = "\uffff"  # a noncharacter: drawn as the font's .notdef box


def has_glyph(font: ImageFont.FreeTypeFont, char: str) -> bool:
    def bitmap(text: str) -> tuple:
        mask = font.getmask(text)
        return mask.size, bytes(mask)

    return bitmap(char) != bitmap(NOT_IN_ANY_FONT)


@pytest.mark.parametrize("face", ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"])
def test_pin_pad_glyphs_exist_in_the_font(face):
    font = ImageFont.truetype(str(FONTS / face), 40)
    assert not has_glyph(font, "\u25cf")  # the check can fail: the old mask had no glyph
    for char in admin_pin.MASK + admin_pin.EMPTY:
        assert has_glyph(font, char), f"{face} has no glyph for U+{ord(char):04X}"
