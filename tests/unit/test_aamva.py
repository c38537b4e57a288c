"""AAMVA PDF417 licences and ID cards, versions 1 to 10, parsed from raw bytes."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idscan import DocumentKind, ExpiryState, Sex, Source, encode_aamva, parse_aamva, recognize
from kiosk.frontdesk import Guest
from kiosk.journey.identity import Verdict, verify
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
        " ".join(surname.split()),  # names are read as words: runs of blanks are one
        " ".join(given_name.split()),
        sex[1],
    )
    assert (f.birth_date, f.expiry_date) == (birth, expiry)
    assert doc.kind is (DocumentKind.AAMVA_DL if subfile == "DL" else DocumentKind.AAMVA_ID)


# -- the standard's markers are not names --------------------------------------------------------

JAMES = Guest(surname="Public", given_names="James", birth_date=None, nationality="", email="", phone="")


@pytest.mark.parametrize(
    ("changes", "given"),
    [
        ({"DAC": "JAMES", "DAD": "NONE"}, "JAMES"),
        ({"DAC": "JAMES", "DAD": "unavl"}, "JAMES"),
        ({"DAC": "JAMES", "DAD": "unavail"}, "JAMES"),
        ({"DAC": "JAMES", "DAD": "NONE", "DDG": "N"}, "JAMES"),
    ],
    ids=["none", "unavl", "unavail", "none-not-truncated"],
)
def test_no_middle_name_markers_are_not_names_and_the_booking_matches(changes, given):
    doc = parse(encode_aamva({**MODERN, **changes}))
    assert doc.valid
    assert (doc.fields.surname, doc.fields.given_names) == ("PUBLIC", given)
    assert verify(doc, JAMES, TODAY) is Verdict.MATCH


def test_a_truncated_name_matches_the_booking_it_was_cut_from():
    elements = {**MODERN, "DCS": "WORTHINGTON-SMYT", "DAC": "JAMES", "DAD": "NONE", "DDE": "T"}
    doc = parse(encode_aamva(elements))
    assert doc.valid and doc.fields.names_truncated
    guest = replace(JAMES, surname="Worthington-Smythe")
    assert verify(doc, guest, TODAY) is Verdict.MATCH
    assert verify(doc, replace(JAMES, surname="Worthington-Jones"), TODAY) is Verdict.MISMATCH
    # Without the indicator a short name is just another name.
    untruncated = parse(encode_aamva({**elements, "DDE": "N"}))
    assert not untruncated.fields.names_truncated
    assert verify(untruncated, guest, TODAY) is Verdict.MISMATCH


# -- every version, from the standard's tables ---------------------------------------------------


# What each version writes (AAMVA DL/ID Card Design Standard, Annex D of the 2020 edition and the
# earlier editions named in its version table): name elements, sex coding, truncation indicators.
def version_elements(version: int, canadian: bool) -> dict[str, str]:
    us_dates = version >= 2 and not canadian
    fmt = "%m%d%Y" if us_dates else "%Y%m%d"
    base = {
        "DAQ": "X1234567",
        "DBB": date(1981, 4, 12).strftime(fmt),  # the 12th of April: the orders cannot be confused
        "DBA": date(2031, 4, 12).strftime(fmt),
        "DAG": "77 LAKE SHORE RD",
        "DAI": "TORONTO" if canadian else "RICHMOND",
        "DAJ": "ON" if canadian else "VA",
        "DAK": "M5V3L9" if canadian else "232690000",
    }
    if version == 1:
        return base | {"DAA": "MARTIN,ANNA,MARIE,JR", "DBC": "F"}
    if version in (2, 3):
        return base | {
            "DCS": "MARTIN",
            "DCT": "ANNA,MARIE",
            "DCU": "JR",
            "DBC": "2",
            "DCG": "CAN" if canadian else "USA",
        }
    return base | {
        "DCS": "MARTIN",
        "DAC": "ANNA",
        "DAD": "MARIE",
        "DCU": "JR",
        "DBC": "2",
        "DCG": "CAN" if canadian else "USA",
        "DDE": "N",
        "DDF": "N",
        "DDG": "N",
    }


@pytest.mark.parametrize("canadian", [False, True], ids=["us", "canada"])
@pytest.mark.parametrize("version", range(1, 11))
def test_every_version_with_a_jurisdiction_subfile(version, canadian):
    jurisdiction = {"ZO" if canadian else "ZV": {"ZVA": "JURISDICTION DEFINED", "ZVB": "NONE"}}
    data = encode_aamva(
        version_elements(version, canadian),
        version=version,
        iin="636012" if canadian else "636000",
        jurisdiction_version=3,
        extra_subfiles=jurisdiction,
    )
    assert (data[15:17], data[17:19]) == (b"%02d" % version, b"03" if version >= 2 else b"02")
    doc = parse(data)
    assert doc.valid, (doc.reason, doc.failed_checks())
    f = doc.fields
    assert (f.surname, f.given_names, f.sex) == ("MARTIN", "ANNA MARIE", Sex.FEMALE)
    assert (f.birth_date, f.expiry_date) == (date(1981, 4, 12), date(2031, 4, 12))
    assert f.region == ("ON" if canadian else "VA")


def test_canadian_dates_without_a_country_element_follow_the_province():
    # Versions 2 and 3 made DCG optional; an Ontario card without it still writes CCYYMMDD.
    elements = {k: v for k, v in version_elements(3, canadian=True).items() if k != "DCG"}
    elements |= {"DBB": "19810312", "DBA": "20310312"}  # 12 March: read month-first it would be December 3
    doc = parse(encode_aamva(elements, version=3, iin="636012"))
    assert (doc.fields.birth_date, doc.fields.country) == (date(1981, 3, 12), "CAN")


# -- published samples ---------------------------------------------------------------------------

# The example barcode of the AAMVA 2020 DL/ID Card Design Standard (Annex D), as quoted in the
# README of https://github.com/benhovinga/aamva_barcode_library.
AAMVA_2020_EXAMPLE = (
    b"@\n\x1e\rANSI 636000100102DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\nDDFN\n"
    b"DADJOHN\nDDGN\nDCUJR\nDCAD\nDCBK\nDCDPH\nDBD06062019\nDBB06061986\nDBA12102024\nDBC1\nDAU068 in\n"
    b"DAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \nDCF2424244747474786102204\n"
    b"DCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDC06062020\nDDD1\rZVZVA01\r"
)
# Version 1 and Maryland's "AAMVA" file type: test fixtures of https://github.com/winfinit/aamvajs
# (test/), as carried by the aamva_barcode_library tests.
AAMVAJS_V1 = (
    b"@\n\x1e\rANSI 6360000102DL00390188ZV02270031DLDAQ0123456789ABC\nDAAPUBLIC,JOHN,Q\nDAG123 MAIN STREET\n"
    b"DAIANYTOWN\nDAJVA\nDAK123459999  \nDARDM  \nDAS       \nDAT     \nDAU509\nDAW175\nDAYBL \nDAZBR \n"
    b"DBA20011201\nDBB19761123\nDBCM\nDBD19961201\rZVZVAJURISICTIONDEFINEDELEMENT\r"
)
AAMVAJS_MD = (
    b"@\n\x1e\rAAMVA6360030101DL00290192DLDAQK-134-123-145-103\nDAAJOHNSON,JACK,,3RD\n"
    b"DAG1234 BARNEYS INN PL\nDAIBALTIMORE\nDAJMD\nDAK21230 \nDARC \nDAS \nDAT \nDAU505\nDAW135\n"
    b"DBA20170209\nDBB19910209\nDBC1\nDBD20120210\nDBHN\r"
)
# Georgia's version 3 specimen from https://github.com/c0shea/IdParser (IdParser.Tests/GA License.txt);
# the text file lost the header's RS and CR and the subfiles' CR terminators, put back here.
IDPARSER_GA = (
    b"@\n\x1e\rANSI 636055030002DL00410453ZG04940140DLDCAC       \nDCBNONE      \nDCDP    \nDBA02012013\n"
    b"DCSSAMPLE                                  \nDCTJANICE" + b" " * 74 + b"\nDBD07012006\nDBB07011957\n"
    b"DBC2\nDAYBLU\nDAU064 in\nDAG123 NORTH STATE ST.                \nDAIANYTOWN             \nDAJGA\n"
    b"DAK303340000  \nDAQ100000001                \nDCE2\nDCFFREEFORM DATA XX UP TO 25\nDCGUSA\nDCHNONE\n"
    b"DCUPH.D.\nDCJ9876543210987654321012345\nDCK1234567890123456789012345\rZGZGAY\nZGBREV09112008\nZGCL\n"
    b"ZGD \nZGEY\nZGFY\nZGG120\nZGH5-04\nZGICOUNTY FIELD TXT UP TO 25\nZGJY\nZGKABC123456789-1234567\n"
    b"ZGL12345-67891234567ABC\r"
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            AAMVA_2020_EXAMPLE,
            ("T64235789", "SAMPLE", "MICHAEL JOHN", date(1986, 6, 6), date(2024, 12, 10), "VA"),
        ),
        (AAMVAJS_V1, ("0123456789ABC", "PUBLIC", "JOHN Q", date(1976, 11, 23), date(2001, 12, 1), "VA")),
        (AAMVAJS_MD, ("K-134-123-145-103", "JOHNSON", "JACK", date(1991, 2, 9), date(2017, 2, 9), "MD")),
        (IDPARSER_GA, ("100000001", "SAMPLE", "JANICE", date(1957, 7, 1), date(2013, 2, 1), "GA")),
    ],
    ids=["aamva-2020-annex-d", "aamvajs-v1", "aamvajs-maryland", "idparser-georgia-v3"],
)
def test_published_samples(data, expected):
    doc = parse(data)
    assert doc.valid, (doc.reason, doc.failed_checks())
    f = doc.fields
    assert (f.document_number, f.surname, f.given_names, f.birth_date, f.expiry_date, f.region) == expected
    assert doc.expiry is ExpiryState.EXPIRED  # every specimen has long expired: still a valid reading
