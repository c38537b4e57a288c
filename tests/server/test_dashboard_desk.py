"""The desk's lists and stay page, in Chromium: the access code an offline receipt sends the guest
to the desk for (shown on a click, each view audited), a same-day stay that stays on Today, in-house
guests with the day and time they really checked in, a used deposit no longer held, and no dispute
buttons on closed stays."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from frontoffice.models import AuditEvent, Charge, Guest, Property, Reservation
from frontoffice.services import staff
from tests.server.conftest import idem
from tests.server.helpers import arrival, card_payment
from tests.server.live import live_server
from tests.server.test_dashboard import PASSWORD, browser  # noqa: F401  (the module's Chromium)


@pytest.fixture
def desk_page(db, hotel, browser):  # noqa: F811
    with db.session(write=True) as session:
        staff.set_password(session, session.get_one(Property, hotel.id), "frida", PASSWORD)
    with live_server(db) as base:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/dashboard/login")
        page.fill("input[name=name]", "frida")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert page.url.endswith("/dashboard")
        yield page
        context.close()


def _check_in(client, surname: str) -> dict:
    r = arrival(client, surname)
    assert client.post(f"/api/v1/reservations/{r['id']}/assign-room").status_code == 200
    res = client.post(f"/api/v1/reservations/{r['id']}/check-in", json={}, headers=idem())
    assert res.status_code == 200, res.text
    return res.json()


def _csrf(page) -> str:
    return page.locator("input[name=csrf]").first.get_attribute("value")


def _reservation(db, surname: str) -> Reservation:
    with db.session() as session:
        return session.scalars(
            select(Reservation).join(Reservation.guest).where(Guest.surname == surname)
        ).one()


def test_the_desk_sees_the_access_code_on_a_click_and_each_look_is_audited(db, client, desk_page):
    stay = _check_in(client, "Santoso")
    page = desk_page
    page.goto(f"/dashboard/stays/{stay['id']}")
    assert stay["access_code"] not in page.inner_text("main")  # not until asked for
    page.locator("#access-code button", has_text="Show access code").click()
    assert stay["access_code"] in page.inner_text("#access-code")
    assert "audit log" in page.inner_text("#access-code")
    with db.session() as session:
        looks = session.scalars(select(AuditEvent).where(AuditEvent.action == "access_code_viewed")).all()
    assert [(e.actor, e.entity_id) for e in looks] == [("staff:frida", stay["id"])]
    # An arrival not yet in house has no code to show, and asking for one is refused.
    other = arrival(client, "Sukarno")
    page.goto(f"/dashboard/stays/{other['id']}")
    assert page.locator("#access-code").count() == 0
    refused = page.request.post(f"/dashboard/stays/{other['id']}/access-code", form={"csrf": _csrf(page)})
    assert refused.status == 409 and "not in house" in refused.text()


def test_a_guest_who_arrived_and_left_today_stays_on_today(db, client, desk_page):
    stay = _check_in(client, "Santoso")
    balance = client.get(f"/api/v1/reservations/{stay['id']}/folio").json()["balance"]
    assert (
        client.post(
            f"/api/v1/reservations/{stay['id']}/payments", json=card_payment(balance), headers=idem()
        ).status_code
        == 201
    )
    assert client.post(f"/api/v1/reservations/{stay['id']}/check-out", headers=idem()).status_code == 200
    page = desk_page
    page.goto("/dashboard")
    for section in ("Arrivals", "Departures"):
        row = page.locator("section", has_text=section).locator("tr", has_text="Santoso")
        assert row.count() == 1, section
        assert "checked out" in row.inner_text()


def test_in_house_guests_show_the_day_and_time_they_checked_in(db, desk_page):
    gunawan = _reservation(db, "Gunawan")
    with db.session() as session:
        tz = session.get_one(Property, gunawan.property_id).timezone
    local = gunawan.checked_in_at.astimezone(ZoneInfo(tz))
    assert local.date() == gunawan.arrival and 12 <= local.hour <= 20  # the day they came, not "now"
    page = desk_page
    page.goto("/dashboard/in-house")
    row = page.locator("tr", has_text="Gunawan").inner_text()
    assert f"{local:%d %b} {local:%H:%M}" in row


def test_a_deposit_taken_is_no_longer_shown_as_held(db, client, desk_page):
    rossi = _reservation(db, "Rossi")
    folio = client.get(f"/api/v1/reservations/{rossi.id}/folio").json()
    page = desk_page
    page.goto(f"/dashboard/stays/{rossi.id}")
    assert "held on card" in page.inner_text("main")
    capture = card_payment(folio["balance"], kind="capture")
    res = client.post(f"/api/v1/reservations/{rossi.id}/payments", json=capture, headers=idem())
    assert res.status_code == 201, res.text
    page.goto(f"/dashboard/stays/{rossi.id}")
    assert "held on card" not in page.inner_text("main")
    assert client.get(f"/api/v1/reservations/{rossi.id}").json()["deposit_held"] == 0


def test_a_closed_stay_has_no_dispute_buttons_and_refuses_a_dispute(db, client, desk_page):
    rossi = _reservation(db, "Rossi")
    folio = client.get(f"/api/v1/reservations/{rossi.id}/folio").json()
    page = desk_page
    page.goto(f"/dashboard/stays/{rossi.id}")
    assert page.locator("button", has_text="Guest disputes it").count() > 0  # in house: it may
    paid = client.post(
        f"/api/v1/reservations/{rossi.id}/payments", json=card_payment(folio["balance"]), headers=idem()
    )
    assert paid.status_code == 201
    assert client.post(f"/api/v1/reservations/{rossi.id}/check-out", headers=idem()).status_code == 200
    page.goto(f"/dashboard/stays/{rossi.id}")
    assert page.locator("button", has_text="Guest disputes it").count() == 0
    assert page.locator("button", has_text="Dispute settled").count() == 0
    with db.session() as session:
        minibar = session.scalars(
            select(Charge).where(Charge.reservation_id == rossi.id, Charge.type == "extra")
        ).one()
    refused = page.request.post(f"/dashboard/charges/{minibar.id}/dispute", form={"csrf": _csrf(page)})
    assert refused.status == 409 and "closed" in refused.text()
    with db.session() as session:
        assert not session.get_one(Charge, minibar.id).disputed
