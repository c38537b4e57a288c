"""Kiosk-side cost of an approved sale against the ZVT simulator, on TCP and on a pty at 9600 baud.

    .venv/bin/python bench/payment_bench.py [--sales 200]

The simulator runs in its own process with no scripted delays. Per approved sale:
- wall: the whole sale as the caller sees it (kiosk + simulator processing + IPC);
- kiosk side: wall minus the time the driver sat waiting for the terminal's bytes, i.e. the
  kiosk's own work (driver, both journal fsyncs, events, thread hand-offs);
- kiosk CPU: this process's CPU time.
A pty moves bytes instantly, so for the serial line the time 9600 baud 8N2 would need (11 bits per
byte) is computed from the bytes counted on the wire.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.money import Money  # noqa: E402
from drivers.payment.drivers import ZvtTerminal  # noqa: E402

BITS_PER_BYTE = 11  # start + 8 data + 2 stop


def start_sim(tmp: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "main.py", "terminal-sim", "--step", "0", "--state", str(tmp / "sim.json"), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()  # "ZVT terminal simulator on tcp 127.0.0.1:PORT" / "on pty PATH"
    return proc, line.rsplit(" ", 1)[-1]


def measure(terminal: ZvtTerminal, sales: int) -> dict[str, float]:
    for _ in range(5):  # warm-up
        terminal.sale(Money(1_000, "EUR"), "bench").result(10)
    channel = terminal.channel
    bytes_before = channel.bytes_in + channel.bytes_out
    walls, kiosk, cpus = [], [], []
    for _ in range(sales):
        cpu, wall, waited = time.process_time(), time.perf_counter(), channel.read_wait_s
        result = terminal.sale(Money(12_345, "EUR"), "bench").result(10)
        walls.append((time.perf_counter() - wall) * 1000)
        kiosk.append(walls[-1] - (channel.read_wait_s - waited) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert result.approved
    wire_bytes = (channel.bytes_in + channel.bytes_out - bytes_before) / sales
    return {
        "median": statistics.median(walls),
        "p95": statistics.quantiles(walls, n=20)[-1],
        "kiosk": statistics.median(kiosk),
        "kiosk_p95": statistics.quantiles(kiosk, n=20)[-1],
        "cpu": statistics.median(cpus),
        "bytes": wire_bytes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sales", type=int, default=200)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for transport in ("tcp", "serial"):
            run_dir = tmp / transport
            run_dir.mkdir()
            proc, where = start_sim(run_dir, *(["--port", "0"] if transport == "tcp" else ["--pty"]))
            try:
                options: dict[str, object] = {
                    "transport": transport,
                    "journal_path": run_dir / "payments.sqlite3",
                }
                if transport == "tcp":
                    options["port"] = int(where.rsplit(":", 1)[1])
                else:
                    options["device"] = where
                terminal = ZvtTerminal("bench", ZvtTerminal.Options(**options))
                terminal.start().result(10)
                try:
                    rows.append(
                        (transport, measure(terminal, args.sales if transport == "tcp" else args.sales // 4))
                    )
                finally:
                    terminal.shutdown()
            finally:
                proc.terminate()
                proc.wait(10)
    header = (
        f"{'transport':<10} {'wall median':>12} {'p95':>8} {'kiosk side':>11} {'p95':>8} {'kiosk CPU':>10} "
        f"{'bytes':>6} {'9600 8N2 wire':>14}"
    )
    print(header)
    print("-" * len(header))
    for transport, m in rows:
        wire = f"{m['bytes'] * BITS_PER_BYTE / 9600 * 1000:.0f} ms" if transport == "serial" else "-"
        print(
            f"{transport:<10} {m['median']:>9.2f} ms {m['p95']:>5.2f} ms {m['kiosk']:>8.2f} ms "
            f"{m['kiosk_p95']:>5.2f} ms {m['cpu']:>7.2f} ms {m['bytes']:>6.0f} {wire:>14}"
        )
    print("median/p95 per approved sale (ms); target: kiosk side on TCP <= 20 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
