"""The local stack behind the kiosk in dev mode and in the tour: demo data, the central server on
loopback and this kiosk's token. The server is started as its own process through main.py."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import HttpUrl

from kiosk.config import ROOT, KioskSettings
from kiosk.serverapi import ServerClient, ServerError

MAIN = [sys.executable, str(ROOT / "main.py")]
LOG_DIR = ROOT / "var" / "log"


def ensure_token(settings: KioskSettings, *db_args: str) -> None:
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
    done = subprocess.run(
        [*MAIN, "server", "add-kiosk", *db_args, settings.kiosk.name],
        check=True,
        capture_output=True,
        text=True,
    )
    token = done.stdout.strip()
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
        return subprocess.Popen(  # stdin stays make run's: a line typed there is the scanner's
            [*MAIN, *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Arrival:
    code: str
    surname: str
    guest: str


# `demo-data`'s exit status when it kept the data (a running install holds work); see frontoffice.cli.
DEMO_KEPT = 3


def demo_data(*args: str) -> tuple[str, list[Arrival]]:
    """Run `demo-data`; its headline and today's arrivals, as it lists them. A refusal to remake
    the data under a running kiosk is printed and the data kept."""
    done = subprocess.run([*MAIN, "demo-data", *args], capture_output=True, text=True)
    if done.returncode not in (0, DEMO_KEPT):
        raise RuntimeError(f"demo-data failed: {done.stderr.strip() or done.stdout.strip()}")
    if done.stderr.strip():
        print(done.stderr.strip())
    headline, *rows = done.stdout.splitlines()
    arrivals = [Arrival(*re.split(r"\s{2,}", row.strip(), maxsplit=2)) for row in rows[1:] if row.strip()]
    return headline, arrivals


def print_arrivals(arrivals: list[Arrival], scanner: str = "", shown: int = 6) -> None:
    """What a newcomer needs to try a check-in: a few codes, and how to prove identity here."""
    print("Try a check-in: Check in, then a confirmation code and its surname:")
    unique = list({a.code: a for a in arrivals}.values())  # a booking of two rooms is listed once
    for a in unique[:shown]:
        print(f"  {a.code}  {a.surname:<28} ({a.guest})")
    if len(unique) > shown:
        print(f"  … {len(unique) - shown} more: python main.py demo-data --if-stale")
    if scanner:
        print(scanner)


@contextmanager
def local_server(settings: KioskSettings, *, fresh: bool = False) -> Iterator[list[Arrival]]:
    """The central server in the background with demo data from today and a token for this
    kiosk; yields today's arrivals.

    ``fresh`` (a tool or a test): a server of its own beside whatever else runs here, with the
    demo data made anew: on a free port, with its own database and token file, each unless the
    environment names one (SAMBUT_KIOSK_SERVER__URL, SAMBUT_SERVER_SERVER__DATABASE_URL,
    SAMBUT_KIOSK_SERVER__TOKEN_FILE). Otherwise `make run`'s: ``settings.server.url``, the configured
    database, the demo data made again only when it is from an earlier day."""
    with tempfile.TemporaryDirectory(prefix="sambut-server-") as tmp:
        db_args: list[str] = []
        if fresh:  # what the environment names (a test's or the bench's choice) stays
            if "SAMBUT_KIOSK_SERVER__URL" not in os.environ:
                settings.server.url = HttpUrl(f"http://127.0.0.1:{free_port()}")
            if "SAMBUT_KIOSK_SERVER__TOKEN_FILE" not in os.environ:
                settings.server.token_file = Path(tmp) / "kiosk.token"
            if "SAMBUT_SERVER_SERVER__DATABASE_URL" not in os.environ:
                db_args = ["--database-url", f"sqlite:///{tmp}/frontoffice.sqlite3"]
        url = str(settings.server.url).rstrip("/")
        try:
            httpx.get(f"{url}/health", timeout=1)
            raise RuntimeError(f"something already answers on {url}; stop it first (or change server.url)")
        except httpx.TransportError:
            pass
        headline, arrivals = demo_data(*db_args, *(("--replace",) if fresh else ("--if-stale",)))
        print(headline)
        port = str(settings.server.url.port or 8470)
        host = settings.server.url.host or "127.0.0.1"
        proc = _background("server", ["server", *db_args, "--host", host, "--port", port])
        try:
            _wait_healthy(url, proc, LOG_DIR / "server.log")
            ensure_token(settings, *db_args)
            print(f"Server on {url} (log: var/log/server.log)")
            yield arrivals
        finally:
            _stop([proc])
