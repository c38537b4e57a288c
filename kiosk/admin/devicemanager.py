"""The kiosk's devices, owned in one place so one of them can be restarted with new settings while
the app and the other devices run on.

Whoever holds a device (a journey, the status page) subscribes with ``on_change`` and picks up the
new object when a technician saves that device's setup.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout

from drivers.base import Device, DeviceError
from kiosk.config import DeviceSection, KioskSettings
from kiosk.devices import build_device, build_devices

log = logging.getLogger(__name__)

ChangeListener = Callable[[str, Device | None], None]


def describe(exc: BaseException) -> str:
    code = exc.code if isinstance(exc, DeviceError) else type(exc).__name__
    return f"{code}: {exc}"


def start_device(device: Device, timeout_s: float) -> str:
    """Start ``device``; returns why it did not start ("" when it did)."""
    try:
        device.start().result(timeout=timeout_s)
    except FutureTimeout:
        return f"timeout: not started within {timeout_s:g} s"
    except DeviceError as exc:
        return describe(exc)
    return ""


class DeviceManager:
    def __init__(
        self,
        settings: KioskSettings,
        *,
        devices: dict[str, Device] | None = None,
        start_timeout_s: float = 10.0,
    ) -> None:
        """``devices``: ones already built (the app's), kept in that very dict so its holder sees
        every restart; built from ``settings`` when not given."""
        self.settings = settings
        self.start_timeout_s = start_timeout_s
        self._devices: dict[str, Device] = build_devices(settings) if devices is None else devices
        # Why a device did not start, shown as the reason beside its "unknown" health.
        self.start_errors: dict[str, str] = {}
        self._listeners: list[ChangeListener] = []
        self._lock = threading.Lock()

    def start_all(self) -> None:
        """Start every device; one that fails is kept (its status says why) and the rest start."""
        for name, device in self.devices().items():
            self._started(name, device)

    def _started(self, name: str, device: Device) -> None:
        error = start_device(device, self.start_timeout_s)
        if error:
            log.warning("%s: did not start (%s)", name, error)
            self.start_errors[name] = error
        else:
            self.start_errors.pop(name, None)

    def devices(self) -> dict[str, Device]:
        with self._lock:
            return dict(self._devices)

    def get(self, name: str) -> Device | None:
        with self._lock:
            return self._devices.get(name)

    def first(self, kind: str) -> Device | None:
        return next((d for d in self.devices().values() if d.kind == kind), None)

    def on_change(self, listener: ChangeListener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def stop(self, name: str) -> None:
        """Close one device and let go of it (its port is free for a setup test)."""
        with self._lock:
            device = self._devices.pop(name, None)
        if device is not None:
            device.shutdown()
            self.start_errors.pop(name, None)
            self._notify(name, None)

    def apply(self, name: str, section: DeviceSection) -> Device | None:
        """Replace one device by the one ``section`` describes and start it; None when disabled."""
        self.stop(name)
        self.settings.devices[name] = section
        if not section.enabled:
            return None
        device = build_device(self.settings, name, section)
        with self._lock:
            self._devices[name] = device
        self._started(name, device)
        self._notify(name, device)
        return device

    def shutdown_all(self) -> None:
        for name in list(self.devices()):
            self.stop(name)

    def _notify(self, name: str, device: Device | None) -> None:
        for listener in list(self._listeners):
            try:
                listener(name, device)
            except Exception:  # one broken holder must not stop the others hearing of it
                log.exception("device change listener failed for %s", name)
