"""The guest's bill: charges and payments, integer minor units plus an ISO 4217 code."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from frontoffice.models.base import Base, UTCDateTime, enum_column, utcnow


class ChargeType(enum.StrEnum):
    ROOM = "room"
    SERVICE = "service"
    TAX = "tax"
    EXTRA = "extra"


class Charge(Base):
    __tablename__ = "charge"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    reservation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reservation.id"), index=True)
    type: Mapped[ChargeType] = mapped_column(enum_column(ChargeType))
    description: Mapped[str] = mapped_column(String(200))
    night: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # The business date it was posted on (booking, or a night audit) and the kiosk that sold it:
    # what the daily totals group by.
    business_date: Mapped[date] = mapped_column(Date, index=True)
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The guest contests this charge: only the desk can settle it, so no kiosk check-out meanwhile.
    disputed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class PaymentKind(enum.StrEnum):
    SALE = "sale"  # money taken
    PREAUTH = "preauth"  # money held, not taken: does not reduce the balance
    CAPTURE = "capture"  # a held amount taken
    REFUND = "refund"  # money given back


class Payment(Base):
    """A card payment as the terminal reported it. Never a full card number: masked PAN only."""

    __tablename__ = "payment"
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the client
    reservation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reservation.id"), index=True)
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosk.id"))
    idempotency_key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[PaymentKind] = mapped_column(enum_column(PaymentKind))
    method: Mapped[str] = mapped_column(String(16), default="card")
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    card_brand: Mapped[str] = mapped_column(String(32), default="")
    masked_pan: Mapped[str] = mapped_column(String(32), default="")
    auth_code: Mapped[str] = mapped_column(String(16), default="")
    terminal_id: Mapped[str] = mapped_column(String(16), default="")
    terminal_ref: Mapped[str] = mapped_column(String(32), default="")  # trace / receipt number
    business_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by the kiosk when staff must look at it (e.g. reconciled after a crash); cleared by review.
    review_reason: Mapped[str] = mapped_column(String(200), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str] = mapped_column(String(80), default="")


class InvoiceSeries(Base):
    """A property's invoice numbers: gap-free, counted here, taken inside the check-out's transaction
    (a check-out that rolls back gives its number back)."""

    __tablename__ = "invoice_series"

    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16))
    last_number: Mapped[int] = mapped_column(BigInteger, default=0)


class Invoice(Base):
    """The invoice a stay got at check-out: one per stay, its number unique in the property."""

    __tablename__ = "invoice"
    __table_args__ = (UniqueConstraint("property_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"))
    reservation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reservation.id"), unique=True)
    number: Mapped[int] = mapped_column(BigInteger)
    label: Mapped[str] = mapped_column(String(40))  # as printed: prefix and number
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
