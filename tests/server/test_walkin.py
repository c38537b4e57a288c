"""Walk-ins: what is free tonight and at what price; booking it with a room, or a clear refusal."""

import uuid

from tests.server.conftest import idem
from tests.server.helpers import card_payment


def _walkin(offer, **change):
    body = {
        "id": str(uuid.uuid4()),
        "room_type": offer["room_type"]["code"],
        "nights": len(offer["nights"]),
        "adults": 1,
        "guest": {"surname": "Walker", "given_names": "Johnnie", "nationality": "GBR"},
        "expected_total": offer["total"],
    }
    return body | change


def test_quote_adds_service_then_tax_per_property_settings(client):
    offers = client.get("/api/v1/availability", params={"nights": 2, "adults": 2}).json()["offers"]
    assert offers == sorted(offers, key=lambda o: o["total"])
    for o in offers:
        assert o["room"] == sum(n["amount"] for n in o["nights"])
        assert o["service"] == (o["room"] * 1000 + 5000) // 10000
        assert o["tax"] == ((o["room"] + o["service"]) * 1000 + 5000) // 10000
        assert o["total"] == o["room"] + o["service"] + o["tax"]
        assert o["currency"] == "IDR"
    three = client.get("/api/v1/availability", params={"nights": 1, "adults": 3}).json()["offers"]
    assert [o["room_type"]["code"] for o in three] == ["FAM"]


def test_walk_in_gets_a_room_and_a_folio(client):
    offer = next(o for o in client.get("/api/v1/availability").json()["offers"] if o["ready_now"])
    res = client.post("/api/v1/walk-ins", json=_walkin(offer), headers=idem())
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["room"]["ready"] and body["total"] == offer["total"] and body["balance"] == offer["total"]
    after = next(
        o for o in client.get("/api/v1/availability").json()["offers"] if o["room_type"] == offer["room_type"]
    )
    assert after["ready_now"] == offer["ready_now"] - 1


def test_changed_price_is_refused_not_charged(client):
    offer = next(o for o in client.get("/api/v1/availability").json()["offers"] if o["ready_now"])
    res = client.post(
        "/api/v1/walk-ins", json=_walkin(offer, expected_total=offer["total"] - 1), headers=idem()
    )
    assert res.status_code == 409 and res.json()["error"] == "price_changed"
    assert res.json()["detail"]["offer"]["total"] == offer["total"]


def test_sold_out_offers_the_next_best(client):
    offers = client.get("/api/v1/availability").json()["offers"]
    suite = next(o for o in offers if o["room_type"]["code"] == "STE")
    for _ in range(suite["ready_now"]):
        assert client.post("/api/v1/walk-ins", json=_walkin(suite), headers=idem()).status_code == 201
    res = client.post("/api/v1/walk-ins", json=_walkin(suite), headers=idem())
    assert res.status_code == 409 and res.json()["error"] == "sold_out"
    alternatives = res.json()["detail"]["alternatives"]
    assert alternatives and all(a["ready_now"] > 0 and a["room_type"]["code"] != "STE" for a in alternatives)


def test_bad_walk_ins_are_4xx(client):
    offer = client.get("/api/v1/availability").json()["offers"][0]
    for change, code in [
        ({"room_type": "PENTHOUSE"}, 422),
        ({"nights": 0}, 422),
        ({"adults": 9}, 422),
        ({"guest": {"surname": ""}}, 422),
        ({"guest": {"surname": "Walker", "email": "nope"}}, 422),
    ]:
        res = client.post("/api/v1/walk-ins", json=_walkin(offer, **change), headers=idem())
        assert res.status_code == code, change
    res = client.post("/api/v1/walk-ins", json=_walkin(offer, adults=3, room_type="STD"), headers=idem())
    assert res.status_code == 422 and res.json()["error"] == "too_many_guests"


def test_walk_in_with_its_payment_in_one_request(client):
    offer = next(o for o in client.get("/api/v1/availability").json()["offers"] if o["ready_now"])
    res = client.post(
        "/api/v1/walk-ins", json=_walkin(offer, payment=card_payment(offer["total"])), headers=idem()
    )
    assert res.status_code == 201, res.text
    assert res.json()["paid"] == offer["total"] and res.json()["balance"] == 0 and res.json()["room"]
    deposit = _walkin(offer, payment=card_payment(50_000_000, kind="preauth"))
    held = client.post("/api/v1/walk-ins", json=deposit, headers=idem()).json()
    assert held["deposit_held"] == 50_000_000 and held["balance"] == offer["total"]


def test_a_refused_payment_books_nothing(client):
    offer = next(o for o in client.get("/api/v1/availability").json()["offers"] if o["ready_now"])
    for payment, code in [
        (card_payment(offer["total"] + 1), "overpayment"),
        (card_payment(offer["total"], kind="refund"), "bad_payment_kind"),
        (card_payment(offer["total"], currency="USD"), "wrong_currency"),
    ]:
        body = _walkin(offer, payment=payment)
        res = client.post("/api/v1/walk-ins", json=body, headers=idem())
        assert res.status_code == 422 and res.json()["error"] == code
        assert client.get(f"/api/v1/reservations/{body['id']}").status_code == 404
    after = next(
        o for o in client.get("/api/v1/availability").json()["offers"] if o["room_type"] == offer["room_type"]
    )
    assert after["ready_now"] == offer["ready_now"]
