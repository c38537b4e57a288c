"""Staff badge readers: serial RFID/NFC readers that send one card UID per line, and a simulator.

They reuse the serial scanner's port and reader thread (``drivers.idscan.drivers``): only what a
line means differs. A line becomes a ``BadgeRead`` with the UID in upper-case hex, whatever the
reader's style ("04:a3:1b:22", "0x04A31B22", or decimal for readers set that way). Readers repeat
a card held on them; the same UID within ``debounce_s`` is one read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from drivers.idscan.drivers import LineOptions, SerialPortOptions, SerialScanner, SimulatedScanner
from drivers.idscan.framing import ScanAssembler
from drivers.registry import register

log = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"[\s:\-\x00-\x1f]")  # also STX and other framing bytes
_HEX = re.compile(r"[0-9A-F]+")
MAX_UID_BYTES = 10  # ISO 14443 UIDs are 4, 7 or 10 bytes; longer is not a card UID


@dataclass(frozen=True)
class BadgeRead:
    """A card on the reader. ``uid`` is upper-case hex; it maps to staff only through its hash."""

    uid: str


def normalise_uid(line: str, uid_format: Literal["hex", "decimal"] = "hex") -> str | None:
    """The UID in ``line`` as upper-case hex with an even number of digits, or None if it is not one."""
    text = _SEPARATORS.sub("", line.strip())
    if uid_format == "decimal":
        if not text.isdigit():
            return None
        value = int(text)
        digits = f"{value:X}"
        text = digits.zfill(len(digits) + len(digits) % 2)
    else:
        text = text.upper().removeprefix("0X")
        if not _HEX.fullmatch(text):
            return None
        text = text.zfill(len(text) + len(text) % 2)
    return text if 0 < len(text) // 2 <= MAX_UID_BYTES else None


class Debouncer:
    """Drops a UID seen again within ``window_s`` of its last sighting; times are monotonic seconds."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._last: tuple[str, float] | None = None

    def accept(self, uid: str, now: float) -> bool:
        last = self._last
        self._last = (uid, now)
        return last is None or last[0] != uid or now - last[1] >= self.window_s


class BadgeOptions(LineOptions, SerialPortOptions):
    uid_format: Literal["hex", "decimal"] = "hex"  # how the reader is set to print UIDs
    debounce_s: float = Field(2.0, ge=0, le=60)
    encoding: str = "ascii"


@register
class SerialBadgeReader(SerialScanner):
    """A serial (or USB-serial) badge reader; each read is a DataEvent carrying a ``BadgeRead``."""

    kind = "badge"
    driver = "serial"
    Options = BadgeOptions
    options: BadgeOptions  # type: ignore[assignment]  # port settings are shared, scan timeouts are not

    _debouncer: Debouncer

    def _assembler(self) -> ScanAssembler:
        self._debouncer = Debouncer(self.options.debounce_s)
        # A UID line is never MRZ- or licence-shaped, so those timeouts never run.
        return ScanAssembler([t.encode("latin-1") for t in self.options.terminators], 0.1, 0.1)

    def _deliver(self, scan: bytes, now: float) -> None:
        uid = normalise_uid(scan.decode(self.options.encoding, "replace"), self.options.uid_format)
        if uid is None:
            log.warning("%s: line of %d bytes is not a card UID", self.name, len(scan))
            return
        if self._debouncer.accept(uid, now):
            self.emit_data(BadgeRead(uid))


class SimulatedBadgeOptions(BadgeOptions):
    port: str = "loop://"
    feed_file: Path | None = None  # UIDs presented once when enabled, blank-line separated


@register
class SimulatedBadgeReader(SerialBadgeReader, SimulatedScanner):
    """The serial badge driver on a loopback port; ``feed(uid)`` is someone holding up a card."""

    driver = "sim"
    Options = SimulatedBadgeOptions
    options: SimulatedBadgeOptions  # type: ignore[assignment]
