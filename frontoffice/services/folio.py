"""Folio arithmetic: what a stay costs, what was paid, what is held, what is left."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import BigInteger, Select, and_, bindparam, case, exists, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement, Label

from frontoffice.models import Charge, Payment, PaymentKind


@dataclass(frozen=True)
class Totals:
    total: int = 0
    paid: int = 0
    held: int = 0

    @property
    def balance(self) -> int:
        return self.total - self.paid


def paid_amount() -> ColumnElement[int]:
    """What a payment row adds to the money taken: sales and captures in, refunds out, holds not."""
    return case(
        (Payment.kind.in_([PaymentKind.SALE, PaymentKind.CAPTURE]), Payment.amount),
        (Payment.kind == PaymentKind.REFUND, -Payment.amount),
        else_=0,
    )


def held_amount() -> ColumnElement[int]:
    """What a payment row still holds on the card: a pre-authorisation no capture has booked on
    since (a capture closes it: what it did not take is released, see ``checkout.open_hold``)."""
    capture = aliased(Payment)
    captured = exists().where(
        capture.reservation_id == Payment.reservation_id,
        capture.kind == PaymentKind.CAPTURE,
        capture.created_at >= Payment.created_at,
    )
    return case((and_(Payment.kind == PaymentKind.PREAUTH, ~captured), Payment.amount), else_=0)


def _totals_statement() -> Select[tuple[uuid.UUID, int, int, int]]:
    ids = bindparam("ids", expanding=True)
    signed = paid_amount()
    held = held_amount()

    def zero(name: str) -> Label[int]:  # distinct labels: one literal twice would be one column
        return literal(0, BigInteger).label(name)

    rows = union_all(
        select(Charge.reservation_id, Charge.amount, zero("paid"), zero("held")).where(
            Charge.reservation_id.in_(ids)
        ),
        select(Payment.reservation_id, zero("charged"), signed, held).where(Payment.reservation_id.in_(ids)),
    ).subquery()
    rid, charged, paid, hold = rows.c
    return select(rid, func.sum(charged), func.sum(paid), func.sum(hold)).group_by(rid)


def balance_of(reservation_id: ColumnElement[uuid.UUID]) -> ColumnElement[int]:
    """The balance of the reservation in the enclosing query, as a column: a list of hundreds of
    stays gets its balances in its own query rather than by binding every id again."""
    charged = select(func.coalesce(func.sum(Charge.amount), 0)).where(Charge.reservation_id == reservation_id)
    paid = select(func.coalesce(func.sum(paid_amount()), 0)).where(Payment.reservation_id == reservation_id)
    return charged.scalar_subquery() - paid.scalar_subquery()


# Built once: this runs for every reservation the API returns.
_TOTALS = _totals_statement()


def totals(session: Session, reservation_ids: list[uuid.UUID]) -> dict[uuid.UUID, Totals]:
    """Totals for many reservations in one query (a pull page may hold hundreds)."""
    if not reservation_ids:
        return {}
    sums = session.execute(_TOTALS, {"ids": reservation_ids}).all()
    found = {rid: Totals(int(t or 0), int(p or 0), int(h or 0)) for rid, t, p, h in sums}
    return {rid: found.get(rid, Totals()) for rid in reservation_ids}
