"""The sync protocol: push applies each op once, in order, dead-letters refusals; pull pages changes."""

import uuid
from datetime import UTC, datetime

from frontoffice.models import DeadLetter
from tests.server.helpers import arrival, card_payment


def _op(op_type, payload, seq=1, op_id=None):
    return {
        "op_id": op_id or str(uuid.uuid4()),
        "seq": seq,
        "type": op_type,
        "entity_id": "",
        "payload": payload,
        "created_at": datetime.now(UTC).isoformat(),
    }


def _push(client, ops):
    kiosk_id = client.get("/api/v1/kiosk").json()["id"]
    res = client.post("/api/v1/sync/push", json={"kiosk_id": kiosk_id, "ops": ops})
    assert res.status_code == 200, res.text
    return res.json()["results"]


def test_push_applies_then_reports_duplicates(client):
    r = arrival(client, "Santoso")
    ops = [
        _op("check_in", {"reservation_id": r["id"]}, seq=1),
        _op("payment", {"reservation_id": r["id"], "payment": card_payment(1000)}, seq=2),
        _op(
            "assistance_request",
            {"id": str(uuid.uuid4()), "screen": "payment", "created_at": "2026-11-27T10:00:00+07:00"},
            seq=3,
        ),
        _op(
            "audit",
            {
                "actor": "guest",
                "action": "language",
                "detail": {"to": "id"},
                "at": "2026-11-27T10:00:00+07:00",
            },
            seq=4,
        ),
    ]
    first = _push(client, ops)
    assert [x["status"] for x in first] == ["applied"] * 4
    again = _push(client, ops)
    assert [x["status"] for x in again] == ["duplicate"] * 4
    assert again[1]["result"] == first[1]["result"]
    folio = client.get(f"/api/v1/reservations/{r['id']}/folio").json()
    assert [p["amount"] for p in folio["payments"]] == [1000]


def test_rejected_op_is_dead_lettered_and_does_not_block_the_queue(client, db):
    r = arrival(client, "Santoso")
    bad = _op("check_in", {"reservation_id": str(uuid.uuid4())}, seq=1)
    unknown = _op("teleport", {}, seq=2)
    malformed = _op("payment", {"reservation_id": r["id"], "payment": {"amount": "lots"}}, seq=3)
    good = _op("check_in", {"reservation_id": r["id"]}, seq=4)
    results = _push(client, [bad, unknown, malformed, good])
    assert [x["status"] for x in results] == ["rejected", "rejected", "rejected", "applied"]
    assert results[0]["reason"].startswith("reservation_not_found")
    assert results[1]["reason"].startswith("unknown_op_type")
    assert results[2]["reason"].startswith("invalid_payload")
    # A repeat of a refused op gets the same answer and no second dead letter.
    assert _push(client, [bad])[0] == results[0]
    with db.session() as session:
        letters = session.query(DeadLetter).order_by(DeadLetter.seq).all()
        assert [d.op_id for d in letters] == [bad["op_id"], unknown["op_id"], malformed["op_id"]]


def test_desk_checked_in_meanwhile_is_a_conflict_in_dead_letters(client):
    r = arrival(client, "Sukarno")
    assert _push(client, [_op("check_in", {"reservation_id": r["id"]})])[0]["status"] == "applied"
    offline = _push(client, [_op("check_in", {"reservation_id": r["id"]})])[0]
    assert offline["status"] == "rejected"
    assert offline["reason"].startswith("reservation_checked_in")


def test_push_for_another_kiosk_is_forbidden(client):
    res = client.post("/api/v1/sync/push", json={"kiosk_id": str(uuid.uuid4()), "ops": []})
    assert res.status_code == 403


def test_pull_pages_through_changes_and_sends_current_state(client):
    seen, cursor, pages = {}, 0, 0
    while True:
        res = client.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": 40})
        assert res.status_code == 200
        body = res.json()
        for change in body["changes"]:
            seen[(change["entity"], change["id"])] = change["data"]
        cursor, pages = body["cursor"], pages + 1
        if not body["more"]:
            break
    assert pages > 1
    rooms = [d for (e, _), d in seen.items() if e == "room"]
    assert len(rooms) == 40
    reservations = [d for (e, _), d in seen.items() if e == "reservation" and d]
    statuses = {d["status"] for d in reservations}
    assert statuses == {"confirmed", "checked_in"}
    # Departures' and tomorrow's guests are there; past stays are not.
    assert any(d["guest"]["surname"] == "Pratama" for d in reservations)

    r = arrival(client, "Lestari")
    _push(client, [_op("check_in", {"reservation_id": r["id"]})])
    body = client.get("/api/v1/sync/pull", params={"cursor": cursor}).json()
    changed = {(c["entity"], c["id"]): c["data"] for c in body["changes"]}
    assert changed[("reservation", r["id"])]["status"] == "checked_in"
    room_id = changed[("reservation", r["id"])]["room"]["id"]
    assert changed[("room", room_id)]["occupancy"] == "occupied"
    assert client.get("/api/v1/sync/pull", params={"cursor": body["cursor"]}).json()["changes"] == []


def test_heartbeat_is_kept(client, db):
    from frontoffice.models import Kiosk, KioskHeartbeat

    body = {"app_version": "0.1.0", "outbox_depth": 3, "devices": {"printer": {"health": "ok"}}}
    assert client.post("/api/v1/kiosk/heartbeat", json=body).status_code == 204
    assert client.post("/api/v1/kiosk/heartbeat", json=body | {"outbox_depth": 0}).status_code == 204
    with db.session() as session:
        kiosk = session.query(Kiosk).one()
        assert kiosk.outbox_depth == 0 and kiosk.devices == {"printer": {"health": "ok"}}
        assert session.query(KioskHeartbeat).count() == 2


def test_a_refusal_mid_batch_keeps_each_good_op_once(client, db):
    """The batch is retried with savepoints after a refusal: nothing before it is applied twice."""
    r = arrival(client, "Santoso")
    pays = [
        _op("payment", {"reservation_id": r["id"], "payment": card_payment(100 + i)}, seq=i) for i in range(3)
    ]
    bad = _op("check_in", {"reservation_id": str(uuid.uuid4())}, seq=3)
    late = _op("payment", {"reservation_id": r["id"], "payment": card_payment(200)}, seq=4)
    results = _push(client, [*pays, bad, late])
    assert [x["status"] for x in results] == ["applied"] * 3 + ["rejected", "applied"]
    folio = client.get(f"/api/v1/reservations/{r['id']}/folio").json()
    assert sorted(p["amount"] for p in folio["payments"]) == [100, 101, 102, 200]
    with db.session() as session:
        assert session.query(DeadLetter).count() == 1


def test_the_same_op_twice_in_one_push_is_applied_once(client):
    r = arrival(client, "Santoso")
    op = _op("payment", {"reservation_id": r["id"], "payment": card_payment(700)})
    results = _push(client, [op, op])
    assert [x["status"] for x in results] == ["applied", "duplicate"]
    assert results[0]["result"] == results[1]["result"]
    altered = {**op, "payload": {**op["payload"], "payment": {**op["payload"]["payment"], "amount": 1}}}
    assert _push(client, [altered])[0]["reason"].startswith("idempotency_key_reused")


def test_an_op_sent_first_as_a_direct_call_is_a_duplicate_when_pushed(client):
    r = arrival(client, "Fauzi")
    key = str(uuid.uuid4())
    body = {"registration": {"email": None, "phone": None, "terms_version": ""}}
    direct = client.post(
        f"/api/v1/reservations/{r['id']}/check-in", json=body, headers={"Idempotency-Key": key}
    )
    assert direct.status_code == 200
    # Queued by a kiosk that leaves out what defaults anyway: still the same request.
    queued = {"reservation_id": r["id"], "body": {"registration": {}}}
    pushed = _push(client, [_op("check_in", queued, op_id=key)])[0]
    assert pushed["status"] == "duplicate" and pushed["result"] == direct.json()
    other = {"reservation_id": r["id"], "body": {"registration": {"email": "x@example.org"}}}
    assert _push(client, [_op("check_in", other, op_id=key)])[0]["reason"].startswith(
        "idempotency_key_reused"
    )


def test_the_same_batch_pushed_twice_at_once_is_applied_once(db, token, client):
    import threading

    import httpx

    from frontoffice.models import Payment
    from tests.server.live import live_server

    r = arrival(client, "Santoso")
    kiosk_id = client.get("/api/v1/kiosk").json()["id"]
    ops = [
        _op("payment", {"reservation_id": r["id"], "payment": card_payment(10 + i)}, seq=i) for i in range(50)
    ]
    answers = []
    with live_server(db) as url:
        start = threading.Barrier(2)

        def push_once():
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
                start.wait()
                res = c.post("/api/v1/sync/push", json={"kiosk_id": kiosk_id, "ops": ops})
                answers.append((res.status_code, [x["status"] for x in res.json()["results"]]))

        threads = [threading.Thread(target=push_once) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [code for code, _ in answers] == [200, 200]
    for i in range(50):  # each op: applied by one push, a duplicate for the other
        assert sorted(statuses[i] for _, statuses in answers) == ["applied", "duplicate"]
    with db.session() as session:
        assert (
            session.query(Payment)
            .filter_by(reservation_id=uuid.UUID(r["id"]))
            .filter(Payment.amount < 100)
            .count()
            == 50
        )
