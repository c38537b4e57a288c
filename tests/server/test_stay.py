"""Room, check-in, payments, folio and check-out, with idempotency and every refusal path."""

import uuid

from frontoffice.models import Reservation
from tests.server.conftest import idem
from tests.server.helpers import arrival, card_payment


def _url(r, action=""):
    return f"/api/v1/reservations/{r['id']}{action}"


def test_happy_path_assign_check_in_pay_check_out(db, client):
    r = arrival(client, "Santoso")
    assert r["room"] is None and r["balance"] == r["total"] > 0

    res = client.post(_url(r, "/assign-room"))
    assert res.status_code == 200
    room = res.json()["room"]
    assert room["ready"] and room["room_type"] == r["room_type"]["code"]
    assert client.post(_url(r, "/assign-room")).json()["room"]["id"] == room["id"]  # idempotent

    res = client.post(
        _url(r, "/check-in"),
        json={
            "registration": {
                "email": "budi@example.com",
                "phone": "+62 812 3456 789",
                "terms_version": "2026-01",
            }
        },
        headers=idem(),
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["status"] == "checked_in" and body["room"]["occupancy"] == "occupied"
    assert body["guest"]["email"] == "budi@example.com"
    # The room's code is in the check-in's answer only: never in a search or a read of the stay.
    assert len(body["access_code"]) == 6 and body["access_code"].isdigit()
    assert "access_code" not in client.get(_url(r)).json()
    again = client.post("/api/v1/reservations/search", json={"qr_token": r["qr_token"]}).json()
    assert "access_code" not in again["matches"][0]

    res = client.post(_url(r, "/check-out"), headers=idem())
    assert res.status_code == 409 and res.json()["error"] == "balance_due"
    assert res.json()["detail"]["balance"] == r["total"]

    pay = client.post(_url(r, "/payments"), json=card_payment(r["total"]), headers=idem())
    assert pay.status_code == 201, pay.text
    assert pay.json()["masked_pan"] == "************4242"
    folio = client.get(_url(r, "/folio")).json()
    assert folio["balance"] == 0 and folio["paid"] == r["total"]
    assert sum(c["amount"] for c in folio["charges"]) == r["total"]
    assert [c["type"] for c in folio["charges"]].count("room") == r["nights"]

    res = client.post(_url(r, "/check-out"), headers=idem())
    assert res.status_code == 200
    assert res.json()["status"] == "checked_out"
    assert res.json()["room"]["housekeeping"] == "dirty" and res.json()["room"]["occupancy"] == "vacant"
    with db.session() as session:
        assert session.get(Reservation, uuid.UUID(r["id"])).access_code == ""  # voided with the stay


def test_check_in_replays_first_answer_for_the_same_key(client):
    r = arrival(client, "Lestari")
    key = idem()
    first = client.post(_url(r, "/check-in"), json={}, headers=key)
    again = client.post(_url(r, "/check-in"), json={}, headers=key)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    # A new key for the same action is a new request: the guest is already in.
    other = client.post(_url(r, "/check-in"), json={}, headers=idem())
    assert other.status_code == 409 and other.json()["error"] == "reservation_checked_in"
    # The same key for a different request is refused, not silently replayed.
    changed = client.post(
        _url(r, "/check-in"), json={"registration": {"phone": "+62 811 000 000"}}, headers=key
    )
    assert changed.status_code == 422 and changed.json()["error"] == "idempotency_key_reused"


def test_payment_is_recorded_once(client):
    r = arrival(client, "Sukarno")
    payment = card_payment(r["total"])
    key = idem()
    first = client.post(_url(r, "/payments"), json=payment, headers=key)
    second = client.post(_url(r, "/payments"), json=payment, headers=key)
    third = client.post(_url(r, "/payments"), json=payment, headers=idem())  # same payment id, new key
    assert first.status_code == second.status_code == 201
    assert third.status_code == 201 and third.json()["id"] == first.json()["id"]
    assert client.get(_url(r, "/folio")).json()["paid"] == r["total"]


def test_preauth_holds_but_does_not_pay(client):
    r = arrival(client, "Dewi")
    assert r["deposit_amount"] > 0
    res = client.post(
        _url(r, "/payments"), json=card_payment(r["deposit_amount"], kind="preauth"), headers=idem()
    )
    assert res.status_code == 201
    folio = client.get(_url(r, "/folio")).json()
    assert folio["deposit_held"] == r["deposit_amount"] and folio["paid"] == 0


def test_card_data_and_bad_money_are_refused(client):
    r = arrival(client, "Santoso")
    cases = [
        ({"masked_pan": "4111111111111111"}, "invalid_request"),
        ({"masked_pan": "411111******1111111"}, "invalid_request"),
        ({"amount": 0}, "invalid_request"),
        ({"amount": -5}, "invalid_request"),
        ({"amount": 10.5}, "invalid_request"),
        ({"currency": "idr"}, "invalid_request"),
        ({"currency": "USD"}, "wrong_currency"),
        ({"track2": ";4111111111111111=2512"}, "invalid_request"),
    ]
    for change, error in cases:
        res = client.post(_url(r, "/payments"), json=card_payment(r["total"]) | change, headers=idem())
        assert res.status_code == 422, change
        assert res.json()["error"] == error, change
    assert client.get(_url(r, "/folio")).json()["payments"] == []


def test_write_without_idempotency_key_is_refused(client):
    r = arrival(client, "Santoso")
    res = client.post(_url(r, "/check-in"), json={})
    assert res.status_code == 422
    assert "Idempotency-Key" in res.json()["message"]


def test_early_arrival_with_dirty_room_is_told_the_room_is_not_ready(client):
    r = arrival(client, "Brown")
    assert r["room"] is not None and not r["room"]["ready"]
    res = client.post(_url(r, "/check-in"), json={}, headers=idem())
    assert res.status_code == 409
    assert res.json()["error"] == "room_not_ready"
    assert res.json()["detail"]["room"] == r["room"]["number"]


def test_bad_registration_details_are_422(client):
    r = arrival(client, "Santoso")
    for reg in [{"email": "not-an-email"}, {"phone": "call me"}, {"email": "a@b.c", "shoe_size": 44}]:
        res = client.post(_url(r, "/check-in"), json={"registration": reg}, headers=idem())
        assert res.status_code == 422, reg


def test_unknown_reservation_and_an_id_that_is_no_uuid_are_404(client):
    assert client.get(f"/api/v1/reservations/{uuid.uuid4()}").status_code == 404
    bad = client.get("/api/v1/reservations/not-a-uuid")  # the path takes UUIDs only: no such resource
    assert bad.status_code == 404 and bad.json()["error"] == "not_found"
    assert (
        client.post(
            f"/api/v1/reservations/{uuid.uuid4()}/payments", json=card_payment(1), headers=idem()
        ).status_code
        == 404
    )
