"""A diagnostics bundle for whoever supports the kiosk: one zip, with every secret redacted.

It holds the config (PIN and badge hashes, the terminal password, tokens and keys replaced by
``***``), each device's state and last known health, recent logs (the ring buffer and the log
file's newest part), the admin audit's tail, the
names (not values) of SAMBUT_ environment overrides, and versions.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import tomli_w

from kiosk import logfile
from kiosk.admin.audit import AuditLog, WallClock, utc_now
from kiosk.admin.configfile import ConfigFile
from kiosk.admin.devicemanager import DeviceManager
from kiosk.admin.logs import LogBuffer
from kiosk.admin.staff import app_version
from kiosk.admin.unlock import AdminMode
from kiosk.config import KioskSettings

REDACTED = "***"
_URL_USERINFO = re.compile(r"(://)[^/@\s]+@")
_SECRET = re.compile(r"pin|password|passwd|token|secret|salt|hash|key", re.IGNORECASE)
PACKAGES = ("kivy", "pydantic", "pyserial", "python-escpos", "pyusb", "opencv-python-headless", "zxing-cpp")


def redact(value: Any) -> Any:
    """``value`` with the value of every secret-sounding key replaced, however deep."""
    if isinstance(value, dict):
        return {
            k: REDACTED if _SECRET.search(str(k)) and value[k] not in ("", None) else redact(value[k])
            for k in value
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return _URL_USERINFO.sub(rf"\1{REDACTED}@", value)  # https://user:password@host
    return value


def versions() -> dict[str, str]:
    found = {"sambut": app_version(), "python": sys.version.split()[0], "platform": platform.platform()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def device_states(settings: KioskSettings, manager: DeviceManager | None) -> dict[str, Any]:
    """Last known state and health of each configured device (no device is asked anything)."""
    states: dict[str, Any] = {}
    for name, section in settings.devices.items():
        device = manager.get(name) if manager else None
        states[name] = {
            "kind": section.kind,
            "driver": section.driver,
            "enabled": section.enabled,
            "state": device.state.value if device else "not running",
            "health": device.health.as_dict() if device else None,
            "start_error": manager.start_errors.get(name, "") if manager else "",
        }
    return states


def write_bundle(
    outdir: Path,
    settings: KioskSettings,
    *,
    config_path: Path,
    manager: DeviceManager | None = None,
    logs: LogBuffer | None = None,
    audit: AuditLog | None = None,
    clock: WallClock = utc_now,
) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    stamp = clock().strftime("%Y%m%dT%H%M%SZ")
    path = outdir / f"sambut-diagnostics-{settings.kiosk.name}-{stamp}.zip"
    tmp = path.with_name(path.name + ".part")
    audit = audit or AuditLog(settings.resolve(settings.admin.audit_path))
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("config.toml", tomli_w.dumps(redact(ConfigFile(config_path).read())))
        bundle.writestr(
            "devices.json", json.dumps(redact(device_states(settings, manager)), indent=2, default=str)
        )
        bundle.writestr("logs.txt", "\n".join(str(line) for line in logs.lines(limit=2000)) if logs else "")
        bundle.writestr("kiosk.log", logfile.tail(settings.resolve(settings.log.path)))
        bundle.writestr("audit.jsonl", "".join(r.to_json() + "\n" for r in audit.records(limit=500)))
        bundle.writestr("versions.json", json.dumps(versions(), indent=2))
        overrides = sorted(k for k in os.environ if k.startswith("SAMBUT_"))
        bundle.writestr("environment.json", json.dumps({"overridden": overrides}, indent=2))
    os.replace(tmp, path)
    return path


def export_diagnostics(
    mode: AdminMode,
    outdir: Path,
    settings: KioskSettings,
    manager: DeviceManager,
    logs: LogBuffer,
    config_path: Path,
) -> Path:
    """The technician's "write diagnostics" button: audited, to a chosen folder or USB stick."""
    mode.require("technician")
    path = write_bundle(
        outdir, settings, config_path=config_path, manager=manager, logs=logs, audit=mode.audit
    )
    mode.act("diagnostics_written", "technician", path=str(path))
    return path
