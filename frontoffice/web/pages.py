"""The staff dashboard: server-rendered pages (Jinja2), staff login, CSRF on every form."""

from __future__ import annotations

import pathlib
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from frontoffice.api.deps import DB, ReadSession
from frontoffice.models import StaffUser
from frontoffice.models.base import utcnow
from frontoffice.services import dashboard, mail, money, reports, staff
from frontoffice.web import auth
from frontoffice.web.auth import CurrentStaff, PostingStaff, Staff

PREFIX = "/dashboard"
HERE = pathlib.Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# Formatted by hand, not strftime: a list of 500 stays calls these a thousand times.
def _day(value: date) -> str:
    return f"{value.day:02d} {MONTHS[value.month]}"


def _local(value: datetime | None, tz: str, today: date | None = None) -> str:
    """The property's local time; the day too, unless it is ``today`` (a list of today's stays)."""
    if value is None:
        return "—"
    t = value.astimezone(ZoneInfo(tz))
    clock = f"{t.hour:02d}:{t.minute:02d}"
    return clock if t.date() == today else f"{_day(t)} {clock}"


templates.env.filters["money"] = money.display
templates.env.filters["local"] = _local
templates.env.filters["day"] = _day

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def is_dashboard(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def _page(request: Request, session: Session, who: Staff, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        name,
        {
            "staff": who,
            "prop": who.property,
            "tz": who.property.timezone,
            "counts": dashboard.counts(session, who.property),
            "kiosks_to_see": dashboard.kiosks_to_see(session, who.property, utcnow()),
            "path": request.url.path,
            **context,
        },
    )


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(PREFIX + path, status_code=303)


# --- login -------------------------------------------------------------------------------------


def _login_form(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    token = auth.new_login_token()
    response = templates.TemplateResponse(
        request, "login.html", {"csrf": token, "error": error}, status_code=status
    )
    auth.set_cookie(response, request, auth.LOGIN_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    return _login_form(request)


@router.post("/login")
def login(
    request: Request,
    db: DB,
    name: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    auth.check_login_csrf(request, csrf)
    with db.session() as session:
        user = staff.authenticate(session, name.strip(), password)
    if user is None:
        return _login_form(request, "That name and password do not match.", status=401)
    with db.session(write=True) as session:
        staff.record_login(session, user.id)
    response = _back("")
    auth.set_cookie(response, request, auth.COOKIE, auth.session_cookie(user), max_age=auth.LIFETIME_S)
    response.delete_cookie(auth.LOGIN_COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout(db: DB, who: PostingStaff) -> RedirectResponse:
    with db.session(write=True) as session:
        user = session.get_one(StaffUser, who.user.id)
        staff.end_sessions(user)
    response = _back("/login")
    response.delete_cookie(auth.COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --- pages -------------------------------------------------------------------------------------


@router.get("")
def today(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    arrivals, departures = dashboard.arrivals_and_departures(session, who.property)
    return _page(request, session, who, "today.html", arrivals=arrivals, departures=departures)


@router.get("/in-house")
def in_house(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    return _page(request, session, who, "in_house.html", guests=dashboard.in_house(session, who.property))


@router.get("/kiosks")
def kiosks(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    states = dashboard.kiosks(session, who.property, utcnow())
    return _page(request, session, who, "kiosks.html", kiosks=states)


@router.get("/assistance")
def assistance(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    rows = dashboard.open_assistance(session, who.property)
    return _page(request, session, who, "assistance.html", rows=rows)


@router.get("/dead-letters")
def dead_letters(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    rows = dashboard.open_dead_letters(session, who.property)
    return _page(request, session, who, "dead_letters.html", rows=rows)


@router.get("/mail")
def mail_page(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    return _page(request, session, who, "mail.html", rows=mail.troubled(session, who.property))


@router.get("/payments")
def payments(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    rows = dashboard.payments_to_review(session, who.property)
    return _page(request, session, who, "payments.html", rows=rows)


@router.get("/stays/{reservation_id}")
def stay(
    request: Request, reservation_id: uuid.UUID, session: ReadSession, who: CurrentStaff
) -> HTMLResponse:
    return _page(request, session, who, "stay.html", s=dashboard.stay(session, who.property, reservation_id))


@router.post("/stays/{reservation_id}/access-code")
def reveal_access_code(
    request: Request, reservation_id: uuid.UUID, db: DB, who: PostingStaff
) -> HTMLResponse:
    """The stay page with the room's access code shown, once per click (each one audited)."""
    with db.session(write=True) as session:
        code = dashboard.reveal_access_code(session, who.property, reservation_id, who.actor)
        s = dashboard.stay(session, who.property, reservation_id)
        page = _page(request, session, who, "stay.html", s=s, access_code=code)
    page.headers["Cache-Control"] = "no-store"  # a door code: never kept by a browser or a proxy
    return page


@router.get("/id-photos")
def id_photos(request: Request, session: ReadSession, who: CurrentStaff) -> HTMLResponse:
    rows = dashboard.id_photos_to_verify(session, who.property)
    return _page(request, session, who, "id_photos.html", rows=rows)


@router.get("/registration-images/{image_id}")
def registration_image(image_id: uuid.UUID, session: ReadSession, who: CurrentStaff) -> Response:
    image = dashboard.registration_image(session, who.property, image_id)
    # A guest's ID and signature: never kept by a browser or a proxy.
    return Response(image.data, media_type=image.media_type, headers={"Cache-Control": "no-store"})


@router.get("/totals")
def totals(
    request: Request, session: ReadSession, who: CurrentStaff, day: Annotated[date | None, Query()] = None
) -> HTMLResponse:
    report = reports.daily(session, who.property, day or who.property.business_date, utcnow())
    audits = dashboard.last_audits(session, who.property)
    return _page(request, session, who, "totals.html", report=report, audits=audits)


# --- actions: POST, CSRF-checked, then back to the list (a reload does not post again) --------


@router.post("/assistance/{request_id}/resolve")
def resolve_assistance(request_id: uuid.UUID, db: DB, who: PostingStaff) -> RedirectResponse:
    with db.session(write=True) as session:
        dashboard.resolve_assistance(session, who.property, request_id, who.actor)
    return _back("/assistance")


@router.post("/dead-letters/{letter_id}/resolve")
def resolve_dead_letter(
    letter_id: Annotated[int, Path(ge=1, le=2**62)], db: DB, who: PostingStaff
) -> RedirectResponse:
    with db.session(write=True) as session:
        dashboard.resolve_dead_letter(session, who.property, letter_id, who.actor)
    return _back("/dead-letters")


@router.post("/mail/{mail_id}/send-again")
def send_mail_again(mail_id: uuid.UUID, db: DB, who: PostingStaff) -> RedirectResponse:
    with db.session(write=True) as session:
        mail.send_again(session, who.property, mail_id, who.actor)
    return _back("/mail")


@router.post("/payments/{payment_id}/reviewed")
def review_payment(payment_id: uuid.UUID, db: DB, who: PostingStaff) -> RedirectResponse:
    with db.session(write=True) as session:
        dashboard.review_payment(session, who.property, payment_id, who.actor)
    return _back("/payments")


@router.post("/charges/{charge_id}/{action}")
def dispute_charge(
    charge_id: uuid.UUID, action: Literal["dispute", "settle"], db: DB, who: PostingStaff
) -> RedirectResponse:
    with db.session(write=True) as session:
        stay_id = dashboard.set_dispute(
            session, who.property, charge_id, who.actor, disputed=action == "dispute"
        )
    return _back(f"/stays/{stay_id}")


@router.post("/id-photos/{image_id}/{outcome}")
def verify_id_photo(
    image_id: uuid.UUID, outcome: Literal["verified", "rejected"], db: DB, who: PostingStaff
) -> RedirectResponse:
    with db.session(write=True) as session:
        dashboard.verify_id_photo(session, who.property, image_id, who.actor, matches=outcome == "verified")
    return _back("/id-photos")


@router.post("/stays/{reservation_id}/identity-checked")
def clear_identity(reservation_id: uuid.UUID, db: DB, who: PostingStaff) -> RedirectResponse:
    with db.session(write=True) as session:
        dashboard.clear_identity(session, who.property, reservation_id, who.actor)
    return _back(f"/stays/{reservation_id}")


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="dashboard-static")

    @app.exception_handler(auth.LoginRequired)
    def login_required(request: Request, exc: auth.LoginRequired) -> Response:
        return _back("/login")

    @app.exception_handler(auth.CsrfRefused)
    def csrf_refused(request: Request, exc: auth.CsrfRefused) -> HTMLResponse:
        return error_page(
            request, 403, "This form has expired or did not come from this dashboard. Reload and try again."
        )
