"""A real server on loopback that tests can stop, restart, slow down or make lose its answers."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import uvicorn

from frontoffice.api.app import create_app
from frontoffice.db import Database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Faults:
    """An ASGI wrapper: ``delay_s`` before every answer; paths containing a ``swallow`` fragment
    are handled (the change commits) but their answer never leaves the server; paths containing
    a ``refuse`` fragment are answered with its status and an error body, unhandled."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.delay_s = 0.0
        self.swallow: set[str] = set()
        self.swallowed = threading.Event()
        self.refuse: dict[str, int] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            status = next((s for fragment, s in self.refuse.items() if fragment in scope["path"]), None)
            if status is not None:
                body = b'{"error": "refused", "message": "refused by the test"}'
                headers = [(b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            if any(fragment in scope["path"] for fragment in self.swallow):

                async def discard(message: dict) -> None:
                    pass

                await self.app(scope, receive, discard)
                self.swallowed.set()
                await asyncio.Event().wait()  # cancelled when the server stops
        await self.app(scope, receive, send)


class LiveServer:
    """uvicorn in a thread on a fixed port, so a kiosk finds it again after a restart."""

    def __init__(self, db: Database, tls: tuple[str, str] | None = None) -> None:
        """``tls``: (certificate file, key file) to serve https."""
        self.db = db
        self.tls = tls
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.faults = Faults(create_app(db))
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(
            self.faults,
            host="127.0.0.1",
            port=self.port,
            log_level="error",
            access_log=False,
            timeout_graceful_shutdown=0.2,
            ssl_certfile=self.tls[0] if self.tls else None,
            ssl_keyfile=self.tls[1] if self.tls else None,
        )
        self._server = server = uvicorn.Server(config)
        started = threading.Event()

        original_startup = server.startup

        async def startup(sockets: Any = None) -> None:
            await original_startup(sockets)
            started.set()

        server.startup = startup  # type: ignore[method-assign]
        self._thread = threading.Thread(target=server.run, daemon=True)
        self._thread.start()
        assert started.wait(10), "uvicorn did not start"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._thread.join(10)
        assert not self._thread.is_alive(), "uvicorn did not stop"
        self.db.dispose()  # a restarted server begins with an empty connection pool
