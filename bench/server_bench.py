"""Front-office server benchmarks (issue: spine). Run: .venv/bin/python bench/server_bench.py

1. Reservation lookup by confirmation code + surname, 10,000 reservations and 500 rooms loaded,
   one kiosk over HTTP on loopback: p50/p95/p99, on SQLite and on PostgreSQL (target p95 <= 20 ms).
2. Check-in (assign a room + check in) with 16 concurrent kiosks on PostgreSQL, in check-ins per
   second, beside `pgbench -S` (select-only) and `-N` (simple update) on the same server: the ratio
   says how close the API comes to the database's own transaction rate.

The server runs as its own process (`python main.py server`), as in production.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from datetime import time as dtime
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontoffice.db import Database  # noqa: E402
from frontoffice.migrate import upgrade  # noqa: E402
from frontoffice.models import (  # noqa: E402
    Charge,
    ChargeType,
    Guest,
    Property,
    Reservation,
    ReservationStatus,
    Room,
    RoomType,
)
from frontoffice.services import kiosks, money  # noqa: E402
from frontoffice.services.demo import ROOM_TYPES, RUPIAH  # noqa: E402

PG_ADMIN = os.environ.get("SAMBUT_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
TODAY = date(2026, 11, 27)
SURNAMES = ["Santoso", "Wijaya", "Nguyễn", "O'Brien", "Müller", "Tanaka", "Kusuma", "García", "Smith", "Lee"]


def load(
    db: Database, reservations: int, floors: int, rooms_per_floor: int, today_arrivals: int
) -> list[tuple[str, str, str]]:
    """Bulk-load a hotel; returns (id, code, surname) of today's arrivals."""
    rng = random.Random(1)
    with db.session(write=True) as s:
        prop = Property(
            code="BENCH",
            name="Bench Hotel",
            timezone="Asia/Jakarta",
            currency="IDR",
            business_date=TODAY,
            check_in_time=dtime(14),
            check_out_time=dtime(12),
            service_rate_bp=1000,
            tax_rate_bp=1000,
            qr_secret=secrets.token_bytes(32),
        )
        s.add(prop)
        types = [
            RoomType(property=prop, code=t.code, name=t.name, base_rate=t.rate * RUPIAH) for t in ROOM_TYPES
        ]
        s.add_all(types)
        s.flush()
        per_type = rooms_per_floor // len(types)
        s.execute(
            insert(Room),
            [
                {
                    "id": uuid.uuid4(),
                    "property_id": prop.id,
                    "room_type_id": t.id,
                    "number": f"{f}{i:03d}{t.code}",
                    "floor": f,
                    "directions": "",
                    "occupancy": "vacant",
                    "housekeeping": "clean",
                }
                for f in range(1, floors + 1)
                for t in types
                for i in range(per_type)
            ],
        )
        guests, res, charges, today = [], [], [], []
        for i in range(reservations):
            t = types[i % len(types)]
            arrival = TODAY if i < today_arrivals else TODAY + timedelta(days=rng.randint(-90, 90))
            nights = rng.randint(1, 4)
            gid, rid = uuid.uuid4(), uuid.uuid4()
            surname = rng.choice(SURNAMES)
            code = "".join(rng.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(6))
            guests.append(
                {
                    "id": gid,
                    "property_id": prop.id,
                    "surname": surname,
                    "given_names": "Bench",
                    "nationality": "",
                    "email": "",
                    "phone": "",
                }
            )
            res.append(
                {
                    "id": rid,
                    "property_id": prop.id,
                    "confirmation_code": code,
                    "status": ReservationStatus.CONFIRMED
                    if arrival >= TODAY
                    else ReservationStatus.CHECKED_OUT,
                    "arrival": arrival,
                    "departure": arrival + timedelta(days=nights),
                    "adults": 1,
                    "children": 0,
                    "room_type_id": t.id,
                    "guest_id": gid,
                    "deposit_amount": 0,
                    "source": "bench",
                    "terms_version": "",
                    "checked_in_by": "",
                }
            )
            room = t.base_rate * nights
            service = money.apply_rate(room, 1000)
            charges += [
                {
                    "id": uuid.uuid4(),
                    "reservation_id": rid,
                    "type": ChargeType.ROOM,
                    "description": "Room",
                    "amount": room,
                    "currency": "IDR",
                    "business_date": TODAY,
                },
                {
                    "id": uuid.uuid4(),
                    "reservation_id": rid,
                    "type": ChargeType.SERVICE,
                    "description": "Service",
                    "amount": service,
                    "currency": "IDR",
                    "business_date": TODAY,
                },
                {
                    "id": uuid.uuid4(),
                    "reservation_id": rid,
                    "type": ChargeType.TAX,
                    "description": "Tax",
                    "amount": money.apply_rate(room + service, 1000),
                    "currency": "IDR",
                    "business_date": TODAY,
                },
            ]
            if arrival == TODAY:
                today.append((str(rid), code, surname))
        s.execute(insert(Guest), guests)
        s.execute(insert(Reservation), res)
        s.execute(insert(Charge), charges)
        token = kiosks.add_kiosk(s, prop, "bench")[1]
    return today, token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "server",
                "--database-url",
                url,
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "SAMBUT_SERVER_SERVER__LOG_LEVEL": "warning"},
        )
        for _ in range(300):
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def bench_lookup(base: str, token: str, arrivals: list[tuple[str, str, str]], n: int) -> list[float]:
    times = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
        for i in range(n + 50):
            _, code, surname = arrivals[i % len(arrivals)]
            t0 = time.perf_counter()
            r = c.post(
                "/api/v1/reservations/search", json={"confirmation_code": code, "surname": surname.lower()}
            )
            dt = time.perf_counter() - t0
            assert r.status_code == 200 and r.json()["matches"], r.text
            if i >= 50:  # warm-up excluded
                times.append(dt * 1000)
    return times


def bench_checkins(
    base: str, token: str, arrivals: list[tuple[str, str, str]], clients: int
) -> tuple[float, int, int]:
    queue = list(arrivals)
    lock = threading.Lock()
    ok = refused = 0

    def worker() -> None:
        nonlocal ok, refused
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            while True:
                with lock:
                    if not queue:
                        return
                    rid = queue.pop()[0]
                r = c.post(
                    f"/api/v1/reservations/{rid}/check-in", json={}, headers={"Idempotency-Key": f"b-{rid}"}
                )
                with lock:
                    if r.status_code == 200:
                        ok += 1
                    elif r.status_code == 409:
                        refused += 1
                    else:
                        raise RuntimeError(r.text)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, ok, refused


def pgbench(dbname: str, mode: str, clients: int, seconds: int) -> float:
    out = subprocess.run(
        [
            "pgbench",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            mode,
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            dbname,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def pg_database(admin: psycopg.Connection, name: str) -> str:
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reservations", type=int, default=10_000)
    ap.add_argument("--lookups", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=10, help="pgbench duration per mode")
    args = ap.parse_args()
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="sambut-bench-"))
    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    try:
        for backend in ("sqlite", "postgresql"):
            url = (
                f"sqlite:///{tmp}/bench.sqlite3"
                if backend == "sqlite"
                else pg_database(admin, "sambut_bench")
            )
            db = Database(url)
            upgrade(db)
            t0 = time.perf_counter()
            arrivals, token = load(db, args.reservations, floors=10, rooms_per_floor=50, today_arrivals=400)
            load_s = time.perf_counter() - t0
            db.dispose()
            server = Server(url)
            try:
                lat = bench_lookup(server.base, token, arrivals, args.lookups)
                rows.append(
                    (
                        f"lookup by code, {backend}",
                        f"{statistics.median(lat):.1f}",
                        f"{percentile(lat, 95):.1f}",
                        f"{percentile(lat, 99):.1f}",
                        "p95 <= 20 ms",
                        "ok" if percentile(lat, 95) <= 20 else "MISSED",
                    )
                )
                if backend == "postgresql":
                    secs, ok, refused = bench_checkins(server.base, token, arrivals, args.clients)
            finally:
                server.stop()
            print(
                f"{backend}: loaded {args.reservations} reservations, 500 rooms in {load_s:.1f} s",
                file=sys.stderr,
            )
        pg_url = pg_database(admin, "sambut_pgbench")
        dbname = pg_url.rsplit("/", 1)[1]
        subprocess.run(
            ["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-q", "-s", "10", dbname],
            check=True,
            capture_output=True,
        )
        tps_s = pgbench(dbname, "-S", args.clients, args.seconds)
        tps_n = pgbench(dbname, "-N", args.clients, args.seconds)
        rate = ok / secs
    finally:
        for name in ("sambut_bench", "sambut_pgbench"):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nLookup by confirmation code + surname "
        f"({args.reservations:,} reservations, 500 rooms, {args.lookups} requests)"
    )
    print(f"{'case':34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  {'target':14} result")
    for case, p50, p95, p99, target, result in rows:
        print(f"{case:34} {p50:>8} {p95:>8} {p99:>8}  {target:14} {result}")
    print(f"\nCheck-in (assign + check in), {args.clients} concurrent kiosks, PostgreSQL")
    print(f"{'measure':34} {'per second':>12} {'API / this':>12}")
    print(
        f"{'API check-ins':34} {rate:>12.1f} {'':>12}"
        f"   ({ok} checked in, {refused} no room ready, {secs:.1f} s)"
    )
    print(f"{'pgbench -S (select only)':34} {tps_s:>12.1f} {rate / tps_s:>12.4f}")
    print(f"{'pgbench -N (simple update)':34} {tps_n:>12.1f} {rate / tps_n:>12.4f}")


if __name__ == "__main__":
    main()
