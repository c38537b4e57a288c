"""The real driver against replays of real terminals' exchanges (captures and their sources in
tests/drivers/zvt_captures.py): every message it is sent is one a terminal sent."""

import pytest

from drivers.base import DataEvent, DeviceEvent, DeviceTimeoutError, Health
from drivers.money import Money
from drivers.payment.drivers import ZvtTerminal
from drivers.payment.journal import EntryState
from drivers.payment.model import Operation, Outcome, ReceiptLine
from drivers.payment.zvt.codec import encode_bmp
from tests.drivers.zvt_captures import CAPTURES
from tests.drivers.zvt_replay import ACK, COMPLETION, ReplayTerminal, Step

pytestmark = pytest.mark.timeout(30)

EUR = "EUR"


def cap(name: str) -> bytes:
    return CAPTURES[name].bytes


def start_steps(registration: str) -> list[Step]:
    """What the driver asks when it is enabled: registration, then the last transaction."""
    return [Step((0x06, 0x00), (cap(registration),)), Step((0x06, 0x20), (COMPLETION,))]


@pytest.fixture
def replay(tmp_path):
    made: list[tuple[ReplayTerminal, ZvtTerminal]] = []

    def connect(
        steps: list[Step], **options: object
    ) -> tuple[ReplayTerminal, ZvtTerminal, list[DeviceEvent]]:
        peer = ReplayTerminal(steps)
        options = {"t3_command_ack_s": 3.0, "t4_idle_s": 3.0} | options
        terminal = ZvtTerminal(
            "terminal",
            ZvtTerminal.Options(
                transport="tcp", port=peer.port, journal_path=tmp_path / "payments.sqlite3", **options
            ),
        )
        events: list[DeviceEvent] = []
        terminal.subscribe(events.append)
        made.append((peer, terminal))
        terminal.start().result(10)
        return peer, terminal, events

    yield connect
    for peer, terminal in made:
        terminal.shutdown()
        peer.close()


def receipts(events):
    return [e.data for e in events if isinstance(e, DataEvent) and isinstance(e.data, ReceiptLine)]


def settled(peer):
    assert peer.errors == [] and peer.done
    assert peer.acks and set(peer.acks) == {ACK}  # every recorded message acknowledged


def test_feig_pre_authorisation_book_total_end_of_day_and_status(replay):
    peer, terminal, events = replay(
        [
            *start_steps("feig_registration_completion"),
            Step((0x06, 0x22), (cap("feig_intermediate"), cap("feig_preauth"), cap("feig_completion"))),
            Step(
                (0x06, 0x24),
                (cap("feig_customer_receipt"), cap("feig_preauth_reversal"), cap("feig_completion")),
            ),
            Step((0x06, 0x50), (cap("feig_end_of_day"), cap("feig_completion"))),
            Step((0x05, 0x01), (cap("feig_status_enquiry"),)),
        ]
    )
    pre = terminal.preauthorise(Money(2500, EUR), "booking-1", "pre").result(10)
    assert (pre.outcome, pre.operation, pre.amount) == (Outcome.APPROVED, Operation.PREAUTH, Money(2500, EUR))
    assert (pre.trace_no, pre.receipt_no, pre.terminal_id) == (975, 231, "52523535")
    assert (pre.masked_pan, pre.card_brand, pre.auth_code) == ("************8074", "MasterCard", "750071")

    # Nothing of the hold was used: the book total of 0.00 (the recorded exchange) on receipt 231.
    booked = terminal.capture(pre, Money(0, EUR), "booking-1", "book").result(10)
    assert peer.commands[-1].data[:3] == encode_bmp(0x87, b"\x02\x31")
    assert (booked.outcome, booked.operation, booked.amount) == (
        Outcome.APPROVED,
        Operation.CAPTURE,
        Money(0, EUR),
    )
    assert (booked.trace_no, booked.receipt_no, booked.masked_pan) == (977, 232, "************8074")
    lines = receipts(events)
    assert {line.receipt for line in lines} == {"customer"}
    assert any("Customer Receipt" in line.text for line in lines)

    eod = terminal.end_of_day().result(10)
    assert (eod.outcome, eod.amount, eod.trace_no) == (Outcome.APPROVED, Money(958, EUR), 982)

    status = terminal.status().result(10)
    assert (status.ready, status.code, status.terminal_id) == (True, 0x00, "52523535")
    assert status.software_version == "GER-APP-v2.0.9;cS02.01.01-10.10-2-2;CC26"
    assert peer.commands[-1].data == bytes.fromhex("000000") + b"\x03\x04"  # password, service byte
    settled(peer)
    journal = terminal.journal
    assert (
        journal.get("pre").state is EntryState.RECORDED and journal.get("book").state is EntryState.RECORDED
    )


def test_austrian_terminal_sale_with_receipt_and_status_card_inserted(replay):
    peer, terminal, events = replay(
        [
            *start_steps("bezahl_registration_completion"),
            Step(
                (0x06, 0x01),
                (
                    cap("bezahl_display_texts"),
                    cap("bezahl_please_wait"),
                    cap("bezahl_sale"),
                    cap("bezahl_merchant_receipt"),
                    COMPLETION,
                ),
            ),
            Step((0x05, 0x01), (cap("bezahl_status_enquiry"),)),
        ]
    )
    sale = terminal.sale(Money(1, EUR), "booking-2", "sale").result(10)
    assert (sale.outcome, sale.amount, sale.trace_no, sale.receipt_no) == (
        Outcome.APPROVED,
        Money(1, EUR),
        22,
        22,
    )
    assert (sale.masked_pan, sale.card_brand, sale.terminal_id) == (
        "************5726",
        "Debit Mastercard",
        "29001006",
    )
    lines = receipts(events)
    assert {line.receipt for line in lines} == {"merchant"} and any("VERKAUF" in line.text for line in lines)
    status = terminal.status().result(10)
    # The terminal sends its status byte alone: DC, card inserted, is "PT ready" in the spec's table.
    assert (status.ready, status.code, status.software_version) == (True, 0xDC, "")
    settled(peer)


def test_austrian_terminal_sale_aborted_by_timeout(replay):
    peer, terminal, _ = replay(
        [
            *start_steps("bezahl_registration_completion"),
            Step(
                (0x06, 0x01),
                (cap("bezahl_display_texts"), cap("bezahl_aborted_status"), cap("bezahl_aborted")),
            ),
        ]
    )
    result = terminal.sale(Money(1, EUR), "booking-3").result(10)
    assert (result.outcome, result.result_code) == (Outcome.ABORTED, 0x6C)
    settled(peer)


def test_sale_then_reversal_on_recorded_messages_of_one_terminal(replay):
    peer, terminal, _ = replay(
        [
            *start_steps("bezahl_registration_completion"),
            Step((0x06, 0x01), (cap("sale_debit_mastercard"), COMPLETION)),
            Step((0x06, 0x30), (cap("reversal"), COMPLETION)),
        ]
    )
    sale = terminal.sale(Money(2040, EUR), "booking-4").result(10)
    assert (sale.outcome, sale.receipt_no, sale.terminal_id) == (Outcome.APPROVED, 470, "28004869")
    reversal = terminal.reverse(sale, "booking-4").result(10)
    assert peer.commands[-1].data == bytes.fromhex("000000") + encode_bmp(0x87, b"\x04\x70")
    assert (reversal.outcome, reversal.operation, reversal.amount) == (
        Outcome.APPROVED,
        Operation.REVERSAL,
        Money(100, EUR),  # as the terminal reported it
    )
    assert reversal.masked_pan == sale.masked_pan
    settled(peer)


def test_a_status_enquiry_answered_without_a_status_byte_is_unknown_not_faulty(replay):
    peer, terminal, _ = replay(
        [*start_steps("feig_registration_completion"), Step((0x05, 0x01), (cap("feig_completion"),))]
    )
    report = terminal.check_health().result(10)
    assert (report.health, report.reason) == (Health.UNKNOWN, "terminal status not reported")
    settled(peer)


def test_a_command_left_unacknowledged_past_t3_closes_the_socket(replay):
    peer, terminal, _ = replay(
        [
            *start_steps("feig_registration_completion"),
            Step((0x05, 0x01), (), acknowledge=False),
            Step((0x05, 0x01), (cap("feig_status_enquiry"),)),
        ],
        t3_command_ack_s=0.3,
    )
    with pytest.raises(DeviceTimeoutError):
        terminal.status().result(10)
    assert terminal.status().result(10).ready
    assert peer.connections == 2  # the late answer of the first cannot be taken for the second's
    settled(peer)


def bad_card_field_sale() -> bytes:
    """The captured approved sale with BMP 22 holding non-decimal nibbles (everything else as sent)."""
    raw = cap("bezahl_sale")
    start = raw.index(b"\x22\xf0")
    data = raw[3:start] + encode_bmp(0x22, bytes.fromhex("5598A3EEEE8074")) + raw[start + 3 + 8 :]
    return bytes([0x04, 0x0F, len(data)]) + data


def test_a_field_that_cannot_be_read_never_loses_an_approved_sale(replay):
    peer, terminal, _ = replay(
        [
            *start_steps("bezahl_registration_completion"),
            Step((0x06, 0x01), (bad_card_field_sale(), cap("bezahl_merchant_receipt"), COMPLETION)),
            Step((0x05, 0x01), (cap("bezahl_status_enquiry"),)),
        ]
    )
    sale = terminal.sale(Money(1, EUR), "booking-5", "sale-5").result(10)
    assert (sale.outcome, sale.amount, sale.trace_no, sale.auth_code) == (
        Outcome.APPROVED,
        Money(1, EUR),
        22,
        "291675",
    )
    assert sale.parse_issues and sale.parse_issues[0].startswith("BMP 22")
    assert terminal.journal.get("sale-5").state is EntryState.RECORDED
    assert terminal.journal.get("sale-5").result.parse_issues == sale.parse_issues
    assert terminal.status().result(10).ready  # the link is in step: the next command works
    settled(peer)


def test_reconciliation_reads_a_last_transaction_with_an_unreadable_field(replay):
    """What reconciliation asks the terminal (06 20) comes back with the same bad field: read."""
    peer, terminal, _ = replay(start_steps("bezahl_registration_completion"))
    peer.extend(Step((0x06, 0x20), (bad_card_field_sale(), cap("bezahl_merchant_receipt"), COMPLETION)))
    last = terminal.last_transaction().result(10)
    assert (last.outcome, last.trace_no, last.amount) == (Outcome.APPROVED, 22, Money(1, EUR))
    assert last.parse_issues and last.masked_pan == "****"
    settled(peer)
