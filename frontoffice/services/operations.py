"""What a kiosk can change, as plain operations shared by the API routes and the sync push.

Each operation takes a session in a write transaction, the calling kiosk and a validated
payload, and returns the JSON body of its answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from frontoffice.models import AssistanceRequest, Kiosk, Property
from frontoffice.models.base import utcnow
from frontoffice.schemas import (
    AssistanceIn,
    AuditIn,
    CheckInIn,
    CheckInOut,
    CheckOutOut,
    Instant,
    PaymentIn,
    PaymentOut,
    WalkInIn,
)
from frontoffice.services import audit, checkout, invoices, payments, stays, walkin
from frontoffice.services.errors import Conflict
from frontoffice.services.views import reservation_out


@dataclass(frozen=True)
class Caller:
    kiosk: Kiosk
    property: Property

    @property
    def actor(self) -> str:
        return f"kiosk:{self.kiosk.name}"


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckInOp(_Op):
    reservation_id: uuid.UUID
    body: CheckInIn = CheckInIn()
    at: Instant | None = None


class CheckOutOp(_Op):
    reservation_id: uuid.UUID
    at: Instant | None = None


class PaymentOp(_Op):
    reservation_id: uuid.UUID
    payment: PaymentIn


def check_in(session: Session, caller: Caller, op: CheckInOp, key: str) -> dict[str, Any]:
    reservation = stays.get_reservation(session, caller.property, op.reservation_id, lock=True)
    stays.check_in(
        session, caller.property, reservation, op.body.registration, caller.actor, op.at or utcnow()
    )
    out = reservation_out(session, caller.property, reservation)
    return CheckInOut(**dict(out), access_code=reservation.access_code).model_dump(mode="json")


def check_out(session: Session, caller: Caller, op: CheckOutOp, key: str) -> dict[str, Any]:
    reservation = stays.get_reservation(session, caller.property, op.reservation_id, lock=True)
    checkout.require_kiosk_check_out(session, reservation)  # a kiosk is the only caller
    stays.check_out(session, caller.property, reservation, caller.actor, op.at or utcnow())
    out = reservation_out(session, caller.property, reservation)
    invoice = invoices.invoice_of(session, reservation)
    assert invoice is not None  # every check-out issues one
    return CheckOutOut(**dict(out), invoice_number=invoice.label).model_dump(mode="json")


def payment(session: Session, caller: Caller, op: PaymentOp, key: str) -> dict[str, Any]:
    reservation = stays.get_reservation(session, caller.property, op.reservation_id, lock=True, related=False)
    row = payments.record_payment(session, caller.property, caller.kiosk, reservation, op.payment, key)
    return PaymentOut.model_validate(row).model_dump(mode="json")


def walk_in(session: Session, caller: Caller, op: WalkInIn, key: str) -> dict[str, Any]:
    if op.payment is not None:
        walkin.check_payment(op.payment, op.expected_total)
    reservation = walkin.create_walkin(session, caller.property, op, source="kiosk", kiosk_id=caller.kiosk.id)
    if op.payment is not None:  # in the same transaction: booking, room and payment, or none
        payments.record_payment(session, caller.property, caller.kiosk, reservation, op.payment, key)
    audit.record(
        session,
        caller.property.id,
        caller.actor,
        "walk_in",
        "reservation",
        reservation.id,
        kiosk_id=caller.kiosk.id,
    )
    return reservation_out(session, caller.property, reservation).model_dump(mode="json")


def assistance(session: Session, caller: Caller, op: AssistanceIn, key: str) -> dict[str, Any]:
    if op.reservation_id is not None:  # only one of this property's own (a kiosk never sees another's)
        stays.get_reservation(session, caller.property, op.reservation_id, lock=False, related=False)
    existing = session.get(AssistanceRequest, op.id)
    if existing is not None and existing.kiosk_id != caller.kiosk.id:
        raise Conflict("this assistance request id was used by another kiosk", code="assistance_id_reused")
    if existing is None:
        session.add(
            AssistanceRequest(
                id=op.id,
                property_id=caller.property.id,
                kiosk_id=caller.kiosk.id,
                screen=op.screen,
                reason=op.reason,
                reservation_id=op.reservation_id,
                created_at=op.created_at,
            )
        )
    return {"id": str(op.id)}


def audit_event(session: Session, caller: Caller, op: AuditIn, key: str) -> dict[str, Any]:
    audit.record(
        session,
        caller.property.id,
        op.actor,
        op.action,
        op.entity,
        op.entity_id,
        kiosk_id=caller.kiosk.id,
        at=op.at,
        **op.detail,
    )
    return {}


Operation = Callable[[Session, Caller, Any, str], dict[str, Any]]

# The op types a kiosk may push, with the shape of each payload.
OPERATIONS: dict[str, tuple[type[BaseModel], Operation]] = {
    "check_in": (CheckInOp, check_in),
    "check_out": (CheckOutOp, check_out),
    "payment": (PaymentOp, payment),
    "walk_in": (WalkInIn, walk_in),
    "assistance_request": (AssistanceIn, assistance),
    "audit": (AuditIn, audit_event),
}
