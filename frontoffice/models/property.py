"""The hotel: property, room types, rooms, nightly rates."""

from __future__ import annotations

import enum
import uuid
from datetime import date, time

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontoffice.models.base import Base, enum_column


class Property(Base):
    __tablename__ = "property"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    business_date: Mapped[date] = mapped_column(Date)
    check_in_time: Mapped[time] = mapped_column(Time)
    check_out_time: Mapped[time] = mapped_column(Time)
    # Rates in basis points (1000 = 10 %); tax is levied on room + service, as in Indonesia.
    service_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    # The property's tax registration, printed on its invoices (in Indonesia its NPWP).
    tax_id: Mapped[str] = mapped_column(String(32), default="", server_default="")
    wifi_ssid: Mapped[str] = mapped_column(String(64), default="")
    wifi_password: Mapped[str] = mapped_column(String(64), default="")
    breakfast_hours: Mapped[str] = mapped_column(String(64), default="")
    # HMAC key for booking QR tokens; never leaves the server.
    qr_secret: Mapped[bytes] = mapped_column()

    room_types: Mapped[list[RoomType]] = relationship(back_populates="property")


class RoomType(Base):
    __tablename__ = "room_type"
    __table_args__ = (UniqueConstraint("property_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    bed: Mapped[str] = mapped_column(String(64), default="")
    size_m2: Mapped[int] = mapped_column(Integer, default=0)
    max_adults: Mapped[int] = mapped_column(Integer, default=2)
    max_children: Mapped[int] = mapped_column(Integer, default=0)
    base_rate: Mapped[int] = mapped_column(BigInteger)  # minor units, property currency

    property: Mapped[Property] = relationship(back_populates="room_types")


class Occupancy(enum.StrEnum):
    VACANT = "vacant"
    OCCUPIED = "occupied"


class Housekeeping(enum.StrEnum):
    CLEAN = "clean"
    DIRTY = "dirty"
    INSPECTED = "inspected"
    OUT_OF_ORDER = "out_of_order"


READY_STATES = (Housekeeping.CLEAN, Housekeeping.INSPECTED)


class Room(Base):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("property_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    room_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room_type.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    floor: Mapped[int] = mapped_column(Integer)
    # The way to the room in the property's own language, and in others by language code
    # ({"id": "Lantai dasar, …"}): a guest reads it in theirs where the property wrote it.
    directions: Mapped[str] = mapped_column(String(200), default="")
    directions_local: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    occupancy: Mapped[Occupancy] = mapped_column(
        enum_column(Occupancy),
        default=Occupancy.VACANT,
    )
    housekeeping: Mapped[Housekeeping] = mapped_column(
        enum_column(Housekeeping),
        default=Housekeeping.CLEAN,
    )

    room_type: Mapped[RoomType] = relationship()


class Rate(Base):
    """The price of one night of a room type; a night without a row costs the type's base rate."""

    __tablename__ = "rate"

    room_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room_type.id"), primary_key=True)
    night: Mapped[date] = mapped_column(Date, primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
