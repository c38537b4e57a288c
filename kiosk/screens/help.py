"""Help, over any screen: the staff have been called (or, if that failed, where to go)."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty

from kiosk.i18n import N_
from kiosk.i18n.live import tr
from kiosk.journey.checkin import HelpState
from kiosk.screens.base import JourneyScreen, ModalLayer

TEXTS = {
    HelpState.SENDING: (N_("Calling our staff…"), N_("One moment, please.")),
    HelpState.SENT: (
        N_("Help is on its way"),
        N_(
            "A member of our staff has been told and will be with you shortly. "
            "You can also walk over to the front desk."
        ),
    ),
    HelpState.FAILED: (
        N_("Please come to the front desk"),
        N_("We could not reach our staff from this screen. Our front desk will help you."),
    ),
}


class HelpOverlay(ModalLayer):
    title = StringProperty("")
    body = StringProperty("")
    sending = StringProperty("")

    def refresh(self) -> None:
        state = App.get_running_app().journey.help_state
        title, body = TEXTS[state]
        self.title, self.body = tr._(title), tr._(body)
        self.sending = "1" if state is HelpState.SENDING else ""


OVERLAY = HelpOverlay
JourneyScreen.load_kv(__file__)
