"""Everything admin mode needs, built once from the kiosk's settings: what the admin screens hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from kiosk.admin.audit import AuditLog
from kiosk.admin.configfile import ConfigFile
from kiosk.admin.devicemanager import DeviceManager
from kiosk.admin.diagnostics import export_diagnostics
from kiosk.admin.logs import LogBuffer
from kiosk.admin.setup import SetupFlow
from kiosk.admin.staff import Connectivity, SendReport, StaffActions
from kiosk.admin.state import AdminState
from kiosk.admin.unlock import AdminMode
from kiosk.config import KioskSettings


@dataclass
class AdminServices:
    settings: KioskSettings
    config: ConfigFile
    state: AdminState
    mode: AdminMode
    devices: DeviceManager
    staff: StaffActions
    logs: LogBuffer

    def setup(self, name: str, kind: str) -> SetupFlow:
        """A technician's setup of device ``name`` (new or existing) of ``kind``."""
        return SetupFlow(name, kind, self.mode, self.devices, self.config)

    def write_diagnostics(self, outdir: Path) -> Path:
        return export_diagnostics(self.mode, outdir, self.settings, self.devices, self.logs, self.config.path)


def build_admin(
    settings: KioskSettings,
    devices: DeviceManager,
    config_path: Path,
    *,
    hotel_name: str = "",
    tz: tzinfo | None = None,
    on_close: Callable[[str], None] | None = None,
    connectivity: Callable[[], Connectivity] | None = None,
    send_report: SendReport | None = None,
) -> AdminServices:
    """Admin mode over the kiosk's devices. ``on_close`` hears when the session ends (the UI
    wipes the screen); ``connectivity`` and ``send_report`` come from the sync layer."""
    admin = settings.admin
    state = AdminState(settings.resolve(admin.state_path))
    mode = AdminMode(admin, AuditLog(settings.resolve(admin.audit_path)), state=state, on_close=on_close)
    staff = StaffActions(
        mode,
        devices,
        state,
        kiosk_name=settings.kiosk.name,
        hotel_name=hotel_name,
        tz=tz,
        connectivity=connectivity,
        send_report=send_report,
    )
    logs = LogBuffer(lambda: list(settings.devices)).attach()
    return AdminServices(settings, ConfigFile(config_path), state, mode, devices, staff, logs)
