"""Checked out: thank you; the invoice from the printer, or on screen when it could not print."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from drivers.money import Money
from kiosk.i18n import money
from kiosk.i18n.live import tr
from kiosk.screens.checkout_folio import FolioScreen


class CheckoutFinishScreen(FolioScreen):
    printed = BooleanProperty(True)
    deposit = StringProperty("")
    total = StringProperty("")

    def refresh(self) -> None:
        j = self.journey
        session = j.session
        if session is None or session.checkout is None or session.checkout.folio is None:
            return
        state, lang = session.checkout, j.formats
        folio = state.folio
        self.printed = state.printed
        if state.captured is not None:
            self.deposit = tr._(
                "We took {amount} from the deposit held on your card. The rest of the hold is not charged."
            ).format(amount=money(state.captured, lang))
        elif state.hold_left is not None:
            self.deposit = tr._(
                "The deposit of {amount} held on your card was not charged. Our staff release the hold today."
            ).format(amount=money(state.hold_left, lang))
        else:
            self.deposit = ""
        if self._shown_for == (folio, lang):
            return
        self._shown_for = (folio, lang)
        self.total = tr._("Total {amount}, paid in full").format(
            amount=money(Money(folio.total, folio.currency), lang)
        )
        self.show_lines(folio, lang, hold=False)


SCREEN = CheckoutFinishScreen
CheckoutFinishScreen.load_kv(__file__)
