"""The kiosk store: versioned schema, one transaction per change and its op, outbox and dead letters,
the pulled copy, and name matching that agrees with the server's."""

from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontoffice.services import names as server_names
from kiosk import names
from kiosk.store import MIGRATIONS, Store
from kiosk.sync import Link, SyncWorker

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def reservation(surname="Nguyễn", given="Thị Ánh", code="ABC123", arrival="2026-11-27", room=None, **kw):
    return {
        "id": kw.pop("id", str(uuid.uuid4())),
        "confirmation_code": code,
        "status": "confirmed",
        "arrival": arrival,
        "departure": "2026-11-29",
        "guest": {"surname": surname, "given_names": given, "birth_date": "1990-01-02"},
        "qr_token": f"SBT1.X.{uuid.uuid4()}",
        "room": room,
        **kw,
    }


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


def test_schema_is_versioned_and_a_newer_file_is_refused(tmp_path, store):
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    assert Store(tmp_path / "kiosk.sqlite3").schema_version == len(MIGRATIONS)  # reopened, not redone
    conn = sqlite3.connect(tmp_path / "kiosk.sqlite3")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        Store(tmp_path / "kiosk.sqlite3")


def test_a_change_and_its_op_commit_together_or_not_at_all(store):
    data = reservation()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put_reservation(data)
        tx.enqueue("check_in", data["id"], {"reservation_id": data["id"]}, NOW)
        raise RuntimeError("power cut")
    assert store.depth() == 0 and store.reservation(data["id"]) is None


def test_outbox_keeps_order_ids_once_and_never_reuses_a_seq(store):
    with store.transaction() as tx:
        a = tx.enqueue("audit", "", {"n": 1}, NOW)
        tx.enqueue("audit", "", {"n": 1}, NOW, op_id=a)  # a repeat is the same op
        b = tx.enqueue("audit", "", {"n": 2}, NOW)
    ops = store.pending()
    assert [o.op_id for o in ops] == [a, b] and ops[0].seq < ops[1].seq
    assert ops[0].idempotency_key == a and ops[0].created_at == NOW
    store.settle([a, b], {})
    with store.transaction() as tx:
        c = tx.enqueue("audit", "", {"n": 3}, NOW)
    assert store.pending()[0].op_id == c and store.pending()[0].seq > ops[1].seq


def test_refused_ops_become_dead_letters_and_failures_are_counted(store):
    with store.transaction() as tx:
        ids = [tx.enqueue("audit", "", {"n": n}, NOW) for n in range(3)]
    store.record_failure(ids[:2], "timeout: no answer")
    assert [o.attempts for o in store.pending()] == [1, 1, 0]
    assert store.pending()[0].last_error == "timeout: no answer"
    store.settle([ids[0], ids[2]], {ids[1]: "reservation_checked_in: the reservation is checked in"})
    assert store.depth() == 0
    [letter] = store.dead_letters()
    assert letter.op_id == ids[1] and letter.payload == {"n": 1} and letter.reason.startswith("reservation_")
    assert store.known_op(ids[1]) and not store.known_op(ids[0])


def test_pulled_changes_and_cursor_in_one_step_local_changes_win_while_queued(store):
    room = {"id": str(uuid.uuid4()), "number": "101", "ready": True, "occupancy": "vacant"}
    mine, other = reservation(room=room), reservation(surname="Smith", code="XYZ999")
    store.apply_changes([{"entity": "reservation", "id": r["id"], "data": r} for r in (mine, other)], 5)
    assert store.cursor == 5 and store.count_reservations() == 2
    with store.transaction() as tx:
        tx.put_reservation({**mine, "status": "checked_in"})
        tx.enqueue("check_in", mine["id"], {}, NOW)
    store.apply_changes(
        [
            {"entity": "reservation", "id": mine["id"], "data": mine},  # older than the queued op
            {"entity": "reservation", "id": other["id"], "data": None},
            {"entity": "room", "id": room["id"], "data": {**room, "ready": False}},
        ],
        9,
    )
    assert store.cursor == 9
    assert store.reservation(mine["id"])["status"] == "checked_in"
    assert store.reservation(mine["id"])["room"]["ready"] is False  # the room's own, newer state
    assert store.reservation(other["id"]) is None


def test_find_by_each_key_and_by_name_as_the_server_matches(store):
    rows = [
        reservation(),
        reservation(surname="van der Berg", given="Pieter", code="VDB001", arrival="2026-11-28"),
    ]
    with store.transaction() as tx:
        for r in rows:
            tx.put_reservation(r)
    assert [r["id"] for r in store.find(surname="nguyen", confirmation_code="abc-123")] == [rows[0]["id"]]
    assert store.find(surname="smith", confirmation_code="ABC123") == []
    assert len(store.find(surname="Anh Nguyen", birth_date=date(1990, 1, 2))) == 1
    assert [r["id"] for r in store.find(surname="Vanderberg", arrival=date(2026, 11, 28))] == [rows[1]["id"]]
    assert store.find(qr_token=rows[1]["qr_token"])[0]["id"] == rows[1]["id"]


@given(st.text(max_size=20), st.text(max_size=20), st.text(max_size=20))
def test_name_matching_agrees_with_the_server(query, surname, given_names):
    assert names.surname_matches(query, surname, given_names) == server_names.surname_matches(
        query, surname, given_names
    )


@given(st.sampled_from(["O'Brien", "Nguyễn Thị", "van der Berg", "Dubois-Lefèvre", "Ångström", "ẞtraße"]))
def test_name_matching_agrees_on_real_names(name):
    for query in (name, name.upper(), name.replace(" ", ""), name.split()[-1]):
        assert names.surname_matches(query, name) == server_names.surname_matches(query, name)


def test_backoff_grows_with_jitter_up_to_the_ceiling(store):
    worker = SyncWorker(
        store, None, app_version="t", backoff_base_s=0.5, backoff_max_s=8, rng=random.Random(1)
    )
    delays = []
    for failures in range(1, 8):
        worker._failures = failures
        delays.append(worker._backoff())
    ceilings = [min(8, 0.5 * 2**f) for f in range(1, 8)]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert len(set(delays)) == len(delays)


def test_link_tells_listeners_about_changes_only():
    link, seen = Link(), []
    unsubscribe = link.subscribe(seen.append)
    link.report(False, "timeout")
    link.report(False, "timeout")
    link.report(True)
    unsubscribe()
    link.report(False, "unreachable")
    assert [(s.online, s.reason) for s in seen] == [(False, "timeout"), (True, "")]
    assert link.wait_for(False, 0)
