"""DLE EOT answers -> three-valued printer status and health."""

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from drivers.base import Health
from drivers.printer.status import Cover, Online, Paper, PrinterStatus, valid_answer

OK = {1: b"\x12", 2: b"\x12", 4: b"\x12"}


def test_all_fine():
    status = PrinterStatus.parse(OK)
    assert (status.online, status.paper, status.cover, status.error) == (
        Online.ONLINE,
        Paper.OK,
        Cover.CLOSED,
        False,
    )
    assert status.health().health is Health.OK


@pytest.mark.parametrize(
    ("answers", "field", "value", "health"),
    [
        ({4: b"\x1e"}, "paper", Paper.NEAR_END, Health.OK),
        ({1: b"\x1a", 2: b"\x32", 4: b"\x72"}, "paper", Paper.OUT, Health.FAULTY),
        ({1: b"\x1a", 2: b"\x16"}, "cover", Cover.OPEN, Health.FAULTY),
        ({1: b"\x1a"}, "online", Online.OFFLINE, Health.FAULTY),
        ({2: b"\x52"}, "error", True, Health.FAULTY),
    ],
)
def test_each_condition(answers, field, value, health):
    status = PrinterStatus.parse({**OK, **answers})
    assert getattr(status, field) == value
    assert status.health().health is health


def test_near_end_is_ok_but_says_so():
    report = PrinterStatus.parse({**OK, 4: b"\x1e"}).health()
    assert report.reason == "paper near end"


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (None, "no answer to DLE EOT 4"),
        (b"", "no answer to DLE EOT 4"),
        (b"\xa5", "invalid answer 0xa5 to DLE EOT 4"),
        (b"\x12\x12", "invalid answer 0x1212 to DLE EOT 4"),
        (b"\x00", "invalid answer 0x00 to DLE EOT 4"),
    ],
)
def test_no_or_bad_paper_answer_is_unknown_not_out_or_fine(answer, problem):
    """python-escpos reads no answer as "plenty of paper"; here it stays UNKNOWN."""
    status = PrinterStatus.parse({**OK, 4: answer})
    assert status.paper is Paper.UNKNOWN
    assert status.health().health is Health.UNKNOWN
    assert problem in status.health().reason


def test_no_answer_at_all_is_unknown_not_offline():
    status = PrinterStatus.parse({1: None})
    assert (status.online, status.paper, status.cover) == (Online.UNKNOWN, Paper.UNKNOWN, Cover.UNKNOWN)
    assert status.health().health is Health.UNKNOWN


def test_a_known_fault_wins_over_unknown_fields():
    status = PrinterStatus.parse({1: None, 2: b"\x32", 4: None})
    assert status.paper is Paper.OUT  # "stopped by paper end" in the offline cause
    assert status.health().health is Health.FAULTY


def test_round_trips_through_its_journal_form():
    status = PrinterStatus.parse({**OK, 4: b"\xa5"})
    assert PrinterStatus.from_dict(status.as_dict()) == status


@given(hs.dictionaries(hs.sampled_from([1, 2, 4]), hs.none() | hs.binary(max_size=3)))
def test_any_answer_parses_and_invalid_ones_stay_unknown(answers):
    status = PrinterStatus.parse(answers)
    if valid_answer(answers.get(1)) is None:
        assert status.online is Online.UNKNOWN
    if valid_answer(answers.get(4)) is None and valid_answer(answers.get(2)) is None:
        assert status.paper is Paper.UNKNOWN
    assert status.health().health in Health
