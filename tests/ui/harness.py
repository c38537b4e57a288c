"""Running one scripted Kivy app process (tests/ui/*_app.py) against its own local server, store
and simulators, and reading back what it reported and what the server recorded."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

HERE = Path(__file__).resolve().parent


@contextmanager
def run_app(
    script: str,
    tmp: Path,
    *,
    timeout: float = 150,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    check: bool = True,
) -> Iterator[tuple[dict[str, Any], Session]]:
    """Run ``tests/ui/<script> REPORT *args`` (its own Kivy process; one app per process) with a
    fresh server database in ``tmp``; yields its JSON report and a session on the server's
    database. ``check``: the report must say the script did not fail."""
    if not os.environ.get("DISPLAY"):
        pytest.fail("UI tests run under Xvfb: use `make test`")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp / "fo.sqlite3"
    report = tmp / "report.json"
    result = subprocess.run(
        [sys.executable, str(HERE / script), str(report), *args],
        env={
            **os.environ,
            "SAMBUT_SERVER_SERVER__DATABASE_URL": f"sqlite:///{db}",
            "SAMBUT_KIOSK_SERVER__URL": f"http://127.0.0.1:{port}",
            "SAMBUT_KIOSK_SERVER__TOKEN_FILE": str(tmp / "kiosk.token"),
            "SAMBUT_KIOSK_STORE__PATH": str(tmp / "kiosk.sqlite3"),
            "SAMBUT_KIOSK_KIOSK__WINDOW_SIZE": "[1280, 800]",
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert report.exists(), result.stderr[-3000:]
    data = json.loads(report.read_text())
    assert not check or data["failure"] == "", result.stderr[-3000:]
    engine = create_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            yield data, session
    finally:
        engine.dispose()
