"""One ZVT command from the kiosk's side: send it, then serve the terminal until it hands back control.

Timeouts follow the protocol: the terminal must acknowledge a command within T3 (``ack_timeout``);
during a transaction it may stay silent at most T4 (``idle_timeout``) between two messages, and
every intermediate status starts T4 again, so a long PIN entry is fine while a dead terminal is not.

Every message the terminal sends is acknowledged (80 00) once it is framed, even when a field in it
cannot be read: a terminal whose status information went unacknowledged repeats it or gives up,
and either way the link is out of step. What could not be read is named in ``parse_issues``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.base import DeviceTimeoutError
from drivers.payment.zvt import commands as cmd
from drivers.payment.zvt.channel import Channel
from drivers.payment.zvt.codec import ACK, Apdu, ZvtProtocolError

log = logging.getLogger(__name__)

# How often a running transaction looks at the abort request.
POLL_S = 0.05


@dataclass
class Exchange:
    """What the terminal said in answer to one command."""

    refused: int | None = None  # 84 xx: the command was not even started
    status: cmd.StatusInformation | None = None
    abort_code: int | None = None  # 06 1E: ended without success
    completed: bool = False  # 06 0F: ended, control back with the kiosk
    completion: bytes = b""  # the 06 0F data (status enquiry: software version, terminal status)
    parse_issues: list[str] = field(default_factory=list)


class ZvtSession:
    def __init__(
        self,
        channel: Channel,
        *,
        ack_timeout: float,
        idle_timeout: float,
        on_display: Callable[[cmd.IntermediateStatus], None],
        on_print: Callable[[str, list[str]], None],
        abort_requested: threading.Event,
    ) -> None:
        self.channel = channel
        self.ack_timeout = ack_timeout
        self.idle_timeout = idle_timeout
        self._on_display = on_display
        self._on_print = on_print
        self._abort_requested = abort_requested

    def _receive(self, timeout: float, what: str) -> Apdu:
        msg = self.channel.receive(timeout)
        if msg is None:
            raise DeviceTimeoutError(f"terminal did not {what} within {timeout:g}s")
        return msg

    def run(self, command: Apdu, *, abortable: bool = False, until_done: bool = True) -> Exchange:
        log.debug("-> %r", command)
        self.channel.send(command)
        reply = self._receive(self.ack_timeout, "acknowledge the command")
        if reply.cls == 0x84 and reply.instr != 0x00:
            # 84 1E <error> [...]: a refusal whose error code follows (registration: 6F, wrong currency).
            return Exchange(refused=reply.data[0] if reply.instr == 0x1E and reply.data else reply.instr)
        if reply.command not in cmd.POSITIVE_ACKS:
            raise ZvtProtocolError(f"expected an acknowledgement, got {reply!r}")
        return self._serve(abortable) if until_done else Exchange()

    def _serve(self, abortable: bool) -> Exchange:
        ex = Exchange()
        abort_sent = False
        last_heard = time.monotonic()
        while True:
            if abortable and not abort_sent and self._abort_requested.is_set():
                self.channel.send(cmd.ECR_ABORT)
                abort_sent = True
            msg = self.channel.receive(POLL_S)
            now = time.monotonic()
            if msg is None:
                if now - last_heard > self.idle_timeout:
                    raise DeviceTimeoutError(f"terminal silent for {self.idle_timeout:g}s mid-transaction")
                continue
            last_heard = now
            log.debug("<- %r", msg)
            kind = msg.command
            if msg.cls in (0x80, 0x84):  # the terminal's answer to our abort request
                continue
            try:
                known = self._take(ex, msg)
            except ZvtProtocolError as exc:  # its content, not its framing: acknowledged all the same
                log.warning("unreadable %r from the terminal: %s", msg, exc)
                ex.parse_issues.append(f"{kind[0]:02X} {kind[1]:02X}: {exc}")
                known = True
            if not known:
                self.channel.send(cmd.negative_ack(0x83))  # function not possible
                continue
            self.channel.send(ACK)
            if ex.completed or kind == cmd.ABORT:
                return ex

    def _take(self, ex: Exchange, msg: Apdu) -> bool:
        """Note one message of the terminal in ``ex``; False if it is not one the kiosk handles."""
        kind = msg.command
        if kind == cmd.INTERMEDIATE_STATUS:
            self._on_display(cmd.parse_intermediate_status(msg.data))
        elif kind == cmd.STATUS_INFORMATION:
            ex.status = cmd.parse_status_information(msg.data)
            ex.parse_issues += ex.status.parse_issues
        elif kind == cmd.PRINT_LINE:
            self._on_print("", [cmd.parse_print_line(msg.data)])
        elif kind == cmd.PRINT_TEXT_BLOCK:
            block = cmd.parse_text_block(msg.data)
            ex.parse_issues += block.parse_issues
            self._on_print(block.receipt, list(block.lines))
        elif kind == cmd.COMPLETION:
            ex.completed = True
            ex.completion = msg.data
        elif kind == cmd.ABORT:
            ex.abort_code = msg.data[0] if msg.data else None
        else:
            return False
        return True
