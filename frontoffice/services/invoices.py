"""Invoice numbers: one series per property, gap-free, assigned by the server at check-out.

The series is one counter row per property, moved by ``UPDATE ... RETURNING`` inside the check-out's
transaction: PostgreSQL's row lock and SQLite's write lock make concurrent check-outs take turns,
and a check-out that rolls back takes its number back with it, so no number is skipped or reused.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from frontoffice.models import Invoice, InvoiceSeries, Property, Reservation

DIGITS = 6


def _ensure_series(session: Session, prop: Property) -> None:
    dialect = session.get_bind().dialect.name
    insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(InvoiceSeries)
    session.execute(
        insert.values(property_id=prop.id, prefix=f"{prop.code}-", last_number=0).on_conflict_do_nothing()
    )


def issue(session: Session, prop: Property, reservation: Reservation, at: datetime) -> Invoice:
    """The stay's invoice, numbered now (or the one it already has: a check-out is done once)."""
    existing = invoice_of(session, reservation)
    if existing is not None:
        return existing
    _ensure_series(session, prop)
    number, prefix = session.execute(
        update(InvoiceSeries)
        .where(InvoiceSeries.property_id == prop.id)
        .values(last_number=InvoiceSeries.last_number + 1)
        .returning(InvoiceSeries.last_number, InvoiceSeries.prefix),
        execution_options={"synchronize_session": False},
    ).one()
    invoice = Invoice(
        property_id=prop.id,
        reservation_id=reservation.id,
        number=number,
        label=f"{prefix}{number:0{DIGITS}d}",
        issued_at=at,
    )
    session.add(invoice)
    session.flush()
    return invoice


def invoice_of(session: Session, reservation: Reservation) -> Invoice | None:
    return session.scalars(select(Invoice).where(Invoice.reservation_id == reservation.id)).first()
