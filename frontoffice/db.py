"""Engine and sessions for SQLite (default) and PostgreSQL (production), same code for both."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from frontoffice.settings import resolve_database_url

WRITE = {"sqlite_begin": "BEGIN IMMEDIATE"}


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own begin is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock up front: a deferred read-then-write transaction
        # would deadlock against another writer and fail at once instead of waiting.
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def make_engine(url: str) -> Engine:
    url = resolve_database_url(url)
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=10, max_overflow=30
        )
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)


class Database:
    def __init__(self, url: str) -> None:
        self.url = resolve_database_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # The server's [smtp] is on: guests' receipts and invoices are queued (services/mail.py).
        self.mail_enabled = False

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A session in one transaction, committed on success, rolled back on any error."""
        with self.sessions() as session:
            session.info["mail_enabled"] = self.mail_enabled
            if write:
                session.connection(execution_options=WRITE)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
