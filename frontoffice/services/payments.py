"""Recording card payments as the terminal reported them (masked data only)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontoffice.models import Kiosk, Payment, Property, Reservation, ReservationStatus
from frontoffice.models.base import utcnow
from frontoffice.schemas import PaymentIn
from frontoffice.services import audit, changes
from frontoffice.services.errors import Conflict, Invalid


def record_payment(
    session: Session,
    prop: Property,
    kiosk: Kiosk | None,
    reservation: Reservation,
    data: PaymentIn,
    idempotency_key: str,
) -> Payment:
    if data.currency != prop.currency:
        raise Invalid(f"payments here are in {prop.currency}", code="wrong_currency")
    if reservation.status in (ReservationStatus.CANCELLED, ReservationStatus.NO_SHOW):
        raise Conflict(f"the reservation is {reservation.status.value}", code="reservation_closed")
    existing = session.get(Payment, data.id)
    if existing is not None:
        # The same payment id twice is the same payment: never a second charge.
        same_kiosk = existing.kiosk_id == (kiosk.id if kiosk else None)
        if existing.reservation_id != reservation.id or existing.amount != data.amount or not same_kiosk:
            raise Conflict("this payment id was used for another payment", code="payment_id_reused")
        return existing
    payment = Payment(
        **data.model_dump(),
        reservation_id=reservation.id,
        kiosk_id=kiosk.id if kiosk else None,
        idempotency_key=idempotency_key,
        business_date=prop.business_date,
        created_at=utcnow(),  # set now, not at flush: the answer carries it
    )
    session.add(payment)
    changes.record(session, prop.id, changes.RESERVATION, reservation.id)
    actor = f"kiosk:{kiosk.name}" if kiosk else "desk"
    audit.record(
        session,
        prop.id,
        actor,
        f"payment_{data.kind.value}",
        "reservation",
        reservation.id,
        kiosk_id=kiosk.id if kiosk else None,
        amount=data.amount,
        currency=data.currency,
        payment_id=str(data.id),
    )
    return payment
