"""Staff actions against the simulators: the virtual ESC/POS printer and the ZVT terminal, both on
TCP, driven through the real drivers by a DeviceManager."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from drivers.base import Health
from drivers.money import Money
from drivers.payment.journal import EntryState, PaymentJournal, ResolvedBy
from drivers.payment.model import Operation, PaymentRequest
from drivers.printer.journal import Outcome as PrintOutcome
from drivers.sim.printer import Paper as SimPaper
from kiosk.admin.staff import Connectivity, StaffActions
from kiosk.admin.state import AdminState
from kiosk.admin.unlock import AdminError
from tests.admin_rig import STAFF_PIN, Clock, DeviceRig, admin_mode

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    rig = DeviceRig(tmp_path_factory.mktemp("staff"))
    yield rig
    rig.close()


@pytest.fixture
def staff(rig, tmp_path):
    clock = Clock()
    mode = admin_mode(tmp_path, clock)
    sent = []
    actions = StaffActions(
        mode,
        rig.manager,
        AdminState(tmp_path / "state.json"),
        kiosk_name="lobby-1",
        hotel_name="Hotel Sambut Jakarta",
        tz=JAKARTA,
        connectivity=lambda: Connectivity(True, datetime(2026, 11, 26, 8, 0, tzinfo=UTC), 3, 1),
        send_report=sent.append,
        timeout_s=10,
    )
    actions.sent = sent
    mode.enter_pin(STAFF_PIN)
    return actions


def audited(actions):
    return [r.event for r in actions.mode.audit.records()]


def test_nothing_without_unlocking(rig, tmp_path):
    mode = admin_mode(tmp_path, Clock())
    actions = StaffActions(mode, rig.manager, AdminState(tmp_path / "s.json"), kiosk_name="k")
    for call in (actions.status, actions.reprint_last, actions.paper_replaced, actions.payments_to_review):
        with pytest.raises(AdminError):
            call()


def test_status_at_a_glance(staff, rig):
    status = staff.status()
    by_name = {d.name: d for d in status.devices}
    assert by_name["receipt"].health is Health.OK and by_name["receipt"].paper == "ok"
    assert by_name["card_terminal"].health is Health.OK
    assert by_name["badge"].health is Health.OK and by_name["badge"].paper is None
    assert status.connectivity.outbox_depth == 3 and status.app_version == "0.1.0"
    rig.printer.set_faults(paper=SimPaper.OUT)
    try:
        receipt = next(d for d in staff.status().devices if d.name == "receipt")
        assert (receipt.health, receipt.reason, receipt.paper) == (Health.FAULTY, "paper out", "out")
    finally:
        rig.printer.set_faults(paper=SimPaper.OK)


def test_out_of_service_is_persisted_and_audited(staff, tmp_path):
    staff.set_out_of_service(True)
    assert AdminState(tmp_path / "state.json").out_of_service
    assert AdminState(tmp_path / "state.json").changed_by == "staff"
    staff.set_out_of_service(False)
    assert not AdminState(tmp_path / "state.json").out_of_service
    assert audited(staff)[-2:] == ["out_of_service", "out_of_service"]


def test_reprint_last_receipt(staff, rig):
    printer = rig.manager.get("receipt")
    printer.print_test_page().result(timeout=10)  # test pages are not "the last receipt"
    with pytest.raises(Exception, match="no receipt to reprint"):
        staff.reprint_last()
    from drivers.printer.document import Cut, Receipt, Text

    printer.print_receipt(Receipt((Text("Room 1204"), Cut()), kind="checkin")).result(timeout=10)
    count = len(rig.printer.receipts)
    result = staff.reprint_last()
    assert result.outcome is PrintOutcome.PRINTED and len(rig.printer.receipts) == count + 1
    assert "Room 1204" in rig.printer.receipts[-1].text


def test_paper_replaced_is_audited_and_rechecks_the_printer(staff, rig):
    rig.printer.set_faults(paper=SimPaper.OUT)
    rig.manager.get("receipt").check_health().result(timeout=10)
    rig.printer.set_faults(paper=SimPaper.OK)
    assert staff.paper_replaced().health is Health.OK
    assert audited(staff)[-1] == "paper_replaced"


def test_payments_needing_review_are_resolved_by_staff(staff, rig):
    journal = PaymentJournal(rig.journal_path)
    for key in ("rev-1", "rev-2"):
        journal.begin(PaymentRequest(Operation.SALE, Money(50_000_00, "IDR"), "SMB-1", key), "t", None, False)
        journal.mark_review(key, "connection lost; terminal not readable")
    assert [e.idempotency_key for e in staff.payments_to_review()] == ["rev-1", "rev-2"]
    staff.resolve_payment("rev-1", performed=True, auth_code="A1B2C3", card_brand="VISA")
    staff.resolve_payment("rev-2", performed=False)
    assert staff.payments_to_review() == []
    done = journal.get("rev-1")
    assert done.state is EntryState.RECORDED and done.resolved_by is ResolvedBy.STAFF
    assert done.result.approved and done.result.auth_code == "A1B2C3"
    assert not journal.get("rev-2").result.approved
    with pytest.raises(AdminError):
        staff.resolve_payment("rev-1", performed=False)
    journal.close()
    assert audited(staff).count("payment_resolved") == 2


def test_end_of_day_closes_the_batch_prints_and_sends_the_totals(staff, rig):
    terminal = rig.manager.get("card_terminal")
    for minor in (1_250_000_00, 300_000_00):
        assert terminal.sale(Money(minor, "IDR"), "SMB-2").result(timeout=10).approved
    today = staff.payments_today(datetime.now(JAKARTA).date())
    assert [e.request.amount.minor for e in today][-2:] == [1_250_000_00, 300_000_00]
    assert staff.payments_today(datetime(2020, 1, 1).date()) == []
    before = len(rig.printer.receipts)
    report = staff.end_of_day(datetime.now(JAKARTA).date())
    assert report.terminal_outcome == "approved" and report.printed and report.sent
    assert {t.method for t in report.totals} <= {"VISA", "MasterCard"}  # the simulator's test cards
    assert sum(t.count for t in report.totals) >= 2
    assert sum(t.sales_minor for t in report.totals) >= 1_550_000_00
    assert staff.sent == [report.payload()]
    assert staff.sent[0]["totals"][0]["net_minor"] == report.totals[0].net_minor
    text = rig.printer.receipts[before].text
    assert "End of day" in text and "lobby-1" in text
    assert audited(staff)[-2:] == ["end_of_day_started", "end_of_day"]


def test_end_of_day_reports_what_failed_and_still_prints(staff, rig):
    staff.send_report = lambda payload: (_ for _ in ()).throw(ConnectionError("server down"))
    report = staff.end_of_day(datetime(2020, 1, 1).date())
    assert report.totals == [] and report.printed and not report.sent
    assert report.problems == ["not sent: ConnectionError: server down"]


def _entry(key, op, minor, approved=True, brand="VISA", at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC)):
    from drivers.payment.journal import JournalEntry
    from drivers.payment.model import Outcome, PaymentResult

    request = PaymentRequest(op, Money(minor, "IDR"), "ref", key)
    outcome = Outcome.APPROVED if approved else Outcome.DECLINED
    result = PaymentResult(outcome, op, Money(minor, "IDR"), 0, "", card_brand=brand, timestamp=at)
    return JournalEntry(
        1, request, "t", None, False, EntryState.RECORDED, at, result, ResolvedBy.LIVE, "", None
    )


def test_day_totals_count_money_moved_on_the_business_date_only():
    from kiosk.admin.staff import day_totals

    late = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)  # already the 27th in Jakarta
    entries = [
        _entry("a", Operation.SALE, 100_00),
        _entry("b", Operation.SALE, 250_00),
        _entry("c", Operation.REFUND, 50_00),
        _entry("d", Operation.PREAUTH, 999_00),
        _entry("e", Operation.SALE, 70_00, approved=False),
        _entry("f", Operation.SALE, 30_00, brand=""),
        _entry("g", Operation.SALE, 40_00, at=late),
    ]
    totals = day_totals(entries, datetime(2026, 11, 26).date(), JAKARTA)
    assert [
        (t.method, t.count, t.sales_minor, t.refunds_count, t.refunds_minor, t.net_minor) for t in totals
    ] == [
        ("VISA", 2, 350_00, 1, 50_00, 300_00),
        ("card", 1, 30_00, 0, 0, 30_00),
    ]


def test_a_device_that_did_not_start_shows_why_and_the_rest_run(tmp_path):
    from kiosk.admin.devicemanager import DeviceManager
    from kiosk.config import DeviceSection, KioskSettings

    settings = KioskSettings(
        devices={
            "badge": DeviceSection(kind="badge", driver="serial", options={"port": "/dev/nope-sambut"}),
            "spare": DeviceSection(kind="badge", driver="sim"),
        }
    )
    manager = DeviceManager(settings)
    changes = []
    manager.on_change(lambda name, device: changes.append((name, device)))
    manager.start_all()
    try:
        mode = admin_mode(tmp_path, Clock())
        mode.enter_pin(STAFF_PIN)
        rows = {
            d.name: d
            for d in StaffActions(mode, manager, AdminState(tmp_path / "s"), kiosk_name="k").status().devices
        }
        assert rows["badge"].health is Health.UNKNOWN and rows["badge"].reason.startswith(
            "did not start: no_hardware"
        )
        assert rows["spare"].health is Health.OK
        new = manager.apply("badge", DeviceSection(kind="badge", driver="sim"))
        assert changes == [("badge", None), ("badge", new)] and "badge" not in manager.start_errors
    finally:
        manager.shutdown_all()


def test_end_of_day_with_the_terminal_gone_still_prints_the_kiosks_totals(tmp_path):
    rig = DeviceRig(tmp_path)
    try:
        rig.terminal_server.stop()  # the terminal is switched off
        mode = admin_mode(tmp_path, Clock())
        mode.enter_pin(STAFF_PIN)
        actions = StaffActions(
            mode,
            rig.manager,
            AdminState(tmp_path / "s"),
            kiosk_name="lobby-1",
            send_report=list().append,
            timeout_s=10,
        )
        report = actions.end_of_day(datetime(2026, 11, 26).date())
        assert report.terminal_outcome.startswith("failed: ") and report.printed and report.sent
        assert "failed" in rig.printer.receipts[-1].text
    finally:
        rig.close()


def test_todays_payments_read_as_staff_read_them(staff, rig):
    """Against the ZVT simulator: a sale later reversed is "Cancelled", not a green "Approved"; the
    reversal and a declined sale are not green either; each row names the card by brand and last
    four, at the property's time, never by the booking's id."""
    from kiosk.admin.paymentrows import payment_rows, summary
    from kiosk.i18n import local_time

    terminal = rig.manager.get("card_terminal")
    kept = terminal.sale(Money(500_000_00, "IDR"), "3f2b0c1e-kept").result(timeout=10)
    voided = terminal.sale(Money(250_000_00, "IDR"), "3f2b0c1e-void").result(timeout=10)
    assert terminal.reverse(voided, "3f2b0c1e-void").result(timeout=10).approved
    rig.terminal_server.sim.script("decline:05")
    assert not terminal.sale(Money(90_000_00, "IDR"), "3f2b0c1e-declined").result(timeout=10).approved
    rows = {r.key: r for r in payment_rows(staff.payments_today(datetime.now(JAKARTA).date()))}
    by_ref = {
        e.request.reference: rows[e.idempotency_key]
        for e in staff.payments_today()
        if e.request.operation is Operation.SALE
    }
    assert (by_ref["3f2b0c1e-kept"].status, by_ref["3f2b0c1e-kept"].tone) == ("Approved", "ok")
    assert (by_ref["3f2b0c1e-void"].status, by_ref["3f2b0c1e-void"].tone) == ("Cancelled", "unknown")
    reversal = next(r for r in rows.values() if r.operation == "Cancelled payment")
    assert reversal.tone != "ok"
    declined = by_ref["3f2b0c1e-declined"]
    assert (declined.status, declined.tone) == ("Declined", "faulty")
    row = by_ref["3f2b0c1e-kept"]
    assert row.card == f"{kept.card_brand} •••• {kept.masked_pan[-4:]}"
    text = summary(row, JAKARTA, "en", str)
    assert "3f2b0c1e" not in text and "Rp 500.000" in text and row.card in text
    assert text.startswith(local_time(row.at, JAKARTA, "en"))
    assert local_time(datetime(2026, 11, 26, 7, 5, tzinfo=UTC), JAKARTA, "en") == "14.05"  # not 07:05 UTC


def test_devices_are_named_as_staff_call_them():
    from kiosk.admin.devicenames import device_title
    from kiosk.i18n import translate

    kinds = {"receipt": "printer", "card_terminal": "payment", "badge": "badge", "badge_2": "badge"}
    assert device_title("card_terminal", kinds, str) == "Card terminal"
    assert device_title("receipt", kinds, lambda m: translate("id", m)) != "receipt"
    assert [device_title(n, kinds, str) for n in ("badge", "badge_2")] == [
        "Staff badge reader 1",
        "Staff badge reader 2",
    ]
