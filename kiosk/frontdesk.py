"""The guest journey's one door to the front office (interim: online only, over ServerClient).

Issue 7 brings the real ``FrontDesk`` (online with an offline fallback through the kiosk's store)
at this path with the same calls, types and errors; this stand-in goes when it lands. Blocking:
call it from worker threads, never the Kivy thread.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from drivers.payment.model import PaymentResult
from kiosk.serverapi import ServerClient, ServerError

TRANSIENT = ("unreachable", "timeout")


class FrontDeskError(Exception):
    pass


class NotFound(FrontDeskError):
    pass


class Offline(FrontDeskError):
    """This needs the server, and the server cannot be reached now."""


class RoomNotReady(FrontDeskError):
    """No room can be handed out here now: the guest is sent to the front desk."""

    def __init__(self, message: str, room_number: str = "") -> None:
        super().__init__(message)
        self.room_number = room_number


class Refused(FrontDeskError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PropertyInfo:
    code: str
    name: str
    address: str
    timezone: str
    currency: str
    business_date: date
    check_in_time: str
    check_out_time: str
    wifi_ssid: str
    wifi_password: str
    breakfast_hours: str

    @classmethod
    def parse(cls, data: dict[str, Any]) -> PropertyInfo:
        return cls(**{**data, "business_date": date.fromisoformat(data["business_date"])})


@dataclass(frozen=True)
class Room:
    id: uuid.UUID
    number: str
    floor: int
    directions: str
    room_type: str
    occupancy: str
    housekeeping: str
    ready: bool

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Room:
        return cls(**{**data, "id": uuid.UUID(data["id"])})


@dataclass(frozen=True)
class Guest:
    surname: str
    given_names: str
    birth_date: date | None
    nationality: str
    email: str
    phone: str

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Guest:
        birth = data.get("birth_date")
        return cls(**{**data, "birth_date": date.fromisoformat(birth) if birth else None})


@dataclass(frozen=True)
class RoomType:
    code: str
    name: str
    description: str
    bed: str
    size_m2: int
    max_adults: int
    max_children: int


@dataclass(frozen=True)
class Booking:
    """A reservation as the server shapes it (``ReservationOut``); money in minor units."""

    id: uuid.UUID
    confirmation_code: str
    status: str  # confirmed | checked_in | checked_out | cancelled | no_show
    arrival: date
    departure: date
    nights: int
    adults: int
    children: int
    room_type: RoomType
    room: Room | None
    guest: Guest
    currency: str
    total: int
    paid: int
    balance: int
    deposit_amount: int
    deposit_held: int
    checked_in_at: datetime | None
    qr_token: str
    offline: bool = False  # read from the kiosk's copy, not from the server

    @classmethod
    def parse(cls, data: dict[str, Any], offline: bool = False) -> Booking:
        at = data.get("checked_in_at")
        return cls(
            **{
                **data,
                "id": uuid.UUID(data["id"]),
                "arrival": date.fromisoformat(data["arrival"]),
                "departure": date.fromisoformat(data["departure"]),
                "room_type": RoomType(**data["room_type"]),
                "room": Room.parse(data["room"]) if data.get("room") else None,
                "guest": Guest.parse(data["guest"]),
                "checked_in_at": datetime.fromisoformat(at) if at else None,
            },
            offline=offline,
        )


@dataclass(frozen=True)
class Registration:
    email: str | None = None
    phone: str | None = None
    terms_version: str = ""

    def wire(self) -> dict[str, Any]:
        return {"email": self.email, "phone": self.phone, "terms_version": self.terms_version}


class FrontDesk:
    def __init__(self, client: ServerClient) -> None:
        self.client = client

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            return self.client.request(method, path, **kwargs)
        except ServerError as exc:
            if exc.code in TRANSIENT or exc.status >= 500 or exc.status == 401:
                raise Offline(str(exc)) from exc
            if exc.status == 404:
                raise NotFound(str(exc)) from exc
            if exc.code in ("no_room_ready", "room_not_ready"):
                raise RoomNotReady(str(exc)) from exc
            raise Refused(exc.code, str(exc)) from exc

    def property(self) -> PropertyInfo:
        return PropertyInfo.parse(self._call("GET", "/api/v1/kiosk")["property"])

    def search(
        self,
        *,
        confirmation_code: str | None = None,
        surname: str | None = None,
        qr_token: str | None = None,
        birth_date: date | None = None,
        arrival: date | None = None,
    ) -> list[Booking]:
        query = {
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in dict(
                confirmation_code=confirmation_code,
                surname=surname,
                qr_token=qr_token,
                birth_date=birth_date,
                arrival=arrival,
            ).items()
            if v is not None
        }
        found = self._call("POST", "/api/v1/reservations/search", json=query)["matches"]
        return [Booking.parse(d) for d in found]

    def assign_room(self, booking: Booking) -> Booking:
        return Booking.parse(self._call("POST", f"/api/v1/reservations/{booking.id}/assign-room"))

    def check_in(self, booking: Booking, registration: Registration | None = None) -> Booking:
        body = {"registration": (registration or Registration()).wire()}
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        path = f"/api/v1/reservations/{booking.id}/check-in"
        return Booking.parse(self._call("POST", path, json=body, headers=headers))

    def record_payment(self, booking: Booking, result: PaymentResult) -> None:
        kind = {"sale": "sale", "preauth": "preauth"}[result.operation.value]
        body = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, result.idempotency_key)),
            "kind": kind,
            "amount": result.amount.minor,
            "currency": result.amount.currency,
            "card_brand": result.card_brand,
            "masked_pan": result.masked_pan,
            "auth_code": result.auth_code,
            "terminal_id": result.terminal_id,
            "terminal_ref": str(result.trace_no or ""),
        }
        path = f"/api/v1/reservations/{booking.id}/payments"
        self._call("POST", path, json=body, headers={"Idempotency-Key": result.idempotency_key})

    def request_assistance(self, screen: str, reason: str = "", booking_id: uuid.UUID | None = None) -> None:
        body = {
            "id": str(uuid.uuid4()),
            "screen": screen,
            "reason": reason,
            "reservation_id": str(booking_id) if booking_id else None,
            "created_at": datetime.now().astimezone().isoformat(),
        }
        self._call("POST", "/api/v1/assistance-requests", json=body, headers={"Idempotency-Key": body["id"]})
