"""The local stack behind the kiosk in dev mode and in the tour: demo data, the central server on
loopback and this kiosk's token. The server is started as its own process through main.py."""

from __future__ import annotations

import os
import socket
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


def _background(name: str, args: list[str]) -> subprocess.Popen[bytes]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG_DIR / f"{name}.log", "ab") as out:
        return subprocess.Popen(
            [*MAIN, *args], stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_port(host: str, port: int, proc: subprocess.Popen[bytes], name: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} stopped at start-up; see {LOG_DIR / name}.log")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on {host}:{port} within {seconds:.0f} s")


def simulator_commands(settings: KioskSettings) -> dict[str, tuple[list[str], str, int]]:
    """The simulators the configured devices expect on this machine: name -> (args, host, port)."""
    sims = {}
    for section in settings.devices.values():
        opts = section.options
        if not section.enabled or opts.get("host", "127.0.0.1") not in ("127.0.0.1", "localhost"):
            continue
        if (section.kind, section.driver) == ("printer", "network"):
            port = int(opts.get("port", 9100))
            profile = str(opts.get("profile", "80mm"))
            sims["printer-sim"] = (
                ["printer-sim", "--port", str(port), "--profile", profile],
                "127.0.0.1",
                port,
            )
        elif (section.kind, section.driver) == ("payment", "zvt") and opts.get("transport", "tcp") == "tcp":
            port = int(opts.get("port", 20007))
            state = str(ROOT / "var" / "terminal-sim.json")
            args = [
                "terminal-sim",
                "--port",
                str(port),
                "--currency",
                str(opts.get("currency", "IDR")),
                "--password",
                str(opts.get("password", "000000")),
                "--state",
                state,
            ]
            sims["terminal-sim"] = (args, "127.0.0.1", port)
    return sims


@contextmanager
def simulators(settings: KioskSettings) -> Iterator[None]:
    """Start the device simulators the config points at, and stop them afterwards."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for name, (args, host, port) in simulator_commands(settings).items():
            procs.append(_background(name, args))
            _wait_port(host, port, procs[-1], name)
            print(f"{name} on {host}:{port} (log: var/log/{name}.log)")
        yield
    finally:
        _stop(procs)


@contextmanager
def local_server(settings: KioskSettings, *, fresh: bool = False) -> Iterator[None]:
    """Demo data from today (remade when ``fresh``), the server in the background, a kiosk token."""
    url = str(settings.server.url).rstrip("/")
    try:
        httpx.get(f"{url}/health", timeout=1)
        raise RuntimeError(f"something already answers on {url}; stop it first (or change server.url)")
    except httpx.TransportError:
        pass
    print(_run("demo-data", *(() if fresh else ("--if-stale",))).splitlines()[0])
    port = str(settings.server.url.port or 8470)
    proc = _background(
        "server", ["server", "--host", settings.server.url.host or "127.0.0.1", "--port", port]
    )
    try:
        _wait_healthy(url, proc, LOG_DIR / "server.log")
        ensure_token(settings)
        print(f"Server on {url} (log: var/log/server.log)")
        yield
    finally:
        _stop([proc])
