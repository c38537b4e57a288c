"""Shared pieces for the admin tests: a clock that only moves when told, cheap hashes, a mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.admin.audit import AuditLog
from kiosk.admin.credentials import hash_badge, hash_secret, new_badge_salt
from kiosk.admin.unlock import AdminMode
from kiosk.config import AdminSection

CHEAP = 2**8  # scrypt cost for tests: the format and the checks are the same, only faster
STAFF_PIN, TECH_PIN = "2468", "13579"
ANNA_UID, BUDI_UID = "04A31B22", "DEADBEEF"


class Clock:
    """Monotonic seconds and the matching wall time, moved by ``advance``."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.start = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.t - 1000.0)

    def advance(self, seconds: float) -> None:
        self.t += seconds


def admin_section(tmp_path: Path, **overrides: object) -> AdminSection:
    salt = new_badge_salt()
    values: dict[str, object] = {
        "pins": {
            "staff": [hash_secret(STAFF_PIN, n=CHEAP)],
            "technician": [hash_secret(TECH_PIN, n=CHEAP)],
        },
        "badge_salt": salt,
        "badges": [
            {"name": "Anna", "role": "staff", "uid_hash": hash_badge(ANNA_UID, salt, n=CHEAP)},
            {"name": "Budi", "role": "technician", "uid_hash": hash_badge(BUDI_UID, salt, n=CHEAP)},
        ],
        "audit_path": tmp_path / "audit.jsonl",
        "state_path": tmp_path / "admin-state.json",
    }
    return AdminSection.model_validate(values | overrides)


def admin_mode(
    tmp_path: Path, clock: Clock, closed: list[str] | None = None, **overrides: object
) -> AdminMode:
    section = admin_section(tmp_path, **overrides)
    audit = AuditLog(section.audit_path, clock.wall)
    return AdminMode(section, audit, clock=clock, on_close=None if closed is None else closed.append)
