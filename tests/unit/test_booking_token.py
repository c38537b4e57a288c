"""The booking QR token is recognised by shape only and handed on whole."""

import pytest

from drivers.idscan import DocumentKind, ExpiryState, Source, parse_booking, recognize

RES = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SIG = "AbC-_0123456789xyzXYZ_-"[:22]
TOKEN = f"SBT1.HOTEL-01.{RES}.{SIG}"


def test_token_recognised_with_whitespace_stripped():
    doc = recognize(f"  {TOKEN}\r\n", Source.CAMERA)
    assert doc.valid and doc.kind is DocumentKind.BOOKING
    assert doc.fields.booking_token == TOKEN
    assert (doc.fields.booking_property, doc.fields.booking_reservation) == ("HOTEL-01", RES)
    assert doc.expiry is ExpiryState.NOT_APPLICABLE


@pytest.mark.parametrize(
    "text",
    [
        f"SBT2.HOTEL-01.{RES}.{SIG}",
        f"SBT1.hotel-01.{RES}.{SIG}",
        f"SBT1.{'A' * 17}.{RES}.{SIG}",
        f"SBT1..{RES}.{SIG}",
        f"SBT1.HOTEL-01.{RES.upper()}.{SIG}",
        f"SBT1.HOTEL-01.{RES[:-1]}.{SIG}",
        f"SBT1.HOTEL-01.{RES}.{SIG}=",
        f"SBT1.HOTEL-01.{RES}.{SIG[:-1]}",
        f"SBT1.HOTEL-01.{RES}.{SIG[:-1]}+",
        f"SBT1.HOTEL-01.{RES}.{SIG}.extra",
        f"SBT1.HOTEL 01.{RES}.{SIG}",
        "SBT1.",
    ],
)
def test_near_misses_are_not_booking_codes(text):
    doc = parse_booking(text, Source.CAMERA)
    assert not doc.valid and doc.reason


def test_other_codes_are_unknown():
    doc = recognize("https://example.com/", Source.CAMERA)
    assert not doc.valid and doc.kind is DocumentKind.UNKNOWN
