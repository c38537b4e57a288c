"""Folio arithmetic: what a stay costs, what was paid, what is held, what is left."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from frontoffice.models import Charge, Payment, PaymentKind


@dataclass(frozen=True)
class Totals:
    total: int = 0
    paid: int = 0
    held: int = 0

    @property
    def balance(self) -> int:
        return self.total - self.paid


def totals(session: Session, reservation_ids: list[uuid.UUID]) -> dict[uuid.UUID, Totals]:
    """Totals for many reservations in two queries (a pull page may hold hundreds)."""
    if not reservation_ids:
        return {}
    charged = dict(
        session.execute(
            select(Charge.reservation_id, func.sum(Charge.amount))
            .where(Charge.reservation_id.in_(reservation_ids))
            .group_by(Charge.reservation_id)
        ).all()
    )
    signed = case(
        (Payment.kind.in_([PaymentKind.SALE, PaymentKind.CAPTURE]), Payment.amount),
        (Payment.kind == PaymentKind.REFUND, -Payment.amount),
        else_=0,
    )
    held = case((Payment.kind == PaymentKind.PREAUTH, Payment.amount), else_=0)
    paid = {
        rid: (int(p or 0), int(h or 0))
        for rid, p, h in session.execute(
            select(Payment.reservation_id, func.sum(signed), func.sum(held))
            .where(Payment.reservation_id.in_(reservation_ids))
            .group_by(Payment.reservation_id)
        ).all()
    }
    return {rid: Totals(int(charged.get(rid) or 0), *paid.get(rid, (0, 0))) for rid in reservation_ids}
