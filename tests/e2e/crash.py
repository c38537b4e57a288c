"""Crash trials: a kiosk process checks guests in and takes their payments (online, or offline
through the outbox) while it is SIGKILLed at a random moment; it is restarted until it has
drained, and the server must then hold exactly one check-in and one payment per guest.

`python -m tests.e2e.crash child DIR URL` is the kiosk process; `run_trial` is one trial
(used by tests/e2e/test_crash.py and by bench/sync_soak.py).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from drivers.payment.journal import EntryState, PaymentJournal, ResolvedBy
from drivers.payment.model import Money, Operation, Outcome, PaymentRequest, PaymentResult
from kiosk.config import ROOT, KioskSettings
from kiosk.frontdesk import Booking, FrontDesk, Refused
from kiosk.serverapi import ServerClient
from kiosk.store import Store
from kiosk.sync import Link, SyncWorker

AMOUNT = 1_870_000_00


def child(directory: Path, url: str) -> None:
    plan = json.loads((directory / "plan.json").read_text())
    settings = KioskSettings(
        server={"url": url, "token_file": str(directory / "token"), "timeout_s": 2.0},
        store={"path": str(directory / "kiosk.sqlite3")},
    )
    store = Store(settings.store.path)
    journal = PaymentJournal(directory / "payments.sqlite3")
    link = Link()
    worker = SyncWorker(
        store,
        ServerClient(settings),
        app_version="crash",
        journal=journal,
        link=link,
        backoff_base_s=0.05,
        backoff_max_s=0.2,
    )
    desk = FrontDesk(store, ServerClient(settings), link, nudge=worker.nudge)
    worker.sync_once()  # the arrivals (again, if a crash cut the first pull short)
    print("READY", flush=True)
    if plan["offline"]:
        link.report(False, "offline for the trial")
    else:
        worker.start()
    for rid in plan["reservations"]:
        data = store.reservation(rid)
        assert data is not None, rid
        if data["status"] == "confirmed":
            try:
                desk.check_in(Booking.parse(data))
            except Refused as exc:  # checked in online just before a crash
                if exc.code != "reservation_checked_in":
                    raise
        key = f"pay-{rid}"
        request = PaymentRequest(Operation.SALE, Money(AMOUNT, "IDR"), rid, key)
        if journal.get(key) is None:
            journal.begin(request, "sim", None, False)
        entry = journal.get(key)
        assert entry is not None
        if entry.state is EntryState.PENDING:  # the terminal approved (or reconciliation says so)
            result = PaymentResult(
                Outcome.APPROVED, Operation.SALE, request.amount, 0, "approved", card_brand="VISA",
                masked_pan="************4242", auth_code="A1B2C3", trace_no=1, receipt_no=1,
            ).for_request(request)  # fmt: skip
            journal.finish(key, result, ResolvedBy.LIVE)
            desk.record_payment(Booking.parse(store.reservation(rid) or data), result)
    if plan["offline"]:
        worker.start()
    assert worker.wait_drained(60), "did not drain"
    assert journal.unacknowledged() == [], "payments left unacknowledged"
    print("DONE", flush=True)
    worker.stop()


@dataclass
class Trial:
    killed: bool  # False: the kiosk had finished before the moment came
    early: bool  # killed while starting (first pull), not while working
    offline: bool  # the kiosk worked offline, through the outbox
    restarts: int
    worked_s: float  # from the kiosk's start (or READY) to its kill or its end


def spawn(directory: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.crash", "child", str(directory), url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def run_trial(
    directory: Path,
    url: str,
    token: str,
    reservation_ids: list[str],
    rng: random.Random,
    window_s: float = 0.8,
) -> Trial:
    """Kill the kiosk once at a random moment within ``window_s`` of starting its work (a little
    more when killed while starting), then run it until it has drained."""
    directory.mkdir(parents=True)
    (directory / "token").write_text(token)
    offline = rng.random() < 0.5
    (directory / "plan.json").write_text(json.dumps({"reservations": reservation_ids, "offline": offline}))
    proc = spawn(directory, url)
    early = rng.random() < 0.2
    if not early:
        assert proc.stdout is not None
        proc.stdout.readline()  # READY: the work starts now
    killed = True
    started = time.monotonic()
    try:
        # The random moment is the point of the trial, not a wait for something.
        proc.wait(timeout=rng.uniform(0, window_s + 0.4 if early else window_s))
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.communicate()
    worked_s = time.monotonic() - started
    for restarts in range(1, 4):
        proc = spawn(directory, url)
        out, err = proc.communicate(timeout=120)
        if "DONE" in out:
            return Trial(killed, early, offline, restarts, worked_s)
    raise AssertionError(f"the kiosk never drained: {err[-2000:]}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(Path(sys.argv[2]), sys.argv[3])
