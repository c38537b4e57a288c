"""The registration card's signature and an ID photo travel with the check-in; the desk verifies the
photo on the dashboard, which deletes it; a photo that does not match takes back what it gave."""

import base64
import io
import uuid

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from frontoffice.api.app import create_app
from frontoffice.models import (
    AssistanceRequest,
    AuditEvent,
    ImageKind,
    Property,
    RegistrationImage,
    Reservation,
)
from frontoffice.services import staff
from tests.server.conftest import idem
from tests.server.helpers import arrival

PASSWORD = "correct horse battery"


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 32), "white").save(out, format=fmt)
    return out.getvalue()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _check_in(client, r, **registration):
    return client.post(
        f"/api/v1/reservations/{r['id']}/check-in", json={"registration": registration}, headers=idem()
    )


def _login(web: TestClient) -> str:
    csrf = web.get("/dashboard/login").text.split('name="csrf" value="')[1].split('"')[0]
    page = web.post("/dashboard/login", data={"name": "frida", "password": PASSWORD, "csrf": csrf})
    return page.text.split('name="csrf" value="')[1].split('"')[0]


def test_images_are_checked_before_anything_is_stored(db, client):
    r = arrival(client, "Santoso")
    png, jpeg = _image("PNG"), _image("JPEG")
    for registration, field in [
        ({"signature_png": _b64(jpeg)}, "signature_png"),  # a JPEG where a PNG belongs
        ({"id_photo_jpeg": _b64(png)}, "id_photo_jpeg"),
        ({"signature_png": "not base64!"}, "signature_png"),
        ({"signature_png": _b64(png + b"\0" * 300 * 1024)}, "signature_png"),  # too large
    ]:
        res = _check_in(client, r, **registration)
        assert res.status_code == 422 and res.json()["error"] == "invalid_request", res.text
        assert field in res.text
    with db.session() as session:
        assert session.scalars(select(RegistrationImage)).all() == []
    assert client.get(f"/api/v1/reservations/{r['id']}").json()["status"] == "confirmed"


def test_signature_and_id_photo_stored_shown_and_photo_deleted_once_verified(db, hotel, client):
    with db.session(write=True) as session:
        staff.set_password(session, session.get_one(Property, hotel.id), "frida", PASSWORD)
    r = arrival(client, "Santoso")
    png, jpeg = _image("PNG"), _image("JPEG")
    res = _check_in(client, r, terms_version="2026-01", signature_png=_b64(png), id_photo_jpeg=_b64(jpeg))
    assert res.status_code == 200, res.text
    with db.session() as session:
        images = {i.kind: i for i in session.scalars(select(RegistrationImage))}
    assert images[ImageKind.SIGNATURE].data == png and images[ImageKind.ID_PHOTO].data == jpeg
    photo, signature = images[ImageKind.ID_PHOTO].id, images[ImageKind.SIGNATURE].id

    with TestClient(create_app(db)) as web:
        assert web.get(f"/dashboard/registration-images/{photo}", follow_redirects=False).status_code == 303
        csrf = _login(web)
        today = web.get("/dashboard").text
        assert f"/dashboard/registration-images/{signature}" in today  # "signed" on the arrivals list
        page = web.get("/dashboard/id-photos")
        assert 'ID photos <span class="badge">1</span>' in page.text and "Santoso" in page.text
        shown = web.get(f"/dashboard/registration-images/{photo}")
        assert shown.content == jpeg and shown.headers["content-type"] == "image/jpeg"
        assert shown.headers["cache-control"] == "no-store"
        assert web.get(f"/dashboard/registration-images/{uuid.uuid4()}").status_code == 404
        # Without the form's token nothing happens.
        assert web.post(f"/dashboard/id-photos/{photo}/verified", data={"csrf": "x"}).status_code == 403
        done = web.post(f"/dashboard/id-photos/{photo}/verified", data={"csrf": csrf})
        assert done.status_code == 200 and "No ID photos waiting." in done.text
        again = web.post(f"/dashboard/id-photos/{photo}/verified", data={"csrf": csrf})
        assert again.status_code == 200  # a second click finds nothing left to do
        assert web.get(f"/dashboard/registration-images/{photo}").status_code == 404
        other = arrival(client, "Sukarno")
        assert _check_in(client, other, id_photo_jpeg=_b64(jpeg)).status_code == 200
        with db.session() as session:
            photo = session.scalars(
                select(RegistrationImage.id).where(RegistrationImage.kind == "id_photo")
            ).one()
        assert web.post(f"/dashboard/id-photos/{photo}/rejected", data={"csrf": csrf}).status_code == 200
    with db.session() as session:
        kinds = [i.kind for i in session.scalars(select(RegistrationImage))]
        actions = [a.action for a in session.scalars(select(AuditEvent))]
    assert kinds == [ImageKind.SIGNATURE]  # the signature stays with the registration
    assert actions.count("id_photo_verified") == 1 and actions.count("id_photo_rejected") == 1


def test_does_not_match_revokes_the_code_flags_the_stay_calls_staff_and_sends_check_out_to_the_desk(
    db, hotel, client
):
    """The guest was told "our staff will check it": a "does not match" must change what the
    photo let them have. The room's code stops working, the stay is flagged on its page and in the
    lists, a help request asks staff to see the guest, the kiosk may not check the stay out, and
    only the desk (having seen the guest's own ID) clears the flag and issues a new code."""
    with db.session(write=True) as session:
        staff.set_password(session, session.get_one(Property, hotel.id), "frida", PASSWORD)
    r = arrival(client, "Santoso")
    checked_in = _check_in(client, r, id_photo_jpeg=_b64(_image("JPEG")))
    assert checked_in.status_code == 200 and len(checked_in.json()["access_code"]) == 6
    rid = uuid.UUID(r["id"])
    with db.session() as session:
        photo = session.scalars(
            select(RegistrationImage.id).where(RegistrationImage.kind == "id_photo")
        ).one()
    folio = client.get(f"/api/v1/reservations/{rid}/folio").json()
    assert folio["check_out"] == {"allowed": True, "reason": ""}

    with TestClient(create_app(db)) as web:
        csrf = _login(web)
        assert web.post(f"/dashboard/id-photos/{photo}/rejected", data={"csrf": csrf}).status_code == 200
        with db.session() as session:
            stay = session.get_one(Reservation, rid)
            assert stay.access_code == "" and stay.identity_rejected_at is not None
            assert stay.identity_rejected_by == "staff:frida"
            help_rows = list(session.scalars(select(AssistanceRequest)))
            events = [(a.action, a.detail) for a in session.scalars(select(AuditEvent))]
        assert [(h.reservation_id, h.kiosk_id, h.reason.split(":")[0]) for h in help_rows] == [
            (rid, None, "id_photo_rejected")
        ]
        assert ("id_photo_rejected", {"access_code_revoked": True}) in events
        # Staff see it: the help request, the flag on the stay and on the in-house list.
        assistance = web.get("/dashboard/assistance").text
        assert (
            "id_photo_rejected" in assistance
            and "dashboard" in assistance
            and r["confirmation_code"] in assistance
        )
        page = web.get(f"/dashboard/stays/{rid}").text
        assert 'id="identity-rejected"' in page and "checks out at the desk" in page
        assert "ID does not match" in web.get("/dashboard/in-house").text
        # The kiosk may not check the stay out.
        folio = client.get(f"/api/v1/reservations/{rid}/folio").json()
        assert folio["check_out"] == {"allowed": False, "reason": "identity_rejected"}
        refused = client.post(f"/api/v1/reservations/{rid}/check-out", headers=idem())
        assert refused.status_code == 409 and refused.json()["error"] == "identity_rejected"
        # A second click finds nothing left to do: no second help request.
        assert web.post(f"/dashboard/id-photos/{photo}/rejected", data={"csrf": csrf}).status_code == 200
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(AssistanceRequest)) == 1
        # The desk saw the guest's own ID: a new code, the flag gone, the kiosk may check out again.
        assert web.post(f"/dashboard/stays/{rid}/identity-checked", data={"csrf": "x"}).status_code == 403
        cleared = web.post(f"/dashboard/stays/{rid}/identity-checked", data={"csrf": csrf})
        assert cleared.status_code == 200 and 'id="identity-rejected"' not in cleared.text
    with db.session() as session:
        stay = session.get_one(Reservation, rid)
        assert stay.identity_rejected_at is None and len(stay.access_code) == 6
        actions = [a.action for a in session.scalars(select(AuditEvent))]
    assert actions.count("identity_checked_at_desk") == 1
    assert client.get(f"/api/v1/reservations/{rid}/folio").json()["check_out"]["allowed"] is True
