"""The guest journey's one door to the front office: online first, the local copy when offline.

Plain Python, thread-safe; every call blocks, so run it in a worker thread (never on the Kivy
thread) and bring the answer back with Clock. Each server call has a short deadline; once a call
has failed, the kiosk stays offline (answering from its store at once) until the sync worker
reaches the server again, so the guest never waits on a dead server.

    property() -> PropertyInfo
    search(*, confirmation_code=, surname=, qr_token=, birth_date=, arrival=) -> list[Booking]
        one mode: confirmation_code + surname | qr_token | surname + birth_date | surname + arrival
    assign_room(booking) -> Booking                   raises RoomNotReady ("see the front desk")
    check_in(booking, registration=Registration()) -> Booking
    record_payment(booking, result)                   an approved terminal result, sent once
    request_assistance(screen, reason="", booking_id=None) -> None
    availability(nights, adults=1, children=0) -> list[Offer]          online only
    book_walk_in(offer, nights, guest, adults=1, children=0, *, booking_id=, payment=) -> Booking
        online only; the booking, its room and the terminal's payment are committed together
    audit(action, entity="", entity_id="", actor="kiosk", **detail) -> None

Build both halves from the settings with ``connect(settings, app_version=...)`` and start the
returned worker; ``worker.link`` says online/offline and why, for the staff pages.

Errors (all ``FrontDeskError``): ``NotFound``, ``Offline`` (cannot be done without the server),
``RoomNotReady`` (no ready room: send the guest to the desk), ``Refused(code, message)`` (the
server or the local rules said no; ``code`` is the server's, e.g. ``reservation_checked_in``).
``Booking.offline`` tells the UI it is looking at the local copy.

Offline, a booking can be checked in only with the room pre-assigned to it when pulled, and only
if that room is ready; the check-in, payments, help requests and audit events are queued in the
store's outbox in the same transaction as the local change, and the sync worker delivers each
exactly once (an interrupted online call is queued under its own idempotency key).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from drivers.payment.journal import PaymentJournal
from drivers.payment.model import PaymentResult
from kiosk.config import KioskSettings
from kiosk.serverapi import ServerClient, ServerError
from kiosk.store import Store
from kiosk.sync import PAYMENT_KINDS, TRANSIENT, Link, SyncWorker, payment_op

ACTIVE = ("confirmed", "checked_in")


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


@dataclass(frozen=True)
class Offer:
    """A room type free for the whole stay, priced by the server: ``total`` = ``room`` (the sum of
    the nightly rates) + ``service`` + ``tax``, in minor units of ``currency``."""

    room_type: RoomType
    available: int
    ready_now: int
    currency: str
    total: int
    nightly: list[tuple[date, int]] = field(default_factory=list)
    room: int = 0
    service: int = 0
    tax: int = 0


@dataclass(frozen=True)
class WalkInGuest:
    surname: str
    given_names: str = ""
    birth_date: date | None = None
    nationality: str = ""
    email: str = ""
    phone: str = ""


class FrontDesk:
    def __init__(
        self,
        store: Store,
        client: ServerClient,
        link: Link,
        *,
        nudge: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """``client`` should have the short guest-facing deadline; ``nudge`` wakes the sync worker.

        Records are stamped with ``clock`` corrected by the server's clock (as last seen in an
        answer's Date header), so a kiosk whose clock is hours off still files them right."""
        self.store = store
        self.client = client
        self.link = link
        self._nudge = nudge
        self._clock = clock

    # -- plumbing ------------------------------------------------------------------------------

    def now(self) -> datetime:
        offset = self.client.offset
        if offset is None:
            offset = timedelta(seconds=self.store.meta("clock_offset_s", 0.0))
        return self._clock() + offset

    def _online(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the server; raises Offline when it is (or was just found) unreachable."""
        if self.link.offline:
            raise Offline(self.link.state.reason)
        try:
            return self.client.request(method, path, **kwargs)
        except ServerError as exc:
            if exc.code in TRANSIENT or exc.status >= 500 or exc.status == 401:
                self.link.report(False, f"{exc.code}: {exc}")
                self._nudge()  # the worker probes with backoff and reports when it is back
                raise Offline(str(exc)) from exc
            raise

    @staticmethod
    def _refusal(exc: ServerError) -> FrontDeskError:
        if exc.status == 404:
            return NotFound(str(exc))
        if exc.code in ("no_room_ready", "room_not_ready"):
            return RoomNotReady(str(exc))
        return Refused(exc.code, str(exc))

    def _remember(self, data: dict[str, Any]) -> Booking:
        with self.store.transaction() as tx:
            tx.merge_reservations([data])
        return Booking.parse(data)

    def _local(self, booking_id: uuid.UUID) -> dict[str, Any]:
        data = self.store.reservation(str(booking_id))
        if data is None:
            raise NotFound("this booking is not in the kiosk's copy")
        return data

    # -- the property --------------------------------------------------------------------------

    def property(self) -> PropertyInfo:
        try:
            data = self._online("GET", "/api/v1/kiosk")["property"]
        except Offline:
            data = self.store.meta("property")
            if data is None:
                raise
            return PropertyInfo.parse(data)
        except ServerError as exc:
            raise self._refusal(exc) from exc
        with self.store.transaction() as tx:
            tx.set_meta("property", data)
        return PropertyInfo.parse(data)

    def _business_date(self) -> date:
        data = self.store.meta("property")
        if data is None:
            raise Offline("the kiosk has not met its server yet")
        return date.fromisoformat(data["business_date"])

    # -- finding a booking ---------------------------------------------------------------------

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
        modes = sum(x is not None for x in (qr_token, confirmation_code, birth_date, arrival))
        if modes != 1 or (qr_token is None) != (surname is not None):
            raise ValueError(
                "one of: confirmation_code+surname, qr_token, surname+birth_date, surname+arrival"
            )
        try:
            found = self._online("POST", "/api/v1/reservations/search", json=query)["matches"]
        except Offline:
            return self._search_local(surname or "", confirmation_code, qr_token, birth_date, arrival)
        except ServerError as exc:
            raise self._refusal(exc) from exc
        with self.store.transaction() as tx:
            tx.merge_reservations(found)
        return [Booking.parse(d) for d in found]

    def _search_local(
        self,
        surname: str,
        confirmation_code: str | None,
        qr_token: str | None,
        birth_date: date | None,
        arrival: date | None,
    ) -> list[Booking]:
        """The server's rules on the kiosk's copy: only today's active arrivals (or one QR)."""
        if qr_token is not None:
            return [Booking.parse(d, offline=True) for d in self.store.find(qr_token=qr_token)]
        today = self._business_date()
        if arrival is not None and arrival != today:
            raise Refused("not_today", "only today's arrivals can check in at the kiosk")
        found = self.store.find(
            surname=surname, confirmation_code=confirmation_code, birth_date=birth_date, arrival=arrival
        )
        return [
            Booking.parse(d, offline=True)
            for d in found
            if d["status"] in ACTIVE and d["arrival"] == today.isoformat()
        ]

    # -- the stay ------------------------------------------------------------------------------

    def assign_room(self, booking: Booking) -> Booking:
        try:
            return self._remember(self._online("POST", f"/api/v1/reservations/{booking.id}/assign-room"))
        except Offline:
            data = self._local(booking.id)
            self._ready_room(data)
            return Booking.parse(data, offline=True)
        except ServerError as exc:
            raise self._refusal(exc) from exc

    @staticmethod
    def _ready_room(data: dict[str, Any]) -> dict[str, Any]:
        room = data.get("room")
        if room is None:
            raise RoomNotReady("no room was assigned before the connection was lost")
        if not room["ready"]:
            raise RoomNotReady("the assigned room is not ready", room["number"])
        return room

    def check_in(self, booking: Booking, registration: Registration | None = None) -> Booking:
        registration = registration or Registration()
        key = str(uuid.uuid4())
        body = {"registration": registration.wire()}
        sent = not self.link.offline
        try:
            data = self._online(
                "POST",
                f"/api/v1/reservations/{booking.id}/check-in",
                json=body,
                headers={"Idempotency-Key": key},
            )
        except Offline:
            return self._check_in_offline(booking.id, body, key, sent)
        except ServerError as exc:
            raise self._refusal(exc) from exc
        return self._remember(data)

    def _check_in_offline(self, booking_id: uuid.UUID, body: dict[str, Any], key: str, sent: bool) -> Booking:
        today = self._business_date().isoformat()
        now = self.now()
        with self.store.transaction() as tx:
            data = self._local(booking_id)
            if data["status"] != "confirmed":
                raise Refused(f"reservation_{data['status']}", f"the reservation is {data['status']}")
            if not data["arrival"] <= today < data["departure"]:
                raise Refused("not_arriving_today", "the reservation does not arrive today")
            room = self._ready_room(data)
            room.update(occupancy="occupied", ready=False)
            data.update(status="checked_in", checked_in_at=now.isoformat(), room=room)
            tx.put_reservation(data)
            payload = {"reservation_id": data["id"], "body": body}
            if not sent:
                # The check-in time is the kiosk's. A call that may have reached the server is
                # queued as exactly that request under its key, so the server applies it once.
                payload["at"] = now.isoformat()
            tx.enqueue("check_in", data["id"], payload, now, op_id=key)
            tx.audit(now, "kiosk", "check_in_offline", "reservation", data["id"], room=room["number"])
        return Booking.parse(data, offline=True)

    def record_payment(self, booking: Booking, result: PaymentResult) -> None:
        """Hand an approved terminal result (journaled with its idempotency key, the journey using
        the booking id as the payment reference) to the server, exactly once, through the outbox."""
        if not result.approved or result.operation not in PAYMENT_KINDS:
            raise ValueError("only approved sales, pre-authorisations, captures and refunds are recorded")
        if not result.idempotency_key:
            raise ValueError("the payment result carries no idempotency key")
        with self.store.transaction() as tx:
            payload = payment_op(str(booking.id), result)
            tx.enqueue("payment", str(booking.id), payload, result.timestamp, op_id=result.idempotency_key)
        self._nudge()

    def request_assistance(self, screen: str, reason: str = "", booking_id: uuid.UUID | None = None) -> None:
        now = self.now()
        payload = {
            "id": str(uuid.uuid4()),
            "screen": screen,
            "reason": reason,
            "reservation_id": str(booking_id) if booking_id else None,
            "created_at": now.isoformat(),
        }
        with self.store.transaction() as tx:
            tx.enqueue("assistance_request", str(booking_id or ""), payload, now)
        self._nudge()

    def audit(
        self, action: str, entity: str = "", entity_id: str = "", actor: str = "kiosk", **detail: Any
    ) -> None:
        with self.store.transaction() as tx:
            tx.audit(self.now(), actor, action, entity, entity_id, **detail)
        self._nudge()

    # -- walk-ins (never offline: prices and rooms are the server's to give) ------------------

    def availability(self, nights: int, adults: int = 1, children: int = 0) -> list[Offer]:
        try:
            data = self._online(
                "GET",
                "/api/v1/availability",
                params={"nights": nights, "adults": adults, "children": children},
            )
        except ServerError as exc:
            raise self._refusal(exc) from exc
        return [
            Offer(
                room_type=RoomType(**o["room_type"]),
                available=o["available"],
                ready_now=o["ready_now"],
                currency=o["currency"],
                total=o["total"],
                nightly=[(date.fromisoformat(n["night"]), n["amount"]) for n in o["nights"]],
                room=o["room"],
                service=o["service"],
                tax=o["tax"],
            )
            for o in data["offers"]
        ]

    def book_walk_in(
        self,
        offer: Offer,
        nights: int,
        guest: WalkInGuest,
        adults: int = 1,
        children: int = 0,
        *,
        booking_id: uuid.UUID | None = None,
        payment: PaymentResult | None = None,
    ) -> Booking:
        """Book the offer at the price shown (a changed price is refused, never charged).

        ``booking_id`` is the client-made id (the terminal's payment reference), also the call's
        idempotency key: a repeated call replays the first answer. ``payment``, an approved sale or
        pre-authorisation, is written in the same transaction as the booking and its room."""
        guest_data = {
            **guest.__dict__,
            "birth_date": guest.birth_date.isoformat() if guest.birth_date else None,
        }
        body: dict[str, Any] = {
            "id": str(booking_id or uuid.uuid4()),
            "room_type": offer.room_type.code,
            "nights": nights,
            "adults": adults,
            "children": children,
            "guest": guest_data,
            "expected_total": offer.total,
        }
        if payment is not None:
            body["payment"] = payment_op(body["id"], payment)["payment"]
        try:
            data = self._online(
                "POST", "/api/v1/walk-ins", json=body, headers={"Idempotency-Key": body["id"]}
            )
        except ServerError as exc:
            raise self._refusal(exc) from exc
        return self._remember(data)


def connect(
    settings: KioskSettings,
    *,
    app_version: str,
    devices: Callable[[], dict[str, dict[str, Any]]] = dict,
    journal: PaymentJournal | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> tuple[FrontDesk, SyncWorker]:
    """The front desk and its sync worker (not started) over the configured store and server.

    ``devices`` returns each device's health for the heartbeat; ``journal`` is the payment
    terminal's, whose recorded payments the worker hands over."""
    store = Store(settings.resolve(settings.store.path))
    sync = settings.sync
    worker = SyncWorker(
        store,
        ServerClient(settings, clock),
        app_version=app_version,
        devices=devices,
        journal=journal,
        batch_size=sync.batch_size,
        pull_interval_s=sync.pull_interval_s,
        heartbeat_interval_s=sync.heartbeat_interval_s,
        backoff_max_s=sync.backoff_max_s,
    )
    desk = FrontDesk(store, ServerClient(settings, clock), worker.link, nudge=worker.nudge, clock=clock)
    return desk, worker
