"""Built-in payment terminal drivers (registered on import): ZVT over TCP or a serial line."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Literal

import serial
from pydantic import Field, model_validator

from drivers.base import (
    DeviceError,
    DeviceFailureError,
    DeviceOfflineError,
    DeviceOptions,
    DeviceTimeoutError,
    NoHardwareError,
)
from drivers.money import Money
from drivers.payment.messages import (
    READY_TERMINAL_STATUSES,
    display_text,
    result_meaning,
    terminal_status_meaning,
)
from drivers.payment.model import (
    DisplayText,
    Operation,
    Outcome,
    PaymentRequest,
    PaymentResult,
    ReceiptLine,
    TerminalStatus,
)
from drivers.payment.terminal import PaymentOptions, PaymentTerminal
from drivers.payment.zvt import commands as cmd
from drivers.payment.zvt.channel import Channel, FramedChannel, SerialLink, SocketLink, StreamChannel
from drivers.payment.zvt.session import Exchange, ZvtSession
from drivers.registry import register

log = logging.getLogger(__name__)


class ZvtOptions(PaymentOptions):
    transport: Literal["tcp", "serial"] = "tcp"
    host: str = "127.0.0.1"
    port: int = Field(20007, ge=1, le=65535)
    device: str = Field("", description="serial port, e.g. /dev/serial/by-id/…")
    baudrate: int = Field(9600, gt=0)
    password: str = Field("000000", pattern=r"^\d{6}$")
    currency: str = Field("EUR", description="the terminal's currency (ISO 4217)")
    connect_timeout_s: float = Field(3.0, gt=0)
    # Serial line, as the transport spec (PA00P016) names them: T1 the longest pause between two
    # bytes of a frame (then NAK), T2 how long a sender waits for ACK/NAK (then it repeats); a frame
    # is repeated at most ``retries`` times after a NAK or a missing ACK (the spec allows two).
    t1_char_s: float = Field(0.2, gt=0)
    t2_ack_s: float = Field(5.0, gt=0)
    retries: int = Field(2, ge=0, le=10)
    # T3: the terminal acknowledges a command; T4: longest silence inside a transaction.
    t3_command_ack_s: float = Field(5.0, gt=0)
    t4_idle_s: float = Field(180.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> ZvtOptions:
        if self.transport == "serial" and not self.device:
            raise ValueError("transport 'serial' needs 'device'")
        if self.currency not in cmd.CURRENCY_NUMERIC:
            raise ValueError(f"currency must be one of {', '.join(sorted(cmd.CURRENCY_NUMERIC))}")
        return self


def _outcome(code: int | None) -> Outcome:
    if code == 0x00:
        return Outcome.APPROVED
    if code == 0x6C:
        return Outcome.ABORTED
    return Outcome.DECLINED


@register
class ZvtTerminal(PaymentTerminal):
    """A ZVT terminal (ECR interface) over TCP (port 20007) or a serial line (9600 8N2)."""

    driver = "zvt"
    Options = ZvtOptions
    options: ZvtOptions

    def __init__(self, name: str, options: DeviceOptions | None = None) -> None:
        super().__init__(name, options)
        self._channel: Channel | None = None

    # -- link --------------------------------------------------------------------------------

    def _connect(self) -> Channel:
        o = self.options
        if o.transport == "tcp":
            try:
                sock = socket.create_connection((o.host, o.port), timeout=o.connect_timeout_s)
            except OSError as exc:
                raise DeviceOfflineError(f"cannot reach the terminal at {o.host}:{o.port}: {exc}") from exc
            return StreamChannel(SocketLink(sock))
        if not Path(o.device).exists():
            raise NoHardwareError(f"serial port {o.device} not present")
        try:
            port = serial.Serial(
                o.device,
                baudrate=o.baudrate,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_TWO,
                exclusive=True,
            )
        except (serial.SerialException, OSError) as exc:
            raise DeviceOfflineError(f"cannot open {o.device}: {exc}") from exc
        return FramedChannel(
            SerialLink(port), ack_timeout=o.t2_ack_s, char_timeout=o.t1_char_s, retries=o.retries
        )

    @property
    def channel(self) -> Channel:
        """The open channel; bytes_in/bytes_out tell how much crossed the wire."""
        if self._channel is None:
            self._channel = self._connect()
        return self._channel

    def _session(self) -> ZvtSession:
        return ZvtSession(
            self.channel,
            ack_timeout=self.options.t3_command_ack_s,
            idle_timeout=self.options.t4_idle_s,
            on_display=self._on_display,
            on_print=self._on_print,
            abort_requested=self._abort_requested,
        )

    def _on_display(self, status: cmd.IntermediateStatus) -> None:
        text = " / ".join(status.lines) if status.lines else display_text(status.code)
        self.emit_data(DisplayText(status.code, text))

    def _on_print(self, receipt: str, lines: list[str]) -> None:
        for line in lines:
            self.emit_data(ReceiptLine(line, receipt))

    def _terminal_open(self) -> None:
        _ = self.channel

    def _terminal_close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    def _terminal_recover(self) -> None:
        # A fresh connection on TCP; on serial the port stays, stale input goes.
        if self.options.transport == "tcp":
            self._terminal_close()
            _ = self.channel
        else:
            self.channel.discard_input()

    def _run(self, command: cmd.Apdu, *, abortable: bool = False) -> Exchange:
        try:
            return self._session().run(command, abortable=abortable)
        except DeviceOfflineError:
            self._terminal_close()  # reconnect next time
            raise
        except DeviceTimeoutError:
            # Out of step with the terminal (T3 / T4 passed): on TCP the spec has the sender close
            # the socket, so nothing late of this exchange is read as the answer to the next one.
            if self.options.transport == "tcp":
                self._terminal_close()
            raise

    def _query(self, command: cmd.Apdu) -> Exchange:
        """A command that moves no money may be repeated once on a fresh connection
        (terminals drop idle TCP connections, and restart)."""
        try:
            return self._run(command)
        except DeviceOfflineError as exc:
            log.info("%s: connection lost (%s), reconnecting once", self.name, exc)
            return self._run(command)

    # -- protocol ----------------------------------------------------------------------------

    def _terminal_register(self) -> None:
        ex = self._query(cmd.registration(self.options.password, self.options.currency))
        if ex.refused is not None or ex.abort_code is not None:
            code = ex.refused if ex.refused is not None else ex.abort_code
            raise DeviceFailureError(f"registration refused: {result_meaning(code)}")

    def _terminal_log_off(self) -> None:
        if self._channel is None:  # no connection: nothing to log off from
            return
        try:
            self._session().run(cmd.LOG_OFF, until_done=False)
        except DeviceError as exc:
            log.info("%s: log-off not acknowledged (%s)", self.name, exc)

    def _request_apdu(self, request: PaymentRequest) -> cmd.Apdu:
        op, amount, pw = request.operation, request.amount, self.options.password
        if amount.currency != self.options.currency:
            raise ValueError(f"terminal charges in {self.options.currency}, not {amount.currency}")
        if op is Operation.SALE:
            return cmd.authorisation(amount)
        if op is Operation.PREAUTH:
            return cmd.pre_authorisation(amount)
        if op is Operation.REFUND:
            return cmd.refund(pw, amount)
        if request.original_receipt_no is None:
            raise ValueError(f"{op} needs the original transaction's receipt number")
        if op is Operation.CAPTURE:
            return cmd.book_total(amount, request.original_receipt_no, request.original_trace_no)
        if op is Operation.REVERSAL:
            return cmd.reversal(pw, request.original_receipt_no)
        raise ValueError(f"{op} is not a money transaction")

    def _result(self, operation: Operation, amount: Money, ex: Exchange) -> PaymentResult:
        st = ex.status
        if ex.refused is not None:
            code: int | None = ex.refused
        elif ex.abort_code is not None:
            code = ex.abort_code
        elif st is not None and st.result_code is not None:
            code = st.result_code
        elif ex.completed:
            code = 0x00
        else:
            code = None
        if st is not None and st.amount_minor is not None:
            amount = Money(st.amount_minor, st.currency or amount.currency)
        if ex.parse_issues:
            log.warning("%s: %s answer read in part: %s", self.name, operation, "; ".join(ex.parse_issues))
        return PaymentResult(
            outcome=_outcome(code),
            operation=operation,
            amount=amount,
            result_code=code,
            meaning=result_meaning(code),
            card_brand=st.card_brand if st else "",
            masked_pan=st.masked_pan if st else "",
            auth_code=st.auth_code if st else "",
            trace_no=st.trace_no if st else None,
            receipt_no=st.receipt_no if st else None,
            terminal_id=st.terminal_id if st else "",
            parse_issues=tuple(ex.parse_issues),
        )

    def _terminal_validate(self, request: PaymentRequest) -> None:
        self._request_apdu(request)

    def _terminal_transaction(self, request: PaymentRequest) -> PaymentResult:
        ex = self._run(self._request_apdu(request), abortable=True)
        return self._result(request.operation, request.amount, ex)

    def _terminal_last_transaction(self) -> PaymentResult | None:
        ex = self._query(cmd.repeat_receipt(self.options.password))
        if ex.refused is not None or ex.abort_code is not None:
            code = ex.refused if ex.refused is not None else ex.abort_code
            raise DeviceFailureError(f"last transaction not available: {result_meaning(code)}")
        if ex.status is None or ex.status.amount_minor is None:
            return None
        # The terminal does not say which command the transaction was; the journal knows.
        return self._result(Operation.SALE, Money(0, self.options.currency), ex)

    def _terminal_status(self) -> TerminalStatus:
        """Status enquiry: the terminal answers with its status byte in the completion (06 0F)."""
        ex = self._query(cmd.status_enquiry(self.options.password))
        tid = ex.status.terminal_id if ex.status else ""
        if ex.refused is not None or ex.abort_code is not None:
            code = ex.refused if ex.refused is not None else ex.abort_code
            return TerminalStatus(False, code, result_meaning(code), tid)
        state = cmd.parse_status_completion(ex.completion)
        if state.parse_issues:
            log.warning("%s: status enquiry read in part: %s", self.name, "; ".join(state.parse_issues))
        return TerminalStatus(
            ready=state.status_code in READY_TERMINAL_STATUSES,
            code=state.status_code,
            meaning=terminal_status_meaning(state.status_code),
            terminal_id=state.terminal_id or tid,
            software_version=state.software_version,
        )

    def _terminal_diagnosis(self) -> TerminalStatus:
        ex = self._run(cmd.diagnosis(self.options.password))
        code = ex.refused if ex.refused is not None else ex.abort_code
        if code is None:
            code = ex.status.result_code if ex.status and ex.status.result_code is not None else 0x00
        return TerminalStatus(
            ready=code == 0x00,
            code=code,
            meaning="host reachable" if code == 0x00 else result_meaning(code),
            terminal_id=ex.status.terminal_id if ex.status else "",
        )

    def _terminal_end_of_day(self) -> PaymentResult:
        ex = self._run(cmd.end_of_day(self.options.password))
        return self._result(Operation.END_OF_DAY, Money(0, self.options.currency), ex)
