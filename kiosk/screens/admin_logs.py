"""Technician: the kiosk's recent log lines, all or one device's, newest at the bottom."""

from __future__ import annotations

import logging

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget

SHOWN = 120  # lines on screen; the diagnostics bundle has the rest


class AdminLogsPage(AdminPage):
    device = StringProperty("")  # "" for every line
    text = StringProperty("")

    def refresh(self) -> None:
        choices = self.ids.filters
        choices.clear_widgets()
        names = ["", *self.ctl.manager.settings.devices]
        for name in names:
            choice = widget("AdminChoice", text=name or tr._("All"), selected=name == self.device)
            choice.device = name
            choice.bind(on_press=lambda c: self.show(c.device))
            choices.add_widget(choice)
        lines = self.ctl.services.logs.lines(self.device or None, logging.DEBUG, SHOWN)
        self.text = "\n".join(str(line) for line in lines) or tr._("No log lines yet.")
        Clock.schedule_once(lambda _dt: setattr(self.ids.scroll, "scroll_y", 0), 0)  # the newest

    def show(self, device: str) -> None:
        self.device = device
        self.refresh()


SCREEN = AdminLogsPage
AdminLogsPage.load_kv(__file__)
