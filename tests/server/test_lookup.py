"""Finding a booking arriving today: code + surname, QR token, surname + birth date, surname + arrival."""

import uuid

from frontoffice.models import Property
from frontoffice.services import kiosks, qrtoken
from tests.server.conftest import BUSINESS_DATE
from tests.server.factories import small_hotel
from tests.server.helpers import arrival


def test_code_and_surname_ignore_case_accents_spacing_and_order(client):
    r = arrival(client, "Nguyễn")
    code = r["confirmation_code"]
    for typed_code, surname in [
        (code, "nguyen"),
        (code.lower(), "NGUYEN"),
        (f"{code[:3]} {code[3:]}", "Thi Anh Nguyen"),
        (f"{code[:3]}-{code[3:]}", "anh"),
    ]:
        res = client.post(
            "/api/v1/reservations/search", json={"confirmation_code": typed_code, "surname": surname}
        )
        assert res.status_code == 200
        assert [m["id"] for m in res.json()["matches"]] == [r["id"]], (typed_code, surname)


def test_wrong_surname_finds_nothing(client):
    code = arrival(client, "Sukarno")["confirmation_code"]
    res = client.post("/api/v1/reservations/search", json={"confirmation_code": code, "surname": "Santoso"})
    assert res.status_code == 200
    assert res.json()["matches"] == []


def test_single_word_and_apostrophe_names(client):
    assert arrival(client, "sukarno")["guest"]["given_names"] == ""
    assert arrival(client, "DEWI")["guest"]["surname"] == "Dewi"
    assert arrival(client, "obrien")["guest"]["surname"] == "O'Brien"
    assert arrival(client, "VON HOHENZOLLERN SIGMARINGEN")["nights"] >= 1


def test_two_rooms_on_one_booking_are_both_found(client):
    res = client.post("/api/v1/reservations/search", json={"surname": "Smith", "arrival": str(BUSINESS_DATE)})
    matches = res.json()["matches"]
    assert len(matches) == 2
    assert len({m["confirmation_code"] for m in matches}) == 1
    assert {m["room_type"]["code"] for m in matches} == {"FAM", "STD"}


def test_surname_and_birth_date(client):
    r = arrival(client, "Santoso")
    res = client.post(
        "/api/v1/reservations/search", json={"surname": "santoso", "birth_date": r["guest"]["birth_date"]}
    )
    assert [m["id"] for m in res.json()["matches"]] == [r["id"]]
    res = client.post("/api/v1/reservations/search", json={"surname": "santoso", "birth_date": "1900-01-01"})
    assert res.json()["matches"] == []


def test_qr_token_finds_exactly_its_reservation(client):
    r = arrival(client, "Lestari")
    res = client.post("/api/v1/reservations/search", json={"qr_token": r["qr_token"]})
    assert [m["id"] for m in res.json()["matches"]] == [r["id"]]


def test_forged_or_foreign_qr_token_is_refused(client, db, hotel):
    r = arrival(client, "Lestari")
    forged = r["qr_token"][:-2] + ("AA" if not r["qr_token"].endswith("AA") else "BB")
    guessed = qrtoken.sign(b"guess" * 8, "SBT-JKT", uuid.UUID(r["id"]))
    foreign = qrtoken.sign(b"guess" * 8, "OTHER", uuid.UUID(r["id"]))
    for token in [forged, guessed, foreign, "not a booking code at all"]:
        res = client.post("/api/v1/reservations/search", json={"qr_token": token})
        assert res.status_code == 422
        assert res.json()["error"] == "bad_qr_token"


def test_ambiguous_or_incomplete_queries_are_4xx(client):
    for body in [
        {},
        {"surname": "x"},
        {"confirmation_code": "ABC123"},
        {"confirmation_code": "ABC123", "surname": "a", "birth_date": "1990-01-01"},
        {"qr_token": "SBT1.x.y.zzzzzzzzzz", "surname": "a"},
        {"surname": "12345", "arrival": str(BUSINESS_DATE)},
        {"surname": "a", "arrival": "2001-02-30"},
        {"surname": "a", "arrival": str(BUSINESS_DATE), "extra": 1},
    ]:
        res = client.post("/api/v1/reservations/search", json=body)
        assert res.status_code == 422, body
        assert res.json()["error"] == "invalid_request"
        assert res.json()["message"]


def test_only_today_can_be_searched_by_arrival(client):
    res = client.post("/api/v1/reservations/search", json={"surname": "Pratama", "arrival": "2026-11-28"})
    assert res.status_code == 422
    assert res.json()["error"] == "not_today"


def test_unknown_and_revoked_tokens_are_401(client, db, hotel):
    good = client.headers["Authorization"]
    for header in ["", "Bearer", "Bearer sbk_nope", "Basic abc", good.replace("Bearer ", "Bearer x")]:
        client.headers["Authorization"] = header
        assert client.get("/api/v1/kiosk").status_code == 401
    client.headers["Authorization"] = good
    assert client.get("/api/v1/kiosk").status_code == 200
    with db.session(write=True) as session:
        kiosks.revoke_kiosk(session, session.get_one(Property, hotel.id), "lobby-1")
    res = client.get("/api/v1/kiosk")
    assert res.status_code == 401
    assert res.json()["error"] == "unauthorized"


def test_kiosk_never_sees_another_propertys_reservation(client, db):
    with db.session(write=True) as session:  # a second hotel in the same database
        _, reservations = small_hotel(session, code="OTHER", rooms=2, arrivals=1)
        foreign_id = reservations[0].id
    assert client.get(f"/api/v1/reservations/{foreign_id}").status_code == 404
    assert client.get(f"/api/v1/reservations/{foreign_id}/folio").status_code == 404
    res = client.post(
        f"/api/v1/reservations/{foreign_id}/check-in", json={}, headers={"Idempotency-Key": "k-foreign-1"}
    )
    assert res.status_code == 404
    assert client.get(f"/api/v1/reservations/{uuid.uuid4()}").json()["error"] == "reservation_not_found"
