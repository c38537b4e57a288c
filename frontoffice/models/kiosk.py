"""Kiosks, their health reports, audit events and guests' requests for help."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontoffice.models.base import Base, UTCDateTime, utcnow


class Kiosk(Base):
    __tablename__ = "kiosk"
    __table_args__ = (UniqueConstraint("property_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the bearer token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    app_version: Mapped[str] = mapped_column(String(32), default="")
    outbox_depth: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    devices: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The last call this kiosk made that the server refused (a revoked token, records addressed
    # to another kiosk): the kiosk cannot be heard then, so the dashboard says why it is silent.
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refused_reason: Mapped[str] = mapped_column(String(200), default="")
    refused_count: Mapped[int] = mapped_column(Integer, default=0)


class KioskHeartbeat(Base):
    __tablename__ = "kiosk_heartbeat"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kiosk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("kiosk.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    app_version: Mapped[str] = mapped_column(String(32))
    outbox_depth: Mapped[int] = mapped_column(Integer)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    devices: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosk.id"))
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32), default="")
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssistanceRequest(Base):
    __tablename__ = "assistance_request"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # made by the kiosk
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    # None: raised by the server itself (a decision on the dashboard), not by a kiosk.
    kiosk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kiosk.id"))
    screen: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200), default="")
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reservation.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
