"""AAMVA PDF417 licences and ID cards, versions 1 to 10, parsed from raw bytes."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idscan import DocumentKind, ExpiryState, Sex, Source, encode_aamva, parse_aamva, recognize
from tests.idscan_samples import MODERN

TODAY = date(2026, 11, 26)

V1 = {  # 2000: whole name in DAA, CCYYMMDD dates, sex as a letter
    "DAQ": "A1234567",
    "DAA": "PUBLIC,JANE,Q",
    "DAG": "1 ELM RD",
    "DAI": "SPRINGFIELD",
    "DAJ": "IL",
    "DAK": "62701",
    "DBB": "19900215",
    "DBA": "20300215",
    "DBC": "F",
}
V2 = {  # 2003: DCS family name, DCT given names
    "DAQ": "99887766",
    "DCS": "NGUYEN",
    "DCT": "MINH,ANH",
    "DBB": "03151975",
    "DBA": "03152028",
    "DBC": "2",
    "DAG": "9 OAK AVE",
    "DAI": "PORTLAND",
    "DAJ": "OR",
    "DAK": "97201",
    "DCG": "USA",
}


def parse(data: bytes):
    return parse_aamva(data, Source.CAMERA, today=TODAY)


@pytest.mark.parametrize("version", range(3, 11))
def test_modern_versions(version):
    extra = {"ZV": {"ZVA": "01"}}
    doc = parse(encode_aamva(MODERN, version=version, jurisdiction_version=1, extra_subfiles=extra))
    assert doc.valid, (doc.reason, doc.failed_checks())
    f = doc.fields
    assert doc.kind is DocumentKind.AAMVA_DL
    assert (f.surname, f.given_names, f.sex) == ("PUBLIC", "JOHN QUINCY", Sex.MALE)
    assert (f.birth_date, f.expiry_date) == (date(1985, 1, 7), date(2029, 8, 31))
    assert f.document_number == "T64235789"
    assert f.address == ("123 MAIN STREET", "APT 4")
    assert (f.city, f.region, f.postal_code, f.country) == ("ANYTOWN", "VA", "221010000", "USA")
    assert doc.expiry is ExpiryState.VALID
    assert "T64235789" not in repr(doc) and "PUBLIC" not in repr(doc)


def test_version_1_full_name_and_ccyymmdd():
    doc = parse(encode_aamva(V1, version=1, iin="636035"))
    assert doc.valid
    f = doc.fields
    assert (f.surname, f.given_names, f.sex) == ("PUBLIC", "JANE Q", Sex.FEMALE)
    assert (f.birth_date, f.expiry_date) == (date(1990, 2, 15), date(2030, 2, 15))


def test_version_2_given_names_in_dct():
    doc = parse(encode_aamva(V2, version=2))
    assert doc.valid
    assert (doc.fields.surname, doc.fields.given_names, doc.fields.sex) == ("NGUYEN", "MINH ANH", Sex.FEMALE)
    assert doc.fields.birth_date == date(1975, 3, 15)


def test_canadian_dates_are_ccyymmdd_and_id_card_kind():
    elements = {**MODERN, "DCG": "CAN", "DBB": "19850107", "DBA": "20290831", "DAJ": "ON"}
    doc = parse(encode_aamva(elements, version=9, iin="636012", subfile_type="ID"))
    assert doc.valid and doc.kind is DocumentKind.AAMVA_ID
    assert (doc.fields.birth_date, doc.fields.expiry_date) == (date(1985, 1, 7), date(2029, 8, 31))


def test_expired_licence_is_a_valid_reading_with_expired_state():
    doc = parse(encode_aamva({**MODERN, "DBA": "01012020"}))
    assert doc.valid and doc.expiry is ExpiryState.EXPIRED


def test_wrong_designator_offset_is_recovered_and_flagged():
    data = encode_aamva(MODERN, version=8)
    bad = data.replace(b"DL0031", b"DL0029", 1)
    assert bad != data
    doc = parse(bad)
    assert doc.valid and doc.corrected


def test_recognize_routes_raw_bytes_with_leading_whitespace():
    assert recognize(b"\r\n" + encode_aamva(MODERN), Source.SERIAL, today=TODAY).kind is DocumentKind.AAMVA_DL


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"@",
        b"@\n\x1e\rANSI ",
        b"@\n\x1e\rANSI 63600010",
        b"@\n\x1e\rANSI 636000990102DL00410278",  # version 99
        b"@\n\x1e\rANSI 636000000102DL00410278",  # version 0
        encode_aamva(MODERN)[:60],
        encode_aamva({k: v for k, v in MODERN.items() if k != "DAQ"}),
        encode_aamva({**MODERN, "DBB": "13452000"}),
        encode_aamva(MODERN, subfile_type="ZZ"),
        encode_aamva(MODERN).replace(b"ANSI ", b"ANSI?"),
        b"\xff" * 300,
    ],
)
def test_malformed_licences_are_invalid_not_exceptions(data):
    doc = parse(data)
    assert not doc.valid and doc.reason


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 400))
def test_arbitrary_bytes_and_truncations_never_raise(noise, cut):
    assert parse(noise).valid is False or parse(noise).valid is True
    data = encode_aamva(MODERN)
    assert isinstance(parse(data[:cut] + noise).valid, bool)
    assert isinstance(recognize(b"@\n\x1e\rANSI " + noise, Source.CAMERA).valid, bool)


ELEMENT_TEXT = (
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -'", min_size=1, max_size=20).map(str.strip).filter(bool)
)


@settings(max_examples=120, deadline=None)
@given(
    version=st.integers(1, 10),
    surname=ELEMENT_TEXT,
    given_name=ELEMENT_TEXT,
    number=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=25),
    birth=st.dates(date(1920, 1, 1), TODAY),
    expiry=st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    sex=st.sampled_from([("1", Sex.MALE), ("2", Sex.FEMALE), ("9", Sex.UNSPECIFIED)]),
    canadian=st.booleans(),
    subfile=st.sampled_from(["DL", "ID"]),
)
def test_generated_licences_round_trip(
    version, surname, given_name, number, birth, expiry, sex, canadian, subfile
):
    us_order = version >= 2 and not canadian
    fmt = "%m%d%Y" if us_order else "%Y%m%d"
    elements = {
        "DAQ": number,
        "DCS" if version >= 2 else "DAB": surname,
        "DAC": given_name,
        "DBB": birth.strftime(fmt),
        "DBA": expiry.strftime(fmt),
        "DBC": sex[0],
        "DCG": "CAN" if canadian else "USA",
    }
    doc = parse(encode_aamva(elements, version=version, subfile_type=subfile))
    assert doc.valid, (doc.reason, doc.failed_checks())
    f = doc.fields
    assert (f.document_number, f.surname, f.given_names, f.sex) == (
        number,
        surname,
        " ".join(given_name.split()),
        sex[1],
    )
    assert (f.birth_date, f.expiry_date) == (birth, expiry)
    assert doc.kind is (DocumentKind.AAMVA_DL if subfile == "DL" else DocumentKind.AAMVA_ID)
