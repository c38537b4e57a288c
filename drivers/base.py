"""What every device shares: lifecycle, worker thread, events, typed errors, three-valued health.

The lifecycle follows UnifiedPOS: open -> claim -> enable -> use -> disable -> release -> close.
Each device owns one worker thread; every public call is queued there and returns a Future, so a
caller (the UI above all) never blocks on device I/O. Events are delivered on the worker thread;
a UI marshals them to its own thread (Kivy: ``Clock.schedule_once``).
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

log = logging.getLogger(__name__)

T = TypeVar("T")


# --- errors -------------------------------------------------------------------------------------


class DeviceError(Exception):
    """Base of every device error; ``code`` is stable and safe to show to a technician."""

    code: ClassVar[str] = "failure"


class DeviceOfflineError(DeviceError):
    code = "offline"


class DeviceTimeoutError(DeviceError):
    code = "timeout"


class DeviceBusyError(DeviceError):
    code = "busy"


class NoHardwareError(DeviceError):
    code = "no_hardware"


class DeviceFailureError(DeviceError):
    code = "failure"


class DeviceStateError(DeviceError):
    """A lifecycle step was called out of order (e.g. use before enable)."""

    code = "state"


# --- health -------------------------------------------------------------------------------------


class Health(enum.StrEnum):
    OK = "ok"
    FAULTY = "faulty"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class HealthReport:
    """Health is three-valued: "could not read the status" is UNKNOWN, never OK or FAULTY."""

    health: Health
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def ok(cls, **detail: Any) -> HealthReport:
        return cls(Health.OK, "", detail)

    @classmethod
    def faulty(cls, reason: str, **detail: Any) -> HealthReport:
        return cls(Health.FAULTY, reason, detail)

    @classmethod
    def unknown(cls, reason: str, **detail: Any) -> HealthReport:
        return cls(Health.UNKNOWN, reason, detail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "health": self.health.value,
            "reason": self.reason,
            "detail": self.detail,
            "at": self.at.isoformat(),
        }


# --- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceEvent:
    device: str


@dataclass(frozen=True)
class DataEvent(DeviceEvent):
    data: Any


@dataclass(frozen=True)
class StatusEvent(DeviceEvent):
    report: HealthReport


@dataclass(frozen=True)
class ErrorEvent(DeviceEvent):
    error: DeviceError


Listener = Callable[[DeviceEvent], None]


# --- lifecycle ----------------------------------------------------------------------------------


class DeviceState(enum.StrEnum):
    CLOSED = "closed"
    OPENED = "opened"
    CLAIMED = "claimed"
    ENABLED = "enabled"


class DeviceOptions(BaseModel):
    """Base for each driver's options; unknown keys are refused so a typo in kiosk.toml is caught."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Device:
    """One physical (or simulated) device. Subclasses implement the ``_do_*`` hooks.

    The hooks run on the device's worker thread, one at a time, so a driver needs no locking of
    its own for its connection.
    """

    kind: ClassVar[str] = "device"
    driver: ClassVar[str] = "base"
    Options: ClassVar[type[DeviceOptions]] = DeviceOptions

    def __init__(self, name: str, options: DeviceOptions | None = None) -> None:
        self.name = name
        self.options = options if options is not None else self.Options()
        self._state = DeviceState.CLOSED
        self._health = HealthReport.unknown("not opened")
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"dev-{name}")

    # -- state and health --------------------------------------------------------------------

    @property
    def state(self) -> DeviceState:
        return self._state

    @property
    def health(self) -> HealthReport:
        """Last known health; refresh with ``check_health()``."""
        return self._health

    # -- events ------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns a function that removes it again."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: DeviceEvent) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not take the device down
                log.exception("listener of %s failed on %r", self.name, event)

    def emit_data(self, data: Any) -> None:
        self.emit(DataEvent(self.name, data))

    def set_health(self, report: HealthReport) -> None:
        changed = (report.health, report.reason) != (self._health.health, self._health.reason)
        self._health = report
        if changed:
            self.emit(StatusEvent(self.name, report))

    # -- work on the device thread -----------------------------------------------------------

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn`` on this device's worker thread. A DeviceError it raises is also emitted."""

        def run() -> T:
            try:
                return fn(*args, **kwargs)
            except DeviceError as exc:
                self.emit(ErrorEvent(self.name, exc))
                raise

        return self._executor.submit(run)

    def _require(self, *allowed: DeviceState) -> None:
        if self._state not in allowed:
            wanted = " or ".join(s.value for s in allowed)
            raise DeviceStateError(f"{self.name} is {self._state.value}, needs to be {wanted}")

    def _step(self, allowed: tuple[DeviceState, ...], hook: Callable[[], None], to: DeviceState) -> None:
        self._require(*allowed)
        hook()
        self._state = to

    # -- lifecycle (each returns a Future) ---------------------------------------------------

    def open(self) -> Future[None]:
        return self.submit(self._step, (DeviceState.CLOSED,), self._do_open, DeviceState.OPENED)

    def claim(self) -> Future[None]:
        return self.submit(self._step, (DeviceState.OPENED,), self._do_claim, DeviceState.CLAIMED)

    def enable(self) -> Future[None]:
        return self.submit(self._step, (DeviceState.CLAIMED,), self._do_enable, DeviceState.ENABLED)

    def disable(self) -> Future[None]:
        return self.submit(self._step, (DeviceState.ENABLED,), self._do_disable, DeviceState.CLAIMED)

    def release(self) -> Future[None]:
        return self.submit(self._step, (DeviceState.CLAIMED,), self._do_release, DeviceState.OPENED)

    def close(self) -> Future[None]:
        return self.submit(self._close_from_any_state)

    def start(self) -> Future[None]:
        """open + claim + enable in one go, as the kiosk does at start-up."""

        def run() -> None:
            self._step((DeviceState.CLOSED,), self._do_open, DeviceState.OPENED)
            self._step((DeviceState.OPENED,), self._do_claim, DeviceState.CLAIMED)
            self._step((DeviceState.CLAIMED,), self._do_enable, DeviceState.ENABLED)

        return self.submit(run)

    def check_health(self) -> Future[HealthReport]:
        def run() -> HealthReport:
            if self._state is DeviceState.CLOSED:
                report = HealthReport.unknown("not opened")
            else:
                try:
                    report = self._do_check_health()
                except DeviceError as exc:
                    report = HealthReport.unknown(f"{exc.code}: {exc}")
            self.set_health(report)
            return report

        return self._executor.submit(run)

    def shutdown(self) -> None:
        """Close the device and stop its worker; waits for queued work to finish."""
        self.close().result()
        self._executor.shutdown(wait=True)

    def _close_from_any_state(self) -> None:
        # Walk back down the lifecycle so each hook sees the state it expects.
        if self._state is DeviceState.ENABLED:
            self._do_disable()
            self._state = DeviceState.CLAIMED
        if self._state is DeviceState.CLAIMED:
            self._do_release()
            self._state = DeviceState.OPENED
        if self._state is DeviceState.OPENED:
            self._do_close()
            self._state = DeviceState.CLOSED
            self.set_health(HealthReport.unknown("closed"))

    def _require_enabled(self) -> None:
        self._require(DeviceState.ENABLED)

    # -- hooks for drivers -------------------------------------------------------------------

    def _do_open(self) -> None:
        """Open the connection; raise NoHardwareError / DeviceOfflineError when it is not there."""

    def _do_claim(self) -> None:
        """Take exclusive use (e.g. an exclusive serial lock)."""

    def _do_enable(self) -> None:
        """Start delivering events / accept work."""

    def _do_disable(self) -> None:
        """Stop delivering events."""

    def _do_release(self) -> None:
        """Give up exclusive use."""

    def _do_close(self) -> None:
        """Close the connection."""

    def _do_check_health(self) -> HealthReport:
        return HealthReport.unknown("driver cannot report its health")
