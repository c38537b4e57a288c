"""Guests, reservations and the room-nights that make a room unavailable."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontoffice.models.base import Base, UTCDateTime, enum_column, utcnow
from frontoffice.models.property import Room, RoomType


class Guest(Base):
    __tablename__ = "guest"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    # A single-word name (common in Indonesia) is kept as surname with empty given names.
    surname: Mapped[str] = mapped_column(String(120))
    given_names: Mapped[str] = mapped_column(String(160), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    nationality: Mapped[str] = mapped_column(String(3), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()


class ReservationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Reservation(Base):
    """One room for one stay. A booking of two rooms is two reservations sharing a confirmation code."""

    __tablename__ = "reservation"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    confirmation_code: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[ReservationStatus] = mapped_column(
        enum_column(ReservationStatus), default=ReservationStatus.CONFIRMED
    )
    arrival: Mapped[date] = mapped_column(Date, index=True)
    departure: Mapped[date] = mapped_column(Date, index=True)
    adults: Mapped[int] = mapped_column(Integer, default=1)
    children: Mapped[int] = mapped_column(Integer, default=0)
    room_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room_type.id"))
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("room.id"))
    guest_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("guest.id"), index=True)
    # Pre-authorisation to hold at check-in for incidentals, minor units.
    deposit_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    source: Mapped[str] = mapped_column(String(16), default="desk")  # desk, ota, kiosk
    terms_version: Mapped[str] = mapped_column(String(32), default="")
    # The room's code for the guest (receipt, keypad), issued at check-in and voided at check-out.
    # Never in a search answer or the kiosks' copy: only the check-in answer carries it.
    access_code: Mapped[str] = mapped_column(String(8), default="")
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by: Mapped[str] = mapped_column(String(80), default="")  # "kiosk:<name>" or "desk"
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The desk found the ID photo taken at the kiosk is not this guest's: the access code is
    # revoked, and the stay sees the desk (no kiosk check-out, no new code) until cleared there.
    identity_rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    identity_rejected_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    guest: Mapped[Guest] = relationship()
    room_type: Mapped[RoomType] = relationship()
    room: Mapped[Room | None] = relationship()

    @property
    def nights(self) -> int:
        return (self.departure - self.arrival).days


class RoomNight(Base):
    """One occupied room for one night. The primary key makes a double assignment impossible."""

    __tablename__ = "room_night"

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room.id"), primary_key=True)
    night: Mapped[date] = mapped_column(Date, primary_key=True)
    reservation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reservation.id", ondelete="CASCADE"), index=True
    )


class ImageKind(enum.StrEnum):
    SIGNATURE = "signature"  # the guest's signature on the registration card
    ID_PHOTO = "id_photo"  # an ID card without MRZ, photographed for the desk to verify


class RegistrationImage(Base):
    """An image attached to a stay's registration. An ID photo is deleted once the desk verified it."""

    __tablename__ = "registration_image"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    reservation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("reservation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ImageKind] = mapped_column(enum_column(ImageKind))
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
