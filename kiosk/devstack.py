"""The local stack behind the kiosk in dev mode and in the tour: demo data, the central server on
loopback and this kiosk's token. The server is started as its own process through main.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from kiosk.config import ROOT, KioskSettings
from kiosk.serverapi import ServerClient, ServerError

MAIN = [sys.executable, str(ROOT / "main.py")]
LOG_DIR = ROOT / "var" / "log"


def _run(*args: str) -> str:
    return subprocess.run([*MAIN, *args], check=True, capture_output=True, text=True).stdout


def ensure_token(settings: KioskSettings) -> None:
    """Give this kiosk a token the server accepts (the demo data may have been remade)."""
    client = ServerClient(settings)
    try:
        client.whoami()
        return
    except ServerError as exc:
        if exc.status != 401:
            raise
    finally:
        client.close()
    token = _run("server", "add-kiosk", settings.kiosk.name).strip()
    path = settings.resolve(settings.server.token_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(token + "\n", encoding="utf-8")


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up; see {log}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {seconds:.0f} s; see {log}")


@contextmanager
def local_server(settings: KioskSettings) -> Iterator[None]:
    """Demo data from today, the server running in the background, a valid kiosk token."""
    url = str(settings.server.url).rstrip("/")
    try:
        httpx.get(f"{url}/health", timeout=1)
        raise RuntimeError(f"something already answers on {url}; stop it first (or change server.url)")
    except httpx.TransportError:
        pass
    print(_run("demo-data", "--if-stale").splitlines()[0])
    port = str(settings.server.url.port or 8470)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = LOG_DIR / "server.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [*MAIN, "server", "--host", settings.server.url.host or "127.0.0.1", "--port", port],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        _wait_healthy(url, proc, log)
        ensure_token(settings)
        print(f"Server on {url} (log: {log.relative_to(ROOT)})")
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
