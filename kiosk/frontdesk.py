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
    find_stay(*, qr_token= | room=, surname=) -> list[Booking]      online only (check-out)
    folio(booking) -> Folio                                        online only
    settle_payment(booking, result)   record_payment, then wait until the server has it
    check_out(booking, key) -> Booking                             online only
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
if that room is ready; check-out is never done offline (only the server knows the final bill:
the desk may have posted a charge the kiosk's copy has not seen). The check-in, payments, help
requests and audit events are queued in the store's outbox in the same transaction as the local
change, and the sync worker delivers each exactly once (an interrupted online call is queued
under its own idempotency key).
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from drivers.payment.journal import PaymentJournal
from drivers.payment.model import PaymentResult
from kiosk.config import KioskSettings
from kiosk.serverapi import ServerClient, ServerError, refusal
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
    tax_id: str = ""  # printed on the invoice (in Indonesia the NPWP)
    service_rate_bp: int = 0  # basis points: 1000 is 10 %
    tax_rate_bp: int = 0
    email_receipts: bool = False  # the front office e-mails receipts and invoices to guests

    @classmethod
    def parse(cls, data: dict[str, Any]) -> PropertyInfo:
        # A newer server may say more than this kiosk knows: what it does not know, it leaves.
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        return cls(**{**values, "business_date": date.fromisoformat(data["business_date"])})


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
    directions_local: dict[str, str] = field(default_factory=dict)  # by language code

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Room:
        return cls(**{**data, "id": uuid.UUID(data["id"])})

    def directions_in(self, lang: str) -> str:
        """The way to the room in ``lang`` where the property wrote it, else in its own language."""
        return self.directions_local.get(lang) or self.directions


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
    access_code: str = ""  # the room's code: only a check-in answered by the server carries one
    invoice_number: str = ""  # the number the server gave the invoice: only a check-out carries one
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
    language: str = ""  # the guest's, for what the front office e-mails them
    signature_png: bytes | None = None
    id_photo_jpeg: bytes | None = None  # an ID card without MRZ, for the desk to verify

    def wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"email": self.email, "phone": self.phone, "terms_version": self.terms_version}
        if self.language:
            body["language"] = self.language
        for name in ("signature_png", "id_photo_jpeg"):
            image = getattr(self, name)
            if image is not None:
                body[name] = base64.b64encode(image).decode("ascii")
        return body


@dataclass(frozen=True)
class FolioCharge:
    type: str  # room | service | tax | extra
    description: str
    night: date | None
    amount: int
    disputed: bool


@dataclass(frozen=True)
class FolioPayment:
    kind: str  # sale | preauth | capture | refund
    amount: int
    card_brand: str
    masked_pan: str
    created_at: datetime


@dataclass(frozen=True)
class Hold:
    """What is still pre-authorised on the guest's card, and on which terminal transaction."""

    amount: int
    terminal_id: str
    terminal_ref: str


@dataclass(frozen=True)
class Folio:
    """The bill as the server has it (``FolioOut``); money in minor units of ``currency``."""

    currency: str
    charges: list[FolioCharge]
    payments: list[FolioPayment]
    total: int
    paid: int
    balance: int
    hold: Hold | None
    can_check_out: bool
    reason: str  # why not, in the server's words (not_in_house, disputed_charges, ...)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Folio:
        return cls(
            currency=data["currency"],
            charges=[
                FolioCharge(
                    c["type"],
                    c["description"],
                    date.fromisoformat(c["night"]) if c["night"] else None,
                    c["amount"],
                    c["disputed"],
                )
                for c in data["charges"]
            ],
            payments=[
                FolioPayment(
                    p["kind"],
                    p["amount"],
                    p["card_brand"],
                    p["masked_pan"],
                    datetime.fromisoformat(p["created_at"]),
                )
                for p in data["payments"]
            ],
            total=data["total"],
            paid=data["paid"],
            balance=data["balance"],
            hold=Hold(**data["hold"]) if data.get("hold") else None,
            can_check_out=data["check_out"]["allowed"],
            reason=data["check_out"]["reason"],
        )


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
            if why := refusal(exc):  # the kiosk serves from its copy; staff must register it again
                self.link.report(False, why, refused=True)
                raise Offline(why) from exc
            if exc.code in TRANSIENT or exc.status >= 500:
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
        code = data.pop("access_code", "")  # a door code is not kept at rest on the kiosk
        invoice = data.pop("invoice_number", "")  # a check-out's: printed once, not kept
        with self.store.transaction() as tx:
            tx.merge_reservations([data])
        return replace(Booking.parse(data), access_code=code, invoice_number=invoice)

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

    def settle_payment(self, booking: Booking, result: PaymentResult, timeout_s: float = 10.0) -> None:
        """``record_payment``, then wait until the server has applied it: a check-out right after
        must see the bill paid. Raises Offline when it has not arrived in time (it stays queued
        and is delivered later), Refused when the server refused it."""
        self.record_payment(booking, result)
        key = result.idempotency_key
        deadline = time.monotonic() + timeout_s
        while self.store.known_op(key):
            refused = next((d for d in self.store.dead_letters() if d.op_id == key), None)
            if refused is not None:
                raise Refused("payment_not_recorded", refused.reason)
            if self.link.offline or time.monotonic() >= deadline:
                raise Offline("the payment has not reached the server yet")
            self._nudge()
            time.sleep(0.1)

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

    # -- check-out (never offline: the bill is the server's) ----------------------------------

    def find_stay(
        self, *, qr_token: str | None = None, room: str | None = None, surname: str | None = None
    ) -> list[Booking]:
        """The stay on the check-in receipt's QR, or the in-house stays in ``room`` under ``surname``."""
        if (qr_token is None) == (room is None) or (room is None) != (surname is None):
            raise ValueError("one of: qr_token, room+surname")
        query = {"qr_token": qr_token} if qr_token is not None else {"room": room, "surname": surname}
        try:
            found = self._online("POST", "/api/v1/reservations/search-stay", json=query)["matches"]
        except ServerError as exc:
            raise self._refusal(exc) from exc
        return [Booking.parse(d) for d in found]

    def folio(self, booking: Booking) -> Folio:
        try:
            return Folio.parse(self._online("GET", f"/api/v1/reservations/{booking.id}/folio"))
        except ServerError as exc:
            raise self._refusal(exc) from exc

    def check_out(self, booking: Booking, key: str) -> Booking:
        """Check out under ``key`` (the same key for a retry: a lost answer is replayed, not refused)."""
        try:
            data = self._online(
                "POST", f"/api/v1/reservations/{booking.id}/check-out", headers={"Idempotency-Key": key}
            )
        except ServerError as exc:
            raise self._refusal(exc) from exc
        return self._remember(data)

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
        refused_recheck_s=sync.refused_recheck_s,
        kiosk_name=settings.kiosk.name,
    )
    desk = FrontDesk(store, ServerClient(settings, clock), worker.link, nudge=worker.nudge, clock=clock)
    return desk, worker
