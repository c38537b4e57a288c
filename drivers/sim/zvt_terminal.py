"""A ZVT card terminal that speaks the real bytes, on TCP or on a pty pair, with scripted outcomes.

It is as strict as a terminal: the password of every command that carries one is checked, a book
total needs an open pre-authorisation of at least its amount, reversals and book totals report
the card of the transaction they act on, and a scripted line NAK hits the transaction's command
frame, which the kiosk repeats as the transport spec allows.

It keeps its state (trace and receipt counters, the last transaction, a ledger of what it did)
in a JSON file written atomically *before* it reports a result, as a real terminal commits
before it answers; a restarted simulator therefore still reports its last transaction.

Card data in its answers is fake but realistic. By default it masks the card number as real
terminals do; ``leak_card_data`` sends the full number, track 2 and expiry, and prints the full
number on the receipt, so tests can prove the kiosk keeps none of it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import tty
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drivers.base import DeviceError, DeviceOfflineError
from drivers.payment.zvt import commands as cmd
from drivers.payment.zvt.channel import Channel, FdLink, FramedChannel, SocketLink, StreamChannel
from drivers.payment.zvt.codec import (
    ACK,
    Apdu,
    Tlv,
    ZvtProtocolError,
    decode_bcd,
    encode_bcd,
    encode_bmp,
    encode_digits,
    encode_tlv,
    encode_var,
    parse_bmps,
)

log = logging.getLogger(__name__)

OUTCOMES = (
    "approve",  # approved
    "decline",  # declined by the host; decline:CODE picks the result code (hex)
    "abort",  # the guest presses cancel
    "card_removed",  # card pulled out while it is read
    "pin_wait",  # long PIN entry (pin_wait:SECONDS), then approved
    "timeout",  # the terminal goes silent mid-transaction and forgets it (nothing charged)
    "nak",  # serial: the command frame is NAKed (nak:N times, default once); TCP: refused (84 A0)
    "bad_crc",  # serial: the status information goes out once with a bad CRC; TCP: approve
    "drop",  # approved, then the connection drops before the result is sent
)


@dataclass(frozen=True)
class Scenario:
    outcome: str = "approve"
    code: int | None = None
    seconds: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Scenario:
        """'approve', 'decline:05', 'pin_wait:2.5' ..."""
        name, _, arg = text.strip().partition(":")
        if name not in OUTCOMES:
            raise ValueError(f"unknown outcome {name!r} (known: {', '.join(OUTCOMES)})")
        if name in ("decline", "card_removed") and arg:
            return cls(name, code=int(arg, 16))
        if name == "nak":
            return cls(name, code=int(arg or 1))  # how many times the command frame is NAKed
        if name == "pin_wait":
            return cls(name, seconds=float(arg or 3))
        return cls(name)


@dataclass(frozen=True)
class TestCard:
    brand: str
    card_type: int
    pan: str
    expiry: str  # YYMM

    @property
    def track2(self) -> str:
        return f"{self.pan}D{self.expiry}2010000012300000"


# Well-known public test numbers: Luhn-valid, never issued to anyone.
TEST_CARDS = (
    TestCard("VISA", 10, "4111111111111111", "2812"),
    TestCard("MasterCard", 6, "5555555555554444", "2907"),
)


# The spec names no code for a wrong password; 83 ("function not possible") is its general refusal.
WRONG_PASSWORD = 0x83
WRONG_CURRENCY = 0x6F  # registration in a currency the terminal does not charge in: 84 1E 6F <CC>
# Result codes a book total (06 24) is refused with (ZVT spec, chapter Error-Messages).
PREAUTH_ERROR = 0xB8  # no open pre-authorisation with that receipt number
PREAUTH_AMOUNT = 0xB7  # more than the pre-authorised amount
SW_VERSION = "SAMBUT-SIM-1.0"
# Commands whose data starts with the 3-byte BCD password.
PASSWORD_FIRST = {(0x06, 0x00), (0x06, 0x20), (0x06, 0x30), (0x06, 0x31), (0x06, 0x50), (0x06, 0x70)}
MONEY_COMMANDS = {(0x06, 0x01), (0x06, 0x22), (0x06, 0x24), (0x06, 0x30), (0x06, 0x31)}
_MONEY_HEADS = {bytes(c) for c in MONEY_COMMANDS}  # their first two bytes on the wire


class _Drop(Exception):
    """Scripted connection drop: the server cuts (TCP) or goes quiet (serial)."""


class _EcrGone(Exception):
    """The kiosk stopped answering; the transaction is abandoned (kept if already authorised)."""


class SimState:
    def __init__(self, path: Path) -> None:
        self.path = path
        data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        self.trace: int = data.get("trace", 0)
        self.receipt: int = data.get("receipt", 0)
        self.last: dict[str, Any] | None = data.get("last")
        self.ledger: list[dict[str, Any]] = data.get("ledger", [])
        self.batch_total: int = data.get("batch_total", 0)

    def save(self) -> None:
        data = {
            "trace": self.trace,
            "receipt": self.receipt,
            "last": self.last,
            "ledger": self.ledger,
            "batch_total": self.batch_total,
        }
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


class ZvtTerminalSim:
    def __init__(
        self,
        state_path: Path | str,
        *,
        step_s: float = 0.0,
        terminal_id: str = "52500001",
        currency: str = "EUR",
        leak_card_data: bool = False,
        text_blocks: bool = False,
        ecr_ack_timeout_s: float = 5.0,
        password: str = "000000",
        terminal_status: int = 0x00,
    ) -> None:
        self.state = SimState(Path(state_path))
        self.password = cmd.password_bcd(password)
        self.terminal_status = terminal_status  # what a status enquiry reports (00: ready)
        self.step_s = step_s
        self.terminal_id = terminal_id
        self.currency = currency
        self.leak_card_data = leak_card_data
        self.text_blocks = text_blocks
        self.ecr_ack_timeout_s = ecr_ack_timeout_s
        self.default = Scenario()
        self._script: deque[Scenario] = deque()
        self._lock = threading.Lock()
        self._abort = False
        # Called with every message the terminal sends (not its ACKs): lets tests act at a step.
        self.on_send: Callable[[Apdu], None] | None = None

    # -- scripting ---------------------------------------------------------------------------

    def script(self, *scenarios: Scenario | str) -> None:
        """Queue outcomes for the next transactions; after them the default (approve) applies."""
        with self._lock:
            self._script.extend(s if isinstance(s, Scenario) else Scenario.parse(s) for s in scenarios)

    def adopt_preauth(self, receipt: int, amount: int, card: int = 0) -> None:
        """A pre-authorisation this terminal approved before its journal here began (the demo
        hotel's deposit, placed at a check-in the simulator never saw): a book total may take from it."""
        with self._lock:
            if not any(entry["receipt"] == receipt for entry in self.state.ledger):
                at = datetime.now(UTC).isoformat()
                self.state.ledger.append(
                    {"op": "preauth", "trace": 0, "receipt": receipt, "amount": amount, "result": 0,
                     "currency": self.currency, "card": card, "auth": "", "time": at}
                )  # fmt: skip
                self.state.save()

    def _refuse_frame(self, payload: bytes) -> bool:
        """Serial line fault: NAK a money command's frame as often as a scripted nak:N says."""
        if payload[:2] not in _MONEY_HEADS:
            return False
        with self._lock:
            if not self._script or self._script[0].outcome != "nak":
                return False
            left = (self._script[0].code or 1) - 1
            # After the last NAK the transaction itself runs normally.
            self._script[0] = Scenario("nak", code=left) if left else Scenario()
            return True

    def _next(self) -> Scenario:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    # -- serving -----------------------------------------------------------------------------

    def serve(self, ch: Channel, running: Callable[[], bool]) -> None:
        """Answer commands while ``running()`` or until the link closes; _Drop on a scripted drop."""
        if isinstance(ch, FramedChannel):
            ch.refuse_frame = self._refuse_frame
        while running():
            try:
                msg = ch.receive(0.05)
            except ZvtProtocolError:
                continue
            if msg is None:
                continue
            try:
                self._dispatch(ch, msg)
            except _EcrGone:
                log.info("sim: the kiosk stopped answering")
                if not isinstance(ch, FramedChannel):
                    return  # TCP: the spec has the side that timed out close the socket

    def _password_ok(self, msg: Apdu) -> bool:
        if msg.command in PASSWORD_FIRST or (msg.command == (0x05, 0x01) and msg.data):
            return msg.data[:3] == self.password
        return True

    def _dispatch(self, ch: Channel, msg: Apdu) -> None:
        kind = msg.command
        if not self._password_ok(msg):
            ch.send(cmd.negative_ack(WRONG_PASSWORD))
            return
        tid = encode_bcd(int(self.terminal_id), 4)
        if kind in MONEY_COMMANDS:
            self._transaction(ch, msg)
        elif kind == (0x06, 0x00):
            cc = cmd.currency_bcd(self.currency)
            if len(msg.data) >= 6 and msg.data[4:6] != cc:  # registration in another currency
                ch.send(Apdu(0x84, 0x1E, bytes([WRONG_CURRENCY]) + cc))
                return
            ch.send(ACK)
            self._send(
                ch, Apdu(0x06, 0x0F, encode_bmp(0x19, b"\x00") + encode_bmp(0x29, tid) + encode_bmp(0x49, cc))
            )
        elif kind == (0x05, 0x01):
            ch.send(ACK)
            self._send(ch, Apdu(0x06, 0x0F, self._status_completion(msg.data)))
        elif kind == (0x06, 0x20):
            ch.send(ACK)
            last = self.state.last
            if last is not None:
                self._send(ch, self._status_information(last))
                self._print(ch, last, copy=True)
            self._send(ch, Apdu(0x06, 0x0F))
        elif kind == (0x06, 0x50):
            self._end_of_day(ch)
        elif kind == (0x06, 0x70):
            ch.send(ACK)
            self._display(ch, 0x04)  # waiting for the host
            self._pause(ch, self.step_s)
            self._send(ch, Apdu(0x04, 0x0F, encode_bmp(0x27, b"\x00") + encode_bmp(0x29, tid)))
            self._send(ch, Apdu(0x06, 0x0F))
        elif kind in ((0x06, 0x02), (0x06, 0xB0), (0x80, 0x00)):
            if msg.cls != 0x80:
                ch.send(ACK)
        else:
            ch.send(cmd.negative_ack(0x83))

    def _status_completion(self, request: bytes) -> bytes:
        """[<SW version LLLVAR>] <terminal status> [06 TLV], as a terminal ends a status enquiry.

        The service byte (03 xx after the password) may ask for no software version (bit 1) and
        for the TLV container with the terminal identifier (bit 2, tag 1F44).
        """
        service = request[4] if len(request) >= 5 and request[3] == 0x03 else 0
        version = b"" if service & 0x02 else encode_var(SW_VERSION.encode(), 3)
        tlv = b""
        if service & 0x04:
            tlv = encode_bmp(0x06, encode_tlv([Tlv(0x1F44, encode_bcd(int(self.terminal_id), 4))]))
        return version + bytes([self.terminal_status]) + tlv

    # -- talking to the kiosk ----------------------------------------------------------------

    def _send(self, ch: Channel, msg: Apdu) -> None:
        """Send a message and wait for the kiosk's 80 00 00; an 06 B0 on the way is an abort."""
        ch.send(msg)
        if self.on_send is not None:
            self.on_send(msg)
        deadline = time.monotonic() + self.ecr_ack_timeout_s
        while (remaining := deadline - time.monotonic()) > 0:
            reply = ch.receive(remaining)
            if reply is None:
                break
            if reply.command == (0x06, 0xB0):
                self._abort = True
                ch.send(ACK)
            elif reply.cls in (0x80, 0x84):
                return
        raise _EcrGone

    def _pause(self, ch: Channel, seconds: float) -> None:
        """A scripted wait, during which the kiosk may send 06 B0 (abort)."""
        end = time.monotonic() + seconds
        while (remaining := end - time.monotonic()) > 0 and not self._abort:
            reply = ch.receive(min(remaining, 0.02))
            if reply is not None and reply.command == (0x06, 0xB0):
                self._abort = True
                ch.send(ACK)

    def _display(self, ch: Channel, code: int) -> None:
        self._send(ch, Apdu(0x04, 0xFF, bytes([code, 0x00])))

    # -- transactions ------------------------------------------------------------------------

    def _transaction(self, ch: Channel, msg: Apdu) -> None:
        scenario = self._next()
        op = {0x01: "sale", 0x22: "preauth", 0x24: "capture", 0x30: "reversal", 0x31: "refund"}[msg.instr]
        body = msg.data[3:] if op in ("reversal", "refund") else msg.data
        try:
            fields = parse_bmps(body)
        except ZvtProtocolError:
            ch.send(cmd.negative_ack(0x9A))
            return
        if scenario.outcome == "nak" and not isinstance(ch, FramedChannel):
            ch.send(cmd.negative_ack(0xA0))  # TCP has no line NAK: receiver not ready
            return
        amount, original = self._amount_of(op, fields)
        if amount is None:
            ch.send(cmd.negative_ack(0xB5 if op == "reversal" else 0x83))
            return
        if op == "capture":
            refusal = self._book_total_refusal(fields, amount, original)
            if refusal is not None:  # the turnover records are searched after the command is taken
                ch.send(ACK)
                self._send(ch, Apdu(0x06, 0x1E, bytes([refusal])))
                return
        ch.send(ACK)
        self._abort = False
        # A reversal or a book total acts on a card payment already made: it reports that card.
        card = TEST_CARDS[original["card"] if original else self.state.trace % len(TEST_CARDS)]
        self._display(ch, 0x0A)  # insert card
        self._pause(ch, self.step_s)
        if scenario.outcome == "timeout":
            return  # silent from here on; nothing was charged
        if scenario.outcome == "card_removed":
            self._display(ch, 0x0C)  # card not readable
            self._send(ch, Apdu(0x06, 0x1E, bytes([scenario.code or 0x64])))
            return
        if scenario.outcome == "abort":
            self._abort = True
        if not self._abort:
            self._display(ch, 0x01)  # watch the PIN pad
            waited = 0.0
            while waited < scenario.seconds and not self._abort:
                self._pause(ch, min(0.2, scenario.seconds - waited))
                waited += 0.2
                self._display(ch, 0x01)
            self._pause(ch, self.step_s)
        if self._abort:
            self._send(ch, Apdu(0x06, 0x1E, b"\x6c"))
            return
        self._display(ch, 0x04)  # waiting for the host
        self._pause(ch, self.step_s)
        code = (scenario.code or 0x05) if scenario.outcome == "decline" else 0x00
        record = self._authorise(op, amount, code, card, original)
        if scenario.outcome == "drop":
            raise _Drop
        if scenario.outcome == "bad_crc" and isinstance(ch, FramedChannel):
            ch.corrupt_outgoing = 1
        self._send(ch, self._status_information(record))
        if code == 0x00:
            self._print(ch, record, copy=False)
            self._send(ch, Apdu(0x06, 0x0F))
        else:
            self._send(ch, Apdu(0x06, 0x1E, bytes([code])))

    def _amount_of(self, op: str, fields: dict[int, bytes]) -> tuple[int | None, dict[str, Any] | None]:
        if op in ("reversal", "capture"):
            original = self._find(fields.get(0x87, b""), "preauth" if op == "capture" else None)
            if op == "reversal":
                return (original["amount"], original) if original else (None, None)
            return (decode_bcd(fields[0x04]) if 0x04 in fields else None), original
        if 0x04 not in fields:
            return None, None
        return decode_bcd(fields[0x04]), None

    def _find(self, receipt_bcd: bytes, op: str | None) -> dict[str, Any] | None:
        """The approved, not yet reversed or booked transaction with that receipt number."""
        try:
            receipt = decode_bcd(receipt_bcd)
        except ZvtProtocolError:
            return None
        for entry in reversed(self.state.ledger):
            if entry["receipt"] == receipt and entry["op"] in ("sale", "preauth", "capture", "refund"):
                usable = entry["result"] == 0 and not entry.get("reversed") and not entry.get("booked")
                return entry if usable and op in (None, entry["op"]) else None
        return None

    def _book_total_refusal(
        self, fields: dict[int, bytes], amount: int, preauth: dict[str, Any] | None
    ) -> int | None:
        """Why a book total cannot run: no open pre-authorisation (never issued, a sale's receipt,
        booked already, or another trace number), or more than it holds."""
        if preauth is None:
            return PREAUTH_ERROR
        if 0x0B in fields and fields[0x0B] != encode_bcd(preauth["trace"], 3):
            return PREAUTH_ERROR
        if amount > preauth["amount"]:
            return PREAUTH_AMOUNT
        return None

    def _authorise(
        self, op: str, amount: int, code: int, card: TestCard, original: dict[str, Any] | None
    ) -> dict[str, Any]:
        state = self.state
        state.trace += 1
        state.receipt += 1
        record = {
            "op": op,
            "trace": state.trace,
            "receipt": state.receipt,
            "amount": amount,
            "currency": self.currency,
            "result": code,
            "card": TEST_CARDS.index(card),
            "auth": f"{(state.trace * 7919) % 1000000:06d}" if code == 0 else "",
            "time": datetime.now(UTC).isoformat(),
        }
        if original is not None and code == 0:
            original["booked" if op == "capture" else "reversed"] = True
        if code == 0 and op in ("sale", "capture"):
            state.batch_total += amount
        elif code == 0 and op in ("reversal", "refund"):
            state.batch_total -= amount
        state.last = record
        state.ledger.append(record)
        state.save()  # committed before it is reported, as a real terminal does
        return record

    def _status_information(self, record: dict[str, Any]) -> Apdu:
        card = TEST_CARDS[record["card"]]
        pan = card.pan if self.leak_card_data else card.pan[:6] + "*" * (len(card.pan) - 10) + card.pan[-4:]
        data = (
            encode_bmp(0x27, bytes([record["result"]]))
            + encode_bmp(0x04, encode_bcd(record["amount"], 6))
            + encode_bmp(0x0B, encode_bcd(record["trace"], 3))
            + encode_bmp(0x0C, bytes.fromhex(record["time"][11:19].replace(":", "")))
            + encode_bmp(0x0D, bytes.fromhex(record["time"][5:10].replace("-", "")))
            + encode_bmp(0x22, encode_digits(pan))
            + encode_bmp(0x29, encode_bcd(int(self.terminal_id), 4))
            + encode_bmp(0x49, cmd.currency_bcd(record["currency"]))
            + encode_bmp(0x87, encode_bcd(record["receipt"], 2))
            + encode_bmp(0x8A, bytes([card.card_type]))
            + encode_bmp(0x8B, card.brand.encode() + b"\x00")
        )
        if record["auth"]:
            data += encode_bmp(0x3B, record["auth"].encode().ljust(8, b"\x00"))
        if self.leak_card_data:
            data += encode_bmp(0x0E, bytes.fromhex(card.expiry))
            data += encode_bmp(0x23, encode_digits(card.track2.replace("D", "")))
        return Apdu(0x04, 0x0F, data)

    def _receipt_lines(self, record: dict[str, Any], copy: bool) -> list[str]:
        card = TEST_CARDS[record["card"]]
        pan = card.pan if self.leak_card_data else "#" * 12 + card.pan[-4:]
        minor = record["amount"]
        lines = [
            "SAMBUT TEST TERMINAL",
            "DUPLICATE" if copy else "CUSTOMER COPY",
            f"{record['op'].upper()}",
            card.brand,
            f"Card {pan}",
            f"Amount {record['currency']} {minor // 100}.{minor % 100:02d}",
            f"TID {self.terminal_id}  Trace {record['trace']}",
            f"Receipt {record['receipt']}  Auth {record['auth']}",
            "APPROVED",
        ]
        return lines

    def _print(self, ch: Channel, record: dict[str, Any], copy: bool) -> None:
        lines = self._receipt_lines(record, copy)
        if self.text_blocks:
            # Receipt type in 1F07 (02: customer); attribute 09 FF after the last line ends it.
            texts = Tlv(0x25, children=(*(Tlv(0x07, line.encode()) for line in lines), Tlv(0x09, b"\xff")))
            self._send(ch, Apdu(0x06, 0xD3, encode_bmp(0x06, encode_tlv([Tlv(0x1F07, b"\x02"), texts]))))
            return
        for i, line in enumerate(lines):
            attribute = 0xFF if i == len(lines) - 1 else 0x00  # FF: last line of the receipt
            self._send(ch, Apdu(0x06, 0xD1, bytes([attribute]) + line.encode()))

    def _end_of_day(self, ch: Channel) -> None:
        ch.send(ACK)
        self._display(ch, 0x0E)  # please wait
        self._pause(ch, self.step_s)
        state = self.state
        state.trace += 1
        total, state.batch_total = state.batch_total, 0
        state.save()
        data = (
            encode_bmp(0x27, b"\x00")
            + encode_bmp(0x04, encode_bcd(max(total, 0), 6))
            + encode_bmp(0x0B, encode_bcd(state.trace, 3))
            + encode_bmp(0x29, encode_bcd(int(self.terminal_id), 4))
            + encode_bmp(0x49, cmd.currency_bcd(self.currency))
        )
        self._send(ch, Apdu(0x04, 0x0F, data))
        self._send(ch, Apdu(0x06, 0xD1, b"\xff" + f"END OF DAY total {total}".encode()))
        self._send(ch, Apdu(0x06, 0x0F))


# --- the two ways to reach it ---------------------------------------------------------------


class SimServer:
    """Runs a simulator on a link in a background thread; ``restart()`` reloads it from its file."""

    def __init__(self, sim: ZvtTerminalSim) -> None:
        self.sim = sim
        self._stop = threading.Event()
        self._interrupt = threading.Event()  # makes the running serve() return (stop, restart)
        self._thread: threading.Thread | None = None

    def start(self) -> SimServer:
        self._thread = threading.Thread(target=self._run, name="zvt-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._interrupt.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._close()

    def restart(self) -> None:
        """Power cycle: everything in memory is lost, the state file is read again."""
        old = self.sim
        self.sim = ZvtTerminalSim(
            old.state.path,
            step_s=old.step_s,
            terminal_id=old.terminal_id,
            currency=old.currency,
            leak_card_data=old.leak_card_data,
            text_blocks=old.text_blocks,
            ecr_ack_timeout_s=old.ecr_ack_timeout_s,
        )
        self.sim.password = old.password
        self.sim.terminal_status = old.terminal_status
        self.sim.on_send = old.on_send
        self._interrupt.set()
        self._on_restart()

    def _serve(self, ch: Channel) -> None:
        self._interrupt.clear()
        self.sim.serve(ch, lambda: not (self._interrupt.is_set() or self._stop.is_set()))

    def _run(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _on_restart(self) -> None:
        """Transport-specific part of a restart."""


class TcpSimServer(SimServer):
    """One kiosk connection at a time, as a terminal's ECR port accepts."""

    def __init__(self, sim: ZvtTerminalSim, host: str = "127.0.0.1", port: int = 20007) -> None:
        super().__init__(sim)
        self._listener = socket.create_server((host, port), reuse_port=False)
        self._listener.settimeout(0.05)
        self.host, self.port = self._listener.getsockname()[:2]
        self._conn: socket.socket | None = None

    @property
    def address(self) -> str:
        return f"tcp {self.host}:{self.port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conn = conn
            try:
                self._serve(StreamChannel(SocketLink(conn)))
            except (_Drop, DeviceError) as exc:
                log.info("sim: connection ended (%s)", type(exc).__name__)
            finally:
                conn.close()
                self._conn = None

    def _on_restart(self) -> None:
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def _close(self) -> None:
        self._listener.close()


class PtySimServer(SimServer):
    """The simulator on the master side of a pty pair; the kiosk opens ``path`` as a serial port."""

    def __init__(self, sim: ZvtTerminalSim, *, ack_timeout: float = 5.0, char_timeout: float = 0.2) -> None:
        super().__init__(sim)
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing: a plain 8-bit line
        self.path = os.ttyname(self._slave)
        self._channel = FramedChannel(
            FdLink(self._master), ack_timeout=ack_timeout, char_timeout=char_timeout
        )

    @property
    def address(self) -> str:
        return f"pty {self.path}"

    @property
    def channel(self) -> FramedChannel:
        return self._channel

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._serve(self._channel)
            except _Drop:
                # A pulled cable: the rest of this transaction never arrives; then idle again.
                self._channel.discard_input()
            except DeviceOfflineError:
                return

    def _close(self) -> None:
        os.close(self._master)
        os.close(self._slave)
