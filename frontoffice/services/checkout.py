"""Check-out at a kiosk: finding the guest's in-house stay, what is still held on their card, and
what keeps a stay from checking out without the desk."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from frontoffice.models import Charge, Payment, PaymentKind, Property, Reservation, ReservationStatus
from frontoffice.schemas import HoldOut, StaySearchIn
from frontoffice.services import lookup
from frontoffice.services.errors import Conflict

# Why a stay must see the desk (the kiosk tells the guest kindly; the desk sees the code).
NOT_IN_HOUSE = "not_in_house"
DISPUTED = "disputed_charges"
PAYMENT_REVIEW = "payment_review"  # a payment's outcome is unknown: the balance is not certain
IDENTITY_REJECTED = "identity_rejected"  # the desk found the ID photo is not this guest's


def find(session: Session, prop: Property, query: StaySearchIn) -> list[Reservation]:
    """The receipt's QR names one stay (whatever its state: the kiosk then says why it cannot
    check out); room + surname finds the in-house stays in that room under the arrival search's
    name rules."""
    if query.qr_token is not None:
        return lookup.by_qr_token(session, prop, query.qr_token)
    assert query.room is not None and query.surname is not None  # the schema guarantees both
    return lookup.in_house(session, prop, query.room, query.surname)


def refusal(session: Session, reservation: Reservation) -> str:
    """Why this stay cannot check out at a kiosk ("" when it can; a balance is paid there)."""
    if reservation.status is not ReservationStatus.CHECKED_IN:
        return NOT_IN_HOUSE
    if reservation.identity_rejected_at is not None:
        return IDENTITY_REJECTED
    disputed = exists().where(Charge.reservation_id == reservation.id, Charge.disputed)
    if session.scalar(select(disputed)):
        return DISPUTED
    unsettled = exists().where(
        Payment.reservation_id == reservation.id, Payment.review_reason != "", Payment.reviewed_at.is_(None)
    )
    if session.scalar(select(unsettled)):
        return PAYMENT_REVIEW
    return ""


def require_kiosk_check_out(session: Session, reservation: Reservation) -> None:
    reason = refusal(session, reservation)
    if reason:
        raise Conflict("this stay checks out at the front desk", code=reason, status=reservation.status.value)


def open_hold(session: Session, reservation: Reservation) -> HoldOut | None:
    """The deposit still held on the card: the newest pre-authorisation (a kiosk holds one deposit
    per stay), unless a capture has booked on it since. A capture (ZVT Book Total) closes the
    pre-authorisation: what it did not take is no longer held, so it is never booked twice."""
    newest = session.scalars(
        select(Payment)
        .where(Payment.reservation_id == reservation.id, Payment.kind == PaymentKind.PREAUTH)
        .order_by(Payment.created_at.desc())
        .limit(1)
    ).first()
    if newest is None:
        return None
    captured = exists().where(
        Payment.reservation_id == reservation.id,
        Payment.kind == PaymentKind.CAPTURE,
        Payment.created_at >= newest.created_at,
    )
    if session.scalar(select(captured)):
        return None
    return HoldOut(amount=newest.amount, terminal_id=newest.terminal_id, terminal_ref=newest.terminal_ref)
