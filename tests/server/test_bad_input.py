"""Anything a client sends gets a 4xx JSON error naming the problem, never a 500."""

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.helpers import arrival, card_payment

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=12,
)


def _check(res):
    assert res.status_code < 500, (res.status_code, res.text)
    if res.status_code >= 400:
        body = res.json()
        assert body["error"] and isinstance(body["message"], str)


def _posts(client, reservation_id):
    return [
        "/api/v1/reservations/search",
        f"/api/v1/reservations/{reservation_id}/check-in",
        f"/api/v1/reservations/{reservation_id}/check-out",
        f"/api/v1/reservations/{reservation_id}/payments",
        "/api/v1/walk-ins",
        "/api/v1/sync/push",
        "/api/v1/kiosk/heartbeat",
        "/api/v1/assistance-requests",
    ]


def test_random_json_bodies_never_cause_a_server_error(client):
    rid = arrival(client, "Santoso")["id"]
    urls = _posts(client, rid)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(url=st.sampled_from(urls), body=json_values)
    def run(url, body):
        _check(client.post(url, json=body, headers={"Idempotency-Key": f"fuzz-{uuid.uuid4()}"}))

    run()


def test_mutated_valid_bodies_never_cause_a_server_error(client):
    rid = arrival(client, "Santoso")["id"]
    kiosk_id = client.get("/api/v1/kiosk").json()["id"]
    valid = {
        f"/api/v1/reservations/{rid}/payments": card_payment(1000),
        "/api/v1/walk-ins": {
            "id": str(uuid.uuid4()),
            "room_type": "STD",
            "nights": 1,
            "guest": {"surname": "Walker"},
            "expected_total": 1,
        },
        "/api/v1/sync/push": {
            "kiosk_id": kiosk_id,
            "ops": [
                {
                    "op_id": "op-12345678",
                    "seq": 1,
                    "type": "check_in",
                    "payload": {},
                    "created_at": "2026-11-27T10:00:00Z",
                }
            ],
        },
    }

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(url=st.sampled_from(sorted(valid)), key=st.text(max_size=10), value=json_values)
    def run(url, key, value):
        body = dict(valid[url])
        body[key or "amount"] = value
        _check(client.post(url, json=body, headers={"Idempotency-Key": f"fuzz-{uuid.uuid4()}"}))

    run()


def test_garbage_bytes_wrong_types_and_odd_queries(client):
    rid = arrival(client, "Santoso")["id"]
    for url in _posts(client, rid):
        for content, ctype in [
            (b"\xff\xfe\x00garbage", "application/json"),
            (b"{not json", "application/json"),
            (b'{"amount": Infinity, "nights": NaN, "surname": -Infinity}', "application/json"),
            (b"a=1&b=2", "application/x-www-form-urlencoded"),
            (b"", "text/plain"),
            (b"[]" * 10000, "application/json"),
        ]:
            _check(
                client.post(
                    url, content=content, headers={"content-type": ctype, "Idempotency-Key": "k" * 12}
                )
            )
    for query in ["cursor=-1", "cursor=abc", "cursor=99999999999999999999999", "limit=0", "limit=100000"]:
        _check(client.get(f"/api/v1/sync/pull?{query}"))
    for query in ["nights=0", "nights=31", "adults=x", "children=-1"]:
        _check(client.get(f"/api/v1/availability?{query}"))
    _check(client.delete("/api/v1/kiosk"))
    _check(client.get("/api/v1/nowhere"))
