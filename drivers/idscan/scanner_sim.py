"""A scanner behind a TCP port, for running the kiosk's real serial driver against typed scans.

Serial scanners are often reached through a terminal server; pyserial speaks to one with
``port = "socket://HOST:PORT"``. This simulator is such an endpoint: the kiosk's serial driver
connects to it, and every scan sent arrives framed as a scanner sends it. ``python main.py idscan
scanner-sim`` runs it from a terminal.
"""

from __future__ import annotations

import socket
import threading

from drivers.idscan.framing import as_sent


class ScannerSimulator:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, terminator: bytes = b"\r\n") -> None:
        self.terminator = terminator
        self._server = socket.create_server((host, port))
        self.port: int = self._server.getsockname()[1]
        self._client: socket.socket | None = None
        self._connected = threading.Event()
        self._accepter = threading.Thread(target=self._accept, name="scanner-sim", daemon=True)
        self._accepter.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:  # closed
                return
            if self._client is not None:
                self._client.close()  # a reconnecting kiosk replaces the old connection
            self._client = client
            self._connected.set()

    def wait_for_kiosk(self, timeout: float | None = None) -> bool:
        return self._connected.wait(timeout)

    def send(self, scan: bytes) -> None:
        """One scan, as the scanner would send it; raises ConnectionError with no kiosk connected."""
        if self._client is None:
            raise ConnectionError("no kiosk connected")
        self._client.sendall(as_sent(scan, self.terminator))

    def close(self) -> None:
        self._server.close()
        if self._client is not None:
            self._client.close()
