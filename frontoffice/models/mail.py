"""The outbox of e-mails to guests: each receipt or invoice written when the stay changed, sent by
the mailer (``services/mailer.py``) once the mail server takes it."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontoffice.models.base import Base, UTCDateTime, enum_column, utcnow


class MailKind(enum.StrEnum):
    CHECK_IN = "check_in"  # the check-in receipt: room, Wi-Fi, breakfast, what was paid
    CHECK_OUT = "check_out"  # the invoice


class MailStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENT = "sent"  # the mail server accepted it
    FAILED = "failed"  # refused for good, or out of attempts: staff see it


class OutgoingMail(Base):
    """One e-mail, written in full when queued. One per stay and kind, so a replayed check-in or a
    second worker never sends it twice."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (UniqueConstraint("reservation_id", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)
    reservation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reservation.id"))
    kind: Mapped[MailKind] = mapped_column(enum_column(MailKind))
    recipient: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus), default=MailStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
