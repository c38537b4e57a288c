"""Boundary probes of the kiosk API: instants at the edges of the calendar, NUL in text, an op the
database refuses, and one property's ids used by another property's kiosk. Never a 500; a push
refuses the one bad op and applies the rest."""

import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from frontoffice.api.app import create_app
from frontoffice.models import AssistanceRequest, DeadLetter, Kiosk, Property
from frontoffice.services import dashboard, kiosks
from tests.server.conftest import idem
from tests.server.factories import small_hotel
from tests.server.helpers import arrival, card_payment

EDGES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]
NOW = "2026-11-27T10:00:00+07:00"


def _op(op_type, payload, seq=1):
    return {
        "op_id": str(uuid.uuid4()),
        "seq": seq,
        "type": op_type,
        "payload": payload,
        "created_at": datetime.now(UTC).isoformat(),
    }


def _audit(seq):
    return _op("audit", {"actor": "guest", "action": "language", "detail": {"to": "id"}, "at": NOW}, seq)


def _push(client, ops):
    kiosk_id = client.get("/api/v1/kiosk").json()["id"]
    res = client.post("/api/v1/sync/push", json={"kiosk_id": kiosk_id, "ops": ops})
    assert res.status_code == 200, res.text
    return res.json()["results"]


def _refused(res, status, field):
    assert res.status_code == status, res.text
    body = res.json()
    assert set(body) == {"error", "message", "detail"}
    assert field in body["message"], body
    return body


@pytest.mark.parametrize("edge", EDGES)
def test_instants_at_the_edges_are_refused_naming_the_field(client, edge):
    res = client.post(
        "/api/v1/kiosk/heartbeat", json={"app_version": "1", "outbox_depth": 0, "last_sync_at": edge}
    )
    _refused(res, 422, "last_sync_at")
    res = client.post(
        "/api/v1/assistance-requests", json={"id": str(uuid.uuid4()), "screen": "s", "created_at": edge}
    )
    _refused(res, 422, "created_at")
    res = client.post("/api/v1/kiosk/heartbeat", json={"app_version": "1", "outbox_depth": 0})
    assert res.status_code == 204  # a plain heartbeat still goes through


@pytest.mark.parametrize("edge", EDGES)
def test_a_pushed_op_with_an_edge_instant_is_refused_alone(client, db, edge):
    r = arrival(client, "Santoso")
    ops = [
        _audit(1),
        _op("check_in", {"reservation_id": r["id"], "at": edge}, 2),
        _op("audit", {"actor": "guest", "action": "x", "at": edge}, 3),
        _audit(4),
    ]
    results = _push(client, ops)
    assert [x["status"] for x in results] == ["applied", "rejected", "rejected", "applied"]
    assert "at" in results[1]["reason"]
    with db.session() as session:
        assert session.query(DeadLetter).count() == 2
    assert client.get(f"/api/v1/reservations/{r['id']}").json()["status"] == "confirmed"


def test_nul_in_text_is_refused_on_both_databases_naming_the_field(client):
    bad = [
        ("/api/v1/reservations/search", {"surname": "San\x00toso", "arrival": "2026-11-27"}, "surname"),
        ("/api/v1/kiosk/heartbeat", {"app_version": "1\x00", "outbox_depth": 0}, "app_version"),
        (
            "/api/v1/assistance-requests",
            {"id": str(uuid.uuid4()), "screen": "s", "reason": "help\x00", "created_at": NOW},
            "reason",
        ),
        (
            "/api/v1/walk-ins",
            {
                "id": str(uuid.uuid4()),
                "room_type": "STD",
                "nights": 1,
                "guest": {"surname": "Wal\x00ker"},
                "expected_total": 1,
            },
            "guest.surname",
        ),
    ]
    for url, body, field in bad:
        detail = _refused(client.post(url, json=body, headers=idem()), 422, field)["detail"]
        assert any("NUL" in d["problem"] for d in detail), detail
    # Free-form JSON keeps it as the escape \u0000, which both databases store alike.
    devices = {"printer": {"health": "ok", "model": "TM\x00"}}
    res = client.post(
        "/api/v1/kiosk/heartbeat", json={"app_version": "1", "outbox_depth": 0, "devices": devices}
    )
    assert res.status_code == 204, res.text


def test_a_pushed_op_with_nul_is_refused_alone(client, db):
    ops = [
        _audit(1),
        _op("audit", {"actor": "gu\x00est", "action": "language", "at": NOW}, 2),
        _op("assistance_request", {"id": str(uuid.uuid4()), "screen": "s\x00", "created_at": NOW}, 3),
        _op("no_such_type", {"x\x00": "\x00"}, 4),
        _audit(5),
    ]
    results = _push(client, ops)
    assert [x["status"] for x in results] == ["applied", "rejected", "rejected", "rejected", "applied"]
    assert "NUL" in results[1]["reason"]
    with db.session() as session:
        assert session.query(DeadLetter).count() == 3
    # NUL in an op's envelope (its id or type): the push cannot be read; the kiosk splits it.
    kiosk_id = client.get("/api/v1/kiosk").json()["id"]
    envelope = {"kiosk_id": kiosk_id, "ops": [_audit(6), {**_audit(7), "type": "au\x00dit"}]}
    _refused(client.post("/api/v1/sync/push", json=envelope), 422, "ops.1.type")


def test_an_op_the_database_refuses_does_not_block_the_push(client, db):
    """An assistance request for an unknown reservation (a foreign key): rejected, the rest applied."""
    ops = [
        _audit(1),
        _op(
            "assistance_request",
            {"id": str(uuid.uuid4()), "screen": "s", "reservation_id": str(uuid.uuid4()), "created_at": NOW},
            2,
        ),
        _audit(3),
    ]
    results = _push(client, ops)
    assert [x["status"] for x in results] == ["applied", "rejected", "applied"]
    assert results[1]["reason"].startswith("reservation_not_found")
    again = _push(client, ops)  # the refusal is remembered, not retried
    assert [x["status"] for x in again] == ["duplicate", "rejected", "duplicate"]
    with db.session() as session:
        assert [d.type for d in session.query(DeadLetter)] == ["assistance_request"]


@pytest.fixture
def other(db, hotel):
    """A second property with its own kiosk, and a client holding that kiosk's token."""
    with db.session(write=True) as session:
        prop, [booking] = small_hotel(session, code="BDG", rooms=2, arrivals=1)
        token = kiosks.add_kiosk(session, prop, "lobby-b")[1]
        booking_id = booking.id
    with TestClient(create_app(db)) as c:
        c.headers["Authorization"] = f"Bearer {token}"
        yield c, booking_id


def test_a_kiosk_reaches_no_reservation_of_another_property(client, other, db):
    b, _ = other
    theirs = arrival(client, "Santoso")
    rid = theirs["id"]
    for method, url, body in [
        ("GET", f"/api/v1/reservations/{rid}", None),
        ("GET", f"/api/v1/reservations/{rid}/folio", None),
        ("POST", f"/api/v1/reservations/{rid}/assign-room", None),
        ("POST", f"/api/v1/reservations/{rid}/check-in", {}),
        ("POST", f"/api/v1/reservations/{rid}/check-out", None),
        ("POST", f"/api/v1/reservations/{rid}/payments", card_payment(1000)),
        (
            "POST",
            "/api/v1/assistance-requests",
            {"id": str(uuid.uuid4()), "screen": "s", "reservation_id": rid, "created_at": NOW},
        ),
    ]:
        res = b.request(method, url, json=body, headers=idem())
        assert res.status_code == 404, (url, res.text)
        assert res.json()["error"] == "reservation_not_found"
    for query in [
        {"confirmation_code": theirs["confirmation_code"], "surname": "Santoso"},
        {"qr_token": theirs["qr_token"]},
        {"surname": "Santoso", "arrival": theirs["arrival"]},
    ]:
        res = b.post("/api/v1/reservations/search", json=query)
        assert res.status_code in (200, 422) and not res.json().get("matches"), res.text
    res = b.post("/api/v1/reservations/search-stay", json={"qr_token": theirs["qr_token"]})
    assert res.status_code in (200, 422) and not res.json().get("matches"), res.text
    ops = [
        _op("check_in", {"reservation_id": rid}, 1),
        _op("check_out", {"reservation_id": rid}, 2),
        _op("payment", {"reservation_id": rid, "payment": card_payment(1000)}, 3),
        _op(
            "assistance_request",
            {"id": str(uuid.uuid4()), "screen": "s", "reservation_id": rid, "created_at": NOW},
            4,
        ),
    ]
    results = _push(b, ops)
    assert [x["status"] for x in results] == ["rejected"] * 4
    assert all(x["reason"].startswith("reservation_not_found") for x in results), results
    with db.session() as session:
        assert session.query(AssistanceRequest).count() == 0
    assert client.get(f"/api/v1/reservations/{rid}/folio").json()["payments"] == []


def test_client_ids_colliding_across_properties_are_refused_with_a_reason(client, other, db):
    b, their_booking = other
    ours = arrival(client, "Santoso")
    payment = card_payment(1000)
    res = client.post(f"/api/v1/reservations/{ours['id']}/payments", json=payment, headers=idem())
    assert res.status_code == 201, res.text
    res = b.post(f"/api/v1/reservations/{their_booking}/payments", json=payment, headers=idem())
    assert res.status_code == 409 and res.json()["error"] == "payment_id_reused", res.text

    help_id = str(uuid.uuid4())
    ask = {"id": help_id, "screen": "s", "created_at": NOW}
    assert client.post("/api/v1/assistance-requests", json=ask).status_code == 201
    assert client.post("/api/v1/assistance-requests", json=ask).status_code == 201  # the same, again
    res = b.post("/api/v1/assistance-requests", json=ask)
    assert res.status_code == 409 and res.json()["error"] == "assistance_id_reused", res.text

    walk_in = {
        "id": ours["id"],
        "room_type": "STD",
        "nights": 1,
        "guest": {"surname": "Walker"},
        "expected_total": 1,
    }
    res = b.post("/api/v1/walk-ins", json=walk_in, headers=idem())
    assert res.status_code == 409 and res.json()["error"] == "reservation_id_reused", res.text
    with db.session() as session:
        kiosk_of = {a.id: a.kiosk_id for a in session.query(AssistanceRequest)}
        assert len(kiosk_of) == 1
        prop = session.query(Property).filter_by(code="BDG").one()
        assert session.query(AssistanceRequest).filter_by(property_id=prop.id).count() == 0


def test_get_on_a_post_only_path_is_405_with_the_error_body(client):
    for url in ["/api/v1/reservations/search", "/api/v1/reservations/search-stay", "/api/v1/sync/push"]:
        res = client.get(url)
        assert res.status_code == 405, (url, res.text)
        assert res.json()["error"] == "method_not_allowed"
        assert "POST" in res.headers["allow"]


def test_the_openapi_documents_auth_and_every_error_body(client):
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    error_ref = "#/components/schemas/ErrorOut"
    assert set(spec["components"]["schemas"]["ErrorOut"]["required"]) >= {"error", "message"}
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1/") or path.startswith("/api/v1/reports"):
            continue
        for method, op in item.items():
            assert op.get("security"), (method, path)
            for status in ("401", "422"):
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": error_ref}, (method, path, status)
    search = spec["components"]["schemas"]["SearchIn"]
    assert len(search["oneOf"]) == 4
    text = client.get("/openapi.json").text
    assert "e+" not in text and "E+" not in text  # integer bounds printed as integers


def test_staff_never_see_another_propertys_booking_on_a_request_for_help(client, other, db):
    """A request filed before kiosks were held to their own property's bookings shows none."""
    theirs = arrival(client, "Santoso")
    with db.session(write=True) as session:
        prop = session.query(Property).filter_by(code="BDG").one()
        kiosk = session.query(Kiosk).filter_by(property_id=prop.id).one()
        session.add(
            AssistanceRequest(
                id=uuid.uuid4(),
                property_id=prop.id,
                kiosk_id=kiosk.id,
                screen="s",
                reservation_id=uuid.UUID(theirs["id"]),
                created_at=datetime.now(UTC),
            )
        )
    with db.session() as session:
        prop = session.query(Property).filter_by(code="BDG").one()
        [(_, _, booking)] = dashboard.open_assistance(session, prop)
        assert booking is None
