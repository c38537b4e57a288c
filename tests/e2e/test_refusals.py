"""Refusals that retrying cannot heal: the server stops accepting this kiosk (its token revoked or
replaced, its records addressed to another kiosk) in the middle of a check-in with a card payment.

The kiosk's health turns faulty, one log line says why, staff see it at the kiosk and on the
dashboard, nothing is dead-lettered or lost, the retries slow down to a re-check, and once the
kiosk is registered again everything reaches the server exactly once."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from drivers.base import Health
from frontoffice.models import Kiosk, Property, ReservationStatus
from frontoffice.services import dashboard, kiosks
from kiosk.admin.serverlink import connectivity_reader
from tests.e2e.conftest import make_kiosk
from tests.e2e.test_faults import approved, server_counts
from tests.server.conftest import BUSINESS_DATE

# Slow enough to tell a re-check from a hot loop, fast enough for a test.
RECHECK_S = 2.0


@pytest.fixture
def slow_kiosk(server, tmp_path, token):
    k = make_kiosk(server.url, tmp_path, token, sync={"refused_recheck_s": RECHECK_S})
    assert k.worker.wait_drained(10), "the first sync did not finish"
    yield k
    k.close()


def check_in_with_payment(kiosk, db):
    """What the journey does: the check-in (offline when the server refuses), then the card sale.
    Returns the booking and the server's payments for it before."""
    [fauzi] = kiosk.desk.search(surname="Fauzi", arrival=BUSINESS_DATE)
    before = server_counts(db, fauzi.id)[1]
    kiosk.desk.check_in(fauzi)
    kiosk.desk.record_payment(fauzi, approved(fauzi))
    return fauzi, before


def register_again(db, name="lobby-1") -> str:
    with db.session(write=True) as session:
        prop = session.scalars(select(Property)).one()
        return kiosks.add_kiosk(session, prop, name)[1]


def refusal_lines(caplog):
    return [r for r in caplog.records if r.name == "kiosk.sync" and r.levelno >= logging.ERROR]


def assert_refused_and_kept(kiosk, caplog, kept=("check_in", "payment")):
    assert kiosk.worker.link.wait_for(False, 10)
    deadline = time.monotonic() + 10
    while not kiosk.worker.link.state.refused and time.monotonic() < deadline:
        time.sleep(0.05)
    state = kiosk.worker.link.state
    assert state.refused and "not registered with the server" in state.reason
    status = connectivity_reader(kiosk.store, kiosk.worker.link)()
    assert status.health is Health.FAULTY and status.outbox_depth >= len(kept)
    assert kiosk.store.dead_letters() == []  # refused as a kiosk, not for what the ops say
    ops = kiosk.store.pending()
    assert set(kept) <= {op.type for op in ops}
    # A slow re-check, not a hot loop: one attempt per RECHECK_S at most.
    time.sleep(RECHECK_S * 0.8)
    assert max(op.attempts for op in kiosk.store.pending()) <= 2
    assert len(refusal_lines(caplog)) == 1, [r.getMessage() for r in refusal_lines(caplog)]


def assert_delivered_once(kiosk, db, booking, paid, caplog):
    assert kiosk.worker.link.wait_for(True, 10), kiosk.worker.link.state
    assert kiosk.worker.wait_drained(10)
    assert server_counts(db, booking.id) == (ReservationStatus.CHECKED_IN, paid + 1, 1)
    assert kiosk.store.dead_letters() == []
    assert any("accepts this kiosk again" in r.getMessage() for r in caplog.records)
    assert connectivity_reader(kiosk.store, kiosk.worker.link)().health is Health.OK


def _kiosk_row(db, name="lobby-1") -> Kiosk:
    with db.session() as session:
        return session.scalars(select(Kiosk).where(Kiosk.name == name)).one()


def test_revoked_token_mid_check_in_keeps_everything_until_registered_again(slow_kiosk, server, db, caplog):
    caplog.set_level(logging.INFO)
    kiosk = slow_kiosk
    kiosk_id = kiosk.store.meta("kiosk_id")
    with db.session(write=True) as session:
        kiosks.revoke_kiosk(session, session.scalars(select(Property)).one(), "lobby-1")
    fauzi, paid = check_in_with_payment(kiosk, db)
    assert_refused_and_kept(kiosk, caplog)
    assert server_counts(db, fauzi.id)[1:] == (paid, 0)  # the server has nothing yet
    # The dashboard: the server knows the revoked token's kiosk, and says it is still calling.
    row = _kiosk_row(db)
    assert row.refused_count >= 1 and "revoked" in row.refused_reason
    with db.session() as session:
        prop = session.scalars(select(Property)).one()
        [state] = dashboard.kiosks(session, prop, datetime.now(UTC))
        assert state.refused and dashboard.kiosks_to_see(session, prop, datetime.now(UTC)) == 1

    kiosk.settings.resolve(kiosk.settings.server.token_file).write_text(register_again(db))
    assert_delivered_once(kiosk, db, fauzi, paid, caplog)
    assert _kiosk_row(db).id == uuid.UUID(kiosk_id) == uuid.UUID(kiosk.store.meta("kiosk_id"))
    assert _kiosk_row(db).refused_at is None


def test_kiosk_registered_again_elsewhere_waits_for_its_new_token(slow_kiosk, server, db, caplog):
    """`server add-kiosk lobby-1` gave a new token (the old one stops); the kiosk id stays."""
    caplog.set_level(logging.INFO)
    kiosk = slow_kiosk
    kiosk_id = kiosk.store.meta("kiosk_id")
    new_token = register_again(db)
    assert str(_kiosk_row(db).id) == kiosk_id
    fauzi, paid = check_in_with_payment(kiosk, db)
    assert_refused_and_kept(kiosk, caplog)
    kiosk.settings.resolve(kiosk.settings.server.token_file).write_text(new_token)
    assert_delivered_once(kiosk, db, fauzi, paid, caplog)
    assert kiosk.store.meta("kiosk_id") == kiosk_id


def test_store_of_an_older_registration_adopts_the_id_of_its_own_name(kiosk, server, db, caplog):
    """The store kept a kiosk id the server no longer has (the kiosk was made anew under the same
    name): the queued ops are not anybody else's, so they go out under the token's id."""
    caplog.set_level(logging.INFO)
    kiosk.worker.stop()
    with kiosk.store.transaction() as tx:
        tx.set_meta("kiosk_id", str(uuid.uuid4()))
    fauzi, paid = check_in_with_payment(kiosk, db)
    kiosk.worker.start()
    assert kiosk.worker.wait_drained(10)
    assert server_counts(db, fauzi.id) == (ReservationStatus.CHECKED_IN, paid + 1, 1)
    assert kiosk.store.meta("kiosk_id") == str(_kiosk_row(db).id)
    assert any("registered anew" in r.getMessage() for r in caplog.records)


def test_token_of_another_kiosk_stays_refused_and_says_whose(slow_kiosk, server, db, caplog):
    caplog.set_level(logging.INFO)
    kiosk = slow_kiosk
    path = kiosk.settings.resolve(kiosk.settings.server.token_file)
    own = path.read_text()
    path.write_text(register_again(db, "lobby-2"))
    fauzi, paid = check_in_with_payment(kiosk, db)  # the check-in itself is online: a valid token
    assert_refused_and_kept(kiosk, caplog, kept=("payment",))
    reason = kiosk.worker.link.state.reason
    assert "'lobby-2'" in reason and "'lobby-1'" in reason and "add-kiosk lobby-1" in reason
    assert "pushed records of kiosk" in _kiosk_row(db, "lobby-2").refused_reason
    path.write_text(own)
    assert_delivered_once(kiosk, db, fauzi, paid, caplog)


def test_a_push_refused_as_a_whole_waits_in_the_outbox(slow_kiosk, server, db, caplog):
    """Neither the token nor one op's content: a server that refuses the push itself (an older
    server without it, a proxy in between) is a refusal too, not a dead letter per op."""
    caplog.set_level(logging.INFO)
    kiosk = slow_kiosk
    server.faults.refuse["/sync/push"] = 404
    [santoso] = kiosk.desk.search(surname="Santoso", arrival=BUSINESS_DATE)
    before = server_counts(db, santoso.id)[1]
    kiosk.desk.record_payment(santoso, approved(santoso))
    assert kiosk.worker.link.wait_for(False, 10)
    deadline = time.monotonic() + 10
    while not kiosk.worker.link.state.refused and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kiosk.worker.link.state.refused and "refuses the outbox" in kiosk.worker.link.state.reason
    assert kiosk.store.depth() == 1 and kiosk.store.dead_letters() == []
    server.faults.refuse.clear()
    kiosk.worker.stop()  # a technician restarting the kiosk after fixing the proxy
    kiosk.worker.start()
    assert kiosk.worker.wait_drained(10)
    assert server_counts(db, santoso.id)[1] == before + 1


def test_a_changed_kiosk_id_is_found_before_anything_is_queued(server, db, tmp_path, token, caplog):
    caplog.set_level(logging.INFO)
    k = make_kiosk(server.url, tmp_path / "older", token, start=False)
    try:
        with k.store.transaction() as tx:
            tx.set_meta("kiosk_id", str(uuid.uuid4()))
        k.worker.start()
        assert k.worker.wait_drained(10)
        assert k.store.meta("kiosk_id") == str(_kiosk_row(db).id)
        assert any("registered anew" in r.getMessage() for r in caplog.records)
    finally:
        k.close()
