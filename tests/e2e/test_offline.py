"""Working through outages: lookup, room and check-in from the local copy, then the queue drains."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontoffice.models import AuditEvent, Property, Reservation, ReservationStatus
from frontoffice.schemas import RegistrationIn
from frontoffice.services import stays
from kiosk.frontdesk import Offline, Refused, Registration, RoomNotReady, WalkInGuest
from tests.server.conftest import BUSINESS_DATE


def _server_state(db, booking_id):
    with db.session() as session:
        row = session.get_one(Reservation, booking_id)
        return row.status, row.guest.email


def test_first_sync_caches_the_property_and_its_stays(kiosk):
    assert kiosk.store.count_reservations() > 30
    assert kiosk.desk.property().business_date == BUSINESS_DATE
    assert kiosk.worker.link.state.online is True


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

    done = kiosk.desk.check_in(fauzi, Registration(email="ahmad@example.org"))
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
    [again] = kiosk.desk.search(surname="Fauzi", arrival=BUSINESS_DATE)
    assert again.status == "checked_in" and not again.offline


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
