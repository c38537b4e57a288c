"""Admin mode's ties to the server, all through the kiosk's store and its sync outbox: the audit
trail, the end-of-day report, and what the status page says about the connection.

Nothing here waits for the server: a record is queued in the outbox (one local transaction) and
the sync worker delivers it exactly once, now or when the server is back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from kiosk.admin.audit import AuditRecord
from kiosk.admin.staff import Connectivity
from kiosk.store import Store
from kiosk.sync import Link

ENTITY = "admin"  # the server's audit trail files admin events under this entity


class Auditor(Protocol):
    """The front desk's ``audit``: written locally and queued for the server in one transaction."""

    def audit(
        self, action: str, entity: str = "", entity_id: str = "", actor: str = "kiosk", **detail: Any
    ) -> None: ...


def audit_forwarder(desk: Auditor) -> Callable[[AuditRecord], None]:
    """An ``AuditLog`` sink that queues each admin record for the server's audit trail."""

    def forward(record: AuditRecord) -> None:
        actor = record.actor or "kiosk"
        desk.audit(record.event, ENTITY, record.id, actor=actor, role=record.role, **record.detail)

    return forward


def report_sender(desk: Auditor) -> Callable[[Mapping[str, Any]], None]:
    """``StaffActions.send_report``: the day's totals go to the server's audit trail, keyed by
    the report id (a repeated end of day is a second report, never a changed first one)."""

    def send(payload: Mapping[str, Any]) -> None:
        desk.audit("end_of_day_report", ENTITY, str(payload["report_id"]), **dict(payload))

    return send


def connectivity_reader(store: Store, link: Link) -> Callable[[], Connectivity]:
    """What the status page shows: online or not, the last completed sync, the outbox's depth
    and the ops the server refused."""

    def read() -> Connectivity:
        last = store.meta("last_sync_at")
        state = link.state
        return Connectivity(
            online=state.online,
            reason=state.reason,
            refused=state.refused,
            last_sync=datetime.fromisoformat(last) if last else None,
            outbox_depth=store.depth(),
            dead_letters=len(store.dead_letters()),
        )

    return read
