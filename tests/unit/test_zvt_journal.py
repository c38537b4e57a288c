"""The payment journal, reconciliation matching, card masking and guest messages (no terminal)."""

import sqlite3
import tomllib
from dataclasses import replace

import pytest

from drivers.money import Money
from drivers.payment.cardmask import mask_pan, redact_text
from drivers.payment.journal import EntryState, JournalError, PaymentJournal, ResolvedBy
from drivers.payment.messages import GUEST_TEXTS, GuestMessage, guest_message_for, result_meaning
from drivers.payment.model import (
    DisplayText,
    Operation,
    Outcome,
    PaymentRequest,
    PaymentResult,
    ReceiptLine,
)
from drivers.payment.terminal import match_last_transaction
from kiosk.config import DeviceSection

EUR = "EUR"


def request(key="k1", minor=10_000, op=Operation.SALE):
    return PaymentRequest(op, Money(minor, EUR), "booking-42", key)


def approved(req, trace=8):
    return PaymentResult(
        Outcome.APPROVED,
        req.operation,
        req.amount,
        0,
        "approved",
        "VISA",
        "4111111111111111",
        "123456",
        trace,
        3,
    ).for_request(req)


@pytest.fixture
def journal(tmp_path):
    j = PaymentJournal(tmp_path / "payments.sqlite3")
    yield j
    j.close()


def test_money_is_integer_minor_units():
    with pytest.raises(TypeError):
        Money(10.5, EUR)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(100, "euro")
    with pytest.raises(ValueError):
        Money(-1, EUR)


def test_intent_then_result_survives_reopen(tmp_path):
    path = tmp_path / "p.sqlite3"
    j = PaymentJournal(path)
    req = request()
    entry = j.begin(req, "term", prior_trace=7, prior_known=True)
    assert entry.state is EntryState.PENDING and entry.prior_trace == 7
    assert [e.idempotency_key for e in j.pending()] == ["k1"]
    j.close()
    j = PaymentJournal(path)
    assert j.pending()[0].request == req
    j.finish("k1", approved(req), ResolvedBy.LIVE)
    done = j.get("k1")
    assert done.state is EntryState.RECORDED and done.resolved_by is ResolvedBy.LIVE
    assert done.result.masked_pan == "************1111"
    assert done.result.amount == Money(10_000, EUR)
    with pytest.raises(JournalError):
        j.finish("k1", approved(req), ResolvedBy.LIVE)  # a result is written once
    j.close()


def test_every_commit_is_synced(journal):
    assert journal._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert journal._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_idempotency_key_is_unique(journal):
    journal.begin(request(), "term", None, True)
    with pytest.raises(JournalError):
        journal.begin(request(), "term", None, True)


def test_review_then_staff_resolution(journal):
    req = request()
    journal.begin(req, "term", None, False)
    journal.mark_review("k1", "terminal unreachable")
    (entry,) = journal.needs_review()
    assert entry.review_reason == "terminal unreachable"
    assert journal.unacknowledged() == []  # unresolved payments are not synced as results
    journal.finish("k1", approved(req), ResolvedBy.STAFF)
    assert journal.get("k1").resolved_by is ResolvedBy.STAFF


def test_outbox_api_hands_out_each_result_until_acknowledged(journal):
    for key in ("a", "b", "c"):
        req = request(key)
        journal.begin(req, "term", None, True)
        journal.finish(key, approved(req), ResolvedBy.LIVE)
    assert [e.idempotency_key for e in journal.unacknowledged(limit=2)] == ["a", "b"]
    journal.mark_acknowledged("a")
    journal.mark_acknowledged("a")  # repeated acknowledgement is harmless
    assert [e.idempotency_key for e in journal.unacknowledged()] == ["b", "c"]
    assert journal.get("a").acked_at is not None


def test_journal_file_holds_no_full_card_number(journal):
    req = request()
    journal.begin(req, "term", None, True)
    journal.finish("k1", approved(req), ResolvedBy.LIVE)
    journal.close()
    db = sqlite3.connect(journal.path)
    dump = "\n".join(db.iterdump())
    db.close()
    assert "4111111111111111" not in dump and "1111" in dump


@pytest.mark.parametrize(
    ("prior_known", "prior", "last_trace", "last_amount", "expected"),
    [
        (True, 7, 8, 10_000, True),  # new trace, our amount: ours, performed
        (True, 7, 7, 10_000, False),  # terminal's last is still the one before ours: never ran
        (True, 8, 7, 10_000, False),  # older than what we knew (end of day took 8): never ran
        (True, 999_999, 1, 10_000, True),  # trace numbers wrap around
        (True, None, 1, 10_000, True),  # first transaction ever
        (True, 7, 9, 5_000, None),  # something else happened: staff
        (False, None, 8, 10_000, None),  # we did not know where the terminal stood: staff
    ],
)
def test_match_last_transaction(tmp_path, prior_known, prior, last_trace, last_amount, expected):
    j = PaymentJournal(tmp_path / "m.sqlite3")
    entry = j.begin(request(), "term", prior, prior_known)
    last = replace(approved(request(minor=last_amount)), trace_no=last_trace)
    assert match_last_transaction(entry, last) is expected
    assert match_last_transaction(entry, replace(last, trace_no=None)) is None
    assert match_last_transaction(entry, None) is False  # a terminal without transactions
    j.close()


def test_card_masking():
    assert mask_pan("4111 1111 1111 1111") == "************1111"
    assert mask_pan("476173******0119") == "************0119"
    assert mask_pan("12") == "**"
    text = "Card 4111111111111111 ref 1234567890123 PAN 5555-5555-5555-4444"
    redacted = redact_text(text)
    assert "4111111111111111" not in redacted and "5555-5555-5555-4444" not in redacted
    assert "1234567890123" in redacted  # not Luhn-valid: a reference, left alone
    assert "1111" in ReceiptLine("4111111111111111").text
    assert DisplayText(1, "PAN 4111111111111111").text == "PAN ************1111"


def test_result_codes_and_guest_messages():
    assert result_meaning(0x6C) == "abort via timeout or abort key"
    assert "host code 05" in result_meaning(0x05)
    assert result_meaning(None) == "result not known"
    assert guest_message_for(0x00) is GuestMessage.APPROVED
    assert guest_message_for(0x05) is GuestMessage.DECLINED
    assert guest_message_for(0x64) is GuestMessage.CARD_UNREADABLE
    assert guest_message_for(0x78) is GuestMessage.CARD_EXPIRED
    assert guest_message_for(0xFF) is GuestMessage.TERMINAL_PROBLEM
    for lang in ("en", "id"):
        assert set(GUEST_TEXTS[lang]) == set(GuestMessage)
    unknown = replace(approved(request()), outcome=Outcome.UNKNOWN)
    assert "dua kali" in unknown.guest_text("id")


def test_result_round_trips_through_a_dict():
    result = approved(request())
    assert PaymentResult.from_dict(result.to_dict()) == result


KIOSK_TOML = """
[devices.card_terminal]
kind = "payment"
driver = "zvt"
enabled = true

[devices.card_terminal.options]
transport = "tcp"
host = "127.0.0.1"
port = 20007
password = "000000"
currency = "EUR"
journal_path = "var/payments.sqlite3"
"""


def test_default_simulated_terminal_block_validates():
    section = DeviceSection(**tomllib.loads(KIOSK_TOML)["devices"]["card_terminal"])
    assert (section.kind, section.driver) == ("payment", "zvt")
    bad = tomllib.loads(KIOSK_TOML)["devices"]["card_terminal"]
    bad["options"]["baud"] = 9600
    with pytest.raises(ValueError, match="unknown key"):
        DeviceSection(**bad)
    serial_without_device = {"kind": "payment", "driver": "zvt", "options": {"transport": "serial"}}
    with pytest.raises(ValueError, match="needs 'device'"):
        DeviceSection(**serial_without_device)
