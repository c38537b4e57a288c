"""Key events of a USB keyboard-wedge scanner turned back into the characters it meant to type.

A wedge scanner "types" each scan on the keyboard layout it was configured for, so its key codes
must be read through that same layout: on a German layout the MRZ filler ``<`` is the key next to
left shift, on a US layout it is shift + comma. Control characters (the AAMVA separators LF, RS, CR)
arrive as Ctrl + letter or as Alt + a decimal code on the keypad, depending on the scanner's setup.
Key codes are Linux input event codes (linux/input-event-codes.h).
"""

from __future__ import annotations

from typing import Literal

Layout = Literal["us", "de"]

KEY_ENTER, KEY_KPENTER = 28, 96
_SHIFT = {42, 54}
_CTRL = {29, 97}
_ALT = 56
_ALTGR = 100
_CAPSLOCK = 58
_KEYPAD_DIGITS = {82: "0", 79: "1", 80: "2", 81: "3", 75: "4", 76: "5", 77: "6", 71: "7", 72: "8", 73: "9"}
_KEYPAD_OTHER = {55: "*", 74: "-", 78: "+", 83: ".", 98: "/"}


def _rows(*rows: tuple[int, str, str]) -> dict[int, tuple[str, str]]:
    """Key code -> (plain, shifted) from runs of consecutive key codes."""
    table: dict[int, tuple[str, str]] = {57: (" ", " ")}
    for first, plain, shifted in rows:
        for i, (p, s) in enumerate(zip(plain, shifted, strict=True)):
            table[first + i] = (p, s)
    return table


_LAYOUTS: dict[str, dict[int, tuple[str, str]]] = {
    "us": _rows(
        (2, "1234567890-=", "!@#$%^&*()_+"),
        (16, "qwertyuiop[]", "QWERTYUIOP{}"),
        (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
        (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
        (86, "\\", "|"),
    ),
    "de": _rows(
        (2, "1234567890ß´", '!"§$%&/()=?`'),
        (16, "qwertzuiopü+", "QWERTZUIOPÜ*"),
        (30, "asdfghjklöä^", "ASDFGHJKLÖÄ°"),
        (43, "#yxcvbnm,.-", "'YXCVBNM;:_"),
        (86, "<", ">"),
    ),
}
_ALTGR_KEYS: dict[str, dict[int, str]] = {
    "us": {},
    "de": {16: "@", 8: "{", 9: "[", 10: "]", 11: "}", 12: "\\", 27: "~", 86: "|", 18: "€"},
}


class KeyTranslator:
    """Feed key events (code, value: 1 press, 2 repeat, 0 release); get back the typed text."""

    def __init__(self, layout: Layout) -> None:
        self._keys, self._altgr_keys = _LAYOUTS[layout], _ALTGR_KEYS[layout]
        self._held: set[int] = set()
        self._caps = False
        self._alt_code = ""

    def key(self, code: int, value: int) -> str:
        if value == 0:
            self._held.discard(code)
            if code == _ALT and self._alt_code:  # Alt released: the keypad code is complete
                char, self._alt_code = chr(int(self._alt_code) % 256), ""
                return char
            return ""
        if value == 1:
            self._held.add(code)
        if code == _CAPSLOCK and value == 1:
            self._caps = not self._caps
            return ""
        if code in (KEY_ENTER, KEY_KPENTER):
            return "\r"
        if _ALT in self._held and code in _KEYPAD_DIGITS:
            self._alt_code += _KEYPAD_DIGITS[code]
            return ""
        if code in _KEYPAD_DIGITS or code in _KEYPAD_OTHER:
            return _KEYPAD_DIGITS.get(code) or _KEYPAD_OTHER[code]
        if _ALTGR in self._held:
            return self._altgr_keys.get(code, "")
        if code not in self._keys:
            return ""  # modifiers, function keys: nothing typed
        plain, shifted = self._keys[code]
        shift = bool(self._held & _SHIFT)
        if self._caps and plain.isalpha():
            shift = not shift
        char = shifted if shift else plain
        if self._held & _CTRL:  # Ctrl + letter: the control character (Ctrl+J is LF, Ctrl+M is CR)
            upper = char.upper()
            return chr(ord(upper) - 64) if "@" <= upper <= "_" else ""
        return char
