"""The audit trail: who did what to which record."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from frontoffice.models import AuditEvent
from frontoffice.models.base import utcnow


def record(
    session: Session,
    property_id: uuid.UUID,
    actor: str,
    action: str,
    entity: str = "",
    entity_id: uuid.UUID | str = "",
    *,
    kiosk_id: uuid.UUID | None = None,
    at: datetime | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEvent(
            property_id=property_id,
            kiosk_id=kiosk_id,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=detail,
            at=at or utcnow(),
        )
    )
