"""Live language switching for kv rules: ``text: tr._("Check in")`` re-evaluates on a switch.

kv binds every property a rule reads; ``tr`` answers a bind on ``_`` by remembering the rule and
calls it again when the language changes, so screens already built follow without being rebuilt
(and without losing what the guest typed).
"""

from __future__ import annotations

from typing import Any

from kivy.event import Observable

from kiosk.i18n import translate


class Translator(Observable):
    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang
        self._observers: list[tuple[Any, Any, Any]] = []

    def _(self, msgid: str) -> str:
        return translate(self.lang, msgid)

    def fbind(self, name: str, func: Any, *largs: Any, **kwargs: Any) -> Any:
        if name != "_":
            return super().fbind(name, func, *largs, **kwargs)
        self._observers.append((func, largs, kwargs))
        return 0

    def funbind(self, name: str, func: Any, *largs: Any, **kwargs: Any) -> Any:
        if name != "_":
            return super().funbind(name, func, *largs, **kwargs)
        self._observers = [o for o in self._observers if o != (func, largs, kwargs)]
        return None

    def switch(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = lang
        dead: list[int] = []
        for i, (func, largs, _kwargs) in enumerate(list(self._observers)):
            try:
                func(*largs, None, None)
            except ReferenceError:  # its widget was built from Python and is gone: forget the rule
                dead.append(i)
        self._observers = [o for i, o in enumerate(self._observers) if i not in set(dead)]


tr = Translator()
