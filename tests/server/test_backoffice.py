"""Night audit and daily totals on the demo hotel (SQLite and PostgreSQL)."""

import argparse
import csv
import io
import json
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from frontoffice import cli
from frontoffice.models import (
    ChangeLog,
    Charge,
    ChargeType,
    NightAudit,
    Payment,
    Property,
    Reservation,
    ReservationStatus,
    RoomNight,
)
from frontoffice.services import changes, dashboard, folio, nightaudit, reports
from frontoffice.services.errors import Conflict
from tests.server.conftest import BUSINESS_DATE, idem
from tests.server.helpers import arrival, card_payment

D = BUSINESS_DATE
JAKARTA = ZoneInfo("Asia/Jakarta")
AFTER_MIDNIGHT = datetime.combine(D + timedelta(days=1), datetime.min.time(), JAKARTA) + timedelta(hours=2)


def _check_in_and_pay(client, surname, pay=True):
    r = arrival(client, surname)
    assert client.post(f"/api/v1/reservations/{r['id']}/check-in", json={}, headers=idem()).status_code == 200
    if pay:
        res = client.post(
            f"/api/v1/reservations/{r['id']}/payments", json=card_payment(r["total"]), headers=idem()
        )
        assert res.status_code == 201
    return r


def _room_nights(session, reservation_id, night):
    return session.scalar(
        select(func.count()).where(RoomNight.reservation_id == reservation_id, RoomNight.night == night)
    )


def _nights_charged_twice(session):
    return session.execute(
        select(Charge.reservation_id, Charge.night)
        .where(Charge.type == ChargeType.ROOM)
        .group_by(Charge.reservation_id, Charge.night)
        .having(func.count() > 1)
    ).all()


def test_night_audit_closes_the_day_once(db, hotel, client):
    arrived = _check_in_and_pay(client, "Santoso")
    with db.session() as session:
        cursor = session.scalar(select(func.max(ChangeLog.id)))
        expected_no_shows = session.scalar(
            select(func.count()).where(
                Reservation.status == ReservationStatus.CONFIRMED, Reservation.arrival == D
            )
        )
        due_out = list(
            session.scalars(
                select(Reservation.id).where(
                    Reservation.status == ReservationStatus.CHECKED_IN, Reservation.departure == D
                )
            )
        )
        room_charges_before = session.scalar(select(func.count()).where(Charge.type == ChargeType.ROOM))
        due_out_total = sum(t.total for t in folio.totals(session, due_out).values())

    # 23:00 on the day itself: the day is not over.
    with pytest.raises(Conflict) as not_over, db.session(write=True) as session:
        nightaudit.run(session, hotel.id, "test", AFTER_MIDNIGHT - timedelta(hours=3))
    assert not_over.value.code == "day_not_over"

    with db.session(write=True) as session:
        result = nightaudit.run(session, hotel.id, "test", AFTER_MIDNIGHT)
    assert (result.closed, result.business_date) == (D, D + timedelta(days=1))
    assert len(result.no_shows) == expected_no_shows > 20
    assert len(result.overstays) == len(due_out) == 6
    # Every stay was priced when booked: only the overstays' extra night D is posted, once each.
    assert result.nights_posted == 6

    with db.session() as session:
        prop = session.get_one(Property, hotel.id)
        assert prop.business_date == D + timedelta(days=1)
        row = session.scalars(select(NightAudit)).one()
        assert (row.business_date, row.no_shows, row.nights_posted) == (D, expected_no_shows, 6)
        new_room_charges = session.scalars(
            select(Charge).where(Charge.type == ChargeType.ROOM, Charge.business_date == D, Charge.night == D)
        ).all()
        posted_now = session.scalars(
            select(Charge).where(Charge.reservation_id.in_(due_out), Charge.night == D)
        )
        assert {c.reservation_id for c in posted_now} == set(due_out)
        assert (
            session.scalar(select(func.count()).where(Charge.type == ChargeType.ROOM))
            == room_charges_before + 6
        )
        assert _nights_charged_twice(session) == []
        posted_total = sum(t.total for t in folio.totals(session, due_out).values()) - due_out_total
        assert result.amount_posted == posted_total > 0 and len(new_room_charges) >= 6
        for rid in due_out:
            stay = session.get_one(Reservation, rid)
            assert stay.departure == D + timedelta(days=1) and _room_nights(session, rid, D) == 1
        no_show = session.scalars(select(Reservation).where(Reservation.status == ReservationStatus.NO_SHOW))
        assert all(r.room_id is None for r in no_show)
        assert (
            session.scalar(
                select(func.count())
                .select_from(RoomNight)
                .join(Reservation)
                .where(Reservation.status == ReservationStatus.NO_SHOW)
            )
            == 0
        )
        checked_in = session.get_one(Reservation, uuid.UUID(arrived["id"]))
        assert checked_in.status is ReservationStatus.CHECKED_IN
        assert folio.totals(session, [checked_in.id])[checked_in.id].balance == 0  # not charged twice

        # Kiosks pull the change: tomorrow's (now today's) arrivals, no-shows to drop, overstays.
        pulled = changes.pull(session, prop, cursor, 5000)
        by_id = {str(c.id): c.data for c in pulled.changes}
        tomorrow = session.scalars(select(Reservation.id).where(Reservation.arrival == D + timedelta(days=1)))
        assert all(by_id[str(rid)] is not None for rid in tomorrow)
        assert all(by_id[str(r)]["departure"] == str(D + timedelta(days=1)) for r in due_out)
        assert sum(data is None for data in by_id.values()) == expected_no_shows

    # The same night again: the new date is not over.
    with pytest.raises(Conflict), db.session(write=True) as session:
        nightaudit.run(session, hotel.id, "test", AFTER_MIDNIGHT)
    with db.session(write=True) as session:  # a day later, the next day closes; nothing is posted twice
        again = nightaudit.run(session, hotel.id, "test", AFTER_MIDNIGHT + timedelta(days=1))
    assert again.closed == D + timedelta(days=1) and len(again.no_shows) == 2  # tomorrow's two
    with db.session() as session:
        assert _nights_charged_twice(session) == []


def _walk_in(client):
    offer = next(o for o in client.get("/api/v1/availability").json()["offers"] if o["ready_now"])
    body = {
        "id": str(uuid.uuid4()),
        "room_type": offer["room_type"]["code"],
        "nights": 1,
        "guest": {"surname": "Walker"},
        "expected_total": offer["total"],
    }
    res = client.post("/api/v1/walk-ins", json=body, headers=idem())
    assert res.status_code == 201, res.text
    return res.json()


def _lines(report, scope, section):
    found = next((s for s in report.scopes if s.scope == scope), None)
    return {line.key: line.amount for line in found.lines if line.section == section} if found else {}


def test_daily_totals_equal_the_payments_recorded(db, hotel, client, capsys):
    r = _check_in_and_pay(client, "Lestari", pay=False)
    url = f"/api/v1/reservations/{r['id']}/payments"
    for body in (
        card_payment(r["total"] - 1_000_000),
        card_payment(50_000_000, kind="preauth") | {"card_brand": "Mastercard"},
        card_payment(1_000_000) | {"card_brand": "JCB"},
        card_payment(300_000, kind="refund"),
    ):
        assert client.post(url, json=body, headers=idem()).status_code == 201
    walker = _walk_in(client)
    with db.session() as session:
        prop = session.get_one(Property, hotel.id)
        report = reports.daily(session, prop, D, AFTER_MIDNIGHT)
        payments = session.scalars(select(Payment).where(Payment.business_date == D)).all()
        net = session.scalar(select(func.sum(folio.paid_amount())).where(Payment.business_date == D))
        charged = session.scalar(select(func.sum(Charge.amount)).where(Charge.business_date == D))
        tax = session.scalar(
            select(func.sum(Charge.amount)).where(Charge.business_date == D, Charge.type == ChargeType.TAX)
        )
        day_before = reports.daily(session, prop, D - timedelta(days=1), AFTER_MIDNIGHT)
    assert [(s.scope, s.lines) for s in day_before.scopes] == [("property", [])]

    assert net == r["total"] - 300_000 and len(payments) == 4
    assert _lines(report, "property", "payments_net_by_currency") == {"IDR": net}
    assert sum(_lines(report, "property", "payments_net_by_method").values()) == net
    assert sum(_lines(report, "property", "payments_net_by_card_brand").values()) == net
    assert _lines(report, "property", "payments_net_by_card_brand")["JCB"] == 1_000_000
    assert _lines(report, "property", "payments_by_kind") == {
        "sale": r["total"],
        "preauth": 50_000_000,
        "refund": 300_000,
    }
    assert _lines(report, "kiosk:lobby-1", "payments_net_by_currency") == {"IDR": net}
    assert sum(_lines(report, "property", "charges_by_type").values()) == charged
    assert _lines(report, "property", "taxes")["tax"] == tax
    # The walk-in was sold at the kiosk: its charges are the kiosk's; the demo's are the desk's.
    assert sum(_lines(report, "kiosk:lobby-1", "charges_by_type").values()) == walker["total"]
    assert sum(_lines(report, "desk", "charges_by_type").values()) == charged - walker["total"]

    # The same figures as CSV (from the command line) and as JSON.
    assert cli.daily_report(argparse.Namespace(database_url=db.url, date=D, format="csv")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(row["scope"], row["section"], row["key"], int(row["amount"])) for row in rows} == {
        (s.scope, line.section, line.key, line.amount) for s in report.scopes for line in s.lines
    }
    assert cli.daily_report(argparse.Namespace(database_url=db.url, date=D, format="json")) == 0
    assert json.loads(capsys.readouterr().out)["scopes"] == report.model_dump(mode="json")["scopes"]


def test_desk_lists_carry_the_folio_balances(db, hotel, client):
    _check_in_and_pay(client, "Santoso")
    with db.session() as session:
        prop = session.get_one(Property, hotel.id)
        arrivals, departures = dashboard.arrivals_and_departures(session, prop)
        in_house = dashboard.in_house(session, prop)
        everyone = session.scalars(select(Reservation)).all()
        sums = folio.totals(session, [r.id for r in everyone])
        balance = {(r.confirmation_code, r.guest.full_name): sums[r.id].balance for r in everyone}
    assert len(arrivals) == 30 and len(departures) == 6 and len(in_house) == 8 + 6 + 1
    for stay in (*arrivals, *departures, *in_house):
        assert stay.balance == balance[(stay.code, stay.guest)]
    assert any(s.balance > 0 for s in arrivals) and any(s.balance == 0 for s in in_house)
