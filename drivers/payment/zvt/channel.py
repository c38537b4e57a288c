"""Moving APDUs over a byte link: bare on TCP, in ACK/NAK-acknowledged frames on a serial line.

The same classes serve the driver and the simulator, each on its own end of the link. A link
reads with a timeout and returns b"" when it elapses; a closed peer raises DeviceOfflineError.
"""

from __future__ import annotations

import os
import select
import socket
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from typing import Protocol

import serial

from drivers.base import DeviceFailureError, DeviceOfflineError, DeviceTimeoutError
from drivers.payment.zvt.codec import Apdu, decode_apdu, split_apdu
from drivers.payment.zvt.framing import ACK_BYTE, NAK_BYTE, Frame, FrameDecoder, Signal, encode_frame

READ_CHUNK = 4096


class ByteLink(Protocol):
    def write(self, data: bytes) -> None: ...

    def read(self, timeout: float) -> bytes: ...

    def close(self) -> None: ...


def _wait_readable(fd: int, timeout: float) -> bool:
    readable, _, _ = select.select([fd], [], [], max(0.0, timeout))
    return bool(readable)


class SocketLink:
    def __init__(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock

    def write(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except OSError as exc:
            raise DeviceOfflineError(f"connection lost while sending: {exc}") from exc

    def read(self, timeout: float) -> bytes:
        try:
            if not _wait_readable(self._sock.fileno(), timeout):
                return b""
            data = self._sock.recv(READ_CHUNK)
        except (OSError, ValueError) as exc:
            raise DeviceOfflineError(f"connection lost: {exc}") from exc
        if not data:
            raise DeviceOfflineError("the peer closed the connection")
        return data

    def close(self) -> None:
        self._sock.close()


class SerialLink:
    """A pyserial port; waits with select on its descriptor (POSIX), reads what is there."""

    def __init__(self, port: serial.Serial) -> None:
        port.timeout = 0
        self._port = port

    def write(self, data: bytes) -> None:
        try:
            self._port.write(data)
        except (serial.SerialException, OSError) as exc:
            raise DeviceOfflineError(f"serial write failed: {exc}") from exc

    def read(self, timeout: float) -> bytes:
        try:
            if not _wait_readable(self._port.fileno(), timeout):
                return b""
            return self._port.read(max(1, self._port.in_waiting))
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceOfflineError(f"serial read failed: {exc}") from exc

    def close(self) -> None:
        self._port.close()


class FdLink:
    """A raw file descriptor, e.g. the master side of a pty pair (the simulator's end)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError as exc:
            raise DeviceOfflineError(f"write failed: {exc}") from exc

    def read(self, timeout: float) -> bytes:
        try:
            if not _wait_readable(self._fd, timeout):
                return b""
            return os.read(self._fd, READ_CHUNK)
        except OSError as exc:
            raise DeviceOfflineError(f"read failed: {exc}") from exc

    def close(self) -> None:
        os.close(self._fd)


class Channel(ABC):
    """Sends and receives whole APDUs; counts the bytes that crossed the wire and the waiting."""

    def __init__(self, link: ByteLink) -> None:
        self.link = link
        self.bytes_out = 0
        self.bytes_in = 0
        self.read_wait_s = 0.0  # time spent waiting for the peer: what is not our own overhead

    def _write(self, data: bytes) -> None:
        self.bytes_out += len(data)
        self.link.write(data)

    def _read(self, timeout: float) -> bytes:
        started = time.perf_counter()
        try:
            data = self.link.read(timeout)
        finally:
            self.read_wait_s += time.perf_counter() - started
        self.bytes_in += len(data)
        return data

    @abstractmethod
    def send(self, apdu: Apdu) -> None: ...

    @abstractmethod
    def receive(self, timeout: float) -> Apdu | None:
        """The next APDU, or None when ``timeout`` passes first. Partial input is kept."""

    @abstractmethod
    def discard_input(self) -> None:
        """Forget buffered and partial input, e.g. before reconciling after a failure."""

    def close(self) -> None:
        self.link.close()


class StreamChannel(Channel):
    """TCP: APDUs back to back, delimited only by their length field."""

    def __init__(self, link: ByteLink) -> None:
        super().__init__(link)
        self._buf = bytearray()

    def send(self, apdu: Apdu) -> None:
        self._write(apdu.encode())

    def receive(self, timeout: float) -> Apdu | None:
        deadline = time.monotonic() + timeout
        while True:
            found = split_apdu(self._buf)
            if found is not None:
                apdu, used = found
                del self._buf[:used]
                return apdu
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._buf += self._read(remaining)

    def discard_input(self) -> None:
        self._buf.clear()
        while self._read(0):
            pass


class FramedChannel(Channel):
    """Serial: every APDU in a CRC frame; the receiver answers ACK, or NAK and the sender repeats.

    ``ack_timeout`` is how long a sender waits for ACK/NAK (the transport spec's T2, 5 s),
    ``char_timeout`` how long a frame may pause between bytes before it is dropped and NAKed (T1,
    200 ms). After a NAK or a missing ACK the sender
    repeats the frame up to ``retries`` times (the transport spec: twice), then both sides report
    a transmission error to the application.
    """

    def __init__(
        self, link: ByteLink, *, ack_timeout: float = 5.0, char_timeout: float = 0.2, retries: int = 2
    ) -> None:
        super().__init__(link)
        self.ack_timeout = ack_timeout
        self.char_timeout = char_timeout
        self.retries = retries
        # Fault injection for the simulator: NAK good frames it picks / corrupt the next CRCs.
        self.refuse_frame: Callable[[bytes], bool] | None = None
        self.corrupt_outgoing = 0
        self._decoder = FrameDecoder()
        self._signals: deque[Signal] = deque()
        self._frames: deque[bytes] = deque()
        self._last_byte = 0.0
        # The last frame taken since we last sent one: ZVT is strict ping-pong, so the same frame
        # again before we have answered is the peer repeating it because our ACK got lost.
        self._last_taken: bytes | None = None

    def _pump(self, timeout: float) -> None:
        if self._decoder.in_frame:
            timeout = min(timeout, max(0.0, self._last_byte + self.char_timeout - time.monotonic()))
        data = self._read(timeout)
        now = time.monotonic()
        if not data:
            if self._decoder.in_frame and now - self._last_byte >= self.char_timeout:
                self._decoder.reset()
                self._write(bytes([NAK_BYTE]))
            return
        self._last_byte = now
        for item in self._decoder.feed(data):
            if isinstance(item, Signal):
                self._signals.append(item)
            else:
                self._on_frame(item)

    def _on_frame(self, frame: Frame) -> None:
        if frame.crc_ok and self.refuse_frame is not None and self.refuse_frame(frame.payload):
            self._write(bytes([NAK_BYTE]))
        elif frame.crc_ok:
            self._write(bytes([ACK_BYTE]))
            if frame.payload != self._last_taken:
                self._frames.append(frame.payload)
                self._last_taken = frame.payload
        else:
            self._write(bytes([NAK_BYTE]))

    def send(self, apdu: Apdu) -> None:
        payload = apdu.encode()
        self._last_taken = None
        nak_seen = False
        for _ in range(1 + self.retries):
            corrupt = self.corrupt_outgoing > 0
            self.corrupt_outgoing -= corrupt
            self._signals.clear()
            self._write(encode_frame(payload, corrupt_crc=corrupt))
            deadline = time.monotonic() + self.ack_timeout
            while not self._signals and (remaining := deadline - time.monotonic()) > 0:
                self._pump(remaining)
            if self._signals:
                if self._signals.popleft() is Signal.ACK:
                    return
                nak_seen = True
        if nak_seen:
            raise DeviceFailureError(f"frame refused (NAK) {1 + self.retries} times")
        raise DeviceTimeoutError(f"no ACK within {self.ack_timeout}s, {1 + self.retries} tries")

    def receive(self, timeout: float) -> Apdu | None:
        deadline = time.monotonic() + timeout
        while not self._frames:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._pump(remaining)
        return decode_apdu(self._frames.popleft())

    def discard_input(self) -> None:
        self._decoder.reset()
        self._signals.clear()
        self._frames.clear()
        while self._read(0):
            pass
