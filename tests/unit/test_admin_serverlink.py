"""Admin mode's records reach the server through the kiosk's outbox: each audit line and the
end-of-day report become one queued op; the status page reads the link, outbox and dead letters."""

from datetime import UTC, datetime

from kiosk.admin.audit import AuditLog
from kiosk.admin.serverlink import audit_forwarder, connectivity_reader, report_sender
from kiosk.frontdesk import FrontDesk
from kiosk.store import Store
from kiosk.sync import Link


class NoServer:
    """The desk's client, never called: audit ops are only queued."""

    offset = None


def desk(tmp_path) -> FrontDesk:
    return FrontDesk(Store(tmp_path / "kiosk.sqlite3"), NoServer(), Link())  # type: ignore[arg-type]


def test_each_audit_record_is_queued_once_for_the_server(tmp_path):
    d = desk(tmp_path)
    audit = AuditLog(tmp_path / "audit.jsonl")
    audit.sinks.append(audit_forwarder(d))
    unlocked = audit.record("unlock", "staff", "Anna", method="badge+pin")
    audit.record("unlock_failed", attempt=1)
    ops = d.store.pending()
    assert [op.type for op in ops] == ["audit", "audit"]
    first = ops[0].payload
    assert (first["action"], first["entity"], first["entity_id"], first["actor"]) == (
        "unlock",
        "admin",
        unlocked.id,
        "Anna",
    )
    assert first["detail"] == {"role": "staff", "method": "badge+pin"}
    assert ops[1].payload["actor"] == "kiosk"  # nobody known before a PIN is right


def test_a_failing_sink_keeps_the_local_line(tmp_path):
    audit = AuditLog(tmp_path / "audit.jsonl")

    def broken(_record):
        raise OSError("disk full")

    audit.sinks.append(broken)
    audit.record("paper_replaced", "staff", "Anna")
    assert [r.event for r in audit.records()] == ["paper_replaced"]


def test_the_end_of_day_report_is_queued_under_its_id(tmp_path):
    d = desk(tmp_path)
    payload = {"report_id": "r-1", "kiosk": "lobby-1", "business_date": "2026-11-26", "totals": []}
    report_sender(d)(payload)
    (op,) = d.store.pending()
    assert op.payload["action"] == "end_of_day_report" and op.payload["entity_id"] == "r-1"
    assert op.payload["detail"]["business_date"] == "2026-11-26"


def test_connectivity_says_link_outbox_and_refused_ops(tmp_path):
    d = desk(tmp_path)
    read = connectivity_reader(d.store, d.link)
    first = read()
    assert (first.online, first.last_sync, first.outbox_depth, first.dead_letters) == (None, None, 0, 0)
    with d.store.transaction() as tx:
        kept = tx.enqueue("audit", "x", {"n": 1}, datetime.now(UTC))
        refused = tx.enqueue("audit", "y", {"n": 2}, datetime.now(UTC))
        tx.set_meta("last_sync_at", "2026-11-26T09:00:00+00:00")
    d.store.settle([], {refused: "bad payload"})
    d.link.report(False, "unreachable: connection refused")
    now = read()
    assert (now.online, now.reason) == (False, "unreachable: connection refused")
    assert now.last_sync == datetime(2026, 11, 26, 9, tzinfo=UTC)
    assert (now.outbox_depth, now.dead_letters) == (1, 1)
    assert kept
