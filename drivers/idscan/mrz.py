"""Machine readable zones per ICAO 9303 (parts 4, 5, 6 and 7): TD1, TD2, TD3, MRV-A and MRV-B.

OCR confusions (O/0, I/1, S/5, B/8, Z/2) are fixed only where the field's type leaves no doubt:
a letter in a date or check digit becomes its digit, and the check digit must then pass; a digit in
a name, country code or sex becomes its letter. Document and personal numbers are left as read,
since letters and digits are both legal there: a failed check there means "scan again".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from drivers.idscan.document import (
    Check,
    DocumentFields,
    DocumentKind,
    IdDocument,
    Sex,
    Source,
    expiry_state,
)

FILLER = "<"
_VALUES = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")} | {FILLER: 0}
_DIGITS = "0123456789"


def _weight_table(weight: int) -> bytes:
    table = bytearray(256)
    for ch, value in _VALUES.items():
        table[ord(ch)] = value * weight % 10
    return bytes(table)


_W7, _W3, _W1 = (_weight_table(w) for w in (7, 3, 1))
_MRZ_LINE = re.compile(r"[A-Z0-9<]+")
_TO_DIGIT = str.maketrans("OISBZ", "01582")
_TO_ALPHA = str.maketrans("01582", "OISBZ")
# Shapes by (lines, width); the first letter of the document code tells a visa from the others.
_SHAPES = {(3, 30), (2, 36), (2, 44)}
ZONE_LINES = {width: count for count, width in _SHAPES}  # line width -> lines in the zone
_SEX = {"M": Sex.MALE, "F": Sex.FEMALE, "X": Sex.UNSPECIFIED, FILLER: Sex.UNSPECIFIED}

# Codes that are not ISO 3166 countries but appear as issuing state or nationality (ICAO 9303-3).
SPECIAL_CODES = {
    "D": "Germany",
    "UTO": "Utopia (ICAO specimen)",
    "XXA": "stateless person (1954 Convention)",
    "XXB": "refugee (1951 Convention)",
    "XXC": "refugee (other)",
    "XXX": "unspecified nationality",
    "EUE": "European Union",
    "UNO": "United Nations Organization",
    "UNA": "United Nations specialized agency",
    "UNK": "Kosovo (UN interim administration)",
    "XOM": "Sovereign Military Order of Malta",
    "XPO": "INTERPOL",
    "GBD": "British Overseas Territories citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas citizen",
    "GBP": "British protected person",
    "GBS": "British subject",
}


# Check results are immutable; sharing the handful there are saves building six per document.
_CHECKS = {
    (name, passed, corrected): Check(name, passed, corrected)
    for name in (
        "letter_fields",
        "document_number",
        "birth_date",
        "expiry_date",
        "personal_number",
        "composite",
    )
    for passed in (True, False)
    for corrected in (True, False)
}

_FAILED = frozenset(c for c in _CHECKS.values() if not c.passed)


def check_digit(text: str) -> str:
    """ICAO 9303 check digit: values 0-9, A-Z = 10-35, < = 0, weighted 7-3-1, modulo 10."""
    # Each weight's products (mod 10) as a byte table, so the sums run in C: about 3x faster.
    data = text.encode("latin-1", "replace")
    total = sum(data[0::3].translate(_W7)) + sum(data[1::3].translate(_W3)) + sum(data[2::3].translate(_W1))
    return _DIGITS[total % 10]


def _alnum_field(value: str, check: str) -> tuple[bool, bool]:
    """(passed, corrected) for a letters-and-digits field: only its check digit may be read as a digit.

    The field itself is never altered: both readings of a look-alike are legal there, and the 7-3-1
    check digit cannot tell which (a wrong swap passes one time in ten).
    """
    fixed = check.translate(_TO_DIGIT)
    passed = check_digit(value) == fixed
    return passed, passed and fixed != check


_TWO_DIGITS = {f"{i:02d}": i for i in range(100)}


def _date(digits: str, today: date, *, past: bool) -> date:
    """YYMMDD with its century: a birth date is never in the future; an expiry is within 50 years."""
    year = 2000 + _TWO_DIGITS[digits[:2]]
    if not past and year > today.year + 50:
        year -= 100
    value = date(year, _TWO_DIGITS[digits[2:4]], _TWO_DIGITS[digits[4:]])
    if past and value > today:
        value = value.replace(year=year - 100)
    return value


def _date_check(
    name: str, raw: str, raw_check: str, today: date, *, past: bool
) -> tuple[Check, date | None, str, str]:
    """A date and its check digit, letters read as their look-alike digits."""
    digits, check = raw.translate(_TO_DIGIT), raw_check.translate(_TO_DIGIT)
    if check_digit(digits) != check:
        return _CHECKS[name, False, False], None, digits, check
    value = None
    if digits.isdigit():
        try:
            value = _date(digits, today, past=past)
        except ValueError:  # e.g. month 13: the check digit passed on nonsense
            return _CHECKS[name, False, False], None, digits, check
    elif not (digits == FILLER * 6 or (digits[:2].isdigit() and FILLER in digits[2:])):
        # Unknown parts are filled from the right only (ICAO 9303-3 4.6).
        return _CHECKS[name, False, False], None, digits, check
    return _CHECKS[name, True, digits != raw or check != raw_check], value, digits, check


def _names(field: str) -> tuple[str, str]:
    primary, _, secondary = field.rstrip(FILLER).partition(FILLER * 2)
    return " ".join(primary.replace(FILLER, " ").split()), " ".join(secondary.replace(FILLER, " ").split())


def _code(raw: str) -> str:
    return raw.rstrip(FILLER)


def _is_code(code: str) -> bool:
    """A state or nationality: three letters (ISO 3166 or ICAO's XXA...), or Germany's lone D."""
    return code.isalpha() and (len(code) == 3 or code in SPECIAL_CODES)


def describe_code(code: str) -> str:
    """The special codes in words (for staff screens); other codes are plain ISO 3166 countries."""
    return SPECIAL_CODES.get(code, code)


def normalize_mrz(text: str) -> str:
    """MRZ text as ICAO 9303 writes it, for the parser and the scanners' framing alike: spaces and
    tabs are OCR noise inside a line (any other whitespace separates lines), and readers and
    keyboard wedges may send lower case."""
    return text.replace(" ", "").replace("\t", "").upper()


def mrz_line(text: str) -> str | None:
    """``text`` normalised if it is one line of a machine readable zone (30, 36 or 44 characters)."""
    line = normalize_mrz(text.strip())
    return line if len(line) in ZONE_LINES and _MRZ_LINE.fullmatch(line) else None


def _split(text: str) -> list[str]:
    lines = normalize_mrz(text).split()
    if len(lines) == 1:  # some readers send the zone as one run of characters
        run = lines[0]
        for count, width in _SHAPES:
            if len(run) == count * width:
                return [run[i * width : (i + 1) * width] for i in range(count)]
    return lines


def _kind(lines: list[str]) -> DocumentKind | None:
    shape = (len(lines), len(lines[0]))
    if shape not in _SHAPES or len(set(map(len, lines))) != 1:
        return None
    first = lines[0][0].translate(_TO_ALPHA)
    if shape == (3, 30):
        return DocumentKind.TD1 if first in "IAC" else None
    if shape == (2, 36):
        return DocumentKind.MRV_B if first == "V" else DocumentKind.TD2 if first in "IAC" else None
    return DocumentKind.MRV_A if first == "V" else DocumentKind.TD3 if first == "P" else None


def parse_mrz(text: str, source: Source = Source.TEXT, today: date | None = None) -> IdDocument:
    """Parse a machine readable zone; never raises, an unreadable zone is an invalid IdDocument."""
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else b""
    now = datetime.now(UTC)  # one clock read for both the read time and the expiry judgement
    try:
        return _parse(text, source, today or now.date(), raw, now)
    except Exception:  # defensive: malformed input of any shape is a clean "not valid"
        return IdDocument.invalid(source, "not a readable machine readable zone", raw)


def _parse(text: str, source: Source, today: date, raw: bytes, now: datetime) -> IdDocument:
    lines = _split(text)
    if not lines:
        return IdDocument.invalid(source, "empty", raw)
    kind = _kind(lines)
    if kind is None or not _MRZ_LINE.fullmatch("".join(lines)):
        return IdDocument.invalid(source, "not a machine readable zone", raw)

    if kind is DocumentKind.TD1:
        l1, l2, l3 = lines
        number, ncheck, opt1 = l1[5:14], l1[14], l1[15:30]
        birth, bcheck, sex, expiry, echeck = l2[0:6], l2[6], l2[7], l2[8:14], l2[14]
        nationality, opt2, composite = l2[15:18], l2[18:29], l2[29]
        name = l3
    else:
        l1, l2 = lines
        number, ncheck, nationality = l2[0:9], l2[9], l2[10:13]
        birth, bcheck, sex, expiry, echeck = l2[13:19], l2[19], l2[20], l2[21:27], l2[27]
        name = l1[5:]
        end = len(l2) - (kind in (DocumentKind.TD2, DocumentKind.TD3))
        opt1, opt2, composite = l2[28:end], "", l2[end:]
    letters = l1[0:5] + nationality + sex + name
    fixed_letters = letters.translate(_TO_ALPHA)
    code, state, nationality = fixed_letters[0:2], fixed_letters[2:5], fixed_letters[5:8]
    sex, name = fixed_letters[8], fixed_letters[9:]
    if sex not in _SEX:
        return IdDocument.invalid(source, "unreadable sex field", raw, kind)
    state, nationality = _code(state), _code(nationality)
    if not (_is_code(state) and _is_code(nationality)):
        return IdDocument.invalid(source, "unreadable state or nationality code", raw, kind)

    # Names, codes and sex hold letters only: a digit there is read as its look-alike letter.
    checks: list[Check] = [_CHECKS["letter_fields", True, fixed_letters != letters]]
    # A number longer than 9 characters: filler in the check position, the rest of the number
    # and its check digit at the start of the optional data (TD1, TD2).
    overflow = ncheck == FILLER and kind in (DocumentKind.TD1, DocumentKind.TD2) and opt1[:1] != FILLER
    if overflow:
        tail = opt1.split(FILLER, 1)[0]
        full = number + tail[:-1]
        passed, fixed = _alnum_field(full, tail[-1:])
    else:
        full = number
        passed, fixed = _alnum_field(number, ncheck)
        ncheck = ncheck.translate(_TO_DIGIT)
    checks.append(_CHECKS["document_number", passed, fixed])

    bcheck_result, birth_date, birth, bcheck = _date_check("birth_date", birth, bcheck, today, past=True)
    echeck_result, expiry_date, expiry, echeck = _date_check("expiry_date", expiry, echeck, today, past=False)
    checks += (bcheck_result, echeck_result)

    if kind is DocumentKind.TD3:
        personal, pcheck = opt1[:-1], opt1[-1]
        if pcheck == FILLER and personal == FILLER * len(personal):
            pcheck = "0"  # an unused personal number may carry a filler as its check digit
        passed, fixed = _alnum_field(personal, pcheck)
        checks.append(_CHECKS["personal_number", passed, fixed])
        opt1 = personal + pcheck.translate(_TO_DIGIT)
    if composite:
        fixed_composite = composite.translate(_TO_DIGIT)
        if kind is DocumentKind.TD1:  # the whole upper line after the state, then line 2's fields
            body = number + ncheck + opt1 + birth + bcheck + expiry + echeck + opt2
        else:
            body = number + ncheck + birth + bcheck + expiry + echeck + opt1
        passed = check_digit(body) == fixed_composite
        checks.append(_CHECKS["composite", passed, passed and fixed_composite != composite])

    surname, given = _names(name)
    document_number = full.rstrip(FILLER)
    if overflow:
        opt1 = opt1[len(tail) :]
    optional = opt1[:-1] if kind is DocumentKind.TD3 else opt1 + opt2
    fields = DocumentFields(
        document_code=_code(code),
        issuing_state=state,
        document_number=document_number,
        surname=surname,
        given_names=given,
        nationality=nationality,
        birth_date=birth_date,
        expiry_date=expiry_date,
        sex=_SEX[sex],
        optional_data=optional.strip(FILLER),
        names_truncated=not name.endswith(FILLER),  # a full name field may have been cut to fit
    )
    reason = "" if _FAILED.isdisjoint(checks) else "check digit mismatch"
    if not reason and not surname:
        reason = "no name"
    return IdDocument(
        kind=kind,
        source=source,
        fields=fields,
        checks=tuple(checks),
        reason=reason,
        expiry=expiry_state(expiry_date, today),
        raw=raw,
        read_at=now,
    )


def _pad(text: str, width: int) -> str:
    return (text.upper().replace(" ", FILLER) + FILLER * width)[:width]


def _yymmdd(value: date | None) -> str:
    return value.strftime("%y%m%d") if value else FILLER * 6


def _letters(name: str) -> str:
    """A name as an issuer writes it in the zone: capitals without accents, other marks as fillers."""
    plain = unicodedata.normalize("NFKD", name.upper()).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", FILLER, plain).strip(FILLER)


def _with_check(text: str) -> str:
    return text + check_digit(text)


def format_mrz(kind: DocumentKind, fields: DocumentFields) -> str:
    """The zone an issuer would print for ``fields``: for simulators, tests and the bench.

    A document number longer than 9 characters overflows into the optional data (TD1, TD2).
    """
    width = {DocumentKind.TD1: 30, DocumentKind.TD2: 36, DocumentKind.MRV_B: 36}.get(kind, 44)
    code = _pad(fields.document_code or {"td3": "P", "mrv_a": "V", "mrv_b": "V"}.get(kind, "I"), 2)
    head = code + _pad(fields.issuing_state, 3)
    name = _letters(fields.surname) + FILLER * 2 + _letters(fields.given_names)
    sex = FILLER if fields.sex in (None, Sex.UNSPECIFIED) else fields.sex.value
    number, optional = fields.document_number, fields.optional_data
    if len(number) > 9 and kind not in (DocumentKind.TD1, DocumentKind.TD2):
        raise ValueError(f"{kind.value} has no room for a document number over 9 characters")
    if len(number) > 9:
        optional = number[9:] + check_digit(_pad(number, len(number))) + FILLER + optional
        number_part = _pad(number, 9) + FILLER
    else:
        number_part = _with_check(_pad(number, 9))
    birth, expiry = _with_check(_yymmdd(fields.birth_date)), _with_check(_yymmdd(fields.expiry_date))
    if kind is DocumentKind.TD1:
        upper = number_part + _pad(optional, 15)
        middle = birth + sex + expiry + _pad(fields.nationality, 3) + _pad("", 11)
        middle += check_digit(upper + middle[:7] + middle[8:15] + middle[18:29])
        return "\n".join((head + upper, middle, _pad(name, 30)))
    line2 = number_part + _pad(fields.nationality, 3) + birth + sex + expiry
    if kind is DocumentKind.TD3:
        personal = _pad(optional, 14)
        line2 += personal + (check_digit(personal) if optional else FILLER)
    else:
        line2 += _pad(optional, width - 28 - (kind is DocumentKind.TD2))
    if kind in (DocumentKind.TD2, DocumentKind.TD3):
        line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:])
    return head + _pad(name, width - 5) + "\n" + line2
