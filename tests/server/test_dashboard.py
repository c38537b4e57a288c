"""The staff dashboard: in a real headless Chromium (Debian's, driven by Playwright), and over HTTP."""

import base64
import io
import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from frontoffice.api.app import create_app
from frontoffice.models import AssistanceRequest, Payment, Property, Reservation, StaffUser
from frontoffice.services import kiosks, staff
from tests.server.conftest import BUSINESS_DATE, idem
from tests.server.helpers import arrival, card_payment
from tests.server.live import live_server

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def desk(db, hotel, client):
    """A staff user, a guest asking for help, a flagged payment and a refused op."""
    with db.session(write=True) as session:
        staff.set_password(session, session.get_one(Property, hotel.id), "frida", PASSWORD)
    r = arrival(client, "Lestari")
    help_id = str(uuid.uuid4())
    body = {"id": help_id, "screen": "payment", "reason": "card refused twice", "reservation_id": r["id"]}
    body["created_at"] = datetime.now(UTC).isoformat()
    assert client.post("/api/v1/assistance-requests", json=body).status_code == 201
    flagged = card_payment(1_000_000) | {"review_reason": "reconciled after a kiosk restart"}
    res = client.post(f"/api/v1/reservations/{r['id']}/payments", json=flagged, headers=idem())
    assert res.status_code == 201, res.text
    kiosk_id = client.get("/api/v1/kiosk").json()["id"]
    op = {
        "op_id": f"op-{uuid.uuid4()}",
        "seq": 1,
        "type": "teleport",
        "payload": {},
        "created_at": body["created_at"],
    }
    assert client.post("/api/v1/sync/push", json={"kiosk_id": kiosk_id, "ops": [op]}).status_code == 200
    return {"help_id": help_id, "payment_id": flagged["id"]}


def test_login_resolve_and_csrf_in_chromium(db, desk, browser):
    with live_server(db) as base:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/dashboard")
        assert page.url.endswith("/dashboard/login")
        page.fill("input[name=name]", "frida")
        page.fill("input[name=password]", "wrong password")
        page.click("button[type=submit]")
        assert "do not match" in page.inner_text("[role=alert]")

        page.fill("input[name=name]", "frida")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert page.url.endswith("/dashboard")
        assert page.inner_text("h1") == "Today"
        assert "Lestari" in page.inner_text("main")
        page.click("nav >> text=In house")
        assert page.inner_text("h1") == "In house" and "Gunawan" in page.inner_text("main")
        cookie = next(c for c in context.cookies() if c["name"] == "sambut_staff")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

        page.click("nav >> text=Assistance")
        row = page.locator("tr", has_text="card refused twice")
        assert row.count() == 1
        row.locator("button", has_text="Resolve").click()
        assert page.url.endswith("/dashboard/assistance")
        assert "Nobody is waiting for help." in page.inner_text("main")
        with db.session() as session:
            assert session.get_one(AssistanceRequest, uuid.UUID(desk["help_id"])).resolved_at is not None

        # A forged form (no token, or another one) is refused and changes nothing.
        url = f"/dashboard/payments/{desk['payment_id']}/reviewed"
        for form in ({}, {"csrf": "forged"}):
            refused = page.request.post(url, form=form, max_redirects=0)
            assert refused.status == 403 and "did not come from this dashboard" in refused.text()
        with db.session() as session:
            assert session.get_one(Payment, uuid.UUID(desk["payment_id"])).reviewed_at is None

        for path, heading in [
            ("/dashboard/kiosks", "Kiosks"),
            ("/dashboard/payments", "Payments to review"),
            ("/dashboard/dead-letters", "Dead letters"),
            ("/dashboard/totals", "Daily totals"),
        ]:
            assert page.goto(path).status == 200 and page.inner_text("h1").startswith(heading)
        page.goto("/dashboard/payments")
        page.locator("button", has_text="Mark reviewed").click()
        assert "Nothing to review." in page.inner_text("main")

        page.click("text=Log out")
        assert page.url.endswith("/dashboard/login")
        assert page.goto("/dashboard").url.endswith("/dashboard/login")
        context.close()


def test_reports_api_and_friendly_errors(db, desk):
    with TestClient(create_app(db)) as web:
        day = str(BUSINESS_DATE)
        refused = web.get("/api/v1/reports/daily", params={"date": day})
        assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
        basic = {"Authorization": "Basic " + base64.b64encode(f"frida:{PASSWORD}".encode()).decode()}
        report = web.get("/api/v1/reports/daily", params={"date": day}, headers=basic)
        assert report.status_code == 200 and report.json()["scopes"][0]["scope"] == "property"
        as_csv = web.get("/api/v1/reports/daily", params={"date": day, "format": "csv"}, headers=basic)
        assert as_csv.headers["content-type"].startswith("text/csv")
        assert as_csv.text.startswith("business_date,property,scope,section,key,currency,count,amount\n")
        wrong = {"Authorization": "Basic " + base64.b64encode(b"frida:nope").decode()}
        assert web.get("/api/v1/reports/daily", params={"date": day}, headers=wrong).status_code == 401
        # Junk credentials or cookies (even bytes outside ASCII) are a 401 or the login form.
        junk = ("Basic ???", "Basic w6k=", "Basic " + base64.b64encode("é:ü".encode("latin-1")).decode())
        for value in junk:
            refused = web.get("/api/v1/reports/daily", params={"date": day}, headers={"Authorization": value})
            assert refused.status_code == 401
        with db.session() as session:
            frida = session.scalars(select(StaffUser.id)).one().hex
        for cookie in ("x", f"{frida}.99999999999.é", f"{frida}.99999999999.abc", f"{frida}.1.abc"):
            sent = {"Cookie": f"sambut_staff={cookie}".encode()}
            assert web.get("/dashboard/kiosks", headers=sent, follow_redirects=False).status_code == 303
        bad_date = web.get("/api/v1/reports/daily", params={"date": "2026-13-01"}, headers=basic)
        assert bad_date.status_code == 422 and bad_date.json()["error"] == "invalid_request"

        # Not logged in: pages send to the login form; errors are pages, never JSON or a 500.
        assert web.get("/dashboard/kiosks", follow_redirects=False).headers["location"] == "/dashboard/login"
        login = web.get("/dashboard/login")
        csrf = login.text.split('name="csrf" value="')[1].split('"')[0]
        ok = web.post("/dashboard/login", data={"name": "frida", "password": PASSWORD, "csrf": csrf})
        assert ok.status_code == 200 and "<h1>Today</h1>" in ok.text
        for path, status in [
            ("/dashboard/nowhere", 404),
            ("/dashboard/totals?day=yesterday", 422),
        ]:
            page = web.get(path)
            assert page.status_code == status and page.headers["content-type"].startswith("text/html")
            assert "Back to the dashboard" in page.text
        gone = web.post(f"/dashboard/assistance/{uuid.uuid4()}/resolve", data={"csrf": "x"})
        assert gone.status_code == 403
        with db.session() as session:
            assert session.scalars(select(AssistanceRequest)).one().resolved_at is None


def test_kiosks_page_shows_each_device_as_the_kiosk_reports_it(db, desk, client):
    from drivers.base import HealthReport
    from drivers.printer.status import Cover, Online, Paper, PrinterStatus

    near_end = PrinterStatus(Online.ONLINE, Paper.NEAR_END, Cover.CLOSED, False).health()
    out = PrinterStatus(Online.ONLINE, Paper.OUT, Cover.CLOSED, False).health()
    beat = {
        "app_version": "0.1.0",
        "outbox_depth": 3,
        "devices": {
            "receipt": near_end.as_dict(),
            "backup_printer": out.as_dict(),
            "card_terminal": HealthReport.unknown("no answer to status enquiry").as_dict(),
        },
    }
    assert client.post("/api/v1/kiosk/heartbeat", json=beat).status_code == 204
    with TestClient(create_app(db)) as web:
        login = web.get("/dashboard/login")
        csrf = login.text.split('name="csrf" value="')[1].split('"')[0]
        web.post("/dashboard/login", data={"name": "frida", "password": PASSWORD, "csrf": csrf})
        page = web.get("/dashboard/kiosks").text
    receipt = '<span class="pill ok">receipt: ok</span> <span class="muted">paper near end'
    assert f'title="paper near end">{receipt}' in page
    assert '<span class="pill faulty">backup_printer: faulty</span> <span class="muted">paper out' in page
    assert 'title="no answer to status enquiry"><span class="pill unknown">card_terminal: unknown' in page


def test_id_photo_does_not_match_in_chromium(db, desk, client, browser):
    """The desk's "Does not match", clicked as staff click it: the stay is flagged where they look
    next (the help request, the stay page), and "ID checked at the desk" gives it a new code."""
    r = arrival(client, "Santoso")
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 40), "white").save(jpeg, format="JPEG")
    registration = {"id_photo_jpeg": base64.b64encode(jpeg.getvalue()).decode()}
    res = client.post(
        f"/api/v1/reservations/{r['id']}/check-in", json={"registration": registration}, headers=idem()
    )
    assert res.status_code == 200, res.text
    with live_server(db) as base:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/dashboard/login")
        page.fill("input[name=name]", "frida")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.click("nav >> text=ID photos")
        page.locator("section.photo", has_text="Santoso").locator("button", has_text="Does not match").click()
        assert "No ID photos waiting." in page.inner_text("main")
        page.click("nav >> text=Assistance")
        assert page.locator("tr", has_text="id_photo_rejected").count() == 1
        page.click("nav >> text=In house")
        page.locator("tr", has_text="Santoso").locator("a", has_text="Santoso").click()
        assert "ID does not match" in page.inner_text("#identity-rejected")
        assert "checks out at the desk" in page.inner_text("main")
        page.locator("button", has_text="ID checked at the desk").click()
        assert page.locator("#identity-rejected").count() == 0
        assert "may check out at a kiosk" in page.inner_text("main")
        context.close()
    with db.session() as session:
        stay = session.get_one(Reservation, uuid.UUID(r["id"]))
        assert stay.identity_rejected_at is None and len(stay.access_code) == 6


def test_kiosks_page_flags_a_revoked_kiosk_still_calling(db, desk, client, token):
    """The server cannot hear a kiosk whose token it refuses: it says so, and what to do."""
    assert client.get("/api/v1/kiosk").status_code == 200
    with db.session(write=True) as session:
        kiosks.revoke_kiosk(session, session.scalars(select(Property)).one(), "lobby-1")
    assert client.get("/api/v1/sync/pull").status_code == 401
    with TestClient(create_app(db)) as web:
        login = web.get("/dashboard/login")
        csrf = login.text.split('name="csrf" value="')[1].split('"')[0]
        web.post("/dashboard/login", data={"name": "frida", "password": PASSWORD, "csrf": csrf})
        page = web.get("/dashboard/kiosks").text
    assert '<span class="pill faulty">not registered</span>' in page
    assert "its token was revoked" in page and "python main.py server add-kiosk lobby-1" in page
    assert '>Kiosks <span class="badge">1</span>' in page
