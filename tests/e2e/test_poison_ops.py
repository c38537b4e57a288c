"""Ops the server cannot apply, queued by the kiosk's real store and pushed by its real sync worker
to a real server: each is refused alone and kept as a dead letter; the ops around it arrive."""

from datetime import UTC, datetime

import pytest

from frontoffice.models import AuditEvent, DeadLetter, Payment
from tests.e2e.test_faults import approved
from tests.server.conftest import BUSINESS_DATE

NOW = "2026-11-27T10:00:00+07:00"
UNKNOWN_RESERVATION = "00000000-0000-4000-8000-000000000000"


def _queue_between_good_ops(kiosk, op_type, payload):
    """A payment and two audits around the bad op, all in the outbox before one push."""
    [santoso] = kiosk.desk.search(surname="Santoso", arrival=BUSINESS_DATE)
    kiosk.worker.stop()
    now = datetime.now(UTC)
    with kiosk.store.transaction() as tx:
        tx.audit(now, "guest", "before", "", "")
        tx.enqueue(op_type, "", payload, now)
        tx.audit(now, "guest", "after", "", "")
    kiosk.desk.record_payment(santoso, approved(santoso))
    assert kiosk.store.depth() == 4
    kiosk.worker.start()
    assert kiosk.worker.wait_drained(10), "the outbox is blocked"
    return santoso


@pytest.mark.parametrize(
    ("op_type", "payload", "reason"),
    [
        # A foreign key: once answered "409, try again" for the whole push, forever.
        (
            "assistance_request",
            {
                "id": "11111111-1111-4111-8111-111111111111",
                "screen": "payment",
                "reservation_id": UNKNOWN_RESERVATION,
                "created_at": NOW,
            },
            "reservation_not_found",
        ),
        # Before year 1 in UTC: once a 500 for the whole push.
        ("audit", {"actor": "guest", "action": "x", "at": "0001-01-01T00:00:00+14:00"}, "invalid_payload"),
        ("audit", {"actor": "guest", "action": "x", "at": "9999-12-31T23:59:59-12:00"}, "invalid_payload"),
        # NUL: stored by SQLite, refused by PostgreSQL for the whole push.
        (
            "audit",
            {"actor": "gu\x00est", "action": "x", "at": "2026-11-27T10:00:00+07:00"},
            "invalid_payload",
        ),
    ],
    ids=["unknown-reservation", "year-0", "year-10000", "nul"],
)
def test_a_poison_op_is_dead_lettered_and_the_rest_arrive(kiosk, db, op_type, payload, reason):
    santoso = _queue_between_good_ops(kiosk, op_type, payload)
    [letter] = kiosk.store.dead_letters()
    assert letter.type == op_type and letter.reason.startswith(reason), letter.reason
    assert kiosk.worker.link.state.online
    with db.session() as session:
        actions = {e.action for e in session.query(AuditEvent).filter_by(actor="guest")}
        assert actions == {"before", "after"}
        assert session.query(Payment).filter_by(reservation_id=santoso.id).count() == 1
        assert [d.type for d in session.query(DeadLetter)] == [op_type]
