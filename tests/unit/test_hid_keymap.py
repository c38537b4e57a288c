"""Keyboard-wedge key events read back through the scanner's keyboard layout."""

import pytest

from drivers.idscan.keymap import KeyTranslator

SHIFT, CTRL, ALT, CAPS = 42, 29, 56, 58
KEYPAD = {"0": 82, "1": 79, "2": 80, "3": 81, "4": 75, "5": 76, "6": 77, "7": 71, "8": 72, "9": 73}


def press(t, code, *mods):
    out = "".join(t.key(m, 1) for m in mods)
    out += t.key(code, 1) + t.key(code, 0)
    return out + "".join(t.key(m, 0) for m in reversed(mods))


def test_us_letters_digits_and_filler():
    t = KeyTranslator("us")
    typed = press(t, 25, SHIFT) + press(t, 51, SHIFT) + press(t, 2) + press(t, 30) + press(t, 28)
    assert typed == "P<1a\r"


def test_de_layout_swaps_y_z_and_has_its_own_less_than_key():
    t = KeyTranslator("de")
    assert press(t, 21, SHIFT) + press(t, 44, SHIFT) + press(t, 86) + press(t, 86, SHIFT) == "ZY<>"
    assert press(t, 16, 100) == "@"  # AltGr + q


def test_caps_lock_and_repeat():
    t = KeyTranslator("us")
    t.key(CAPS, 1)
    t.key(CAPS, 0)
    assert press(t, 30) + press(t, 30, SHIFT) == "Aa"
    assert t.key(31, 1) + t.key(31, 2) + t.key(31, 0) == "SS"


@pytest.mark.parametrize(("code", "char"), [(36, "\n"), (50, "\r")])  # Ctrl+J, Ctrl+M
def test_ctrl_letters_are_control_characters(code, char):
    assert press(KeyTranslator("us"), code, CTRL) == char


def test_ctrl_shift_6_is_record_separator():
    assert press(KeyTranslator("us"), 7, CTRL, SHIFT) == "\x1e"


def test_alt_keypad_codes():
    t = KeyTranslator("us")
    t.key(ALT, 1)
    for digit in "030":
        t.key(KEYPAD[digit], 1)
        t.key(KEYPAD[digit], 0)
    assert t.key(ALT, 0) == "\x1e"


def test_unknown_keys_type_nothing():
    assert press(KeyTranslator("us"), 59) == ""  # F1
