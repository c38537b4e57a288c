"""The way to a room in the guest's language: as the property wrote it there, else in its own."""

import uuid

from kiosk.frontdesk import Room

PULLED = {
    "id": str(uuid.uuid4()),
    "number": "204",
    "floor": 2,
    "directions": "Take the lift to floor 2, then left",
    "directions_local": {"id": "Naik lift ke lantai 2, lalu ke kiri"},
    "room_type": "DLX",
    "occupancy": "vacant",
    "housekeeping": "clean",
    "ready": True,
}


def test_directions_in_the_guests_language_where_the_property_wrote_them():
    room = Room.parse(PULLED)
    assert room.directions_in("id") == "Naik lift ke lantai 2, lalu ke kiri"
    assert room.directions_in("en") == "Take the lift to floor 2, then left"


def test_a_language_the_property_left_empty_or_a_copy_pulled_before_it_falls_back():
    assert Room.parse({**PULLED, "directions_local": {"id": ""}}).directions_in("id") == PULLED["directions"]
    old = {k: v for k, v in PULLED.items() if k != "directions_local"}  # a kiosk's copy from before
    assert Room.parse(old).directions_in("id") == PULLED["directions"]
