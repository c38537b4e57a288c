"""The back office: night audit runs and the staff who log in to the dashboard."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontoffice.models.base import Base, UTCDateTime, utcnow


class NightAudit(Base):
    """One run of the night audit: it closed ``business_date``. Unique, so a day is closed once."""

    __tablename__ = "night_audit"
    __table_args__ = (UniqueConstraint("property_id", "business_date"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"))
    business_date: Mapped[date] = mapped_column(Date)
    next_business_date: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(80))
    no_shows: Mapped[int] = mapped_column(Integer)
    overstays: Mapped[int] = mapped_column(Integer)
    nights_posted: Mapped[int] = mapped_column(Integer)
    amount_posted: Mapped[int] = mapped_column(BigInteger)  # minor units, property currency
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffUser(Base):
    __tablename__ = "staff_user"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # scrypt, see services/staff.py
    # Signs this user's session cookies; replaced at logout and on a new password, which ends them all.
    session_key: Mapped[bytes] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
