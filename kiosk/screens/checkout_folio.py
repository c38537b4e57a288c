"""Check-out: the bill (each night, extras, payments), what is due and how it will be paid."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from drivers.money import Money
from drivers.payment.model import Operation
from kiosk.i18n import money, short_date
from kiosk.i18n.live import tr
from kiosk.journey.checkout import folio_lines, line_label
from kiosk.screens.base import JourneyScreen


class FolioRow(BoxLayout):
    """One line of the bill: what, and how much (a payment with a minus)."""

    label = StringProperty("")
    amount = StringProperty("")
    quiet = BooleanProperty(False)  # not part of the sum (the deposit held)


class FolioScreen(JourneyScreen):
    """A screen with the bill's lines in ``ids.lines`` (the bill, and the thank-you's invoice)."""

    _shown_for: tuple[object, str] | None = None

    def show_lines(self, folio: Any, lang: str, *, hold: bool) -> None:
        """The bill's lines, once per bill and language; ``hold``: with the deposit held."""
        box = self.ids.lines
        box.clear_widgets()
        for line in folio_lines(folio):
            if line.kind == "hold" and not hold:
                continue
            amount = money(Money(line.amount, folio.currency), lang)
            box.add_widget(
                FolioRow(
                    label=line_label(line, tr._, lang),
                    amount=f"- {amount}" if line.credit else amount,
                    quiet=line.kind == "hold",
                )
            )

    def wipe(self) -> None:
        self._shown_for = None
        self.ids.lines.clear_widgets()

    def on_kv_post(self, *_args: Any) -> None:
        self.ids.lines.bind(minimum_height=self.ids.lines.setter("height"))


class CheckoutFolioScreen(FolioScreen):
    stay = StringProperty("")
    due = StringProperty("")
    note = StringProperty("")
    paying = BooleanProperty(True)

    def refresh(self) -> None:
        j = self.journey
        session = j.session
        if session is None or session.checkout is None or session.checkout.folio is None:
            return
        folio, booking, lang = session.checkout.folio, session.booking, j.formats
        if self._shown_for == (folio, lang):
            return
        self._shown_for = (folio, lang)
        room = booking.room.number if booking.room else "-"
        self.stay = tr._("{name} · room {room} · {arrival} to {departure}").format(
            name=f"{booking.guest.given_names} {booking.guest.surname}".strip(),
            room=room,
            arrival=short_date(booking.arrival, lang),
            departure=short_date(booking.departure, lang),
        )
        self.show_lines(folio, lang, hold=True)
        due = session.due
        self.paying = due is not None
        self.due = money(due or Money(0, folio.currency), lang)
        hold = folio.hold
        if session.operation is Operation.CAPTURE:
            self.note = tr._(
                "This is taken from the deposit held on your card. The rest of the hold is not charged."
            )
        elif due is not None:
            self.note = tr._("Pay by card on the terminal, and you are checked out.")
        elif hold is not None:
            self.note = tr._(
                "Your bill is paid. The deposit held on your card is not charged; our staff release it."
            )
        else:
            self.note = tr._("Your bill is paid.")


SCREEN = CheckoutFolioScreen
CheckoutFolioScreen.load_kv(__file__)
