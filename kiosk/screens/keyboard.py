"""The on-screen keyboard: letters, digits and the characters names and e-mail addresses need
(accents, apostrophe, hyphen, @), with keys sized for fingers. It types into ``target``, the
field last touched, which stays shown above it."""

from __future__ import annotations

from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput

from kiosk.screens.base import HERE


class TypingLayout(BoxLayout):
    """A typing screen: the form beside the keyboard in landscape, above it in portrait."""

    portrait = BooleanProperty(False)

    def do_layout(self, *largs: Any) -> None:
        super().do_layout(*largs)
        # A vertical BoxLayout stacks from the bottom and leaves a tall screen's spare height
        # empty at the top: centre the form and its keyboard instead.
        spare = (self.height - self.minimum_height) / 2
        if self.orientation == "vertical" and spare > 0:
            for child in self.children:
                child.y += spare


Builder.load_file(str(HERE / "keyboard.kv"))
Builder.load_file(str(HERE / "typing.kv"))

LETTERS = ("qwertyuiop", "asdfghjkl'", "zxcvbnm-.")
ACCENTS = ("éèêëáàâäãå", "çíìîïñóòôö", "õøúùûüýßæ")
DIGITS = "1234567890"


class Key(ButtonBehavior, Label):
    value = StringProperty("")
    wide = BooleanProperty(False)


class OnScreenKeyboard(BoxLayout):
    target: Any = ObjectProperty(None, allownone=True)
    upper = BooleanProperty(True)
    accents = BooleanProperty(False)

    def on_kv_post(self, _base: Any) -> None:
        self.bind(upper=self._label_keys, accents=self._label_keys)
        self._build()

    def _build(self) -> None:
        rows = self.ids
        for ch in DIGITS:
            rows.digits.add_widget(self._key(ch))
        self._letter_keys: list[list[Key]] = []
        for row_box, letters in zip((rows.row1, rows.row2, rows.row3), LETTERS, strict=True):
            keys = [self._key(ch) for ch in letters]
            for key in keys:
                row_box.add_widget(key)
            self._letter_keys.append(keys)
        self._label_keys()

    def _key(self, text: str, value: str | None = None, *, wide: bool = False) -> Key:
        key = Key(text=text, value=value or text, wide=wide)
        key.bind(on_press=lambda k: self.press(k.value))
        return key

    def _label_keys(self, *_args: Any) -> None:
        for keys, plain, accented in zip(self._letter_keys, LETTERS, ACCENTS, strict=True):
            chars = accented if self.accents else plain
            for key, ch in zip(keys, chars, strict=False):
                shown = ch.upper() if self.upper and ch != "ß" else ch
                key.text = key.value = shown

    def use(self, field: TextInput) -> None:
        """Type into ``field`` from now on; it shows the focus ring and the cursor."""
        if self.target is not None and self.target is not field:
            self.target.focus = False
        self.target = field
        field.focus = True
        self._auto_caps()

    def _auto_caps(self) -> None:
        target = self.target
        if target is None or getattr(target, "caps", "words") == "none":
            self.upper = False
        elif getattr(target, "caps", "words") == "all":
            self.upper = True
        else:
            self.upper = not target.text or target.text[-1] in " -'"

    def press(self, value: str) -> None:
        target = self.target
        if target is None:
            return
        if value == "backspace":
            target.do_backspace()
        elif value == "shift":
            self.upper = not self.upper
            return
        elif value == "accents":
            self.accents = not self.accents
            return
        else:
            target.insert_text(value)
        self._auto_caps()
