"""Crash soak (issue 7): SIGKILL a kiosk process at random points of check-in, payment and sync,
restart it until it drains, and count what the server holds. Run:

    .venv/bin/python bench/sync_soak.py [--trials 200] [--guests 3] [--database sqlite|postgresql]

Each trial has its own property and kiosk; half the trials work offline (through the outbox),
half online (direct calls, with the payments through the outbox). Prints the counts.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server_bench import PG_ADMIN, Server, pg_database  # noqa: E402

from frontoffice.db import Database  # noqa: E402
from frontoffice.migrate import upgrade  # noqa: E402
from tests.e2e.crash import run_trial  # noqa: E402
from tests.e2e.crash_check import records, trial_hotel  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--guests", type=int, default=3)
    ap.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sambut-soak-"))
    admin = psycopg.connect(PG_ADMIN, autocommit=True) if args.database == "postgresql" else None
    url = pg_database(admin, "sambut_soak") if admin else f"sqlite:///{tmp}/soak.sqlite3"
    db = Database(url)
    upgrade(db)
    server = Server(url)
    rng = random.Random(args.seed)
    trials: Counter[str] = Counter()
    held: Counter[str] = Counter()
    started = time.perf_counter()
    window_s = 0.8
    try:
        for i in range(args.trials):
            token, ids = trial_hotel(db, f"S{i}", args.guests)
            trial = run_trial(tmp / f"t{i}", server.base, token, ids, rng, window_s)
            if not trial.killed and not trial.early:  # the work is quicker here: kill sooner
                window_s = max(0.05, min(window_s, 0.9 * trial.worked_s))
            trials["killed while starting" if trial.early else "killed while working"] += trial.killed
            trials["finished before the kill"] += not trial.killed
            trials["offline trials" if trial.offline else "online trials"] += 1
            trials[f"restarts to drain: {trial.restarts}"] += 1
            held.update(records(db, ids))
            if (i + 1) % 20 == 0:
                print(f"{i + 1} trials, {time.perf_counter() - started:.0f} s: {dict(held)}", file=sys.stderr)
    finally:
        server.stop()
        db.dispose()
        if admin:
            admin.execute('DROP DATABASE IF EXISTS "sambut_soak" WITH (FORCE)')
            admin.close()
    guests = args.trials * args.guests
    print(f"\nCrash soak: {args.trials} trials x {args.guests} guests, {args.database} server")
    print(f"(kills within {window_s:.2f} s of the work starting, by the end)")
    print(f"{'trials':40} {'count':>8}")
    for key in sorted(trials):
        print(f"{key:40} {trials[key]:>8}")
    print(f"\n{'what the server holds, per guest':40} {'count':>8}")
    for key in ("checked in once", "check-in WRONG", "paid once", "payment LOST", "payment DOUBLED"):
        print(f"{key:40} {held[key]:>8}")
    ok = held["checked in once"] == guests and held["paid once"] == guests
    print(f"\n{'result':40} {'ok' if ok else 'FAILED':>8}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
