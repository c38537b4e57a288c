"""Staff dashboard benchmark (issue 9). Run: .venv/bin/python bench/dashboard_bench.py

Each dashboard page loaded by a logged-in staff member over HTTP on loopback, with 50 kiosks
reporting their devices and 500 rooms (the demo hotel on 50 floors, 80 % of the rooms in house,
the demo's arrivals and departures, open assistance requests, dead letters and payments to
review): p50/p95/p99 wall time per page on SQLite and PostgreSQL, target p95 <= 200 ms, and the
server's CPU time per load (what the page costs, whatever else the machine is doing).

The server runs as its own process (`python main.py server`), as in production.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from server_bench import PG_ADMIN, Server, percentile, pg_database
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontoffice.db import Database  # noqa: E402
from frontoffice.migrate import upgrade  # noqa: E402
from frontoffice.models import (  # noqa: E402
    AssistanceRequest,
    DeadLetter,
    Guest,
    Occupancy,
    Payment,
    PaymentKind,
    ReservationStatus,
    Room,
    RoomNight,
)
from frontoffice.services import booking, demo, kiosks, staff  # noqa: E402

TODAY = date(2026, 11, 27)
PASSWORD = "bench password"
PAGES = ("", "/in-house", "/kiosks", "/assistance", "/payments", "/dead-letters", "/totals")
TARGET_MS = 200


def load(db: Database) -> int:
    """The demo hotel on 50 floors (500 rooms), 80 % occupied, 50 kiosks; returns the rooms."""
    rng = random.Random(9)
    now = datetime.now(UTC)
    with db.session(write=True) as s:
        prop = demo.build(s, TODAY, floors=50)
        staff.set_password(s, prop, "bench", PASSWORD)
        taken = set(s.scalars(select(RoomNight.room_id)))
        rooms = list(s.scalars(select(Room).where(Room.property_id == prop.id).order_by(Room.number)))
        free = [r for r in rooms if r.id not in taken and r.occupancy is Occupancy.VACANT]
        stays = []
        for i, room in enumerate(free[: int(len(rooms) * 0.8)]):
            guest = Guest(property_id=prop.id, surname=f"Guest{i}", given_names="Bench")
            s.add(guest)
            arrival = TODAY - timedelta(days=rng.randint(0, 3))
            departure = TODAY + timedelta(days=rng.randint(1, 4))
            r = booking.create_reservation(s, prop, room.room_type, guest, arrival, departure)
            r.status, r.room, r.checked_in_at = ReservationStatus.CHECKED_IN, room, now
            r.checked_in_by = f"kiosk:lobby-{i % 50:02d}"
            room.occupancy = Occupancy.OCCUPIED
            s.add_all(
                RoomNight(room_id=room.id, night=arrival + timedelta(days=n), reservation_id=r.id)
                for n in range((departure - arrival).days)
            )
            stays.append(r)
        for i in range(50):
            kiosk, _ = kiosks.add_kiosk(s, prop, f"lobby-{i:02d}")
            kiosk.last_seen_at = now - timedelta(seconds=rng.randint(0, 600))
            kiosk.app_version, kiosk.outbox_depth = "0.1.0", rng.choice([0, 0, 0, 2, 14])
            kiosk.devices = {
                "printer": {
                    "health": rng.choice(["ok", "faulty"]),
                    "reason": "",
                    "detail": {"paper": rng.choice(["ok", "near_end"])},
                },
                "terminal": {"health": rng.choice(["ok", "unknown"])},
                "scanner": {"health": "ok"},
            }
            s.flush()
            if i < 20:
                s.add(
                    AssistanceRequest(
                        id=uuid.uuid4(),
                        property_id=prop.id,
                        kiosk_id=kiosk.id,
                        screen="payment",
                        reason="card refused",
                        reservation_id=stays[i].id,
                        created_at=now,
                    )
                )
                s.add(
                    DeadLetter(
                        kiosk_id=kiosk.id, op_id=f"op-{i}", seq=i, type="check_in", payload={}, reason="x"
                    )
                )
                s.add(
                    Payment(
                        id=uuid.uuid4(),
                        reservation_id=stays[i].id,
                        kiosk_id=kiosk.id,
                        idempotency_key=f"bench-{i}",
                        kind=PaymentKind.SALE,
                        amount=1_000_000,
                        currency="IDR",
                        card_brand="VISA",
                        masked_pan="************4242",
                        business_date=TODAY,
                        review_reason="reconciled after a restart",
                    )
                )
        return len(rooms)


def cpu_ms(pid: int) -> float:
    """The process's CPU time so far (user + system), from /proc: wall time on a shared machine
    includes waiting for a core, CPU time does not."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def bench_pages(base: str, pid: int, n: int) -> dict[str, tuple[list[float], float]]:
    """Per page: the wall times of ``n`` loads (ms) and the server's mean CPU time per load."""
    times: dict[str, tuple[list[float], float]] = {}
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as c:
        form = c.get("/dashboard/login").text
        csrf = form.split('name="csrf" value="')[1].split('"')[0]
        r = c.post("/dashboard/login", data={"name": "bench", "password": PASSWORD, "csrf": csrf})
        assert r.status_code == 200 and "<h1>Today</h1>" in r.text, r.status_code
        for page in PAGES:
            for _ in range(10):  # warm-up
                assert c.get("/dashboard" + page).status_code == 200
            wall, cpu0 = [], cpu_ms(pid)
            for _ in range(n):
                t0 = time.perf_counter()
                r = c.get("/dashboard" + page)
                wall.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200, (page, r.status_code)
            times[page] = (wall, (cpu_ms(pid) - cpu0) / n)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=100, help="loads of each page")
    args = ap.parse_args()
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="sambut-dash-"))
    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    try:
        for backend in ("sqlite", "postgresql"):
            url = f"sqlite:///{tmp}/b.sqlite3" if backend == "sqlite" else pg_database(admin, "sambut_dash")
            db = Database(url)
            upgrade(db)
            rooms = load(db)
            db.dispose()
            server = Server(url)
            try:
                for page, (lat, cpu) in bench_pages(server.base, server.proc.pid, args.requests).items():
                    p95 = percentile(lat, 95)
                    rows.append(
                        (
                            f"/dashboard{page}, {backend}",
                            f"{statistics.median(lat):.1f}",
                            f"{p95:.1f}",
                            f"{percentile(lat, 99):.1f}",
                            f"{cpu:.1f}",
                            "ok" if p95 <= TARGET_MS else "MISSED",
                        )
                    )
            finally:
                server.stop()
    finally:
        admin.execute('DROP DATABASE IF EXISTS "sambut_dash" WITH (FORCE)')
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nDashboard page load, logged in, 50 kiosks, {rooms} rooms, {args.requests} loads per page")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end)")
    print(f"{'page':36} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'CPU ms':>8}  {'target':14} result")
    for case, p50, p95, p99, cpu, result in rows:
        print(f"{case:36} {p50:>8} {p95:>8} {p99:>8} {cpu:>8}  {'p95 <= 200 ms':14} {result}")


if __name__ == "__main__":
    main()
