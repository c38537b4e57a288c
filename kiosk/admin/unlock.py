"""Getting into admin mode: the hidden corner gesture, badges, the PIN pad with its lockout, and the
session that closes itself when staff walk away.

Time comes from an injected monotonic clock (seconds), so tests drive lockouts and idle timeouts
without sleeping; the screens call ``AdminMode.tick()`` about once a second.
"""

from __future__ import annotations

import enum
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from drivers.badge.drivers import BadgeRead
from drivers.base import DataEvent, Device, DeviceEvent
from kiosk.admin.audit import AuditLog, WallClock, utc_now
from kiosk.admin.credentials import ROLES, Role, hash_badge, verify_secret
from kiosk.admin.state import AdminState
from kiosk.config import AdminSection

log = logging.getLogger(__name__)

Monotonic = Callable[[], float]
BADGE_PAD_S = 60.0  # a badge's PIN pad waits this long for its holder's PIN, then any PIN counts
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]


class AdminError(Exception):
    """An admin call made without the session (or the role) it needs."""


# --- the hidden gesture -------------------------------------------------------------------------


@dataclass(frozen=True)
class GestureSpec:
    """Press and hold a screen corner: which corner, how long, and how big its square is."""

    corner: Corner = "top-left"
    hold_s: float = 3.0
    size: float = 0.1  # side of the corner square, as a share of the screen's shorter side

    def contains(self, x: float, y: float, width: float, height: float) -> bool:
        """Is the touch at (x, y) in the corner? Kivy's coordinates: the origin is bottom left."""
        side = self.size * min(width, height)
        vertical, horizontal = self.corner.split("-")
        in_row = y >= height - side if vertical == "top" else y <= side
        in_column = x <= side if horizontal == "left" else x >= width - side
        return in_row and in_column


class CornerHold:
    """Follows one touch; ``poll()`` is True once when it has been held in the corner long enough."""

    def __init__(self, spec: GestureSpec, clock: Monotonic = time.monotonic) -> None:
        self.spec = spec
        self._clock = clock
        self._since: float | None = None

    def down(self, x: float, y: float, width: float, height: float) -> None:
        self._since = self._clock() if self.spec.contains(x, y, width, height) else None

    def move(self, x: float, y: float, width: float, height: float) -> None:
        if not self.spec.contains(x, y, width, height):
            self._since = None

    def up(self) -> None:
        self._since = None

    def progress(self) -> float:
        """0..1, for a ring that fills while the corner is held."""
        if self._since is None:
            return 0.0
        return min(1.0, (self._clock() - self._since) / self.spec.hold_s)

    def poll(self) -> bool:
        if self._since is not None and self.progress() >= 1.0:
            self._since = None
            return True
        return False


# --- who may unlock -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeHolder:
    name: str
    role: Role
    uid_hash: str


@dataclass(frozen=True)
class Credentials:
    """PIN hashes per role and hashed badges: from kiosk.toml now, replaceable by a server push."""

    pins: Mapping[Role, tuple[str, ...]] = field(default_factory=dict)
    badge_salt: str = ""
    badges: tuple[BadgeHolder, ...] = ()

    @classmethod
    def from_section(cls, section: AdminSection) -> Credentials:
        return cls(
            {role: tuple(hashes) for role, hashes in section.pins.items()},
            section.badge_salt,
            tuple(BadgeHolder(b.name, b.role, b.uid_hash) for b in section.badges),
        )

    def role_for_pin(self, pin: str, roles: tuple[Role, ...] = ROLES) -> Role | None:
        # The stronger role first, should one PIN have been set for both.
        for role in sorted(roles, key=ROLES.index, reverse=True):
            if any(verify_secret(pin, encoded) for encoded in self.pins.get(role, ())):
                return role
        return None

    def badge_holder(self, uid: str) -> BadgeHolder | None:
        if not self.badges:
            return None
        hashes: dict[str, str] = {}  # cost parameters -> this UID's hash under them
        for holder in self.badges:
            params = holder.uid_hash.rsplit("$", 2)[0]
            if params not in hashes:
                n, r, p = (int(v) for v in params.split("$")[1:])
                hashes[params] = hash_badge(uid, self.badge_salt, n=n, r=r, p=p)
            if hashes[params] == holder.uid_hash:
                return holder
        return None


# --- the session --------------------------------------------------------------------------------


@dataclass
class AdminSession:
    role: Role
    actor: str  # the badge holder's name, or the role after a PIN alone
    idle_timeout_s: float
    last_activity: float

    def idle_remaining(self, now: float) -> float:
        return max(0.0, self.idle_timeout_s - (now - self.last_activity))

    def permits(self, role: Role) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


class Outcome(enum.StrEnum):
    UNLOCKED = "unlocked"
    PIN_NEEDED = "pin_needed"  # a known badge: the pad opens for its holder's PIN
    WRONG = "wrong"
    LOCKED_OUT = "locked_out"
    UNKNOWN_BADGE = "unknown_badge"
    NO_PIN = "no_pin"  # no PIN is set for the roles asked: nothing could match, nothing counted


@dataclass(frozen=True)
class UnlockResult:
    outcome: Outcome
    session: AdminSession | None = None
    attempts_left: int = 0
    locked_for_s: int = 0  # the countdown to show while the pad is locked
    badge_holder: str = ""


class AdminMode:
    """One per kiosk: the PIN pad's state, the open session, and the audit of both.

    Thread-safe. ``enter_pin`` and ``badge`` take a few hundred ms (scrypt): call them off the UI
    thread. ``on_close`` runs on whichever thread closed the session; a UI marshals it.
    """

    def __init__(
        self,
        section: AdminSection,
        audit: AuditLog,
        *,
        state: AdminState | None = None,
        credentials: Credentials | None = None,
        clock: Monotonic = time.monotonic,
        wall: WallClock = utc_now,
        on_close: Callable[[str], None] | None = None,
    ) -> None:
        self.section = section
        self.credentials = credentials or Credentials.from_section(section)
        self.audit = audit
        self.gesture = GestureSpec(section.gesture_corner, section.gesture_hold_s, section.gesture_size)
        self.state = state
        self._clock, self._wall = clock, wall
        self._on_close = on_close
        self._failures = 0
        self._locked_until = 0.0  # on the monotonic clock
        locked_until = state.locked_until if state else None
        if locked_until is not None:  # a lockout running when the kiosk was switched off goes on
            self._locked_until = clock() + max(0.0, (locked_until - wall()).total_seconds())
        self._pending_badge: BadgeHolder | None = None
        self._pending_since = 0.0
        self._lock = threading.RLock()
        self._close_hooks: list[Callable[[], None]] = []
        self.session: AdminSession | None = None

    # -- the PIN pad -------------------------------------------------------------------------

    def lockout_remaining(self) -> int:
        """Whole seconds until the pad takes PINs again (0: it does)."""
        return max(0, math.ceil(self._locked_until - self._clock()))

    def has_pin(self) -> bool:
        """Is any PIN set? (Without one the pad can only say how to set one.)"""
        return any(self.credentials.pins.values())

    def cancel_pad(self) -> None:
        self._pending_badge = None

    def enter_pin(self, pin: str) -> UnlockResult:
        with self._lock:
            return self._enter_pin(pin)

    def _enter_pin(self, pin: str) -> UnlockResult:
        locked = self.lockout_remaining()
        if locked:
            return UnlockResult(Outcome.LOCKED_OUT, locked_for_s=locked)
        holder = self._pending_badge
        if holder is not None and self._clock() - self._pending_since > BADGE_PAD_S:
            holder = self._pending_badge = None
        roles = (holder.role,) if holder else ROLES
        if not any(self.credentials.pins.get(r) for r in roles):
            return UnlockResult(Outcome.NO_PIN)
        role = self.credentials.role_for_pin(pin, roles)
        if role is not None:
            self._pending_badge = None
            return self._unlock(role, holder.name if holder else role, "badge+pin" if holder else "pin")
        self._failures += 1
        attempts_left = self.section.max_failures - self._failures
        actor = holder.name if holder else ""
        self.audit.record("unlock_failed", actor=actor, attempt=self._failures)
        if attempts_left > 0:
            return UnlockResult(Outcome.WRONG, attempts_left=attempts_left)
        self._failures = 0
        self._pending_badge = None
        self._locked_until = self._clock() + self.section.lockout_s
        if self.state is not None:
            self.state.set_locked_until(self._wall() + timedelta(seconds=self.section.lockout_s))
        self.audit.record("locked_out", actor=actor, seconds=self.section.lockout_s)
        return UnlockResult(Outcome.LOCKED_OUT, locked_for_s=self.lockout_remaining())

    def badge(self, uid: str) -> UnlockResult:
        """A card on the badge reader (``uid`` as the driver normalised it)."""
        with self._lock:
            return self._badge(uid)

    def _badge(self, uid: str) -> UnlockResult:
        holder = self.credentials.badge_holder(uid)
        if holder is None:
            # Not counted as a failure: a guest's room key on the reader must not lock staff out.
            self.audit.record("badge_unknown")
            return UnlockResult(Outcome.UNKNOWN_BADGE)
        if self.section.badge_needs_pin:
            self._pending_badge, self._pending_since = holder, self._clock()
            return UnlockResult(
                Outcome.PIN_NEEDED,
                attempts_left=self.section.max_failures - self._failures,
                locked_for_s=self.lockout_remaining(),
                badge_holder=holder.name,
            )
        return self._unlock(holder.role, holder.name, "badge")

    def _unlock(self, role: Role, actor: str, method: str) -> UnlockResult:
        self._failures = 0
        self.session = AdminSession(role, actor, self.section.idle_timeout_s, self._clock())
        self.audit.record("unlock", role, actor, method=method)
        return UnlockResult(Outcome.UNLOCKED, self.session)

    # -- the open session --------------------------------------------------------------------

    def touch(self) -> None:
        """Staff did something on screen: the idle timer starts again."""
        if self.session is not None:
            self.session.last_activity = self._clock()

    def idle_remaining(self) -> float:
        return 0.0 if self.session is None else self.session.idle_remaining(self._clock())

    def tick(self) -> None:
        """Closes an idle session; the screens call this about once a second."""
        with self._lock:
            idle = self.session is not None and self.idle_remaining() <= 0
        if idle:
            self.close("idle")

    def close(self, reason: str = "closed") -> None:
        """Leave admin mode. ``on_close`` gets the reason; the UI wipes what was on screen."""
        with self._lock:
            session, self.session = self.session, None
        if session is None:
            return
        self.audit.record("admin_closed", session.role, session.actor, reason=reason)
        for hook in list(self._close_hooks):
            try:
                hook()
            except Exception:  # the others must still run, and the UI still hear of it
                log.exception("admin close hook failed")
        if self._on_close is not None:
            self._on_close(reason)

    def when_closed(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Run ``hook`` when the session closes (e.g. put back a device a setup had stopped);
        returns the function that takes it off again."""
        self._close_hooks.append(hook)
        return lambda: self._close_hooks.remove(hook) if hook in self._close_hooks else None

    def require(self, role: Role = "staff") -> AdminSession:
        self.tick()
        if self.session is None:
            raise AdminError("admin mode is not unlocked")
        if not self.session.permits(role):
            raise AdminError(f"needs the {role} role")
        return self.session

    def act(self, event: str, role: Role = "staff", **detail: object) -> AdminSession:
        """Check the session may do ``event``, audit it and count it as activity."""
        session = self.require(role)
        self.touch()
        self.audit.record(event, session.role, session.actor, **detail)
        return session


def listen_for_badges(
    reader: Device, mode: AdminMode, on_result: Callable[[UnlockResult], None]
) -> Callable[[], None]:
    """Send each badge read by ``reader`` to ``mode``; ``on_result`` gets the outcome on the
    reader's thread (a UI marshals it). Returns the function that stops listening."""

    def on_event(event: DeviceEvent) -> None:
        if isinstance(event, DataEvent) and isinstance(event.data, BadgeRead):
            on_result(mode.badge(event.data.uid))

    return reader.subscribe(on_event)
