"""The kiosk's HTTP client for the front-office server (the kiosk imports nothing of the server)."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from kiosk.config import KioskSettings


class ServerError(Exception):
    """The server could not be used; ``code`` says why in a word a journey can branch on."""

    def __init__(self, code: str, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


NOT_REGISTERED = "not registered with the server"


def refusal(exc: ServerError) -> str:
    """Why the server refuses this kiosk itself (retrying cannot heal it: staff must register it
    again), or "" when the failure may pass."""
    if exc.status == 401:
        return f"{NOT_REGISTERED}: it refused this kiosk's token"
    if exc.status == 403 and exc.code == "forbidden":  # the server's own, not a domain refusal's code
        return f"{NOT_REGISTERED}: {exc}"
    return ""


def read_token(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


class ServerClient:
    def __init__(
        self, settings: KioskSettings, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        """``clock`` is the kiosk's; ``offset`` is how far the server's clock is ahead of it."""
        server = settings.server
        self._clock = clock
        self.offset: timedelta | None = None
        # https is verified against the system's CAs, or only against the configured CA bundle.
        verify = (
            ssl.create_default_context(cafile=settings.resolve(server.ca_file)) if server.ca_file else True
        )
        self.base_url = str(server.url).rstrip("/")
        self._token_file = settings.resolve(server.token_file)
        self._http = httpx.Client(base_url=self.base_url, timeout=server.timeout_s, verify=verify)

    def close(self) -> None:
        self._http.close()

    def token(self) -> str:
        """The token as the file holds it now (re-read on every call: a new one is used at once)."""
        return read_token(self._token_file)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if token := self.token():
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            raise ServerError("timeout", f"the server did not answer in time ({exc})") from exc
        except httpx.TransportError as exc:
            raise ServerError("unreachable", f"cannot reach {self.base_url} ({exc})") from exc
        if date := response.headers.get("date"):
            with contextlib.suppress(TypeError, ValueError):  # an odd header keeps the last offset
                self.offset = parsedate_to_datetime(date) - self._clock()
        if response.status_code >= 400:
            try:
                body = response.json()
                code, message = body.get("error", "error"), body.get("message", response.text)
            except ValueError:
                code, message = "bad_response", response.text[:200]
            raise ServerError(code, message, response.status_code)
        return response.json() if response.content else None

    def whoami(self) -> dict[str, Any]:
        return self.request("GET", "/api/v1/kiosk")
