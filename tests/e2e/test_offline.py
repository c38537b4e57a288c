"""Working through outages: lookup, room and check-in from the local copy, then the queue drains."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from frontoffice.models import (
    AuditEvent,
    Kiosk,
    KioskHeartbeat,
    Property,
    RegistrationImage,
    Reservation,
    ReservationStatus,
)
from frontoffice.schemas import RegistrationIn
from frontoffice.services import stays
from kiosk.frontdesk import Offline, Refused, Registration, RoomNotReady, WalkInGuest
from tests.e2e.conftest import make_kiosk
from tests.e2e.harness import LiveServer
from tests.server.conftest import BUSINESS_DATE


def _server_state(db, booking_id):
    with db.session() as session:
        row = session.get_one(Reservation, booking_id)
        return row.status, row.guest.email


@pytest.mark.kiosk_only
def test_first_sync_caches_the_property_and_its_stays(kiosk):
    assert kiosk.store.count_reservations() > 30
    assert kiosk.desk.property().business_date == BUSINESS_DATE
    assert kiosk.worker.link.state.online is True


@pytest.mark.kiosk_only
def test_offline_lookup_matches_online(kiosk, server):
    queries = [
        {"surname": "nguyen", "arrival": BUSINESS_DATE},
        {"surname": "OBRIEN", "arrival": BUSINESS_DATE},
        {"surname": "Vanderberg", "arrival": BUSINESS_DATE},
        {"surname": "smith", "arrival": BUSINESS_DATE},
    ]
    online = [kiosk.desk.search(**q) for q in queries]
    code = online[0][0].confirmation_code
    online.append(kiosk.desk.search(confirmation_code=code.lower(), surname="Anh"))
    qr = online[1][0].qr_token
    online.append(kiosk.desk.search(qr_token=qr))
    server.stop()
    offline = [kiosk.desk.search(**q) for q in queries]
    offline.append(kiosk.desk.search(confirmation_code=code.lower(), surname="Anh"))
    offline.append(kiosk.desk.search(qr_token=qr))
    assert [[b.id for b in found] for found in offline] == [[b.id for b in found] for found in online]
    assert all(b.offline for found in offline for b in found)
    assert len(offline[3]) == 2  # two rooms under one booking
    assert kiosk.worker.link.state.online is False
    with pytest.raises(Refused) as refused:
        kiosk.desk.search(surname="Fauzi", arrival=BUSINESS_DATE.replace(day=28))
    assert refused.value.code == "not_today"


def test_offline_check_in_of_a_ready_preassigned_room_reaches_the_server(kiosk, server, db):
    [fauzi] = kiosk.desk.search(surname="Fauzi", arrival=BUSINESS_DATE)
    [brown] = kiosk.desk.search(surname="Brown", arrival=BUSINESS_DATE)
    [santoso] = kiosk.desk.search(surname="Santoso", arrival=BUSINESS_DATE)
    server.stop()

    assert kiosk.desk.assign_room(fauzi).room.number == fauzi.room.number
    with pytest.raises(RoomNotReady) as dirty:
        kiosk.desk.check_in(brown)
    assert dirty.value.room_number == brown.room.number
    with pytest.raises(RoomNotReady):
        kiosk.desk.assign_room(santoso)
    with pytest.raises(Offline):
        kiosk.desk.availability(1)

    signature = b"\x89PNG\r\n\x1a\n" + b"signed with a finger"
    done = kiosk.desk.check_in(fauzi, Registration(email="ahmad@example.org", signature_png=signature))
    assert done.status == "checked_in" and done.offline
    with pytest.raises(Refused) as twice:
        kiosk.desk.check_in(fauzi)
    assert twice.value.code == "reservation_checked_in"
    assert kiosk.store.depth() >= 2  # the check-in and its audit event

    server.start()
    kiosk.worker.nudge()
    assert kiosk.worker.link.wait_for(True, 10)
    assert kiosk.worker.wait_drained(10)
    assert _server_state(db, fauzi.id) == (ReservationStatus.CHECKED_IN, "ahmad@example.org")
    with db.session() as session:
        image = session.scalars(
            select(RegistrationImage).where(RegistrationImage.reservation_id == fauzi.id)
        ).one()
    assert image.kind == "signature" and image.data == signature  # the registration card, signed offline
    [again] = kiosk.desk.search(surname="Fauzi", arrival=BUSINESS_DATE)
    assert again.status == "checked_in" and not again.offline


@pytest.mark.kiosk_only
def test_walk_in_works_online_only(kiosk, server):
    offer = next(o for o in kiosk.desk.availability(1) if o.ready_now)
    booked = kiosk.desk.book_walk_in(offer, 1, WalkInGuest(surname="Walker"))
    assert booked.status == "confirmed" and booked.room is not None
    server.stop()
    with pytest.raises(Offline):
        kiosk.desk.book_walk_in(offer, 1, WalkInGuest(surname="Walker"))


def test_desk_checked_in_meanwhile_lands_in_dead_letters(kiosk, server, db):
    [fauzi] = kiosk.desk.search(surname="Fauzi", arrival=BUSINESS_DATE)
    server.stop()
    kiosk.desk.check_in(fauzi)
    # Meanwhile the desk checks the guest in on the server.
    with db.session(write=True) as session:
        prop = session.query(Property).one()
        r = stays.get_reservation(session, prop, fauzi.id, lock=True)
        stays.check_in(session, prop, r, RegistrationIn(), "desk", datetime.now(UTC))
    server.start()
    kiosk.worker.nudge()
    assert kiosk.worker.wait_drained(10)
    [letter] = kiosk.store.dead_letters()
    assert letter.type == "check_in" and letter.reason.startswith("reservation_checked_in")
    with db.session() as session:
        audits = session.query(AuditEvent).filter_by(action="check_in_offline").count()
    assert audits == 1  # the audit op behind the refused one was not blocked


@pytest.mark.kiosk_only
def test_heartbeat_reports_version_depth_last_sync_and_devices(kiosk, db):
    with db.session() as session:
        row = session.query(Kiosk).filter_by(name="lobby-1").one()
        assert row.app_version == "test" and row.outbox_depth == 0 and row.last_sync_at is not None
        assert row.devices == {"printer": {"health": "ok"}, "terminal": {"health": "unknown"}}
        assert session.query(KioskHeartbeat).count() >= 1


def _certificates(tmp_path):
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=tmp_path)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        "req",
        "-x509",
        *key,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=Sambut test CA",
    )
    openssl("req", *key, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (tmp_path / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "1", "-extfile", "san.ext",
    )  # fmt: skip
    return tmp_path / "ca.pem", (str(tmp_path / "server.pem"), str(tmp_path / "server.key"))


@pytest.mark.kiosk_only
@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_tls_server_is_verified_with_the_configured_ca(db, hotel, token, tmp_path):
    ca, tls = _certificates(tmp_path)
    live = LiveServer(db, tls=tls)
    live.start()
    trusting = make_kiosk(live.url, tmp_path / "trusting", token, ca_file=str(ca))
    stranger = make_kiosk(live.url, tmp_path / "stranger", token)
    try:
        assert trusting.worker.wait_drained(10)
        assert trusting.desk.search(surname="Fauzi", arrival=BUSINESS_DATE)[0].offline is False
        assert stranger.worker.link.wait_for(False, 10)
        assert "certificate" in stranger.worker.link.state.reason.lower()
    finally:
        trusting.close()
        stranger.close()
        live.stop()


@pytest.mark.kiosk_only
def test_online_check_in_gives_the_guest_the_access_code_and_keeps_it_off_the_kiosk(kiosk, db):
    [fauzi] = kiosk.desk.search(surname="Fauzi", arrival=BUSINESS_DATE)
    done = kiosk.desk.check_in(fauzi)
    with db.session() as session:
        issued = session.get_one(Reservation, fauzi.id).access_code
    assert done.access_code == issued and len(issued) == 6 and not done.offline
    assert "access_code" not in kiosk.store.reservation(str(fauzi.id))  # the local copy has no door code
