"""Check-out at a kiosk: finding the stay (receipt QR, room + surname), the folio with what is held
and whether the kiosk may check it out, every reason for the desk, and the room left dirty."""

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from frontoffice.api.app import create_app
from frontoffice.models import AuditEvent, Charge, Guest, Payment, Property, Reservation, Room, RoomNight
from frontoffice.models.base import utcnow
from frontoffice.services import staff
from tests.server.conftest import BUSINESS_DATE, idem
from tests.server.helpers import arrival, card_payment

PASSWORD = "correct horse battery"


def _stay(db, surname: str) -> tuple[str, str]:
    """(reservation id, room number) of the demo guest in house with this surname."""
    with db.session() as session:
        reservation = session.scalars(
            select(Reservation).join(Reservation.guest).where(Guest.surname == surname)
        ).one()
        return str(reservation.id), reservation.room.number


def _search(client, **query):
    return client.post("/api/v1/reservations/search-stay", json=query)


def _folio(client, rid):
    return client.get(f"/api/v1/reservations/{rid}/folio").json()


def test_room_and_surname_find_the_stay_with_the_arrival_search_name_rules(client, db):
    rid, room = _stay(db, "Lee")
    for surname in ("Lee", "lee", " LEE ", "David Lee"):
        res = _search(client, room=room, surname=surname)
        assert res.status_code == 200, res.text
        assert [m["id"] for m in res.json()["matches"]] == [rid], surname
    assert _search(client, room=room, surname="Leeds").json()["matches"] == []
    other_rid, other_room = _stay(db, "Rossi")
    assert _search(client, room=other_room, surname="Lee").json()["matches"] == []
    assert [m["id"] for m in _search(client, room=other_room, surname="rossi").json()["matches"]] == [
        other_rid
    ]


def test_receipt_qr_finds_the_stay_and_a_forged_one_is_refused(client, db):
    rid, room = _stay(db, "Sato")
    token = _search(client, room=room, surname="Sato").json()["matches"][0]["qr_token"]
    res = _search(client, qr_token=token)
    assert [m["id"] for m in res.json()["matches"]] == [rid]
    assert res.json()["matches"][0]["status"] == "checked_in"
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    res = _search(client, qr_token=forged)
    assert res.status_code == 422 and res.json()["error"] == "bad_qr_token"


def test_bad_queries_are_422(client):
    for query in (
        {},
        {"room": "101"},
        {"surname": "Lee"},
        {"qr_token": "SBT1.SBT-JKT.x.y", "room": "101", "surname": "Lee"},
        {"room": "101", "surname": "123"},
        {"room": "", "surname": "Lee"},
        {"qr_token": "not a booking code at all"},
        {"room": "101", "surname": "Lee", "extra": 1},
    ):
        res = _search(client, **query)
        assert res.status_code == 422, query
        assert res.json()["error"] in ("invalid_request", "bad_qr_token"), query


def test_departure_folio_pay_and_check_out_leaves_the_room_vacant_and_dirty(client, db):
    rid, room = _stay(db, "Taylor")
    folio = _folio(client, rid)
    assert folio["check_out"] == {"allowed": True, "reason": ""}
    assert folio["currency"] == "IDR" and folio["hold"] is None
    rooms = [c for c in folio["charges"] if c["type"] == "room"]
    assert len(rooms) >= 2 and all(c["night"] for c in rooms)  # one line per night
    assert folio["balance"] == folio["total"] == sum(c["amount"] for c in folio["charges"]) > 0

    refused = client.post(f"/api/v1/reservations/{rid}/check-out", headers=idem())
    assert refused.status_code == 409 and refused.json()["error"] == "balance_due"
    paid = client.post(
        f"/api/v1/reservations/{rid}/payments", json=card_payment(folio["balance"]), headers=idem()
    )
    assert paid.status_code == 201
    res = client.post(f"/api/v1/reservations/{rid}/check-out", headers=idem())
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["status"] == "checked_out"
    assert body["room"]["occupancy"] == "vacant" and body["room"]["housekeeping"] == "dirty"
    assert not body["room"]["ready"]
    with db.session() as session:
        stored = session.scalars(select(Room).where(Room.number == room)).one()
        assert (stored.occupancy.value, stored.housekeeping.value) == ("vacant", "dirty")
        nights = session.scalars(select(RoomNight).where(RoomNight.reservation_id == uuid.UUID(rid))).all()
        assert all(n.night < BUSINESS_DATE for n in nights)
    # Found again by its QR: there, but no longer in house.
    again = _search(client, qr_token=body["qr_token"]).json()["matches"]
    assert again[0]["status"] == "checked_out"
    assert _folio(client, rid)["check_out"] == {"allowed": False, "reason": "not_in_house"}
    assert _search(client, room=room, surname="Taylor").json()["matches"] == []


def test_an_arrival_not_yet_in_house_cannot_check_out(client):
    r = arrival(client, "Lestari")
    assert _folio(client, r["id"])["check_out"] == {"allowed": False, "reason": "not_in_house"}
    res = client.post(f"/api/v1/reservations/{r['id']}/check-out", headers=idem())
    assert res.status_code == 409 and res.json()["error"] == "not_in_house"


def test_a_charge_the_desk_marks_disputed_sends_the_guest_to_the_desk_until_settled(client, db, hotel):
    rid, _ = _stay(db, "Rahayu")
    with db.session(write=True) as session:
        staff.set_password(session, session.get_one(Property, hotel.id), "frida", PASSWORD)
        charge = session.scalars(select(Charge).where(Charge.reservation_id == uuid.UUID(rid))).first()
    with TestClient(create_app(db)) as web:
        csrf = web.get("/dashboard/login").text.split('name="csrf" value="')[1].split('"')[0]
        page = web.post("/dashboard/login", data={"name": "frida", "password": PASSWORD, "csrf": csrf})
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        assert f"/dashboard/stays/{rid}" in web.get("/dashboard/in-house").text
        assert "may check out at a kiosk" in web.get(f"/dashboard/stays/{rid}").text
        assert web.post(f"/dashboard/charges/{charge.id}/dispute", data={"csrf": "x"}).status_code == 403
        page = web.post(f"/dashboard/charges/{charge.id}/dispute", data={"csrf": csrf})
        assert "checks out at the desk" in page.text and "Dispute settled" in page.text
        folio = _folio(client, rid)
        assert folio["check_out"] == {"allowed": False, "reason": "disputed_charges"}
        assert any(c["disputed"] for c in folio["charges"])
        client.post(
            f"/api/v1/reservations/{rid}/payments", json=card_payment(folio["balance"]), headers=idem()
        )
        res = client.post(f"/api/v1/reservations/{rid}/check-out", headers=idem())
        assert res.status_code == 409 and res.json()["error"] == "disputed_charges"
        page = web.post(f"/dashboard/charges/{charge.id}/settle", data={"csrf": csrf})
        assert "may check out at a kiosk" in page.text
        assert web.post(f"/dashboard/charges/{uuid.uuid4()}/settle", data={"csrf": csrf}).status_code == 404
    assert _folio(client, rid)["check_out"] == {"allowed": True, "reason": ""}
    with db.session() as session:
        actions = [
            e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.actor == "staff:frida"))
        ]
    assert actions.count("charge_disputed") == 1 and actions.count("charge_dispute_settled") == 1


def test_a_payment_awaiting_review_sends_the_guest_to_the_desk_until_reviewed(client, db):
    rid, _ = _stay(db, "Marlina")
    folio = _folio(client, rid)
    unsure = card_payment(folio["balance"]) | {"review_reason": "reconciled after a crash"}
    client.post(f"/api/v1/reservations/{rid}/payments", json=unsure, headers=idem())
    assert _folio(client, rid)["check_out"] == {"allowed": False, "reason": "payment_review"}
    res = client.post(f"/api/v1/reservations/{rid}/check-out", headers=idem())
    assert res.status_code == 409 and res.json()["error"] == "payment_review"
    with db.session(write=True) as session:
        payment = session.scalars(select(Payment).where(Payment.reservation_id == uuid.UUID(rid))).one()
        payment.reviewed_at, payment.reviewed_by = utcnow(), "desk"
    assert client.post(f"/api/v1/reservations/{rid}/check-out", headers=idem()).status_code == 200


def test_the_deposit_hold_is_shown_until_a_capture_closes_it(client):
    r = arrival(client, "Dewi")
    url = f"/api/v1/reservations/{r['id']}"
    client.post(f"{url}/check-in", json={}, headers=idem())
    hold = card_payment(r["deposit_amount"], kind="preauth") | {"terminal_ref": "17"}
    client.post(f"{url}/payments", json=hold, headers=idem())
    folio = _folio(client, r["id"])
    assert folio["hold"] == {"amount": r["deposit_amount"], "terminal_id": "52500038", "terminal_ref": "17"}
    assert folio["balance"] == r["total"]  # a hold pays nothing
    part = r["deposit_amount"] // 5
    client.post(f"{url}/payments", json=card_payment(part, kind="capture"), headers=idem())
    folio = _folio(client, r["id"])
    assert folio["hold"] is None  # a capture closes the pre-authorisation: never booked twice
    assert folio["balance"] == r["total"] - part


def test_a_check_out_pushed_by_sync_follows_the_same_rules(client, db):
    rid, _ = _stay(db, "Lee")
    kiosk_id = client.get("/api/v1/kiosk").json()["id"]
    op = {
        "op_id": f"op-{uuid.uuid4()}",
        "seq": 1,
        "type": "check_out",
        "payload": {"reservation_id": rid},
        "created_at": utcnow().isoformat(),
    }
    with db.session(write=True) as session:
        session.scalars(select(Charge).where(Charge.reservation_id == uuid.UUID(rid))).first().disputed = True
    result = client.post("/api/v1/sync/push", json={"kiosk_id": kiosk_id, "ops": [op]}).json()["results"][0]
    assert result["status"] == "rejected" and "disputed_charges" in result["reason"]


def test_the_demo_departure_with_a_deposit_owes_only_the_minibar(client, db):
    rid, _ = _stay(db, "Rossi")
    folio = _folio(client, rid)
    extras = [c for c in folio["charges"] if c["type"] == "extra"]
    assert [c["description"] for c in extras] == ["Minibar"]
    assert folio["balance"] == extras[0]["amount"]
    assert folio["hold"]["amount"] > folio["balance"] and folio["hold"]["terminal_ref"].isdigit()
