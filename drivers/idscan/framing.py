"""Cutting a scanner's byte stream into scans.

Scanners end each scan with a terminator (CR, LF or CR LF, set per model). Two kinds of scan
do not fit that: an MRZ reader sends a zone as two or three lines, assembled here until complete or
until a timeout says the rest is not coming; and an AAMVA licence carries CR and LF inside its data,
so once its header is seen the scan's length is taken from its subfile designators instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from drivers.idscan.mrz import ZONE_LINES, mrz_line

_AAMVA_START = b"@\n\x1e\r"
_AAMVA_DESIGNATOR = re.compile(rb"[A-Z]{2}(\d{4})(\d{4})")
MAX_SCAN = 8192  # bytes without a terminator before the buffer is cut anyway


def as_sent(scan: bytes, terminator: bytes) -> bytes:
    """A scan as a scanner puts it on the wire: each line ended by the terminator; a licence whole."""
    if scan.startswith(_AAMVA_START):
        return scan + terminator
    return scan.replace(b"\n", terminator) + terminator


def _aamva_length(buf: bytes) -> int | None:
    """Total length announced by an AAMVA header, or None while the header is incomplete.

    Returns 0 when the header cannot be read: the scan is then cut by the timeout.
    """
    if len(buf) < 21:
        return None
    if not buf[15:17].isdigit():
        return 0
    header_end = 19 if int(buf[15:17]) < 2 else 21
    if not buf[header_end - 2 : header_end].isdigit():
        return 0
    entries = int(buf[header_end - 2 : header_end])
    if len(buf) < header_end + 10 * entries:
        return None
    end = 0
    for i in range(entries):
        match = _AAMVA_DESIGNATOR.fullmatch(buf[header_end + 10 * i : header_end + 10 * (i + 1)])
        if match is None:
            return 0
        end = max(end, int(match[1]) + int(match[2]))
    return end


class ScanAssembler:
    """Feed bytes as they arrive, with the monotonic time; get back complete scans (raw bytes).

    Not thread-safe: one per reader thread.
    """

    def __init__(self, terminators: Sequence[bytes], mrz_timeout: float, aamva_timeout: float) -> None:
        # Longest first, so CR LF wins over CR at the same position.
        self._terminators = sorted(terminators, key=len, reverse=True)
        self._mrz_timeout, self._aamva_timeout = mrz_timeout, aamva_timeout
        self._buf = bytearray()
        self._mrz: list[bytes] = []
        self._mrz_deadline = 0.0
        self._aamva_deadline: float | None = None

    def feed(self, data: bytes, now: float) -> list[bytes]:
        self._buf += data
        scans: list[bytes] = []
        while self._buf:
            if self._buf.startswith(_AAMVA_START) or _AAMVA_START.startswith(bytes(self._buf)):
                if not self._take_aamva(now, scans):
                    break
                continue
            cut = self._next_terminator()
            if cut is None:
                if len(self._buf) > MAX_SCAN:
                    scans.append(bytes(self._buf))
                    self._buf.clear()
                break
            index, length = cut
            line = bytes(self._buf[:index])
            del self._buf[: index + length]
            self._line(line, now, scans)
        return scans + self.poll(now)

    def poll(self, now: float) -> list[bytes]:
        """Scans whose time ran out: an incomplete MRZ, a licence shorter than announced."""
        scans: list[bytes] = []
        if self._mrz and now >= self._mrz_deadline:
            scans.append(self._flush_mrz())
        if self._aamva_deadline is not None and now >= self._aamva_deadline:
            scans.append(bytes(self._buf))
            self._buf.clear()
            self._aamva_deadline = None
        return scans

    def _next_terminator(self) -> tuple[int, int] | None:
        best: tuple[int, int] | None = None
        for term in self._terminators:
            index = self._buf.find(term)
            if index >= 0 and (best is None or index < best[0]):
                best = (index, len(term))
        return best

    def _take_aamva(self, now: float, scans: list[bytes]) -> bool:
        """Cut a licence once all its announced bytes are in; False while waiting for more."""
        if self._mrz:
            scans.append(self._flush_mrz())
        if self._aamva_deadline is None:
            self._aamva_deadline = now + self._aamva_timeout
        end = _aamva_length(bytes(self._buf))
        if not end or len(self._buf) < end:
            return False
        scans.append(bytes(self._buf[:end]))
        del self._buf[:end]
        self._aamva_deadline = None
        cut = self._next_terminator()  # the scanner's own terminator after the licence
        if cut is not None and cut[0] == 0:
            del self._buf[: cut[1]]
        return True

    def _line(self, line: bytes, now: float, scans: list[bytes]) -> None:
        if not line.strip(b" \t"):
            return
        # The parser's own normalisation: a zone it would read is assembled, whatever its case.
        zone_line = mrz_line(line.decode("latin-1"))
        if zone_line is not None:
            mrz = zone_line.encode("ascii")
            if self._mrz and len(self._mrz[0]) != len(mrz):
                scans.append(self._flush_mrz())
            if not self._mrz:
                self._mrz_deadline = now + self._mrz_timeout
            self._mrz.append(mrz)
            if len(self._mrz) == ZONE_LINES[len(mrz)]:
                scans.append(self._flush_mrz())
            return
        if self._mrz:
            scans.append(self._flush_mrz())
        scans.append(line)

    def _flush_mrz(self) -> bytes:
        zone = b"\n".join(self._mrz)
        self._mrz = []
        return zone
