"""The room the server assigned: number, floor and the way there."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen


class RoomScreen(JourneyScreen):
    number = StringProperty("")
    floor = StringProperty("")
    directions = StringProperty("")

    def refresh(self) -> None:
        j = self.journey
        room = j.session.booking.room if j.session and j.session.booking else None
        if room is None:
            return
        self.number = room.number
        self.floor = tr._("Floor {floor}").format(floor=room.floor)
        self.directions = room.directions_in(j.language)


SCREEN = RoomScreen
RoomScreen.load_kv(__file__)
