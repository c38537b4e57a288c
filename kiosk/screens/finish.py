"""Checked in: the room, and the receipt (or, when the printer cannot print, its QR on screen)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.i18n.live import tr
from kiosk.screens.base import JourneyScreen
from kiosk.screens.qr import qr_texture


class FinishScreen(JourneyScreen):
    printed = BooleanProperty(True)
    room = StringProperty("")
    floor = StringProperty("")
    wifi = StringProperty("")
    access = StringProperty("")
    qr: Any = ObjectProperty(None, allownone=True)
    _qr_for = ""

    def refresh(self) -> None:
        j = self.journey
        session = j.session
        if session is None or session.booking is None:
            return
        room = session.booking.room
        self.printed = session.printed
        self.room = room.number if room else ""
        self.floor = tr._("Floor {floor}").format(floor=room.floor) if room else ""
        prop = j.property
        self.wifi = (
            tr._("Wi-Fi: {ssid} · password {password}").format(
                ssid=prop.wifi_ssid, password=prop.wifi_password
            )
            if prop
            else ""
        )
        # On screen only when there is no receipt to carry it: a door code is not for passers-by.
        code = "" if session.printed else session.booking.access_code
        self.access = tr._("Room access code: {code}").format(code=code) if code else ""
        if not session.printed and session.receipt_qr != self._qr_for:
            self._qr_for = session.receipt_qr
            self.qr = qr_texture(session.receipt_qr)

    def wipe(self) -> None:
        self.qr = None
        self._qr_for = ""


SCREEN = FinishScreen
FinishScreen.load_kv(__file__)
