"""A ZVT terminal simulator and the real driver connected over TCP or a real pty pair."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from drivers.base import DataEvent, DeviceEvent
from drivers.payment.drivers import ZvtTerminal
from drivers.payment.model import DisplayText, ReceiptLine
from drivers.sim.zvt_terminal import PtySimServer, SimServer, TcpSimServer, ZvtTerminalSim


@dataclass
class Rig:
    server: SimServer
    terminal: ZvtTerminal
    events: list[DeviceEvent] = field(default_factory=list)
    display_codes: dict[int, threading.Event] = field(default_factory=dict)

    @property
    def sim(self) -> ZvtTerminalSim:
        return self.server.sim

    def on_event(self, event: DeviceEvent) -> None:
        self.events.append(event)
        if isinstance(event, DataEvent) and isinstance(event.data, DisplayText):
            self.display_codes.setdefault(event.data.code, threading.Event()).set()

    def seen_display(self, code: int) -> threading.Event:
        return self.display_codes.setdefault(code, threading.Event())

    def data(self, kind: type) -> list:
        return [e.data for e in self.events if isinstance(e, DataEvent) and isinstance(e.data, kind)]

    def receipt(self) -> list[str]:
        return [line.text for line in self.data(ReceiptLine)]

    def close(self) -> None:
        self.terminal.shutdown()
        self.server.stop()  # stopping twice is harmless


def make_rig(
    transport: str, tmp: Path, *, start: bool = True, currency: str = "EUR", **sim_options: object
) -> Rig:
    sim = ZvtTerminalSim(tmp / "sim-state.json", currency=currency, **sim_options)  # type: ignore[arg-type]
    kiosk_dir = tmp / "kiosk"
    options: dict[str, object] = {
        "journal_path": kiosk_dir / "payments.sqlite3",
        "currency": currency,
        "t3_command_ack_s": 3.0,
        "t4_idle_s": 0.5,
    }
    if transport == "tcp":
        server: SimServer = TcpSimServer(sim, port=0)
        options |= {"transport": "tcp", "port": server.port}
    else:
        server = PtySimServer(sim, ack_timeout=0.3)
        options |= {"transport": "serial", "device": server.path, "t1_char_s": 0.3, "t2_ack_s": 0.3}
    server.start()
    rig = Rig(server, ZvtTerminal("terminal", ZvtTerminal.Options(**options)))
    rig.terminal.subscribe(rig.on_event)
    if start:
        rig.terminal.start().result(timeout=10)
    return rig
