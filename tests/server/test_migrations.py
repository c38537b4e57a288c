"""The Alembic migrations build exactly the schema the models describe, on both databases."""

import uuid
from datetime import UTC, date, datetime, time

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, insert

from frontoffice.db import Database
from frontoffice.migrate import upgrade
from frontoffice.models import Base, Charge, Payment
from tests.server.conftest import PG_ADMIN, PG_DB


def test_migrations_match_models(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_upgrade_is_repeatable(db):
    upgrade(db)
    upgrade(db)


@pytest.fixture
def at_0001(db, tmp_path):
    """An empty database of the same kind as ``db``, at revision 0001."""
    if db.is_sqlite:
        old = Database(f"sqlite:///{tmp_path}/old.sqlite3")
    else:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}_old" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{PG_DB}_old"')
        old = Database(db.url.rsplit("/", 1)[0] + f"/{PG_DB}_old")
    upgrade(old, "0001")
    yield old
    old.dispose()
    if not db.is_sqlite:
        admin.execute(f'DROP DATABASE "{PG_DB}_old" WITH (FORCE)')
        admin.close()


def test_0002_keeps_existing_charges_and_payments(at_0001):
    """Charges made before 0002 get their arrival as business date; payments need no review."""
    ids = {name: uuid.uuid4() for name in ("property", "type", "guest", "reservation", "charge", "payment")}
    rows = [
        (
            "property",
            {
                "id": ids["property"],
                "code": "OLD",
                "name": "Old",
                "address": "",
                "timezone": "UTC",
                "currency": "IDR",
                "business_date": date(2026, 11, 27),
                "check_in_time": time(14),
                "check_out_time": time(12),
                "service_rate_bp": 0,
                "tax_rate_bp": 0,
                "wifi_ssid": "",
                "wifi_password": "",
                "breakfast_hours": "",
                "qr_secret": b"x",
            },
        ),
        (
            "room_type",
            {
                "id": ids["type"],
                "property_id": ids["property"],
                "code": "STD",
                "name": "S",
                "description": "",
                "bed": "",
                "size_m2": 0,
                "max_adults": 2,
                "max_children": 0,
                "base_rate": 100,
            },
        ),
        (
            "guest",
            {
                "id": ids["guest"],
                "property_id": ids["property"],
                "surname": "Old",
                "given_names": "",
                "nationality": "",
                "email": "",
                "phone": "",
            },
        ),
        (
            "reservation",
            {
                "id": ids["reservation"],
                "property_id": ids["property"],
                "confirmation_code": "OLD1",
                "status": "confirmed",
                "arrival": date(2026, 11, 25),
                "departure": date(2026, 11, 28),
                "adults": 1,
                "children": 0,
                "room_type_id": ids["type"],
                "guest_id": ids["guest"],
                "deposit_amount": 0,
                "source": "desk",
                "terms_version": "",
                "checked_in_by": "",
                "created_at": datetime(2026, 11, 20, tzinfo=UTC),
            },
        ),
        (
            "charge",
            {
                "id": ids["charge"],
                "reservation_id": ids["reservation"],
                "type": "room",
                "description": "Room",
                "amount": 100,
                "currency": "IDR",
                "created_at": datetime(2026, 11, 20, tzinfo=UTC),
            },
        ),
        (
            "payment",
            {
                "id": ids["payment"],
                "reservation_id": ids["reservation"],
                "idempotency_key": "k",
                "kind": "sale",
                "method": "card",
                "amount": 100,
                "currency": "IDR",
                "card_brand": "",
                "masked_pan": "",
                "auth_code": "",
                "terminal_id": "",
                "terminal_ref": "",
                "business_date": date(2026, 11, 27),
                "created_at": datetime(2026, 11, 20, tzinfo=UTC),
            },
        ),
    ]
    with at_0001.engine.begin() as conn:
        old = MetaData()
        old.reflect(conn)
        for table, values in rows:
            if at_0001.is_sqlite:  # reflected, a UUID column is plain CHAR(32) there
                values = {k: v.hex if isinstance(v, uuid.UUID) else v for k, v in values.items()}
            conn.execute(insert(old.tables[table]).values(**values))
    upgrade(at_0001)
    with at_0001.session() as session:
        charge = session.get_one(Charge, ids["charge"])
        payment = session.get_one(Payment, ids["payment"])
    assert (charge.business_date, charge.kiosk_id) == (date(2026, 11, 25), None)
    assert (payment.review_reason, payment.reviewed_at, payment.reviewed_by) == ("", None, "")
