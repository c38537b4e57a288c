"""Making the demo hotel again keeps what a running install is, and refuses under a busy kiosk."""

from __future__ import annotations

import argparse
from datetime import timedelta

from sqlalchemy import select

from frontoffice import cli
from frontoffice.models import Kiosk, Property, Reservation, StaffUser
from frontoffice.models.base import utcnow
from frontoffice.services import changes, demo, kiosks, staff
from tests.server.conftest import BUSINESS_DATE


def _args(db, **kw) -> argparse.Namespace:
    return argparse.Namespace(**{"database_url": db.url, "if_stale": False, "replace": False, **kw})


def _reservation_ids(db) -> set:
    with db.session() as session:
        return set(session.scalars(select(Reservation.id)))


def test_remade_demo_keeps_kiosks_their_tokens_and_staff(db, hotel, token):
    with db.session(write=True) as session:
        prop = session.get_one(Property, hotel.id)
        staff.set_password(session, prop, "desk", "a long enough password")
        kiosk_id = kiosks.authenticate(session, token).kiosk.id
        old = set(session.scalars(select(Reservation.id)))
        cursor = changes.pull(session, prop, 0, 10_000).cursor
    with db.session(write=True) as session:
        demo.build(session, BUSINESS_DATE + timedelta(days=1))
    with db.session(write=True) as session:
        caller = kiosks.authenticate(session, token)
        assert caller is not None and caller.kiosk.id == kiosk_id and caller.property.id == hotel.id
        assert session.scalars(select(StaffUser.name)).all() == ["desk"]
        # A kiosk pulling from its old cursor drops every booking that is gone.
        page = changes.pull(session, caller.property, cursor, 10_000)
        dropped = {c.id for c in page.changes if c.entity == "reservation" and c.data is None}
        assert old <= dropped and not old & set(session.scalars(select(Reservation.id)))


def test_demo_data_refuses_under_a_running_kiosk_and_says_why(db, hotel, token, capsys):
    with db.session(write=True) as session:
        kiosk = session.scalars(select(Kiosk)).one()
        kiosk.last_seen_at = utcnow() - timedelta(seconds=20)
    before = _reservation_ids(db)
    assert cli.demo_data(_args(db)) == cli.DEMO_KEPT
    out = capsys.readouterr()
    assert "'lobby-1' is running" in out.err and "--replace" in out.err
    assert "arrivals today" in out.out  # the codes are listed all the same
    assert _reservation_ids(db) == before

    with db.session(write=True) as session:
        kiosk = session.scalars(select(Kiosk)).one()
        kiosk.last_seen_at, kiosk.outbox_depth = utcnow() - timedelta(hours=3), 2
    assert cli.demo_data(_args(db)) == cli.DEMO_KEPT
    assert "holds 2 record(s) not yet sent" in capsys.readouterr().err

    assert cli.demo_data(_args(db, replace=True)) == 0
    assert not _reservation_ids(db) & before
