"""Crash trials for the payment path: a kiosk process runs a sale and is SIGKILLed at a random point.

The simulated terminal runs in this process on TCP; each trial starts a kiosk child
(``python -m drivers.sim.payment_crash child ...``) that starts the terminal (which reconciles what
an earlier victim left) and runs one sale. The trial kills it either when the terminal has sent its
k-th message (k random: any step of registration, reconciliation, the sale, the receipt) or after
a random delay (start-up and journal writes). Then a fresh kiosk reconciles, and the journal is
compared with the terminal's own ledger: every charge recorded exactly once, none lost, none double.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from drivers.money import Money
from drivers.payment.drivers import ZvtTerminal
from drivers.payment.journal import EntryState, PaymentJournal, ResolvedBy
from drivers.payment.model import Outcome
from drivers.sim.zvt_terminal import TcpSimServer, ZvtTerminalSim

ROOT = Path(__file__).resolve().parents[2]
MAX_KILL_STEP = 32  # messages a terminal sends in registration + reconciliation + one sale


def _terminal(port: int, journal: Path) -> ZvtTerminal:
    options = ZvtTerminal.Options(
        transport="tcp", port=port, journal_path=journal, t3_command_ack_s=5.0, t4_idle_s=5.0
    )
    return ZvtTerminal("terminal", options)


def child(port: int, journal: Path, amount: int, key: str) -> int:
    terminal = _terminal(port, journal)
    terminal.start().result(timeout=30)
    result = terminal.sale(Money(amount, "EUR"), "soak", key).result(timeout=30)
    print(result.outcome.value, flush=True)
    terminal.shutdown()
    return 0


@dataclass
class SoakReport:
    trials: int = 0
    killed: int = 0
    charges: int = 0
    recorded_approved: int = 0
    needs_review: int = 0
    reconciled: int = 0  # results established by reconciliation after a kill
    problems: list[str] = field(default_factory=list)


class CrashRig:
    def __init__(self, workdir: Path, *, step_s: float = 0.002, seed: int | None = None) -> None:
        self.workdir = workdir
        self.journal_path = workdir / "kiosk" / "payments.sqlite3"
        self.random = random.Random(seed)
        self.server = TcpSimServer(ZvtTerminalSim(workdir / "terminal.json", step_s=step_s), port=0).start()
        self.server.sim.on_send = self._on_send
        self._sent = 0
        self._kill_at: int | None = None
        self._victim: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self.report = SoakReport()

    def _on_send(self, _msg: object) -> None:
        with self._lock:
            self._sent += 1
            if self._victim is not None and self._sent == self._kill_at:
                os.kill(self._victim.pid, signal.SIGKILL)

    def trial(self, n: int) -> None:
        amount = 100 + self.random.randrange(100_000)
        by_step = self.random.random() < 0.7
        port, journal = str(self.server.port), str(self.journal_path)
        cmd = [
            sys.executable,
            "-m",
            "drivers.sim.payment_crash",
            "child",
            "--port",
            port,
            "--journal",
            journal,
            "--amount",
            str(amount),
            "--key",
            f"soak-{n}",
        ]
        with self._lock:
            self._sent = 0
            self._kill_at = self.random.randint(1, MAX_KILL_STEP) if by_step else None
            self._victim = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        victim = self._victim
        try:
            victim.wait(timeout=None if by_step else self.random.uniform(0.05, 0.8))
        except subprocess.TimeoutExpired:
            victim.kill()
        _, err = victim.communicate(timeout=60)
        with self._lock:
            self._victim = None
        self.report.trials += 1
        if victim.returncode == -signal.SIGKILL:
            self.report.killed += 1
        elif victim.returncode != 0:
            self.report.problems.append(f"trial {n}: kiosk failed: {err.decode()[-500:]}")
        self.restart_and_check()

    def restart_and_check(self) -> None:
        """A fresh kiosk starts (and reconciles); then the journal must match the terminal's ledger."""
        terminal = _terminal(self.server.port, self.journal_path)
        terminal.start().result(timeout=30)
        terminal.shutdown()
        journal = PaymentJournal(self.journal_path)
        try:
            entries = journal.entries()
        finally:
            journal.close()
        report = self.report
        charged = sorted(e["trace"] for e in self.server.sim.state.ledger if e["result"] == 0)
        approved = sorted(
            e.result.trace_no
            for e in entries
            if e.state is EntryState.RECORDED
            and e.result is not None
            and e.result.outcome is Outcome.APPROVED
        )
        report.charges, report.recorded_approved = len(charged), len(approved)
        report.needs_review = sum(e.state is EntryState.NEEDS_REVIEW for e in entries)
        report.reconciled = sum(e.resolved_by is ResolvedBy.RECONCILE for e in entries)
        if any(e.state is EntryState.PENDING for e in entries):
            report.problems.append("an intent is still pending after reconciliation")
        if approved != charged:
            lost = sorted(set(charged) - set(approved))
            doubled = sorted({t for t in approved if approved.count(t) > 1})
            report.problems.append(
                f"terminal charges {charged} != journal {approved}; lost {lost}, double {doubled}"
            )

    def close(self) -> None:
        self.server.stop()


def run(workdir: Path, trials: int, seed: int | None = None) -> SoakReport:
    rig = CrashRig(workdir, seed=seed)
    try:
        for n in range(trials):
            rig.trial(n)
    finally:
        rig.close()
    return rig.report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.sim.payment_crash")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("child", help="one kiosk run: start the terminal, one sale")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--journal", type=Path, required=True)
    c.add_argument("--amount", type=int, required=True)
    c.add_argument("--key", required=True)
    args = parser.parse_args(argv)
    return child(args.port, args.journal, args.amount, args.key)


if __name__ == "__main__":
    sys.exit(main())
