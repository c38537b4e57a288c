"""The registration card's signature and an ID photo travel with the check-in; the desk verifies the
photo on the dashboard, which deletes it."""

import base64
import io
import uuid

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from frontoffice.api.app import create_app
from frontoffice.models import AuditEvent, ImageKind, Property, RegistrationImage
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
