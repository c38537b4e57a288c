"""Drivers register themselves by kind and name; config entries are turned into devices here.

A driver module registers its class with ``@register``; ``load_builtin_drivers()`` imports the
modules that hold the built-in drivers so their registrations run.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from drivers.base import Device, DeviceOptions

D = TypeVar("D", bound=type[Device])

_DRIVERS: dict[tuple[str, str], type[Device]] = {}

# Modules whose import registers the built-in drivers. A module missing here (not written yet)
# is skipped, so kinds can land one by one.
BUILTIN_DRIVER_MODULES: tuple[str, ...] = (
    "drivers.printer.drivers",
    "drivers.payment.drivers",
    "drivers.idscan.drivers",
    "drivers.camera.drivers",
    "drivers.badge.drivers",
)


class UnknownDriverError(LookupError):
    pass


def register(cls: D) -> D:
    key = (cls.kind, cls.driver)
    if key in _DRIVERS and _DRIVERS[key] is not cls:
        raise ValueError(f"driver {cls.kind}/{cls.driver} registered twice")
    _DRIVERS[key] = cls
    return cls


def load_builtin_drivers() -> None:
    for module in BUILTIN_DRIVER_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def drivers_for(kind: str) -> list[str]:
    return sorted(name for k, name in _DRIVERS if k == kind)


def kinds() -> list[str]:
    return sorted({k for k, _ in _DRIVERS})


def driver_class(kind: str, driver: str) -> type[Device]:
    try:
        return _DRIVERS[(kind, driver)]
    except KeyError:
        known = ", ".join(drivers_for(kind)) or "none"
        raise UnknownDriverError(f"no {kind} driver named {driver!r} (known: {known})") from None


def validate_options(kind: str, driver: str, options: Mapping[str, Any]) -> DeviceOptions:
    """Validate one device's options; raises UnknownDriverError or pydantic's ValidationError."""
    return driver_class(kind, driver).Options.model_validate(dict(options))


def create(kind: str, driver: str, name: str, options: Mapping[str, Any] | DeviceOptions) -> Device:
    cls = driver_class(kind, driver)
    opts = options if isinstance(options, DeviceOptions) else cls.Options.model_validate(dict(options))
    return cls(name, opts)


__all__ = [
    "BUILTIN_DRIVER_MODULES",
    "UnknownDriverError",
    "ValidationError",
    "create",
    "driver_class",
    "drivers_for",
    "kinds",
    "load_builtin_drivers",
    "register",
    "validate_options",
]
