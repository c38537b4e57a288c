"""Put a VirtualPrinter on a wire: TCP (like a network printer on port 9100) or a pty pair (like
a serial printer), so the real python-escpos connection classes can talk to it."""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import socket
import socketserver
import threading
import tty

from drivers.sim.printer import VirtualPrinter

log = logging.getLogger(__name__)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        printer = self.server.printer
        sock: socket.socket = self.request
        self.server.connections.add(sock)
        try:
            while data := sock.recv(65536):
                if answer := printer.feed(data):
                    sock.sendall(answer)
        except OSError as exc:
            log.info("printer-sim connection ended: %s", exc)
        finally:
            self.server.connections.discard(sock)
            printer.end_of_job()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address: tuple[str, int], printer: VirtualPrinter) -> None:
        self.printer = printer
        self.connections: set[socket.socket] = set()
        super().__init__(address, _Handler)


class TcpPrinterServer:
    """``with TcpPrinterServer(printer, port=0) as srv:`` then connect to ``srv.port``."""

    def __init__(self, printer: VirtualPrinter, host: str = "127.0.0.1", port: int = 9100) -> None:
        self.printer = printer
        self._server = _Server((host, port), printer)
        self.host, self.port = self._server.server_address[:2]
        # A short poll interval so stop() returns promptly (tests start and stop many servers).
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="printer-sim", daemon=True
        )

    def start(self) -> TcpPrinterServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def drop_connections(self) -> None:
        """Close every client connection, as a printer that rebooted or timed out an idle one."""
        for sock in list(self._server.connections):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def __enter__(self) -> TcpPrinterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class PtyPrinterBridge:
    """A pty pair: the host opens ``path`` as a serial port, the printer sits on the master side."""

    def __init__(self, printer: VirtualPrinter) -> None:
        self.printer = printer
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line discipline: bytes pass as they are
        self.path = os.ttyname(self._slave)
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="printer-sim-pty", daemon=True)

    def _run(self) -> None:
        with selectors.DefaultSelector() as sel:
            sel.register(self._master, selectors.EVENT_READ)
            sel.register(self._stop_r, selectors.EVENT_READ)
            while True:
                ready = {key.fd for key, _ in sel.select()}
                if self._stop_r in ready:
                    return
                try:
                    data = os.read(self._master, 65536)
                except OSError as exc:  # we hold the slave open, so this is the pty going away
                    log.info("printer-sim pty ended: %s", exc)
                    return
                if answer := self.printer.feed(data):
                    os.write(self._master, answer)

    def __enter__(self) -> PtyPrinterBridge:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        os.write(self._stop_w, b"x")
        self._thread.join()
        for fd in (self._master, self._slave, self._stop_r, self._stop_w):
            with contextlib.suppress(OSError):
                os.close(fd)
