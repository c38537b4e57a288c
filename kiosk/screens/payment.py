"""Pay what is due, or place the deposit on the card; while the terminal works, its prompts are
mirrored here in the guest's language."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from drivers.payment.messages import display_text
from drivers.payment.model import Operation
from kiosk.i18n import money
from kiosk.i18n.live import tr
from kiosk.journey.checkin import Step
from kiosk.screens.base import JourneyScreen


class PaymentScreen(JourneyScreen):
    amount = StringProperty("")
    explain = StringProperty("")
    prompt = StringProperty("")
    paying = BooleanProperty(False)

    def refresh(self) -> None:
        j = self.journey
        session = j.session
        if session is None or session.due is None:
            return
        self.paying = j.step is Step.PAYING
        self.amount = money(session.due, j.formats)
        if session.walk_in is not None:
            self.explain = tr._("The price of your stay, paid by card now. Then you get your room.")
        elif session.operation is Operation.PREAUTH:
            self.explain = tr._("A deposit is held on your card for your stay. It is not charged.")
        elif session.operation is Operation.CAPTURE:
            self.explain = tr._("Your bill, taken from the deposit held on your card.")
        else:
            self.explain = tr._("The balance of your stay, paid by card now.")
        code = session.terminal_prompt
        self.prompt = (
            display_text(code, j.language) if code is not None else tr._("Connecting to the card terminal…")
        )
        spinner = self.ids.spinner
        spinner.start() if self.paying else spinner.stop()

    def on_leave(self, *_args: object) -> None:
        self.ids.spinner.stop()


SCREEN = PaymentScreen
PaymentScreen.load_kv(__file__)
