"""Receipt printer figures: bytes and 9600-baud wire time of the check-in receipt, build time.

Run: .venv/bin/python bench/printer_bench.py
Targets (issue 4): native-QR check-in receipt <= 2 KB and <= 2 s at 9600 baud; build <= 20 ms.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.printer.profiles import PROFILE_58MM, PROFILE_80MM
from drivers.printer.render import render
from tests.drivers.printer_samples import sample_checkin

BAUD = 9600
BITS_PER_BYTE = 10  # 8N1: start + 8 data + stop
RUNS = 300


def wire_seconds(n: int) -> float:
    return n * BITS_PER_BYTE / BAUD


def build_times_ms(profile, native_qr) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render(sample_checkin(), profile, native_qr=native_qr)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    print(f"check-in receipt, {BAUD} baud 8N1, build = document made and rendered to ESC/POS, {RUNS} runs")
    header = ("paper", "QR", "bytes", "wire s", "build p50 ms", "build p95 ms", "target")
    rows = []
    for profile in (PROFILE_80MM, PROFILE_58MM):
        for native in (True, False):
            data = render(sample_checkin(), profile, native_qr=native)
            times = build_times_ms(profile, native)
            p95 = statistics.quantiles(times, n=20)[18]
            ok = len(data) <= 2048 and wire_seconds(len(data)) <= 2 and p95 <= 20
            target = ("met" if ok else "MISSED") if native else "(reference)"
            rows.append(
                (
                    profile.name,
                    "native" if native else "raster",
                    str(len(data)),
                    f"{wire_seconds(len(data)):.2f}",
                    f"{statistics.median(times):.2f}",
                    f"{p95:.2f}",
                    target,
                )
            )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
