"""The server side of a crash trial: a fresh property with guests whose rooms are pre-assigned and
ready, and the count of what the server holds for each guest afterwards."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import func, select

from frontoffice.db import Database
from frontoffice.models import AuditEvent, Payment, Reservation, ReservationStatus
from frontoffice.services import kiosks, rooms
from tests.server.factories import small_hotel


def trial_hotel(db: Database, code: str, guests: int) -> tuple[str, list[str]]:
    """Returns the kiosk's token and the guests' reservation ids."""
    with db.session(write=True) as session:
        prop, reservations = small_hotel(session, code=code, rooms=guests, arrivals=guests)
        for r in reservations:
            rooms.assign_room(session, r)
        token = kiosks.add_kiosk(session, prop, "crash")[1]
        return token, [str(r.id) for r in reservations]


def records(db: Database, reservation_ids: list[str]) -> Counter[str]:
    """How many guests have exactly one check-in and one payment, and anything else found."""
    ids = [uuid.UUID(i) for i in reservation_ids]
    with db.session() as session:
        checked_in = {
            r.id for r in session.scalars(select(Reservation).where(Reservation.id.in_(ids)))
            if r.status is ReservationStatus.CHECKED_IN
        }  # fmt: skip
        check_ins = dict(
            session.execute(
                select(AuditEvent.entity_id, func.count())
                .where(AuditEvent.action == "check_in", AuditEvent.entity_id.in_(reservation_ids))
                .group_by(AuditEvent.entity_id)
            ).all()
        )
        payments = dict(
            session.execute(
                select(Payment.reservation_id, func.count())
                .where(Payment.reservation_id.in_(ids))
                .group_by(Payment.reservation_id)
            ).all()
        )
    counts: Counter[str] = Counter()
    for rid, key in zip(ids, reservation_ids, strict=True):
        counts["checked in once" if rid in checked_in and check_ins.get(key) == 1 else "check-in WRONG"] += 1
        n = payments.get(rid, 0)
        counts["paid once" if n == 1 else "payment LOST" if n == 0 else "payment DOUBLED"] += 1
    return counts
