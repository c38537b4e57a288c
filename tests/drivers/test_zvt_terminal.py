"""Every transaction type and every scripted fault: the real ZVT driver against the simulator,
over TCP and over a real pty pair (pyserial on the slave side)."""

import pytest

from drivers.base import Health
from drivers.money import Money
from drivers.payment.drivers import ZvtTerminal
from drivers.payment.journal import EntryState, PaymentJournal, ResolvedBy
from drivers.payment.messages import GuestMessage
from drivers.payment.model import (
    DisplayText,
    Operation,
    Outcome,
    PaymentRequest,
    ReceiptLine,
    ReviewNeeded,
)
from tests.drivers.zvt_rig import make_rig

pytestmark = pytest.mark.timeout(30)

EUR = "EUR"


@pytest.fixture(params=["tcp", "serial"])
def rig(request, tmp_path):
    r = make_rig(request.param, tmp_path)
    r.transport = request.param
    yield r
    r.close()


def charges(rig):
    return [e for e in rig.sim.state.ledger if e["result"] == 0]


def test_sale_approved_with_display_texts_receipt_and_journal(rig):
    result = rig.terminal.sale(Money(12_345, EUR), "booking-1", "key-1").result(10)
    assert result.outcome is Outcome.APPROVED and result.result_code == 0
    assert (result.amount, result.card_brand, result.terminal_id) == (Money(12_345, EUR), "VISA", "52500001")
    assert result.masked_pan == "************1111"
    assert result.auth_code and result.trace_no == 1 and result.receipt_no == 1
    assert result.guest_message is GuestMessage.APPROVED
    assert [d.code for d in rig.data(DisplayText)] == [0x0A, 0x01, 0x04]
    assert "Amount EUR 123.45" in rig.receipt() and "APPROVED" in rig.receipt()
    entry = rig.terminal.journal.get("key-1")
    assert entry.state is EntryState.RECORDED and entry.resolved_by is ResolvedBy.LIVE
    assert entry.result == result


def test_receipt_as_text_block(tmp_path):
    r = make_rig("tcp", tmp_path, text_blocks=True)
    try:
        r.terminal.sale(Money(500, EUR), "b").result(10)
        assert "Amount EUR 5.00" in r.receipt()
        assert {line.receipt for line in r.data(ReceiptLine)} == {"customer"}
    finally:
        r.close()


def test_preauthorisation_then_capture(rig):
    pre = rig.terminal.preauthorise(Money(50_000, EUR), "booking-2").result(10)
    assert pre.outcome is Outcome.APPROVED and pre.operation is Operation.PREAUTH
    booked = rig.terminal.capture(pre, Money(42_000, EUR), "booking-2").result(10)
    assert booked.outcome is Outcome.APPROVED and booked.operation is Operation.CAPTURE
    assert [(e["op"], e["amount"]) for e in charges(rig)] == [("preauth", 50_000), ("capture", 42_000)]


def test_reversal_of_the_last_transaction(rig):
    sale = rig.terminal.sale(Money(9_900, EUR), "booking-3").result(10)
    reversal = rig.terminal.reverse(sale, "booking-3").result(10)
    assert reversal.outcome is Outcome.APPROVED and reversal.amount == Money(9_900, EUR)
    assert rig.sim.state.ledger[0]["reversed"] is True
    again = rig.terminal.reverse(sale, "booking-3").result(10)
    assert again.outcome is Outcome.DECLINED and again.result_code == 0xB5  # reversal not possible


def test_refund(rig):
    refund = rig.terminal.refund(Money(2_500, EUR), "booking-4").result(10)
    assert refund.outcome is Outcome.APPROVED and refund.operation is Operation.REFUND
    assert charges(rig)[-1]["op"] == "refund"


def test_end_of_day_status_and_health(rig):
    rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    rig.terminal.sale(Money(2_000, EUR), "b").result(10)
    eod = rig.terminal.end_of_day().result(10)
    assert eod.outcome is Outcome.APPROVED and eod.amount == Money(3_000, EUR)
    status = rig.terminal.status().result(10)
    assert status.ready and status.terminal_id == "52500001"
    assert rig.terminal.diagnosis().result(10).ready
    assert rig.terminal.check_health().result(10).health is Health.OK


def test_decline_with_chosen_code(rig):
    rig.sim.script("decline:33")
    result = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    assert result.outcome is Outcome.DECLINED and result.result_code == 0x33
    assert result.guest_message is GuestMessage.DECLINED
    assert "Silakan gunakan kartu lain" in result.guest_text("id")
    assert charges(rig) == []


def test_customer_abort(rig):
    rig.sim.script("abort")
    result = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    assert result.outcome is Outcome.ABORTED and result.result_code == 0x6C
    assert rig.sim.state.ledger == []


def test_card_removed_too_early(rig):
    rig.sim.script("card_removed")
    result = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    assert result.outcome is Outcome.DECLINED and result.result_code == 0x64
    assert result.guest_message is GuestMessage.CARD_UNREADABLE


def test_long_pin_wait_outlasts_t4(rig):
    rig.sim.script("pin_wait:1.2")  # longer than T4 (0.5 s): intermediate statuses keep it alive
    result = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    assert result.outcome is Outcome.APPROVED
    assert len([d for d in rig.data(DisplayText) if d.code == 0x01]) >= 5


def test_kiosk_aborts_during_pin_entry(rig):
    rig.sim.script("pin_wait:5")
    future = rig.terminal.sale(Money(1_000, EUR), "b")
    assert rig.seen_display(0x01).wait(5)
    rig.terminal.abort()
    result = future.result(10)
    assert result.outcome is Outcome.ABORTED and result.result_code == 0x6C
    assert charges(rig) == []


def test_terminal_timeout_is_reconciled_as_not_performed(rig):
    rig.sim.script("timeout")
    result = rig.terminal.sale(Money(1_000, EUR), "b", "key-t").result(10)
    assert result.outcome is Outcome.ABORTED and result.result_code is None
    assert rig.terminal.journal.get("key-t").resolved_by is ResolvedBy.RECONCILE
    assert charges(rig) == []
    assert rig.terminal.sale(Money(1_000, EUR), "b").result(10).approved  # and the line still works


def test_nak(rig):
    rig.sim.script("nak")
    result = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    if rig.transport == "serial":  # the frame is repeated after the NAK and goes through
        assert result.outcome is Outcome.APPROVED
        assert len(charges(rig)) == 1
    else:  # TCP has no line NAK: the terminal refuses the command (84 A0)
        assert result.outcome is Outcome.DECLINED and result.result_code == 0xA0
        assert charges(rig) == []


def test_bad_crc_is_nakked_and_repeated(rig):
    rig.sim.script("bad_crc")
    result = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    assert result.outcome is Outcome.APPROVED and len(charges(rig)) == 1


def test_connection_dropped_after_approval_is_reconciled_not_repeated(rig):
    rig.sim.script("drop")
    result = rig.terminal.sale(Money(7_700, EUR), "b", "key-d").result(10)
    assert result.outcome is Outcome.APPROVED and result.amount == Money(7_700, EUR)
    assert result.operation is Operation.SALE and result.masked_pan.endswith("1111")
    assert rig.terminal.journal.get("key-d").resolved_by is ResolvedBy.RECONCILE
    assert len(charges(rig)) == 1


def test_restarted_terminal_still_reports_its_last_transaction(rig):
    sale = rig.terminal.sale(Money(4_200, EUR), "b").result(10)
    rig.server.restart()
    last = rig.terminal.last_transaction().result(10)  # on TCP the restart cut the connection first
    assert (last.trace_no, last.receipt_no, last.amount) == (sale.trace_no, sale.receipt_no, sale.amount)
    assert rig.terminal.status().result(10).ready


def test_repeated_idempotency_key_is_answered_from_the_journal(rig):
    first = rig.terminal.sale(Money(1_000, EUR), "b", "same").result(10)
    second = rig.terminal.sale(Money(1_000, EUR), "b", "same").result(10)
    assert second == first and len(charges(rig)) == 1


def test_foreign_currency_is_refused_before_any_intent(rig):
    with pytest.raises(ValueError, match="charges in EUR"):
        rig.terminal.sale(Money(1_000, "IDR"), "b", "k-idr").result(10)
    assert rig.terminal.journal.get("k-idr") is None


def restart_kiosk(rig):
    """The kiosk process is gone (its journal stays); a new one starts and reconciles on enable."""
    rig.terminal.shutdown()
    rig.terminal = ZvtTerminal("terminal", rig.terminal.options)
    rig.terminal.subscribe(rig.on_event)
    rig.terminal.start().result(10)


def write_intent(rig, key, minor, prior_trace, prior_known):
    journal = PaymentJournal(rig.terminal.options.journal_path)
    journal.begin(
        PaymentRequest(Operation.SALE, Money(minor, EUR), "b", key), "terminal", prior_trace, prior_known
    )
    journal.close()


def test_intent_the_terminal_never_saw_is_reconciled_as_not_performed(rig):
    sale = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    write_intent(rig, "died-before-sending", 2_000, sale.trace_no, True)
    restart_kiosk(rig)
    entry = rig.terminal.journal.get("died-before-sending")
    assert entry.state is EntryState.RECORDED and entry.resolved_by is ResolvedBy.RECONCILE
    assert entry.result.outcome is Outcome.ABORTED
    assert len(charges(rig)) == 1


def test_intent_that_cannot_be_matched_goes_to_staff(rig):
    rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    write_intent(rig, "older", 2_000, 1, True)
    write_intent(rig, "no-baseline", 3_000, None, False)
    restart_kiosk(rig)
    journal = rig.terminal.journal
    assert journal.get("older").state is EntryState.NEEDS_REVIEW  # only the newest can be the last
    assert journal.get("no-baseline").state is EntryState.NEEDS_REVIEW
    assert {e.idempotency_key for e in rig.data(ReviewNeeded)} == {"older", "no-baseline"}
    assert {e.idempotency_key for e in journal.needs_review()} == {"older", "no-baseline"}


def test_terminal_gone_mid_transaction_needs_review(rig):
    rig.sim.script("timeout")
    future = rig.terminal.sale(Money(1_000, EUR), "b", "key-gone")
    assert rig.seen_display(0x0A).wait(5)
    rig.server.stop()
    result = future.result(10)
    assert result.outcome is Outcome.UNKNOWN
    assert result.guest_message is GuestMessage.UNKNOWN
    assert rig.terminal.journal.get("key-gone").state is EntryState.NEEDS_REVIEW
    assert [e.idempotency_key for e in rig.data(ReviewNeeded)] == ["key-gone"]


def test_end_of_day_moves_the_baseline_so_reconciliation_stays_exact(rig):
    rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    rig.terminal.end_of_day().result(10)  # takes a trace number of its own
    rig.sim.script("timeout")
    result = rig.terminal.sale(Money(1_000, EUR), "b", "after-eod").result(10)
    assert result.outcome is Outcome.ABORTED  # not performed, told apart without staff
    assert rig.terminal.journal.get("after-eod").state is EntryState.RECORDED
