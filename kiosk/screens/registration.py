"""The registration card: details from the booking and the document, e-mail and phone the guest
may correct, and the house rules and privacy notice to accept."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.utils import escape_markup

from kiosk.i18n import short_date
from kiosk.i18n.live import tr
from kiosk.screens import keyboard  # noqa: F401 - the keyboard's kv rules
from kiosk.screens.base import JourneyScreen


class RegistrationScreen(JourneyScreen):
    summary = StringProperty("")
    email_label = StringProperty("")
    error = StringProperty("")
    accepted = BooleanProperty(False)
    _filled_for = ""

    def refresh(self) -> None:
        j = self.journey
        session = j.session
        self.error = tr._(j.field_error)
        self.email_label = tr._(j.email_label())
        if session is None:
            return
        w = session.walk_in
        if session.booking is not None:
            b = session.booking
            name = f"{b.guest.given_names} {b.guest.surname}"
            arrival, departure, nights, room_type = b.arrival, b.departure, b.nights, b.room_type.name
        elif w is not None and w.guest is not None and w.offer is not None:  # a walk-in, not booked yet
            name = f"{w.guest.given_names} {w.guest.surname}"
            arrival, departure, nights = j.business_date(), j.walk_in_departure(), w.nights
            room_type = w.offer.room_type.name
        else:
            return
        guest = escape_markup(name.strip())
        stay = tr._("{arrival} to {departure} · {nights} nights · {room_type}").format(
            arrival=short_date(arrival, j.formats),
            departure=short_date(departure, j.formats),
            nights=nights,
            room_type=room_type,
        )
        doc = session.document
        checked = (
            tr._("Document checked: {number}").format(number=_masked(doc.fields.document_number))
            if doc is not None
            else ""
        )
        lines = (f"[b]{guest}[/b] · {escape_markup(stay)}", checked)
        self.summary = "\n".join(line for line in lines if line)
        if self._filled_for != session.id:
            # Prefill once per guest; after that the fields hold what the guest typed.
            self._filled_for = session.id
            self.ids.email.text, self.ids.phone.text = session.email, session.phone
            self.accepted = session.terms_accepted

    def on_enter(self, *_args: Any) -> None:
        self.ids.kb.use(self.ids.email)

    def submit(self) -> None:
        self.journey.submit_registration(self.ids.email.text, self.ids.phone.text, self.accepted)

    def wipe(self) -> None:
        self.ids.email.text = self.ids.phone.text = ""
        self.accepted = False
        self._filled_for = ""


def _masked(number: str) -> str:
    return "•" * max(0, len(number) - 3) + number[-3:]


SCREEN = RegistrationScreen
RegistrationScreen.load_kv(__file__)
