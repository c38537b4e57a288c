"""What the staff dashboard shows and the few things staff do there (resolve, review)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.elements import ColumnElement

from frontoffice.models import (
    AssistanceRequest,
    Charge,
    DeadLetter,
    Guest,
    ImageKind,
    Kiosk,
    NightAudit,
    Payment,
    Property,
    RegistrationImage,
    Reservation,
    ReservationStatus,
    Room,
    RoomType,
)
from frontoffice.models.base import utcnow
from frontoffice.services import audit, changes, checkout, folio, mail, stays
from frontoffice.services.errors import Conflict, NotFound

OfStay = TypeVar("OfStay", Charge, Payment, RegistrationImage)

# A kiosk unheard of for longer than this is shown as silent (it beats every minute or so).
SILENT_AFTER = timedelta(minutes=5)
ARRIVING = (ReservationStatus.CONFIRMED, ReservationStatus.CHECKED_IN)
GONE_OR_GOING = (ReservationStatus.CHECKED_IN, ReservationStatus.CHECKED_OUT)
# A stay still open: its charges may be contested, its room's code shown to staff.
OPEN = (ReservationStatus.CONFIRMED, ReservationStatus.CHECKED_IN)


@dataclass(frozen=True, slots=True)
class Stay:
    """One line of the front-desk lists: plain values, so a page of 500 renders quickly."""

    id: uuid.UUID
    code: str
    guest: str
    room: str
    room_type: str
    arrival: date
    departure: date
    status: ReservationStatus
    checked_in_at: datetime | None
    checked_in_by: str
    balance: int
    signature: uuid.UUID | None  # the registration card's signature image, if the guest signed
    identity_rejected: bool = False  # the desk found the kiosk's ID photo is not this guest's


def _stays(session: Session, prop: Property, *where: ColumnElement[bool]) -> list[Stay]:
    """Stays of the property matching ``where``, by room, with their balances: one query."""
    rows = session.execute(
        select(
            Reservation.id,
            Reservation.confirmation_code,
            Guest.given_names,
            Guest.surname,
            Room.number,
            RoomType.code,
            Reservation.arrival,
            Reservation.departure,
            Reservation.status,
            Reservation.checked_in_at,
            Reservation.checked_in_by,
            folio.balance_of(Reservation.id),
            _image_of(Reservation.id, ImageKind.SIGNATURE),
            Reservation.identity_rejected_at,
        )
        .join(Guest, Guest.id == Reservation.guest_id)
        .join(RoomType, RoomType.id == Reservation.room_type_id)
        .outerjoin(Room, Room.id == Reservation.room_id)
        .where(Reservation.property_id == prop.id, *where)
        .order_by(Room.number.is_(None), Room.number, Guest.surname)  # no room yet: last, on both DBs
    ).all()
    return [
        Stay(
            rid,
            code,
            f"{given} {surname}".strip(),
            room or "",
            kind,
            arrive,
            leave,
            status,
            at,
            by,
            int(balance),
            sig,
            rejected is not None,
        )
        for (
            rid,
            code,
            given,
            surname,
            room,
            kind,
            arrive,
            leave,
            status,
            at,
            by,
            balance,
            sig,
            rejected,
        ) in rows
    ]


def _image_of(reservation_id: ColumnElement[uuid.UUID], kind: ImageKind) -> Any:
    return (
        select(RegistrationImage.id)
        .where(RegistrationImage.reservation_id == reservation_id, RegistrationImage.kind == kind)
        .limit(1)
        .scalar_subquery()
    )


def business_day_start(prop: Property) -> datetime:
    """When the property's business date began, local midnight (it ends at the night audit)."""
    return datetime.combine(prop.business_date, time(0), ZoneInfo(prop.timezone))


def arrivals_and_departures(session: Session, prop: Property) -> tuple[list[Stay], list[Stay]]:
    """Today's arrivals (still to come, already in, or in and gone again) and departures (due
    today, still here or gone, and whoever checked out today ahead of their date)."""
    day = prop.business_date
    left_today = Reservation.checked_out_at >= business_day_start(prop)
    stays = _stays(
        session,
        prop,
        Reservation.status.in_(ARRIVING + GONE_OR_GOING),
        or_(Reservation.arrival == day, Reservation.departure == day, left_today),
    )
    arrivals = [s for s in stays if s.arrival == day]
    departures = [
        s
        for s in stays
        if (s.departure == day and s.status in GONE_OR_GOING) or s.status is ReservationStatus.CHECKED_OUT
    ]
    return arrivals, departures


def in_house(session: Session, prop: Property) -> list[Stay]:
    return _stays(session, prop, Reservation.status == ReservationStatus.CHECKED_IN)


@dataclass(frozen=True)
class DeviceState:
    name: str
    health: str  # ok, faulty or unknown: "could not tell" is never shown as fine
    paper: str
    detail: str


@dataclass(frozen=True)
class KioskState:
    kiosk: Kiosk
    silent: bool
    devices: list[DeviceState]
    refused: str = ""  # why the server refuses what this kiosk sends (it keeps it until then)


def _device(name: str, report: dict[str, Any]) -> DeviceState:
    """One device of a heartbeat, as the kiosk reports it (``drivers.base.HealthReport.as_dict``)."""
    health = report.get("health")
    detail = report.get("detail")
    paper = detail.get("paper", "") if isinstance(detail, dict) else ""
    return DeviceState(
        name=name,
        health=health if health in ("ok", "faulty") else "unknown",
        paper=str(paper),
        detail=str(report.get("reason", "")),
    )


def _refused(kiosk: Kiosk) -> str:
    if kiosk.refused_at is None:
        return ""
    return f"{kiosk.refused_count} call(s) refused: {kiosk.refused_reason}"


def kiosks(session: Session, prop: Property, now: datetime) -> list[KioskState]:
    """Registered kiosks, and revoked ones still calling (they hold records the server refuses)."""
    rows = session.scalars(select(Kiosk).where(Kiosk.property_id == prop.id).order_by(Kiosk.name))
    return [
        KioskState(
            kiosk=k,
            silent=k.last_seen_at is None or now - k.last_seen_at > SILENT_AFTER,
            devices=[_device(name, report) for name, report in sorted((k.devices or {}).items())],
            refused=_refused(k),
        )
        for k in rows
        if k.revoked_at is None or k.refused_at is not None
    ]


def kiosks_to_see(session: Session, prop: Property, now: datetime) -> int:
    """Kiosks the server cannot hear (silent) or refuses: for the navigation bar."""
    return sum(1 for k in kiosks(session, prop, now) if k.silent or k.refused)


def open_assistance(
    session: Session, prop: Property
) -> list[tuple[AssistanceRequest, str, Reservation | None]]:
    rows = session.execute(
        select(AssistanceRequest, Kiosk.name, Reservation)
        .outerjoin(Kiosk, Kiosk.id == AssistanceRequest.kiosk_id)  # none: the server raised it
        # Only this property's booking, even for a request filed before kiosks were held to that.
        .outerjoin(
            Reservation,
            (Reservation.id == AssistanceRequest.reservation_id) & (Reservation.property_id == prop.id),
        )
        .where(AssistanceRequest.property_id == prop.id, AssistanceRequest.resolved_at.is_(None))
        .order_by(AssistanceRequest.created_at)
    ).all()
    return [(a, name or "", r) for a, name, r in rows]


def open_dead_letters(session: Session, prop: Property) -> list[tuple[DeadLetter, str]]:
    rows = session.execute(
        select(DeadLetter, Kiosk.name)
        .join(Kiosk, Kiosk.id == DeadLetter.kiosk_id)
        .where(Kiosk.property_id == prop.id, DeadLetter.resolved_at.is_(None))
        .order_by(DeadLetter.created_at)
    ).all()
    return [(d, name) for d, name in rows]


def payments_to_review(session: Session, prop: Property) -> list[tuple[Payment, Reservation, str]]:
    rows = session.execute(
        select(Payment, Reservation, Kiosk.name)
        .join(Reservation, Reservation.id == Payment.reservation_id)
        .outerjoin(Kiosk, Kiosk.id == Payment.kiosk_id)
        .where(Reservation.property_id == prop.id, Payment.review_reason != "", Payment.reviewed_at.is_(None))
        .order_by(Payment.created_at)
    ).all()
    return [(p, r, name or "desk") for p, r, name in rows]


@dataclass(frozen=True)
class StayDetail:
    """One stay as the desk opens it: the folio line by line, and what keeps it from a kiosk check-out."""

    reservation: Reservation
    charges: list[Charge]
    payments: list[Payment]
    totals: folio.Totals
    kiosk_check_out: str  # "" when the guest may check out at a kiosk, else the reason
    signature: uuid.UUID | None
    id_photo: uuid.UUID | None

    @property
    def open(self) -> bool:
        """Still open: its charges may be contested (a closed stay's bill is settled at the desk)."""
        return self.reservation.status in OPEN


def stay(session: Session, prop: Property, reservation_id: uuid.UUID) -> StayDetail:
    reservation = session.scalars(
        select(Reservation)
        .where(Reservation.id == reservation_id, Reservation.property_id == prop.id)
        .options(
            joinedload(Reservation.guest), joinedload(Reservation.room), joinedload(Reservation.room_type)
        )
    ).first()
    if reservation is None:
        raise NotFound("no such stay")
    images = dict(
        session.execute(
            select(RegistrationImage.kind, RegistrationImage.id).where(
                RegistrationImage.reservation_id == reservation.id
            )
        ).all()
    )
    return StayDetail(
        reservation,
        list(
            session.scalars(
                select(Charge)
                .where(Charge.reservation_id == reservation.id)
                .order_by(Charge.night.is_(None), Charge.night, Charge.created_at)
            )
        ),
        list(
            session.scalars(
                select(Payment).where(Payment.reservation_id == reservation.id).order_by(Payment.created_at)
            )
        ),
        folio.totals(session, [reservation.id])[reservation.id],
        checkout.refusal(session, reservation),
        images.get(ImageKind.SIGNATURE),
        images.get(ImageKind.ID_PHOTO),
    )


def reveal_access_code(session: Session, prop: Property, reservation_id: uuid.UUID, actor: str) -> str:
    """The room's access code, for the desk to hand to a guest whose receipt sends them there (an
    offline check-in prints none); every look is in the audit log under the staff member's name."""
    reservation = session.scalars(
        select(Reservation).where(Reservation.id == reservation_id, Reservation.property_id == prop.id)
    ).first()
    if reservation is None:
        raise NotFound("no such stay")
    if reservation.status is not ReservationStatus.CHECKED_IN or not reservation.access_code:
        raise Conflict("this stay has no access code: it is not in house", code="no_access_code")
    audit.record(session, prop.id, actor, "access_code_viewed", "reservation", reservation.id)
    return reservation.access_code


def id_photos_to_verify(session: Session, prop: Property) -> list[tuple[uuid.UUID, Reservation, str]]:
    """ID cards without MRZ photographed at a kiosk, oldest first, with the stay and its room."""
    rows = session.execute(
        select(RegistrationImage.id, Reservation, Room.number)
        .join(Reservation, Reservation.id == RegistrationImage.reservation_id)
        .outerjoin(Room, Room.id == Reservation.room_id)
        .where(Reservation.property_id == prop.id, RegistrationImage.kind == ImageKind.ID_PHOTO)
        .options(joinedload(Reservation.guest))
        .order_by(RegistrationImage.created_at)
    ).all()
    return [(image, r, room or "") for image, r, room in rows]


def _of_stay(
    session: Session, prop: Property, model: type[OfStay], row_id: uuid.UUID, *where: ColumnElement[bool]
) -> OfStay | None:
    """The charge, payment or image ``row_id`` of one of this property's stays (None if not)."""
    return session.scalars(
        select(model)
        .join(Reservation, Reservation.id == model.reservation_id)
        .where(model.id == row_id, Reservation.property_id == prop.id, *where)
    ).first()


def registration_image(session: Session, prop: Property, image_id: uuid.UUID) -> RegistrationImage:
    row = _of_stay(session, prop, RegistrationImage, image_id)
    if row is None:
        raise NotFound("no such image")
    return row


@dataclass(frozen=True)
class Counts:
    assistance: int
    dead_letters: int
    payments: int
    id_photos: int
    mail: int  # guests' e-mails failed or being retried


def counts(session: Session, prop: Property) -> Counts:
    """What waits for staff, for the navigation bar: one round trip."""
    assistance = (
        select(func.count())
        .where(AssistanceRequest.property_id == prop.id, AssistanceRequest.resolved_at.is_(None))
        .scalar_subquery()
    )
    dead = (
        select(func.count())
        .select_from(DeadLetter)
        .join(Kiosk, Kiosk.id == DeadLetter.kiosk_id)
        .where(Kiosk.property_id == prop.id, DeadLetter.resolved_at.is_(None))
        .scalar_subquery()
    )
    payments = (
        select(func.count())
        .select_from(Payment)
        .join(Reservation, Reservation.id == Payment.reservation_id)
        .where(Reservation.property_id == prop.id, Payment.review_reason != "", Payment.reviewed_at.is_(None))
        .scalar_subquery()
    )
    photos = (
        select(func.count())
        .select_from(RegistrationImage)
        .join(Reservation, Reservation.id == RegistrationImage.reservation_id)
        .where(Reservation.property_id == prop.id, RegistrationImage.kind == ImageKind.ID_PHOTO)
        .scalar_subquery()
    )
    mail_troubled = select(func.count()).where(mail.troubled_filter(prop)).scalar_subquery()
    return Counts(*session.execute(select(assistance, dead, payments, photos, mail_troubled)).one())


def last_audits(session: Session, prop: Property, limit: int = 5) -> list[NightAudit]:
    return list(
        session.scalars(
            select(NightAudit)
            .where(NightAudit.property_id == prop.id)
            .order_by(NightAudit.business_date.desc())
            .limit(limit)
        )
    )


# --- actions: each idempotent (a second click changes nothing) and audited ---------------------


def resolve_assistance(session: Session, prop: Property, request_id: uuid.UUID, actor: str) -> None:
    row = session.scalars(
        select(AssistanceRequest).where(
            AssistanceRequest.id == request_id, AssistanceRequest.property_id == prop.id
        )
    ).first()
    if row is None:
        raise NotFound("no such request for assistance")
    if row.resolved_at is None:
        row.resolved_at = utcnow()
        audit.record(session, prop.id, actor, "assistance_resolved", "assistance_request", row.id)


def resolve_dead_letter(session: Session, prop: Property, letter_id: int, actor: str) -> None:
    row = session.scalars(
        select(DeadLetter)
        .join(Kiosk, Kiosk.id == DeadLetter.kiosk_id)
        .where(DeadLetter.id == letter_id, Kiosk.property_id == prop.id)
    ).first()
    if row is None:
        raise NotFound("no such dead letter")
    if row.resolved_at is None:
        row.resolved_at = utcnow()
        letter = str(row.id)
        audit.record(session, prop.id, actor, "dead_letter_resolved", "dead_letter", letter, op=row.op_id)


def review_payment(session: Session, prop: Property, payment_id: uuid.UUID, actor: str) -> None:
    row = _of_stay(session, prop, Payment, payment_id)
    if row is None:
        raise NotFound("no such payment")
    if row.reviewed_at is None:
        row.reviewed_at, row.reviewed_by = utcnow(), actor
        audit.record(session, prop.id, actor, "payment_reviewed", "payment", row.id)


def verify_id_photo(session: Session, prop: Property, image_id: uuid.UUID, actor: str, matches: bool) -> None:
    """The desk compared the photo with the guest's booking: the outcome is audited, the photo deleted
    (it was kept only for this). A second click finds nothing left to do."""
    row = _of_stay(session, prop, RegistrationImage, image_id, RegistrationImage.kind == ImageKind.ID_PHOTO)
    if row is None:
        return
    if matches:
        audit.record(session, prop.id, actor, "id_photo_verified", "reservation", row.reservation_id)
    else:
        reservation = stays.get_reservation(session, prop, row.reservation_id, lock=True, related=False)
        _reject_identity(session, prop, reservation, actor)
    session.delete(row)


def _reject_identity(session: Session, prop: Property, reservation: Reservation, actor: str) -> None:
    """Someone else's ID got this room: its access code stops working, the stay is flagged (no kiosk
    check-out, no new code but from the desk) and a help request asks staff to see the guest."""
    now = utcnow()
    revoked = bool(reservation.access_code)
    reservation.access_code = ""
    reservation.identity_rejected_at, reservation.identity_rejected_by = now, actor
    session.add(
        AssistanceRequest(
            id=uuid.uuid4(),
            property_id=prop.id,
            kiosk_id=None,
            screen="id_photos",
            reason="id_photo_rejected: the ID photo is not this guest's; access code revoked, see the guest",
            reservation_id=reservation.id,
            created_at=now,
        )
    )
    changes.record(session, prop.id, changes.RESERVATION, reservation.id)
    audit.record(
        session,
        prop.id,
        actor,
        "id_photo_rejected",
        "reservation",
        reservation.id,
        access_code_revoked=revoked,
    )


def clear_identity(session: Session, prop: Property, reservation_id: uuid.UUID, actor: str) -> None:
    """The desk saw the guest's own ID: the flag goes, and an in-house guest gets a new access code
    (the old one stays void). Clearing what is not flagged changes nothing."""
    reservation = stays.get_reservation(session, prop, reservation_id, lock=True, related=False)
    if reservation.identity_rejected_at is None:
        return
    reservation.identity_rejected_at, reservation.identity_rejected_by = None, ""
    issued = reservation.status is ReservationStatus.CHECKED_IN
    if issued:
        reservation.access_code = stays.new_access_code()
    changes.record(session, prop.id, changes.RESERVATION, reservation.id)
    audit.record(
        session,
        prop.id,
        actor,
        "identity_checked_at_desk",
        "reservation",
        reservation.id,
        access_code_issued=issued,
    )


def set_dispute(
    session: Session, prop: Property, charge_id: uuid.UUID, actor: str, disputed: bool
) -> uuid.UUID:
    """The guest contests a charge (the stay then checks out at the desk), or the desk settled it.
    Returns the stay's id; setting what is already set changes nothing."""
    charge = _of_stay(session, prop, Charge, charge_id)
    if charge is None:
        raise NotFound("no such charge")
    status = session.scalar(select(Reservation.status).where(Reservation.id == charge.reservation_id))
    if status not in OPEN:
        raise Conflict("this stay is closed: its bill can no longer be contested here", code="stay_closed")
    if charge.disputed != disputed:
        charge.disputed = disputed
        action = "charge_disputed" if disputed else "charge_dispute_settled"
        audit.record(
            session, prop.id, actor, action, "reservation", charge.reservation_id, charge=str(charge.id)
        )
        changes.record(session, prop.id, changes.RESERVATION, charge.reservation_id)
    return charge.reservation_id
