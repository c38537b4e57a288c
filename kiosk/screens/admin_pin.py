"""The PIN pad that opens from the hidden corner or a staff badge: digits as dots, what went
wrong, and while the pad is locked after too many wrong PINs, the time left."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.admin.unlock import Outcome, UnlockResult
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import minutes
from kiosk.screens.base import JourneyScreen, ModalLayer

MAX_DIGITS = 8
# What the pad draws for each digit typed, and for none: both must be glyphs of the kiosk's font
# (Noto Sans has no U+25CF BLACK CIRCLE: it drew empty boxes).
MASK = "•"
EMPTY = "–"
SET_PIN = "python main.py admin set-pin staff"


class AdminPinPad(ModalLayer):
    controller = ObjectProperty(None)
    holder = StringProperty("")
    pin = StringProperty("")
    message = StringProperty("")
    error = BooleanProperty(False)
    locked = BooleanProperty(False)
    checking = BooleanProperty(False)
    _was_locked = False

    def reset(self) -> None:
        self.pin = self.message = ""
        self.checking = self.error = False
        self._was_locked = False

    def refresh(self) -> None:
        self.tick()
        if not self.locked and not self.controller.mode.has_pin():
            self.say_no_pin()

    def say_no_pin(self) -> None:
        self.say(
            tr._("No PIN is set on this kiosk yet. A technician sets one with: {command}").format(
                command=SET_PIN
            ),
            True,
        )

    def tick(self) -> None:
        left = self.controller.mode.lockout_remaining()
        self.locked = left > 0
        if self.locked:
            self.pin = ""
            self.say(
                tr._("Too many wrong PINs. The pad is locked for {time}.").format(time=minutes(left)), True
            )
        elif self._was_locked:
            self.say("")
        self._was_locked = self.locked

    def say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error

    def press(self, key: str) -> None:
        if self.locked or self.checking:
            return
        if key == "delete":
            self.pin = self.pin[:-1]
        elif key == "ok":
            if self.pin:
                self.checking = True
                self.say(tr._("Checking…"))
                self.controller.enter_pin(self.pin)
        elif len(self.pin) < MAX_DIGITS:
            self.pin += key
            self.say("")

    def cancel(self) -> None:
        self.reset()
        self.controller.close_pad()

    def answer(self, result: UnlockResult | None, error: BaseException | None) -> None:
        self.checking = False
        self.pin = ""
        if result is None:
            self.say(tr._("The PIN could not be checked. Please try again."), True)
        elif result.outcome is Outcome.WRONG:
            self.say(tr._("Wrong PIN. {n} tries left.").format(n=result.attempts_left), True)
        elif result.outcome is Outcome.NO_PIN:
            self.say_no_pin()
        self.tick()

    def show_unknown_badge(self) -> None:
        self.say(tr._("This badge is not known here. Enter your PIN instead."), True)


OVERLAY = AdminPinPad
JourneyScreen.load_kv(__file__)
