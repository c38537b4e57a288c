"""The simulator refuses what a real terminal refuses, with the spec's result codes, and answers
a status enquiry the way a real terminal does; the driver reads those answers."""

import pytest

from drivers.base import DeviceFailureError, Health
from drivers.money import Money
from drivers.payment.model import Outcome, PaymentResult, ReceiptLine
from drivers.sim.zvt_terminal import PREAUTH_AMOUNT, PREAUTH_ERROR, SW_VERSION
from tests.drivers.zvt_rig import make_rig

pytestmark = pytest.mark.timeout(30)

EUR = "EUR"


@pytest.fixture(params=["tcp", "serial"])
def rig(request, tmp_path):
    r = make_rig(request.param, tmp_path)
    yield r
    r.close()


def charges(rig):
    return [e for e in rig.sim.state.ledger if e["result"] == 0]


def test_status_enquiry_reads_version_and_status_byte(rig):
    status = rig.terminal.status().result(10)
    assert (status.ready, status.code, status.meaning) == (True, 0x00, "ready")
    assert (status.software_version, status.terminal_id) == (SW_VERSION, "52500001")


@pytest.mark.parametrize(("code", "meaning"), [(0x51, "initialisation required"), (0xF0, "reconciliation")])
def test_a_locked_terminal_is_reported_faulty_with_the_spec_meaning(tmp_path, code, meaning):
    rig = make_rig("tcp", tmp_path, terminal_status=code)
    try:
        status = rig.terminal.status().result(10)
        assert (status.ready, status.code) == (False, code) and status.meaning.startswith(meaning)
        health = rig.terminal.check_health().result(10)
        assert health.health is Health.FAULTY and health.reason.startswith(meaning)
    finally:
        rig.close()


def test_card_inserted_is_still_ready(tmp_path):
    rig = make_rig("tcp", tmp_path, terminal_status=0xDC)
    try:
        assert rig.terminal.status().result(10).ready
    finally:
        rig.close()


def test_wrong_registration_password_is_refused(tmp_path):
    rig = make_rig("tcp", tmp_path, start=False, password="123456")
    try:
        with pytest.raises(DeviceFailureError, match="registration refused: function not possible"):
            rig.terminal.start().result(10)
    finally:
        rig.close()


def test_registration_in_another_currency_is_refused_with_the_currency_error(tmp_path):
    rig = make_rig("tcp", tmp_path, start=False)
    rig.sim.currency = "IDR"  # the terminal charges in rupiah, the kiosk registers in euro
    try:
        with pytest.raises(DeviceFailureError, match="registration refused: wrong currency"):
            rig.terminal.start().result(10)
    finally:
        rig.close()


def test_password_commands_with_the_configured_password_run(tmp_path):
    rig = make_rig("tcp", tmp_path, start=False, password="123456")
    rig.terminal = type(rig.terminal)(
        "terminal", rig.terminal.options.model_copy(update={"password": "123456"})
    )
    rig.terminal.subscribe(rig.on_event)
    try:
        rig.terminal.start().result(10)
        sale = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
        assert rig.terminal.reverse(sale, "b").result(10).approved  # 06 30 carries the password
        assert rig.terminal.end_of_day().result(10).approved
    finally:
        rig.close()


def test_book_total_needs_an_open_pre_authorisation(rig):
    pre = rig.terminal.preauthorise(Money(50_000, EUR), "b").result(10)
    sale = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    never = PaymentResult(Outcome.APPROVED, pre.operation, pre.amount, 0, "", receipt_no=999)
    refused = {
        "never issued": rig.terminal.capture(never, Money(1_000, EUR), "b").result(10),
        "a sale's receipt": rig.terminal.capture(sale, Money(1_000, EUR), "b").result(10),
        "above the hold": rig.terminal.capture(pre, Money(50_001, EUR), "b").result(10),
    }
    assert {k: (r.outcome, r.result_code) for k, r in refused.items()} == {
        "never issued": (Outcome.DECLINED, PREAUTH_ERROR),
        "a sale's receipt": (Outcome.DECLINED, PREAUTH_ERROR),
        "above the hold": (Outcome.DECLINED, PREAUTH_AMOUNT),
    }
    booked = rig.terminal.capture(pre, Money(50_000, EUR), "b").result(10)
    assert booked.approved
    twice = rig.terminal.capture(pre, Money(1_000, EUR), "b").result(10)
    assert (twice.outcome, twice.result_code) == (Outcome.DECLINED, PREAUTH_ERROR)
    assert [(e["op"], e["amount"]) for e in charges(rig)] == [
        ("preauth", 50_000),
        ("sale", 1_000),
        ("capture", 50_000),
    ]


def test_reversal_and_book_total_report_the_original_card(rig):
    pre = rig.terminal.preauthorise(Money(5_000, EUR), "b").result(10)
    booked = rig.terminal.capture(pre, Money(4_000, EUR), "b").result(10)
    sale = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    other = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
    reversal = rig.terminal.reverse(sale, "b").result(10)
    assert (booked.masked_pan, booked.card_brand) == (pre.masked_pan, pre.card_brand)
    assert (reversal.masked_pan, reversal.card_brand) == (sale.masked_pan, sale.card_brand)
    assert other.masked_pan != sale.masked_pan  # the simulator does use different cards


def test_receipt_text_blocks_are_typed_by_tag_1f07(tmp_path):
    rig = make_rig("tcp", tmp_path, text_blocks=True)
    try:
        rig.terminal.sale(Money(500, EUR), "b").result(10)
        assert {line.receipt for line in rig.data(ReceiptLine)} == {"customer"}
    finally:
        rig.close()


def test_naks_within_the_retry_rule_are_repeated_through(tmp_path):
    rig = make_rig("serial", tmp_path)
    try:
        rig.sim.script("nak:2")  # the frame goes out three times: two NAKs, then ACK
        result = rig.terminal.sale(Money(1_000, EUR), "b").result(10)
        assert result.approved and len(charges(rig)) == 1
    finally:
        rig.close()


def test_a_command_nakked_past_the_retry_rule_is_not_performed_and_the_line_recovers(tmp_path):
    rig = make_rig("serial", tmp_path)
    try:
        rig.sim.script("nak:3")
        result = rig.terminal.sale(Money(1_000, EUR), "b", "k-nak").result(10)
        assert result.outcome is Outcome.ABORTED and charges(rig) == []  # reconciled: never ran
        assert rig.terminal.sale(Money(1_000, EUR), "b").result(10).approved
        assert len(charges(rig)) == 1
    finally:
        rig.close()
