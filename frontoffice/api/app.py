"""The FastAPI application: routes, and errors that are always a JSON body, never a bare 500."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from frontoffice.api import kiosk, reports, reservations, sync
from frontoffice.api.responses import errors
from frontoffice.db import Database
from frontoffice.schemas import HealthOut
from frontoffice.services.errors import DomainError
from frontoffice.services.mailer import Mailer
from frontoffice.settings import SmtpSection
from frontoffice.web import pages

log = logging.getLogger(__name__)

API_VERSION = "1.0"


def _error(
    status: int, code: str, message: str, detail: object = None, headers: dict | None = None
) -> JSONResponse:
    body = {"error": code, "message": message, "detail": jsonable_encoder(detail)}
    return JSONResponse(body, status_code=status, headers=headers)


def _answer(
    request: Request, status: int, code: str, message: str, detail: object = None, headers: dict | None = None
) -> Response:
    """JSON for the API; a page a person can read for the dashboard."""
    if pages.is_dashboard(request):
        return pages.error_page(request, status, message)
    return _error(status, code, message, detail, headers)


def create_app(db: Database, pull_page_size: int = 500, smtp: SmtpSection | None = None) -> FastAPI:
    """``smtp`` on: guests' receipts and invoices are queued, and sent by a mailer thread while the
    app runs."""
    mailer = Mailer(db, smtp) if smtp is not None and smtp.enabled else None
    db.mail_enabled = mailer is not None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if mailer is not None:
            mailer.start()
        try:
            yield
        finally:
            if mailer is not None:
                mailer.stop()

    app = FastAPI(
        title="Sambut front office",
        version=API_VERSION,
        description="Kiosk API v1. Each kiosk authenticates with its own bearer token.",
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.pull_page_size = pull_page_size
    for router in (reservations.router, kiosk.router, sync.router, reports.router):
        app.include_router(router)
    pages.install(app)

    @app.get("/health", tags=["health"], response_model=HealthOut, responses=errors(503))
    def health() -> JSONResponse:
        try:
            with db.session() as session:
                session.execute(text("SELECT 1"))
        except OperationalError:
            return _error(503, "database_unavailable", "the database cannot be reached")
        return JSONResponse({"status": "ok"})

    @app.exception_handler(DomainError)
    def domain_error(request: Request, exc: DomainError) -> Response:
        return _answer(request, exc.status, exc.code, exc.message, exc.detail or None)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()]
        summary = "; ".join(f"{e['where']}: {e['problem']}" for e in errors[:3])
        return _answer(request, 422, "invalid_request", summary, errors)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error"
        )
        return _answer(request, exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(IntegrityError)
    def integrity_error(request: Request, exc: IntegrityError) -> Response:
        log.warning("integrity error on %s: %s", request.url.path, exc.orig)
        return _answer(request, 409, "conflict", "the request conflicts with the current state; try again")

    @app.exception_handler(DataError)
    def out_of_range(request: Request, exc: DataError) -> Response:
        log.warning("data error on %s: %s", request.url.path, exc.orig)
        return _answer(request, 422, "invalid_value", "a value is out of range for this field")

    @app.exception_handler(OperationalError)
    def database_down(request: Request, exc: OperationalError) -> Response:
        log.error("database error on %s: %s", request.url.path, exc.orig)
        return _answer(request, 503, "database_unavailable", "the database is busy or unreachable; try again")

    return app
