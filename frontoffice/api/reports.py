"""Daily totals for accounting, for staff: the dashboard's session cookie or HTTP Basic."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse

from frontoffice.api.deps import DB, ReadSession
from frontoffice.api.responses import errors
from frontoffice.models.base import utcnow
from frontoffice.schemas import DailyReportOut
from frontoffice.services import reports
from frontoffice.web import auth

router = APIRouter(prefix="/api/v1/reports", tags=["back office"])


@router.get(
    "/daily",
    response_model=DailyReportOut,
    summary="Daily totals of a business date: payments, charges, taxes; property and per kiosk",
    responses={200: {"content": {"text/csv": {}}}, **errors(401, 422, 503)},
)
def daily(
    request: Request,
    db: DB,
    session: ReadSession,
    day: Annotated[date, Query(alias="date")],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> DailyReportOut | PlainTextResponse:
    who = auth.read_session(db, request) or auth.basic_auth_staff(db, request)
    if who is None:
        raise HTTPException(
            401, "a staff login is required", headers={"WWW-Authenticate": 'Basic realm="Sambut staff"'}
        )
    report = reports.daily(session, who.property, day, utcnow())
    if format == "json":
        return report
    filename = f"sambut-{who.property.code}-{day.isoformat()}.csv"
    return PlainTextResponse(
        reports.to_csv(report),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
