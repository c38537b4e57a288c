"""The kiosk's devices, made from `[devices.*]` in kiosk.toml through the driver registry."""

from __future__ import annotations

from pathlib import Path

from drivers import registry
from drivers.base import Device, DeviceOptions
from drivers.payment.journal import PaymentJournal
from kiosk.config import DeviceSection, KioskSettings


def _rooted(settings: KioskSettings, options: DeviceOptions) -> DeviceOptions:
    """Relative paths in device options are relative to the project folder, like the rest."""
    updates = {
        name: settings.resolve(value)
        for name, value in options
        if isinstance(value, Path) and not value.is_absolute()
    }
    return options.model_copy(update=updates) if updates else options


def build_device(settings: KioskSettings, name: str, section: DeviceSection) -> Device:
    """The device of one section, not yet opened."""
    registry.load_builtin_drivers()
    options = registry.validate_options(section.kind, section.driver, section.options)
    return registry.create(section.kind, section.driver, name, _rooted(settings, options))


def build_devices(settings: KioskSettings) -> dict[str, Device]:
    """One device per enabled section, not yet opened (``Device.start()`` does that off the UI thread)."""
    return {
        name: build_device(settings, name, section)
        for name, section in settings.devices.items()
        if section.enabled
    }


def payment_journal(devices: dict[str, Device]) -> PaymentJournal | None:
    """The card terminal's payment journal, for the sync worker: a payment the terminal approved
    reaches the server even when the kiosk stopped before handing it over."""
    for device in devices.values():
        path = getattr(device.options, "journal_path", None)
        if device.kind == "payment" and path is not None:
            return PaymentJournal(path)
    return None
