"""AAMVA DL/ID card design standard, the PDF417 on North American licences and ID cards (versions 1-10).

The decoder's raw bytes are parsed, not a text rendering: the header names its own separators
(data element separator, record separator, segment terminator: normally LF, RS, CR), then a table
of subfile designators (type, offset, length) points at the subfiles, each a run of elements
``<3-letter id><value>``. What differs between the versions (AAMVA DL/ID Card Design Standard,
Annex D, and its earlier editions):

- 01 (DL/ID-2000): no jurisdiction version in the header, dates CCYYMMDD, the name either whole
  in DAA ("LAST,FIRST,MIDDLE,SUFFIX") or split in DAB/DAC/DAD, sex as M/F or 1/2;
- 02, 03 (2003, 2005): family name DCS, given names together in DCT, US dates MMDDCCYY;
- 04 to 10 (2009 to 2020): DCS, first name DAC, middle names DAD, and the truncation indicators
  DDE/DDF/DDG (T truncated, N not, U unknown).

Canadian issuers write dates CCYYMMDD in every version. A name element may hold a marker instead of
a name: "NONE" (there is none) or "unavl"/"unavail" (not available); neither is a name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from drivers.idscan.document import (
    Check,
    DocumentFields,
    DocumentKind,
    IdDocument,
    Sex,
    Source,
    expiry_state,
    utc_today,
)

COMPLIANCE = 0x40  # "@"
_FILE_TYPES = (b"ANSI ", b"AAMVA")
_DESIGNATOR = re.compile(rb"([A-Z]{2})(\d{4})(\d{4})")
_SEX = {"1": Sex.MALE, "2": Sex.FEMALE, "9": Sex.UNSPECIFIED} | {s.value: s for s in Sex}
_KINDS = {"DL": DocumentKind.AAMVA_DL, "ID": DocumentKind.AAMVA_ID}
MAX_VERSION = 10
_NOT_A_NAME = frozenset({"NONE", "UNAVL", "UNAVAIL"})
_TRUNCATION = ("DDE", "DDF", "DDG")  # family, first, middle name: T truncated, N not, U unknown
_PROVINCES = frozenset(["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"])


def looks_like_aamva(data: bytes) -> bool:
    return len(data) > 4 and data[0] == COMPLIANCE and data[4:9] in _FILE_TYPES


def _date(value: str, month_first: bool) -> date | None:
    """A date in the order the version and country use; the other order when that is impossible."""
    if len(value) != 8 or not value.isdigit():
        return None
    orders = ((4, 0, 2), (0, 4, 6)) if month_first else ((0, 4, 6), (4, 0, 2))
    for y, m, d in orders:
        try:
            return date(int(value[y : y + 4]), int(value[m : m + 2]), int(value[d : d + 2]))
        except ValueError:
            continue
    return None


def _name(value: str | None) -> str:
    """A name element's words, without the standard's markers for "no such name" or "not available"."""
    words = (value or "").replace(",", " ").split()
    return " ".join(w for w in words if w.upper() not in _NOT_A_NAME)


def _names(elements: Mapping[str, str]) -> tuple[str, str]:
    if "DCS" in elements or "DAB" in elements:
        surname = elements.get("DCS") or elements.get("DAB", "")
        given = elements.get("DCT") or " ".join((_name(elements.get("DAC")), _name(elements.get("DAD"))))
    else:  # version 1: the whole name in DAA, "LAST,FIRST,MIDDLE,SUFFIX" (the suffix is not a name)
        surname, first, middle, *_ = [*elements.get("DAA", "").split(","), "", "", ""]
        given = f"{first} {middle}"
    return _name(surname), _name(given)


def _truncated(elements: Mapping[str, str]) -> bool:
    """Whether the issuer cut a name to fit (or cannot say it did not)."""
    return any(elements.get(i, "N").strip().upper() in ("T", "U") for i in _TRUNCATION)


def _subfiles(data: bytes, version: int) -> tuple[dict[str, bytes], bool]:
    """Subfiles by type, and whether every designator pointed where it should."""
    header_end = 19 if version < 2 else 21
    entries = int(data[header_end - 2 : header_end])
    found: dict[str, bytes] = {}
    exact = True
    for i in range(entries):
        start = header_end + 10 * i
        match = _DESIGNATOR.fullmatch(data[start : start + 10])
        if match is None:
            return found, False
        kind, offset, length = match[1], int(match[2]), int(match[3])
        if data[offset : offset + 2] != kind:
            # Some issuers count the offset differently; the type marks where the subfile starts.
            offset = data.find(kind, header_end + 10 * entries)
            exact = False
            if offset < 0:
                continue
        found[kind.decode("ascii")] = data[offset : offset + length]
    return found, exact


def _elements(subfile: bytes, element_sep: int, segment_end: int) -> dict[str, str]:
    body = subfile[2:].split(bytes([segment_end]), 1)[0]
    elements: dict[str, str] = {}
    for item in body.split(bytes([element_sep])):
        item = item.strip(b"\r\n ")
        if len(item) >= 3 and item[:3].isalnum():
            elements.setdefault(item[:3].decode("ascii"), item[3:].decode("latin-1").strip())
    return elements


def parse_aamva(data: bytes, source: Source = Source.CAMERA, today: date | None = None) -> IdDocument:
    """Parse AAMVA PDF417 bytes; never raises, anything unreadable is an invalid IdDocument."""
    try:
        return _parse(bytes(data), source, today or utc_today())
    except Exception:  # defensive: malformed input of any shape is a clean "not valid"
        return IdDocument.invalid(source, "not a readable AAMVA barcode", bytes(data) if data else b"")


def _parse(data: bytes, source: Source, today: date) -> IdDocument:
    if not looks_like_aamva(data):
        return IdDocument.invalid(source, "no AAMVA header", data)
    element_sep, segment_end = data[1], data[3]
    if not data[9:17].isdigit():
        return IdDocument.invalid(source, "malformed AAMVA header", data)
    version = int(data[15:17])
    if not 1 <= version <= MAX_VERSION:
        return IdDocument.invalid(source, f"unsupported AAMVA version {version}", data)
    subfiles, exact = _subfiles(data, version)
    kind_code = next((k for k in _KINDS if k in subfiles), None)
    if kind_code is None:
        return IdDocument.invalid(source, "no DL or ID subfile", data)
    elements = _elements(subfiles[kind_code], element_sep, segment_end)

    country = elements.get("DCG", "") or ("CAN" if elements.get("DAJ", "") in _PROVINCES else "")
    month_first = version >= 2 and country != "CAN"
    birth = _date(elements.get("DBB", ""), month_first)
    expiry = _date(elements.get("DBA", ""), month_first)
    surname, given = _names(elements)
    number = elements.get("DAQ", "")
    checks = (
        Check("subfile_offsets", True, corrected=not exact),
        Check("document_number", bool(number)),
        Check("name", bool(surname)),
        Check("birth_date", birth is not None and birth <= today),
        Check("expiry_date", expiry is not None),
    )
    fields = DocumentFields(
        document_code=kind_code,
        issuing_state=elements.get("DAJ", ""),
        document_number=number,
        surname=surname,
        given_names=given,
        birth_date=birth,
        expiry_date=expiry,
        sex=_SEX.get(elements.get("DBC", "")),
        address=tuple(filter(None, (elements.get("DAG"), elements.get("DAH")))),
        city=elements.get("DAI", ""),
        region=elements.get("DAJ", ""),
        postal_code=elements.get("DAK", "").rstrip(),
        country=country,
        names_truncated=_truncated(elements),
    )
    return IdDocument(
        kind=_KINDS[kind_code],
        source=source,
        fields=fields,
        checks=checks,
        reason="" if all(c.passed for c in checks) else "missing or unreadable elements",
        expiry=expiry_state(expiry, today),
        raw=data,
    )


def encode_aamva(
    elements: Mapping[str, str],
    *,
    version: int = 10,
    iin: str = "636000",
    subfile_type: str = "DL",
    jurisdiction_version: int = 0,
    extra_subfiles: Mapping[str, Mapping[str, str]] | None = None,
) -> bytes:
    """Build the bytes an issuer would print, for simulators, tests and the bench."""
    bodies = [(subfile_type, elements), *(extra_subfiles or {}).items()]
    encoded = [
        kind.encode() + b"\n".join(f"{k}{v}".encode("latin-1") for k, v in elems.items()) + b"\r"
        for kind, elems in bodies
    ]
    header = b"@\n\x1e\rANSI " + iin.encode() + b"%02d" % version
    if version >= 2:
        header += b"%02d" % jurisdiction_version
    header += b"%02d" % len(encoded)
    offset = len(header) + 10 * len(encoded)
    designators = b""
    for (kind, _), body in zip(bodies, encoded, strict=True):
        designators += kind.encode() + b"%04d%04d" % (offset, len(body))
        offset += len(body)
    return header + designators + b"".join(encoded)
