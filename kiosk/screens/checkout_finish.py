"""Checked out: thank you; the invoice from the printer, or on screen when it could not print."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from drivers.money import Money
from kiosk.i18n import money
from kiosk.i18n.live import tr
from kiosk.journey.checkout import folio_lines, line_label
from kiosk.screens.base import JourneyScreen
from kiosk.screens.checkout_folio import FolioRow


class CheckoutFinishScreen(JourneyScreen):
    printed = BooleanProperty(True)
    deposit = StringProperty("")
    total = StringProperty("")
    _shown_for: tuple[object, str] | None = None

    def refresh(self) -> None:
        j = self.journey
        session = j.session
        if session is None or session.checkout is None or session.checkout.folio is None:
            return
        state, lang = session.checkout, j.language
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
        box = self.ids.lines
        box.clear_widgets()
        for line in folio_lines(folio):
            if line.kind == "hold":
                continue
            amount = money(Money(line.amount, folio.currency), lang)
            box.add_widget(
                FolioRow(label=line_label(line, tr._, lang), amount=f"- {amount}" if line.credit else amount)
            )

    def wipe(self) -> None:
        self._shown_for = None
        self.ids.lines.clear_widgets()

    def on_kv_post(self, *_args: object) -> None:
        self.ids.lines.bind(minimum_height=self.ids.lines.setter("height"))


SCREEN = CheckoutFinishScreen
CheckoutFinishScreen.load_kv(__file__)
