"""What `make run` and the tools start: a server beside one already running, today's codes
printed, and a confirmation code typed in the terminal read by the simulated scanner as a passport."""

from __future__ import annotations

import http.server
import os
import queue
import threading

import pytest

from drivers.base import DataEvent
from drivers.idscan.drivers import SimulatedScanner
from kiosk.config import KioskSettings
from kiosk.devscan import HOW, terminal_passports
from kiosk.devstack import local_server, print_arrivals

pytestmark = pytest.mark.kiosk_only


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def busy_port():
    """Something answering where the shipped config points (a `make run` already running)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_a_tool_starts_its_own_server_beside_a_running_one_and_feeds_passports(
    tmp_path, busy_port, capsys, monkeypatch
):
    for name in (
        "SAMBUT_SERVER_SERVER__DATABASE_URL",
        "SAMBUT_KIOSK_SERVER__URL",
        "SAMBUT_KIOSK_SERVER__TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = KioskSettings(
        server={"url": f"http://127.0.0.1:{busy_port}"},
        store={"path": str(tmp_path / "kiosk.sqlite3")},
        devices={"scanner": {"kind": "scanner", "driver": "sim", "options": {"mrz_timeout_s": 0.2}}},
    )
    read, write = os.pipe()
    with local_server(settings, fresh=True) as arrivals, open(read) as lines:
        assert settings.server.url.port != busy_port
        assert len(arrivals) > 20 and all(a.code and a.surname for a in arrivals)
        with terminal_passports(settings, arrivals, lines) as how:
            print_arrivals(arrivals, how)
            out = capsys.readouterr().out
            assert how == HOW and "type the confirmation code" in out
            assert f"{arrivals[0].code}  {arrivals[0].surname}" in out
            scanner = SimulatedScanner(
                "scanner", SimulatedScanner.Options(**settings.devices["scanner"].options)
            )
            docs: queue.Queue = queue.Queue()
            scanner.subscribe(lambda e: docs.put(e.data) if isinstance(e, DataEvent) else None)
            scanner.start().result(timeout=5)
            try:
                guest = next(a for a in arrivals if a.surname.isascii() and a.surname.isalpha())
                os.write(write, f"{guest.code.lower()}\n".encode())
                doc = docs.get(timeout=10)
                assert doc.valid and doc.fields.surname.upper() == guest.surname.upper()
                os.write(write, f"{guest.code} Someone\n".encode())
                assert docs.get(timeout=10).fields.surname.upper() == "SOMEONE"
            finally:
                scanner.shutdown()
                os.close(write)
