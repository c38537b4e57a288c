"""Server fixtures: every test runs on SQLite and on PostgreSQL (127.0.0.1:5432), migrated by Alembic."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from frontoffice.api.app import create_app
from frontoffice.db import Database
from frontoffice.migrate import upgrade
from frontoffice.models import Base, Property
from frontoffice.services import demo, kiosks

PG_ADMIN = os.environ.get("SAMBUT_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = f"sambut_test_{os.getpid()}"
BUSINESS_DATE = date(2026, 11, 27)


@pytest.fixture(scope="session")
def _pg_url() -> Iterator[str]:
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN} (make test starts it): {exc}")
    admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
    admin.execute(f'CREATE DATABASE "{PG_DB}"')
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{PG_DB}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("template") / "frontoffice.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return str(path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        path = tmp_path / "frontoffice.sqlite3"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        database = Database(f"sqlite:///{path}")
    else:
        database = Database(request.getfixturevalue("_pg_url"))
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield database
    database.dispose()


@pytest.fixture
def hotel(db: Database) -> Property:
    """The demo hotel, with a fixed business date."""
    with db.session(write=True) as session:
        return demo.build(session, BUSINESS_DATE)


@pytest.fixture
def token(db: Database, hotel: Property) -> str:
    with db.session(write=True) as session:
        prop = session.get_one(Property, hotel.id)
        return kiosks.add_kiosk(session, prop, "lobby-1")[1]


@pytest.fixture
def client(db: Database, token: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        c.headers["Authorization"] = f"Bearer {token}"
        yield c


def idem() -> dict[str, str]:
    return {"Idempotency-Key": f"test-{uuid.uuid4()}"}
