"""The error answers an operation can give, for the OpenAPI: each is the JSON body ``ErrorOut``."""

from __future__ import annotations

from typing import Any

from frontoffice.schemas import ErrorOut

_WHY = {
    400: "The body could not be read",
    401: "No valid kiosk token (missing, unknown or revoked)",
    403: "The token does not allow this request",
    404: "No such resource for this kiosk's property",
    405: "The path does not take this method",
    409: "The hotel's state does not allow it now, or an id was already used for something else",
    422: "The request is invalid: `detail` lists each field and its problem",
    503: "The database is busy or unreachable; try again",
}

# Every kiosk route: its token, its parameters, the database.
COMMON = (401, 422, 503)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorOut, "description": _WHY[status]} for status in statuses}
