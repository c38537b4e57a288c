"""Invoice numbers: one gap-free series per property, assigned by the server at check-out, unique
under concurrent check-outs on SQLite and PostgreSQL; the property's tax id and rates reach the kiosk."""

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from frontoffice.models import Invoice, Property, Reservation
from frontoffice.services import invoices, kiosks
from tests.server.conftest import idem
from tests.server.factories import small_hotel
from tests.server.helpers import card_payment
from tests.server.live import live_server
from tests.server.test_concurrency import _all_at_once

STAYS = 8


def _in_house_and_paid(client: httpx.Client, rid: str) -> None:
    assert client.post(f"/api/v1/reservations/{rid}/assign-room").status_code == 200
    assert client.post(f"/api/v1/reservations/{rid}/check-in", json={}, headers=idem()).status_code == 200
    balance = client.get(f"/api/v1/reservations/{rid}/folio").json()["balance"]
    paid = client.post(f"/api/v1/reservations/{rid}/payments", json=card_payment(balance), headers=idem())
    assert paid.status_code == 201, paid.text


def test_concurrent_check_outs_get_unique_gap_free_numbers(db):
    with db.session(write=True) as session:
        prop, reservations = small_hotel(session, code="INV", rooms=STAYS, arrivals=STAYS)
        token = kiosks.add_kiosk(session, prop, "k1")[1]
        ids = [str(r.id) for r in reservations]
    with live_server(db) as base:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
            for rid in ids:
                _in_house_and_paid(c, rid)

        def check_out(i):
            with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
                return c.post(f"/api/v1/reservations/{ids[i]}/check-out", headers=idem())

        responses = _all_at_once(STAYS, check_out)
    assert [r.status_code for r in responses] == [200] * STAYS, [r.text for r in responses]
    numbers = sorted(r.json()["invoice_number"] for r in responses)
    assert numbers == [f"INV-{n:06d}" for n in range(1, STAYS + 1)]
    with db.session() as session:
        stored = session.execute(select(Invoice.reservation_id, Invoice.label)).all()
    assert {str(rid): label for rid, label in stored} == {
        r.json()["id"]: r.json()["invoice_number"] for r in responses
    }


def test_a_check_out_replayed_keeps_its_number_and_one_rolled_back_gives_it_back(db, client, hotel):
    with db.session(write=True) as session:
        prop = session.get_one(Property, hotel.id)
        first, second = session.scalars(select(Reservation).limit(2)).all()
        assert invoices.issue(session, prop, first, datetime.now(UTC)).label == f"{prop.code}-000001"
        # Asked again for the same stay (a replayed check-out): the same invoice, no new number.
        assert invoices.issue(session, prop, first, datetime.now(UTC)).number == 1
    with pytest.raises(RuntimeError), db.session(write=True) as session:
        prop = session.get_one(Property, hotel.id)
        assert invoices.issue(session, prop, second, datetime.now(UTC)).number == 2
        raise RuntimeError("the check-out failed after numbering")
    with db.session(write=True) as session:
        prop = session.get_one(Property, hotel.id)
        assert invoices.issue(session, prop, second, datetime.now(UTC)).number == 2  # no gap


def test_the_kiosk_learns_the_tax_id_and_rates_it_prints(client):
    prop = client.get("/api/v1/kiosk").json()["property"]
    assert prop["tax_id"] == "01.234.567.8-073.000"
    assert (prop["service_rate_bp"], prop["tax_rate_bp"]) == (1000, 1000)
