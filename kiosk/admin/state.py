"""What admin mode keeps across a restart, in one small JSON file: whether the kiosk is out of
service, and a running PIN-pad lockout (switching the kiosk off and on must not lift it)."""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Any


class AdminState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        self._lock = threading.Lock()

    @property
    def out_of_service(self) -> bool:
        """Read by the guest screens: True shows "please see the front desk"."""
        return bool(self._data.get("out_of_service", False))

    @property
    def changed_by(self) -> str:
        return str(self._data.get("changed_by", ""))

    def set_out_of_service(self, on: bool, by: str, at: datetime) -> None:
        self._update(out_of_service=on, changed_by=by, changed_at=at.isoformat())

    @property
    def locked_until(self) -> datetime | None:
        value = self._data.get("locked_until")
        return datetime.fromisoformat(value) if value else None

    def set_locked_until(self, until: datetime) -> None:
        self._update(locked_until=until.isoformat())

    def _update(self, **values: Any) -> None:
        with self._lock:
            self._data |= values
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps(self._data, sort_keys=True))
            os.replace(tmp, self.path)
