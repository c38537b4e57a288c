"""Technician: the kiosk's devices as configured, each with its health, and "Set up" to start
the guided setup of one of them."""

from __future__ import annotations

from kivy.properties import StringProperty

from drivers.base import Health
from kiosk.admin.devicemanager import describe
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget
from kiosk.screens.admin_status import HEALTH


class AdminDevicesPage(AdminPage):
    message = StringProperty("")

    def refresh(self) -> None:
        self.message = ""
        manager = self.ctl.manager
        rows = self.ids.devices
        rows.clear_widgets()
        for name, section in manager.settings.devices.items():
            device = manager.get(name)
            health = device.health.health if device is not None else Health.UNKNOWN
            reason = manager.start_errors.get(name) or (device.health.reason if device is not None else "")
            if not section.enabled:
                reason = tr._("switched off")
            row = widget(
                "AdminSetupRow",
                title=name,
                detail="  ·  ".join(filter(None, [f"{section.kind} · {section.driver}", reason])),
                tone=health.value,
                state_text=tr._(HEALTH[health]),
            )
            row.ids.setup.bind(on_press=lambda _b, n=name, k=section.kind: self.setup(n, k))
            rows.add_widget(row)

    def setup(self, name: str, kind: str) -> None:
        self.message = tr._("Looking for connected devices…")
        self.ctl.begin_setup(name, kind, self._started)

    def _started(self, error: BaseException | None) -> None:
        if error is not None:
            self.message = describe(error)
            return
        self.ctl.layer.go("admin_setup")


SCREEN = AdminDevicesPage
AdminDevicesPage.load_kv(__file__)
