"""The technician's guided device setup, learned from Home Assistant's config flows.

One ``SetupFlow`` per device: pick the driver and the connection (from what discovery finds), set
the driver's options (validated by its pydantic ``Options``, errors per field), test the device as
configured, then save its section to kiosk.toml (previous file kept as a backup) and restart that
one device with the new settings. Each step is checked before the next is allowed.

While a test runs the live device of that name is stopped, so a serial port is free for the
candidate; cancelling, or admin mode closing before the save, starts the old one again.
"""

from __future__ import annotations

import enum
import logging
import queue
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from drivers import registry
from drivers.badge.drivers import BadgeRead
from drivers.base import DataEvent, Device, DeviceEvent, Health
from drivers.discovery import Discovery, discover
from drivers.idscan.document import IdDocument
from drivers.payment.terminal import PaymentTerminal
from drivers.printer.drivers import EscposPrinter
from kiosk.admin.configfile import ConfigFile, Saved
from kiosk.admin.devicemanager import DeviceManager, describe, start_device
from kiosk.admin.faults import advice
from kiosk.admin.unlock import AdminError, AdminMode
from kiosk.config import DeviceSection
from kiosk.devices import build_device

SECRET_FIELDS = frozenset({"password", "token", "secret"})
# Options that are the kiosk's own housekeeping, not the device's: kept in kiosk.toml, not on the form.
INTERNAL_PREFIXES = ("journal_",)

log = logging.getLogger(__name__)


class Step(enum.StrEnum):
    DRIVER = "driver"
    OPTIONS = "options"
    TEST = "test"
    DONE = "done"


@dataclass(frozen=True)
class Connection:
    """Something discovery found that this driver could use, and the options it fills in."""

    label: str
    detail: str
    options: dict[str, Any]


# Option-name suffixes that are units (``job_timeout_s``, ``timeout_ms``, ``journal_max_age_h``).
UNITS = frozenset({"s", "ms", "h"})


@dataclass(frozen=True)
class FieldSpec:
    """One option as a form field."""

    name: str
    type: str  # "str", "int", "float", "bool", "path", "list", "choice"
    required: bool
    value: Any
    choices: tuple[Any, ...] = ()
    secret: bool = False  # show as dots, never in the audit or the diagnostics
    description: str = ""

    @property
    def label(self) -> str:
        """The option's name as a technician reads it: ``status_timeout_s`` -> "Status timeout (s)"."""
        words = self.name.split("_")
        unit = f" ({words.pop()})" if len(words) > 1 and words[-1] in UNITS else ""
        text = " ".join(words)
        return text[:1].upper() + text[1:] + unit


@dataclass(frozen=True)
class DeviceTestResult:
    ok: bool
    summary: str  # the raw outcome, for the logs and the diagnostics
    detail: dict[str, Any] = field(default_factory=dict)
    advice: str = ""  # a failed test: what it means and what to do (a msgid, see kiosk.admin.faults)


def connections(kind: str, driver: str, found: Discovery) -> list[Connection]:
    def serial(key: str, **extra: Any) -> list[Connection]:
        return [
            Connection(p.stable_path or p.device, p.description, {key: p.stable_path or p.device, **extra})
            for p in found.serial_ports
        ]

    if (kind, driver) in {("scanner", "serial"), ("badge", "serial")}:
        return serial("port")
    if (kind, driver) == ("printer", "serial"):
        return serial("device")
    if (kind, driver) == ("payment", "zvt"):
        return serial("device", transport="serial")
    if (kind, driver) == ("printer", "usb"):
        return [
            Connection(
                f"USB {u.vid:04x}:{u.pid:04x}", u.product or "", {"vendor_id": u.vid, "product_id": u.pid}
            )
            for u in found.usb_printers
        ]
    if (kind, driver) == ("camera", "opencv"):
        return [Connection(c.device, c.name, {"index": c.device}) for c in found.cameras]
    return []


def _field_type(annotation: Any) -> tuple[str, tuple[Any, ...]]:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return "choice", typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _field_type(inner[0]) if len(inner) == 1 else ("str", ())
    if origin is list:
        return "list", ()
    if annotation is Path:
        return "path", ()
    return {bool: "bool", int: "int", float: "float"}.get(annotation, "str"), ()


# --- the per-kind tests -------------------------------------------------------------------------


def _wait_for(device: Device, kind: type, timeout_s: float, on_started: Callable[[Device], None]) -> Any:
    got: queue.Queue[Any] = queue.Queue()

    def listen(event: DeviceEvent) -> None:
        if isinstance(event, DataEvent) and isinstance(event.data, kind):
            got.put(event.data)

    unsubscribe = device.subscribe(listen)
    try:
        on_started(device)
        return got.get(timeout=timeout_s)
    except queue.Empty:
        return None
    finally:
        unsubscribe()


def run_device_test(
    device: Device, timeout_s: float, on_started: Callable[[Device], None]
) -> DeviceTestResult:
    """What "test" means per kind: a test page, the terminal's status and host line, a scan, a badge."""
    if isinstance(device, EscposPrinter):
        result = device.print_test_page().result(timeout=timeout_s)
        paper = result.status_after.paper.value if result.status_after else "unknown"
        return DeviceTestResult(True, f"test page {result.outcome.value}", {"paper": paper})
    if isinstance(device, PaymentTerminal):
        status = device.status().result(timeout=timeout_s)
        if not status.ready:
            return DeviceTestResult(False, f"terminal not ready: {status.meaning}", {"code": status.code})
        line = device.diagnosis().result(timeout=timeout_s)
        detail = {
            "terminal_id": status.terminal_id,
            "software": status.software_version,
            "diagnosis": line.meaning,
        }
        return DeviceTestResult(line.ready, f"terminal {status.terminal_id} ready, {line.meaning}", detail)
    if device.kind == "badge":
        read = _wait_for(device, BadgeRead, timeout_s, on_started)
        return DeviceTestResult(read is not None, f"badge {read.uid}" if read else "no badge read", {})
    if device.kind in ("scanner", "camera"):
        doc = _wait_for(device, IdDocument, timeout_s, on_started)
        if doc is None:
            return DeviceTestResult(False, "nothing scanned", {})
        # What was read, never whose document it is: the kind and whether it checked out.
        return DeviceTestResult(True, f"{doc.kind.value}: {'valid' if doc.valid else doc.reason}", {})
    report = device.check_health().result(timeout=timeout_s)
    return DeviceTestResult(report.health is Health.OK, report.reason or report.health.value, {})


# --- the flow -----------------------------------------------------------------------------------


class SetupFlow:
    def __init__(
        self,
        name: str,
        kind: str,
        mode: AdminMode,
        manager: DeviceManager,
        config: ConfigFile,
        *,
        discovery: Callable[[], Discovery] = discover,
        test_timeout_s: float = 30.0,
    ) -> None:
        mode.require("technician")
        registry.load_builtin_drivers()
        if not registry.drivers_for(kind):
            raise AdminError(f"no drivers for {kind!r} devices")
        mode.act("setup_started", "technician", device=name, kind=kind)
        self.name, self.kind = name, kind
        self.mode, self.manager, self.config = mode, manager, config
        self.test_timeout_s = test_timeout_s
        self.previous: DeviceSection | None = manager.settings.devices.get(name)
        self.step = Step.DRIVER
        self.driver = self.previous.driver if self.previous and self.previous.kind == kind else ""
        self.values: dict[str, Any] = dict(self.previous.options) if self.driver and self.previous else {}
        self.section: DeviceSection | None = None
        self.last_test: DeviceTestResult | None = None
        self._found = discovery()
        for problem in self._found.problems:
            log.warning("device discovery for %s: %s", name, problem)
        self._forget_restore: Callable[[], None] | None = None  # set while the live device is stopped

    def _need(self, step: Step) -> None:
        self.mode.require("technician")
        self.mode.touch()
        if self.step is not step:
            raise AdminError(f"setup of {self.name} is at step {self.step.value}, not {step.value}")

    # -- step 1: driver and connection -------------------------------------------------------

    def drivers(self) -> list[str]:
        return registry.drivers_for(self.kind)

    def connections(self, driver: str) -> list[Connection]:
        return connections(self.kind, driver, self._found)

    @property
    def discovery_problems(self) -> list[str]:
        return list(self._found.problems)

    @property
    def discovery_advice(self) -> list[str]:
        """Why the search came back short, as msgids with a way forward (raw: ``discovery_problems``)."""
        return list(dict.fromkeys(advice(problem) for problem in self._found.problems))

    def choose(self, driver: str, connection: Connection | None = None) -> None:
        self._need(Step.DRIVER)
        if driver not in self.drivers():
            raise AdminError(f"no {self.kind} driver named {driver!r}")
        if driver != self.driver:
            self.values = {}
        self.driver = driver
        self.values |= connection.options if connection else {}
        self.step = Step.OPTIONS

    # -- step 2: options ---------------------------------------------------------------------

    def fields(self) -> list[FieldSpec]:
        self.mode.require("technician")
        specs = []
        for name, info in registry.driver_class(self.kind, self.driver).Options.model_fields.items():
            if name.startswith(INTERNAL_PREFIXES):
                continue
            type_name, choices = _field_type(info.annotation)
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            specs.append(
                FieldSpec(
                    name,
                    type_name,
                    info.is_required(),
                    self.values.get(name, default),
                    choices,
                    name in SECRET_FIELDS,
                    info.description or "",
                )
            )
        return specs

    def set_options(self, values: dict[str, Any]) -> dict[str, str]:
        """Validate; returns the errors per field (empty: on to the test)."""
        self._need(Step.OPTIONS)
        internal = {k: v for k, v in self.values.items() if k.startswith(INTERNAL_PREFIXES)}
        self.values = internal | {k: v for k, v in values.items() if v is not None and v != ""}
        options_class = registry.driver_class(self.kind, self.driver).Options
        try:
            options = options_class.model_validate(self.values)
        except ValidationError as exc:
            return {
                ".".join(str(p) for p in err["loc"]) or "options": (
                    "unknown option" if err["type"] == "extra_forbidden" else err["msg"]
                )
                for err in exc.errors()
            }
        dumped = options.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
        self.section = DeviceSection(kind=self.kind, driver=self.driver, enabled=True, options=dumped)
        self.step = Step.TEST
        return {}

    def back(self) -> None:
        """One step back (after a failed test, to change an option)."""
        self.mode.require("technician")
        self.step = {Step.TEST: Step.OPTIONS, Step.OPTIONS: Step.DRIVER}.get(self.step, self.step)

    # -- step 3: test ------------------------------------------------------------------------

    def run_test(self, on_started: Callable[[Device], None] = lambda device: None) -> DeviceTestResult:
        """Start the device as configured and test it; ``on_started`` is when to present a card
        or a code (scanners and badge readers wait for one for ``test_timeout_s``)."""
        self._need(Step.TEST)
        assert self.section is not None
        if self._forget_restore is None:
            self.manager.stop(self.name)
            self._forget_restore = self.mode.when_closed(self._restore)
        fault: BaseException | str = ""
        try:
            device = build_device(self.manager.settings, self.name, self.section)
        except (ValidationError, registry.UnknownDriverError) as exc:
            result, fault = DeviceTestResult(False, str(exc)), exc
        else:
            error = start_device(device, self.test_timeout_s)
            try:
                result = (
                    DeviceTestResult(False, error)
                    if error
                    else run_device_test(device, self.test_timeout_s, on_started)
                )
                fault = error or result.summary
            except Exception as exc:  # a failed test is an answer for the technician, not a crash
                result, fault = DeviceTestResult(False, describe(exc)), exc
            finally:
                device.shutdown()
        if not result.ok:
            log.warning("setup test of %s (%s) failed: %s", self.name, self.driver, result.summary)
            result = replace(result, advice=advice(fault))
        self.last_test = result
        self.mode.act("setup_tested", "technician", device=self.name, driver=self.driver, ok=result.ok)
        return result

    # -- step 4: save, or cancel -------------------------------------------------------------

    def save(self, *, even_though_test_failed: bool = False) -> Saved:
        """Write the section (backup kept) and restart the device with it."""
        self._need(Step.TEST)
        assert self.section is not None
        tested = self.last_test is not None and self.last_test.ok
        if not tested and not even_though_test_failed:
            raise AdminError("test the device first (or save even though its test failed)")
        raw = self.section.model_dump(mode="json")
        saved = self.config.save_section(("devices", self.name), raw)
        self.mode.act(
            "setup_saved",
            "technician",
            device=self.name,
            driver=self.driver,
            tested=tested,
            backup=str(saved.backup) if saved.backup else "",
        )
        self._release()
        self.manager.apply(self.name, self.section)
        self.step = Step.DONE
        return saved

    def cancel(self) -> None:
        """Leave everything as it was, the old device running again."""
        self.mode.act("setup_cancelled", "technician", device=self.name)
        self._restore()

    def _release(self) -> None:
        if self._forget_restore is not None:
            self._forget_restore()
            self._forget_restore = None

    def _restore(self) -> None:
        stopped = self._forget_restore is not None
        self._release()
        self.step = Step.DONE
        if stopped and self.previous is not None and self.previous.enabled:
            self.manager.apply(self.name, self.previous)
