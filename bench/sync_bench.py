"""Kiosk sync benchmarks (issue 7). Run: .venv/bin/python bench/sync_bench.py

1. Drain 10,000 queued ops (a busy kiosk's mix: audit events, payments, help requests,
   check-ins) from the kiosk store to the server on loopback, SQLite (target <= 10 s) and
   PostgreSQL, through the real sync worker.
2. Lookup from the local copy with 2,000 cached bookings: p50/p95/p99 (target p95 <= 5 ms).
3. A busy kiosk's 1-hour outage: the server is stopped while the kiosk keeps queueing (an hour's
   worth of ops), the worker backs off as in production; measured from the server answering
   again to the queue being empty.

The server runs as its own process (`python main.py server`), as in production.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server_bench import PG_ADMIN, Server, percentile, pg_database  # noqa: E402

from kiosk.config import KioskSettings  # noqa: E402
from kiosk.names import tokens  # noqa: E402
from kiosk.serverapi import ServerClient  # noqa: E402
from kiosk.store import Store  # noqa: E402
from kiosk.sync import SyncWorker  # noqa: E402

MAIN = [sys.executable, str(ROOT / "main.py")]


def prepare(url: str) -> str:
    """Demo hotel and a kiosk token on this database."""
    subprocess.run([*MAIN, "demo-data", "--database-url", url], check=True, capture_output=True)
    out = subprocess.run(
        [*MAIN, "server", "add-kiosk", "bench", "--database-url", url],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def kiosk(base: str, token: str, tmp: Path, name: str, timeout_s: float = 10) -> tuple[Store, SyncWorker]:
    (tmp / f"{name}.token").write_text(token)
    settings = KioskSettings(
        server={"url": base, "token_file": str(tmp / f"{name}.token"), "timeout_s": timeout_s},
        store={"path": str(tmp / f"kiosk-{name}.sqlite3")},
    )
    store = Store(settings.store.path)
    worker = SyncWorker(store, ServerClient(settings), app_version="bench", batch_size=500)
    return store, worker


def queue_busy_ops(store: Store, n: int, rng: random.Random, start: datetime, span: timedelta) -> None:
    """A busy kiosk's mix, in one transaction. Per guest about one check-in, one payment and ten
    audited screens: 88 % audit events, 9 % payments, 3 % help requests, every arrival checked in."""
    stays = [
        r
        for r in store.find(surname="", arrival=date.fromisoformat(store.meta("property")["business_date"]))
        if r["status"] == "confirmed"
    ]
    everyone = [r["id"] for r in store.reservations()]
    currency = store.meta("property")["currency"]
    with store.transaction() as tx:
        for i in range(n):
            at = start + span * i / n
            roll = rng.random()
            if stays and i % (n // len(stays) or 1) == 0:
                r = stays.pop()
                tx.enqueue("check_in", r["id"], {"reservation_id": r["id"], "at": at.isoformat()}, at)
            elif roll < 0.88:
                tx.audit(at, "guest", "screen", "screen", "", name=f"s{i % 12}")
            elif roll < 0.97:
                rid = rng.choice(everyone)
                payment = {
                    "id": str(uuid.uuid4()),
                    "kind": "sale",
                    "amount": rng.randrange(1, 50) * 10_000_00,
                    "currency": currency,
                    "card_brand": "VISA",
                    "masked_pan": "************4242",
                    "auth_code": "A1",
                    "terminal_id": "52500038",
                    "terminal_ref": str(i),
                }
                tx.enqueue("payment", rid, {"reservation_id": rid, "payment": payment}, at)
            else:
                help_ = {
                    "id": str(uuid.uuid4()),
                    "screen": "payment",
                    "reason": "",
                    "created_at": at.isoformat(),
                }
                tx.enqueue("assistance_request", "", help_, at)


def bench_drain(backend: str, url: str, tmp: Path, n: int) -> tuple[float, int]:
    token = prepare(url)
    server = Server(url)
    try:
        store, worker = kiosk(server.base, token, tmp, f"drain-{backend}")
        worker.sync_once()  # the first pull: the bookings the ops refer to
        queue_busy_ops(store, n, random.Random(1), datetime.now(UTC), timedelta(hours=1))
        queued = store.depth()
        t0 = time.perf_counter()
        worker.sync_once()
        seconds = time.perf_counter() - t0
        assert store.depth() == 0, store.depth()
        refused = len(store.dead_letters())
        store.close()
        return seconds, queued - refused
    finally:
        server.stop()


def bench_lookup(tmp: Path, bookings: int, lookups: int) -> list[float]:
    """2,000 cached bookings, all arriving today (the worst case for a surname + arrival lookup)."""
    store = Store(tmp / "lookup.sqlite3")
    rng = random.Random(2)
    today = date(2026, 11, 27)
    surnames = [
        "Santoso",
        "Wijaya",
        "Nguyễn",
        "O'Brien",
        "Müller",
        "Tanaka",
        "Kusuma",
        "García",
        "Smith",
        "Lee",
    ]
    rows = []
    with store.transaction() as tx:
        for i in range(bookings):
            surname = f"{rng.choice(surnames)}{i}"
            data = {
                "id": str(uuid.uuid4()),
                "confirmation_code": f"SB{i:06d}",
                "status": "confirmed",
                "arrival": today.isoformat(),
                "departure": (today + timedelta(days=2)).isoformat(),
                "guest": {
                    "surname": surname,
                    "given_names": "Budi Ayu",
                    "birth_date": f"19{50 + i % 50}-01-01",
                },
                "qr_token": f"SBT1.BENCH.{uuid.uuid4()}.x",
                "room": None,
            }
            tx.put_reservation(data)
            rows.append(data)
    times = []
    for i in range(lookups):
        r = rng.choice(rows)
        surname = r["guest"]["surname"]
        kind = i % 4
        t0 = time.perf_counter()
        if kind == 0:
            found = store.find(surname=surname.upper(), confirmation_code=r["confirmation_code"].lower())
        elif kind == 1:
            found = store.find(surname=surname, arrival=today)
        elif kind == 2:
            found = store.find(surname=surname, birth_date=date.fromisoformat(r["guest"]["birth_date"]))
        else:
            found = store.find(qr_token=r["qr_token"])
        times.append((time.perf_counter() - t0) * 1000)
        assert any(f["id"] == r["id"] for f in found), (kind, tokens(surname))
    store.close()
    return times


def bench_outage(url: str, tmp: Path, ops: int, outage_s: float) -> float:
    token = prepare(url)
    server = Server(url)
    store, worker = kiosk(server.base, token, tmp, "outage", timeout_s=3.0)  # the production deadline
    worker.start()
    assert worker.wait_drained(30)
    server.stop()
    # An hour of a busy kiosk, compressed: ops keep coming while the worker backs off for real.
    assert worker.link.wait_for(False, 30)
    rng = random.Random(3)
    start = datetime.now(UTC) - timedelta(hours=1)
    t_end = time.monotonic() + outage_s
    chunk = max(1, ops // 20)
    while store.depth() < ops:
        queue_busy_ops(store, chunk, rng, start, timedelta(hours=1))
        time.sleep(max(0.0, (t_end - time.monotonic()) / 20))
    server = Server(url, server.port)  # back where the kiosk looks; returns once /health answers
    t0 = time.perf_counter()
    # The worker finds the server at its next retry (backoff with jitter, at most 15 s), then
    # pushes everything; ``wait_drained`` would nudge it, which a real outage does not.
    assert worker.link.wait_for(True, 120)
    drained = time.perf_counter() - t0
    assert store.depth() == 0 or worker.wait_drained(120)
    worker.stop()
    server.stop()
    store.close()
    return drained


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ops", type=int, default=10_000)
    ap.add_argument("--bookings", type=int, default=2_000)
    ap.add_argument("--lookups", type=int, default=2_000)
    ap.add_argument("--outage-ops", type=int, default=1_000, help="ops a busy kiosk queues in an hour")
    ap.add_argument("--outage-s", type=float, default=30, help="real seconds the outage lasts")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sambut-sync-bench-"))
    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    drains = []
    try:
        for backend in ("sqlite", "postgresql"):
            url = (
                f"sqlite:///{tmp}/drain.sqlite3"
                if backend == "sqlite"
                else pg_database(admin, "sambut_sync_bench")
            )
            drains.append((backend, *bench_drain(backend, url, tmp, args.ops)))
        lookups = bench_lookup(tmp, args.bookings, args.lookups)
        drained = bench_outage(f"sqlite:///{tmp}/outage.sqlite3", tmp, args.outage_ops, args.outage_s)
    finally:
        admin.execute('DROP DATABASE IF EXISTS "sambut_sync_bench" WITH (FORCE)')
        admin.close()

    print(f"\n{'measure':48} {'value':>12}  {'target':>12}  result")
    for backend, seconds, applied in drains:
        target = "<= 10 s" if backend == "sqlite" else "report"
        ok = "ok" if backend != "sqlite" or seconds <= 10 else "MISSED"
        print(f"{f'drain {args.ops:,} ops, {backend} server':48} {seconds:>10.2f} s  {target:>12}  {ok}")
        print(f"{f'  ops per second ({applied:,} applied)':48} {args.ops / seconds:>12,.0f}")
    p95 = percentile(lookups, 95)
    print(
        f"{f'local lookup p50, {args.bookings:,} cached bookings':48} {statistics.median(lookups):>9.3f} ms"
    )
    print(f"{'local lookup p95':48} {p95:>9.3f} ms  {'<= 5 ms':>12}  {'ok' if p95 <= 5 else 'MISSED'}")
    print(f"{'local lookup p99':48} {percentile(lookups, 99):>9.3f} ms")
    outage = f"1-hour outage, {args.outage_ops:,} ops: server up -> queue empty"
    print(f"{outage:48} {drained:>10.2f} s  {'report':>12}")
    print(f"\n(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
