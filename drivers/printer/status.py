"""Printer status from DLE EOT, kept three-valued.

A real-time status answer is one byte whose bits 1 and 4 are set and bits 0 and 7 clear; anything
else (no byte, several bytes, wrong fixed bits) is not an answer, and the fields it would have
given stay UNKNOWN. python-escpos reads "no answer" as offline / plenty of paper; we do not.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from drivers.base import Health, HealthReport

DLE_EOT = b"\x10\x04"
PRINTER_STATUS = 1  # n=1: online/offline
OFFLINE_CAUSE = 2  # n=2: cover open, stopped by paper end, error
PAPER_SENSOR = 4  # n=4: roll paper near end / end
REQUESTS: tuple[int, ...] = (PRINTER_STATUS, OFFLINE_CAUSE, PAPER_SENSOR)

_FIXED_MASK = 0x93
_FIXED_VALUE = 0x12


class Online(enum.StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


class Paper(enum.StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"


class Cover(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    UNKNOWN = "unknown"


def request(n: int) -> bytes:
    return DLE_EOT + bytes((n,))


def valid_answer(answer: bytes | None) -> int | None:
    """The status byte, or None when ``answer`` is not a valid one-byte status."""
    if answer is None or len(answer) != 1 or answer[0] & _FIXED_MASK != _FIXED_VALUE:
        return None
    return answer[0]


@dataclass(frozen=True)
class PrinterStatus:
    online: Online = Online.UNKNOWN
    paper: Paper = Paper.UNKNOWN
    cover: Cover = Cover.UNKNOWN
    error: bool | None = None
    # Why a field is unknown, e.g. "no answer to DLE EOT 4" or "invalid answer 0xa5 to DLE EOT 1".
    problems: tuple[str, ...] = ()

    @classmethod
    def unsupported(cls, reason: str) -> PrinterStatus:
        return cls(problems=(reason,))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PrinterStatus:
        """The inverse of ``as_dict`` (statuses are journaled as JSON)."""
        online, paper, cover = Online(d["online"]), Paper(d["paper"]), Cover(d["cover"])
        return cls(online, paper, cover, d["error"], tuple(d["problems"]))

    @classmethod
    def parse(cls, answers: dict[int, bytes | None]) -> PrinterStatus:
        """Build the status from the raw answers to DLE EOT 1, 2 and 4 (None: nothing came)."""
        problems = []
        for n, answer in answers.items():
            if not answer:
                problems.append(f"no answer to DLE EOT {n}")
            elif valid_answer(answer) is None:
                problems.append(f"invalid answer 0x{answer.hex()} to DLE EOT {n}")
        printer = valid_answer(answers.get(PRINTER_STATUS))
        cause = valid_answer(answers.get(OFFLINE_CAUSE))
        paper_byte = valid_answer(answers.get(PAPER_SENSOR))

        online = Online.UNKNOWN if printer is None else (Online.OFFLINE if printer & 0x08 else Online.ONLINE)
        cover = Cover.UNKNOWN if cause is None else (Cover.OPEN if cause & 0x04 else Cover.CLOSED)
        error = None if cause is None else bool(cause & 0x40)
        if paper_byte is not None:
            paper = Paper.OUT if paper_byte & 0x60 else Paper.NEAR_END if paper_byte & 0x0C else Paper.OK
        elif cause is not None and cause & 0x20:
            paper = Paper.OUT  # "stopped by paper end" is an answer even without the paper sensor
        else:
            paper = Paper.UNKNOWN
        return cls(online, paper, cover, error, tuple(problems))

    @property
    def known(self) -> bool:
        """Every field answered."""
        return "unknown" not in (self.online, self.paper, self.cover)

    def faults(self) -> list[str]:
        """Known faults, worst first."""
        faults = []
        if self.paper is Paper.OUT:
            faults.append("paper out")
        if self.cover is Cover.OPEN:
            faults.append("cover open")
        if self.error:
            faults.append("printer error")
        if self.online is Online.OFFLINE and not faults:
            faults.append("offline")
        return faults

    def health(self) -> HealthReport:
        detail = self.as_dict()
        faults = self.faults()
        if faults:
            return HealthReport.faulty(", ".join(faults), **detail)
        if not self.known:
            return HealthReport.unknown("; ".join(self.problems) or "status not read", **detail)
        if self.paper is Paper.NEAR_END:
            return HealthReport(Health.OK, "paper near end", detail)
        return HealthReport.ok(**detail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "online": self.online.value,
            "paper": self.paper.value,
            "cover": self.cover.value,
            "error": self.error,
            "problems": list(self.problems),
        }
