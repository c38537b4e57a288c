"""Domain errors. The API maps each to a 4xx JSON answer with a stable ``code``."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.detail = detail


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request is valid but the state of the hotel does not allow it (no room ready, ...)."""

    status = 409
    code = "conflict"


class Invalid(DomainError):
    status = 422
    code = "invalid"
