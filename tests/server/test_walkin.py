"""Walk-ins: what is free tonight and at what price; booking it with a room, or a clear refusal."""

import uuid

from tests.server.conftest import idem


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
