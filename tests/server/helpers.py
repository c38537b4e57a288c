"""Small helpers shared by the server tests."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.server.conftest import BUSINESS_DATE


def arrival(client: TestClient, surname: str) -> dict:
    """The one demo arrival today with this surname."""
    r = client.post("/api/v1/reservations/search", json={"surname": surname, "arrival": str(BUSINESS_DATE)})
    assert r.status_code == 200, r.text
    matches = r.json()["matches"]
    assert len(matches) == 1, matches
    return matches[0]


def card_payment(amount: int, kind: str = "sale", currency: str = "IDR") -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "amount": amount,
        "currency": currency,
        "card_brand": "VISA",
        "masked_pan": "************4242",
        "auth_code": "A1B2C3",
        "terminal_id": "52500038",
        "terminal_ref": "000123",
    }
