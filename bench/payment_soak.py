"""Soak: hundreds of kiosk processes SIGKILLed at random points of a sale, each followed by a
restart and reconciliation; prints a table. No charge may be lost or doubled.

    .venv/bin/python bench/payment_soak.py [--trials 300] [--seed N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from drivers.sim.payment_crash import run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp), args.trials, args.seed)
    rows = [
        ("trials", report.trials),
        ("kiosk killed mid-way", report.killed),
        ("charges on the terminal", report.charges),
        ("approved payments in the journal", report.recorded_approved),
        ("results found by reconciliation", report.reconciled),
        ("left for staff review", report.needs_review),
        ("problems (lost / doubled / pending)", len(report.problems)),
        ("seconds", f"{time.perf_counter() - started:.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for problem in report.problems:
        print("PROBLEM:", problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
