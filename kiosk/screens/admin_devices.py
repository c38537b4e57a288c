"""Technician: the kiosk's devices as configured, each with its health, and "Set up" to start
the guided setup of one of them, or of a new one."""

from __future__ import annotations

from collections.abc import Collection

from kivy.properties import StringProperty

from drivers import registry
from drivers.base import Health
from kiosk.admin.devicemanager import describe
from kiosk.admin.devicenames import device_title, kind_name
from kiosk.admin.faults import known
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget
from kiosk.screens.admin_status import HEALTH


def free_name(kind: str, taken: Collection[str]) -> str:
    """A name for a new device of ``kind``: the kind itself, else the kind and a number."""
    return next(n for n in (kind, *(f"{kind}_{i}" for i in range(2, 100))) if n not in taken)


class AdminDevicesPage(AdminPage):
    message = StringProperty("")

    def refresh(self) -> None:
        self.message = ""
        manager = self.ctl.manager
        rows = self.ids.devices
        rows.clear_widgets()
        kinds = {name: section.kind for name, section in manager.settings.devices.items()}
        for name, section in manager.settings.devices.items():
            device = manager.get(name)
            health = device.health.health if device is not None else Health.UNKNOWN
            reason = manager.start_errors.get(name) or (device.health.reason if device is not None else "")
            reason = tr._(explained) if reason and (explained := known(reason)) else reason
            if not section.enabled:
                reason = tr._("switched off")
            row = widget(
                "AdminSetupRow",
                title=device_title(name, kinds, tr._),
                detail="  ·  ".join(filter(None, [section.driver, reason])),
                tone=health.value,
                state_text=tr._(HEALTH[health]),
            )
            row.device = name  # its kiosk.toml key, which the title no longer shows
            row.ids.setup.bind(on_press=lambda _b, n=name, k=section.kind: self.setup(n, k))
            rows.add_widget(row)
        kinds = self.ids.kinds
        kinds.clear_widgets()
        registry.load_builtin_drivers()
        for kind in registry.kinds():
            choice = widget("AdminChoice", text=kind_name(kind, tr._))
            choice.kind = kind
            choice.bind(on_press=lambda c: self.setup(free_name(c.kind, manager.settings.devices), c.kind))
            kinds.add_widget(choice)

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
