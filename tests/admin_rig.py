"""Shared pieces for the admin tests: a clock that only moves when told, cheap hashes, a mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from drivers.sim.printer import VirtualPrinter
from drivers.sim.printer_server import TcpPrinterServer
from drivers.sim.zvt_terminal import TcpSimServer, ZvtTerminalSim
from kiosk.admin.audit import AuditLog
from kiosk.admin.credentials import hash_badge, hash_secret, new_badge_salt
from kiosk.admin.devicemanager import DeviceManager
from kiosk.admin.state import AdminState
from kiosk.admin.unlock import AdminMode
from kiosk.config import AdminSection, DeviceSection, KioskSettings

CHEAP = 2**8  # scrypt cost for tests: the format and the checks are the same, only faster
STAFF_PIN, TECH_PIN = "2468", "13579"
ANNA_UID, BUDI_UID = "04A31B22", "DEADBEEF"


class Clock:
    """Monotonic seconds and the matching wall time, moved by ``advance``."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.start = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.t - 1000.0)

    def advance(self, seconds: float) -> None:
        self.t += seconds


def admin_section(tmp_path: Path, **overrides: object) -> AdminSection:
    salt = new_badge_salt()
    values: dict[str, object] = {
        "pins": {
            "staff": [hash_secret(STAFF_PIN, n=CHEAP)],
            "technician": [hash_secret(TECH_PIN, n=CHEAP)],
        },
        "badge_salt": salt,
        "badges": [
            {"name": "Anna", "role": "staff", "uid_hash": hash_badge(ANNA_UID, salt, n=CHEAP)},
            {"name": "Budi", "role": "technician", "uid_hash": hash_badge(BUDI_UID, salt, n=CHEAP)},
        ],
        "audit_path": tmp_path / "audit.jsonl",
        "state_path": tmp_path / "admin-state.json",
    }
    return AdminSection.model_validate(values | overrides)


def admin_mode(
    tmp_path: Path, clock: Clock, closed: list[str] | None = None, **overrides: object
) -> AdminMode:
    section = admin_section(tmp_path, **overrides)
    audit = AuditLog(section.audit_path, clock.wall)
    on_close = None if closed is None else closed.append
    state = AdminState(section.state_path)
    return AdminMode(section, audit, state=state, clock=clock, wall=clock.wall, on_close=on_close)


class DeviceRig:
    """The virtual printer on TCP, the ZVT simulator on TCP and a simulated badge reader, configured
    as a kiosk would be and owned by a started DeviceManager."""

    def __init__(self, tmp_path: Path) -> None:
        self.printer = VirtualPrinter()
        self.printer_server = TcpPrinterServer(self.printer, port=0).start()
        self.terminal_server = TcpSimServer(ZvtTerminalSim(tmp_path / "zvt-sim.json", currency="IDR"), port=0)
        self.terminal_server.start()
        self.journal_path = tmp_path / "payments.sqlite3"
        self.printer_journal = tmp_path / "printer-journal.sqlite3"
        self.settings = KioskSettings(
            admin=admin_section(tmp_path),
            devices={
                "receipt": DeviceSection(kind="printer", driver="network", options=self.printer_options()),
                "card_terminal": DeviceSection(
                    kind="payment",
                    driver="zvt",
                    options={
                        "port": self.terminal_server.port,
                        "currency": "IDR",
                        "journal_path": str(self.journal_path),
                        "t3_command_ack_s": 3.0,
                        "t4_idle_s": 0.5,
                    },
                ),
                "badge": DeviceSection(kind="badge", driver="sim", options={}),
            },
        )
        self.manager = DeviceManager(self.settings, start_timeout_s=10)
        self.manager.start_all()

    def printer_options(self, **changes: object) -> dict[str, object]:
        return {
            "host": "127.0.0.1",
            "port": self.printer_server.port,
            "status_timeout_s": 0.2,
            "journal_path": str(self.printer_journal),
        } | changes

    def close(self) -> None:
        self.manager.shutdown_all()
        self.terminal_server.stop()
        self.printer_server.stop()
