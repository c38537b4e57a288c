"""ZVT serial line framing: DLE STX <APDU, DLE doubled> DLE ETX <CRC low> <CRC high>, ACK / NAK.

The CRC is CRC-16/CCITT in its reflected form (polynomial 0x8408, initial value 0), computed over
the APDU bytes (before DLE doubling) and the closing ETX.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

DLE, STX, ETX = 0x10, 0x02, 0x03
ACK_BYTE, NAK_BYTE = 0x06, 0x15

# A frame longer than the largest APDU (with every byte doubled) is noise, not a frame.
MAX_FRAME_PAYLOAD = 5 + 0xFFFF


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def encode_frame(apdu: bytes, *, corrupt_crc: bool = False) -> bytes:
    """One line frame; ``corrupt_crc`` is for the simulator's bad-CRC fault."""
    crc = crc16(apdu + bytes([ETX])) ^ (0xFFFF if corrupt_crc else 0)
    body = apdu.replace(bytes([DLE]), bytes([DLE, DLE]))
    return bytes([DLE, STX]) + body + bytes([DLE, ETX]) + crc.to_bytes(2, "little")


class Signal(enum.Enum):
    ACK = "ack"
    NAK = "nak"


@dataclass(frozen=True)
class Frame:
    payload: bytes
    crc_ok: bool


class _State(enum.Enum):
    IDLE = enum.auto()
    IDLE_DLE = enum.auto()
    BODY = enum.auto()
    BODY_DLE = enum.auto()
    CRC = enum.auto()


class FrameDecoder:
    """Turns the incoming byte stream into ACK/NAK signals and frames, whatever the bytes are.

    A malformed frame (DLE followed by anything but DLE or ETX, or an endless body) comes out as a
    frame with ``crc_ok=False`` so the receiver answers NAK; bytes between frames that are not
    ACK/NAK are line noise and are dropped.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._state = _State.IDLE
        self._body = bytearray()
        self._crc = bytearray()

    @property
    def in_frame(self) -> bool:
        return self._state not in (_State.IDLE, _State.IDLE_DLE)

    def feed(self, data: bytes) -> list[Signal | Frame]:
        out: list[Signal | Frame] = []
        for byte in data:
            item = self._step(byte)
            if item is not None:
                out.append(item)
        return out

    def _step(self, byte: int) -> Signal | Frame | None:
        state = self._state
        if state is _State.IDLE:
            if byte == DLE:
                self._state = _State.IDLE_DLE
            elif byte == ACK_BYTE:
                return Signal.ACK
            elif byte == NAK_BYTE:
                return Signal.NAK
            return None
        if state is _State.IDLE_DLE:
            if byte == STX:
                self._body.clear()
                self._state = _State.BODY
            else:
                self._state = _State.IDLE
            return None
        if state is _State.BODY:
            if byte == DLE:
                self._state = _State.BODY_DLE
            else:
                self._body.append(byte)
                if len(self._body) > MAX_FRAME_PAYLOAD:
                    return self._bad()
            return None
        if state is _State.BODY_DLE:
            if byte == DLE:
                self._body.append(DLE)
                self._state = _State.BODY
            elif byte == ETX:
                self._crc.clear()
                self._state = _State.CRC
            else:
                return self._bad()
            return None
        self._crc.append(byte)
        if len(self._crc) < 2:
            return None
        payload = bytes(self._body)
        ok = int.from_bytes(self._crc, "little") == crc16(payload + bytes([ETX]))
        self.reset()
        return Frame(payload, ok)

    def _bad(self) -> Frame:
        self.reset()
        return Frame(b"", False)
