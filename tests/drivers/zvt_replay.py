"""A replay peer: answers the driver's commands over TCP with a real terminal's recorded messages.

Each step names the command the driver must send next; the peer acknowledges it (80 00) and then
sends the recorded messages one by one, each only after the driver acknowledged the one before,
as a terminal does. Whatever the driver sends out of turn is written down in ``errors``.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

from drivers.payment.zvt.codec import Apdu, split_apdu

ACK = b"\x80\x00\x00"
COMPLETION = b"\x06\x0f\x00"  # a completion without data (spec 3.2)


@dataclass(frozen=True)
class Step:
    command: tuple[int, int]
    replies: tuple[bytes, ...]
    acknowledge: bool = True  # False: the terminal takes the command and never answers it


@dataclass
class ReplayTerminal:
    steps: list[Step]
    commands: list[Apdu] = field(default_factory=list)
    acks: list[bytes] = field(default_factory=list)  # the driver's answer to each recorded message
    errors: list[str] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="zvt-replay", daemon=True)
        self._thread.start()

    def extend(self, *steps: Step) -> None:
        self.steps.extend(steps)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    @property
    def done(self) -> bool:
        return not self.steps

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(0.1)
                self._serve(conn)

    def _next_apdu(self, conn: socket.socket, buf: bytearray) -> Apdu | None:
        while not self._stop.is_set():
            found = split_apdu(buf)
            if found is not None:
                apdu, used = found
                del buf[:used]
                return apdu
            try:
                data = conn.recv(4096)
            except TimeoutError:
                continue
            if not data:
                return None
            buf += data
        return None

    def _serve(self, conn: socket.socket) -> None:
        buf = bytearray()
        while (msg := self._next_apdu(conn, buf)) is not None:
            if msg.command == (0x06, 0x02) and not self.steps:  # log-off at shutdown
                conn.sendall(ACK)
                continue
            if not self.steps or self.steps[0].command != msg.command:
                self.errors.append(f"unexpected command {msg.cls:02X} {msg.instr:02X}")
                return
            step = self.steps.pop(0)
            self.commands.append(msg)
            if not step.acknowledge:
                continue
            conn.sendall(ACK)
            for reply in step.replies:
                conn.sendall(reply)
                answer = self._next_apdu(conn, buf)
                if answer is None:
                    self.errors.append("the driver went away mid-exchange")
                    return
                self.acks.append(answer.encode())
