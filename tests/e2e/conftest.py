"""A kiosk (store, sync worker, front desk) against a real server on loopback, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from kiosk.config import KioskSettings
from kiosk.frontdesk import FrontDesk, connect
from kiosk.store import Store
from kiosk.sync import SyncWorker
from tests.e2e.harness import LiveServer
from tests.server import conftest as server_fixtures

# The server tests' fixtures: each test here runs on SQLite and on PostgreSQL.
_pg_url = server_fixtures._pg_url
_sqlite_template = server_fixtures._sqlite_template
db = server_fixtures.db
hotel = server_fixtures.hotel
token = server_fixtures.token

DEADLINE_S = 1.0


def pytest_collection_modifyitems(config, items):
    """Tests marked kiosk_only run on one server database."""
    dropped = [i for i in items if i.get_closest_marker("kiosk_only") and "[postgres]" in i.nodeid]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [i for i in items if i not in dropped]


@dataclass
class Kiosk:
    store: Store
    worker: SyncWorker
    desk: FrontDesk
    settings: KioskSettings

    def close(self) -> None:
        self.worker.stop()
        self.worker.client.close()
        self.desk.client.close()
        self.store.close()


def make_kiosk(
    url: str, tmp_path, token: str, *, clock=None, start: bool = True, ca_file=None, sync=None
) -> Kiosk:
    tmp_path.mkdir(exist_ok=True)
    token_file = tmp_path / "kiosk.token"
    token_file.write_text(token)
    settings = KioskSettings(
        server={"url": url, "token_file": str(token_file), "timeout_s": DEADLINE_S, "ca_file": ca_file},
        store={"path": str(tmp_path / "kiosk.sqlite3")},
        sync={"backoff_max_s": 0.2, **(sync or {})},
    )
    desk, worker = connect(
        settings,
        app_version="test",
        devices=lambda: {"printer": {"health": "ok"}, "terminal": {"health": "unknown"}},
        clock=clock or (lambda: datetime.now(UTC)),
    )
    worker.backoff_base_s = 0.05
    if start:
        worker.start()
    return Kiosk(desk.store, worker, desk, settings)


@pytest.fixture
def server(db, hotel) -> Iterator[LiveServer]:
    live = LiveServer(db)
    live.start()
    yield live
    if live.running:
        live.stop()


@pytest.fixture
def kiosk(server, tmp_path, token) -> Iterator[Kiosk]:
    k = make_kiosk(server.url, tmp_path, token)
    assert k.worker.wait_drained(10), "the first sync did not finish"
    yield k
    k.close()
