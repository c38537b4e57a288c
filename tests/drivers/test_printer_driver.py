"""The printer drivers end to end: the real python-escpos Network and Serial classes against the
virtual printer over TCP (127.0.0.1, ephemeral port) and a pty pair."""

import pytest
import zxingcpp

from drivers import registry
from drivers.base import (
    DataEvent,
    DeviceFailureError,
    DeviceOfflineError,
    DeviceTimeoutError,
    Health,
    NoHardwareError,
    StatusEvent,
)
from drivers.printer.drivers import (
    CoverOpenError,
    CupsPrinter,
    FilePrinter,
    NetworkPrinter,
    PaperOutError,
    SerialPrinter,
    StatusUnknownError,
    UsbPrinter,
)
from drivers.printer.journal import Outcome, PrintJournal
from drivers.printer.status import Paper
from drivers.sim.printer import Paper as SimPaper
from drivers.sim.printer import VirtualPrinter
from drivers.sim.printer_server import PtyPrinterBridge, TcpPrinterServer
from tests.drivers.printer_samples import QR_PAYLOAD, sample_checkin


@pytest.fixture
def sim():
    printer = VirtualPrinter()
    with TcpPrinterServer(printer, port=0) as server:
        yield printer, server


@pytest.fixture
def net_printer(sim, tmp_path):
    _, server = sim
    options = NetworkPrinter.Options(
        host="127.0.0.1",
        port=server.port,
        status_timeout_s=0.1,
        journal_path=tmp_path / "journal.sqlite3",
    )
    device = NetworkPrinter("receipt", options)
    device.start().result(timeout=5)
    yield device
    device.shutdown()


def qr_of(receipt):
    return [r.text for r in zxingcpp.read_barcodes(receipt.image)]


def test_network_printer_prints_and_journals(sim, net_printer, tmp_path):
    printer, _ = sim
    events = []
    net_printer.subscribe(events.append)
    result = net_printer.print_receipt(sample_checkin()).result(timeout=5)
    assert result.outcome is Outcome.PRINTED
    assert result.status_before.paper is Paper.OK and result.status_after.paper is Paper.OK
    assert result.bytes_sent <= 2048
    assert qr_of(printer.receipts[0]) == [QR_PAYLOAD]
    assert any(isinstance(e, DataEvent) and e.data == result for e in events)
    assert net_printer.health.health is Health.OK
    [entry] = PrintJournal(tmp_path / "journal.sqlite3").entries()
    assert (entry.job_id, entry.kind, entry.outcome) == (result.job_id, "checkin", Outcome.PRINTED)


def test_a_repeated_job_id_prints_once(sim, net_printer):
    printer, _ = sim
    first = net_printer.print_receipt(sample_checkin(), job_id="job-1").result(timeout=5)
    again = net_printer.print_receipt(sample_checkin(), job_id="job-1").result(timeout=5)
    assert len(printer.receipts) == 1
    assert (again.job_id, again.outcome) == (first.job_id, first.outcome)


def test_a_refused_job_can_be_retried_under_its_id(sim, net_printer):
    printer, _ = sim
    printer.set_faults(paper=SimPaper.OUT)
    with pytest.raises(PaperOutError):
        net_printer.print_receipt(sample_checkin(), job_id="job-2").result(timeout=5)
    printer.set_faults(paper=SimPaper.OK)
    result = net_printer.print_receipt(sample_checkin(), job_id="job-2").result(timeout=5)
    assert result.outcome is Outcome.PRINTED
    assert len(printer.receipts) == 1


def test_staff_can_reprint_the_last_receipt(sim, net_printer):
    printer, _ = sim
    net_printer.print_receipt(sample_checkin()).result(timeout=5)
    net_printer.print_test_page().result(timeout=5)
    net_printer.reprint_last().result(timeout=5)
    assert len(printer.receipts) == 3
    assert printer.receipts[2].image.tobytes() == printer.receipts[0].image.tobytes()


def test_reprint_with_nothing_printed_is_a_clear_error(net_printer):
    with pytest.raises(DeviceFailureError, match="no receipt to reprint"):
        net_printer.reprint_last().result(timeout=5)


def test_known_paper_out_refuses_the_job(sim, net_printer, tmp_path):
    printer, _ = sim
    printer.set_faults(paper=SimPaper.OUT)
    with pytest.raises(PaperOutError) as caught:
        net_printer.print_receipt(sample_checkin()).result(timeout=5)
    assert isinstance(caught.value, DeviceOfflineError)
    assert caught.value.status.paper is Paper.OUT
    assert printer.receipts == []
    assert net_printer.health.health is Health.FAULTY
    assert net_printer.health.reason == "paper out"
    [entry] = PrintJournal(tmp_path / "journal.sqlite3").entries()
    assert entry.outcome is Outcome.REFUSED


def test_paper_running_out_mid_job_fails_the_job(sim, net_printer):
    printer, _ = sim
    printer.set_faults(paper_left_dots=300)
    with pytest.raises(PaperOutError, match="while printing") as caught:
        net_printer.print_receipt(sample_checkin()).result(timeout=5)
    assert caught.value.status.paper is Paper.OUT
    assert printer.receipts[0].image.height == 300  # the stub that did come out


def test_cover_open_refuses_the_job(sim, net_printer):
    printer, _ = sim
    printer.set_faults(cover_open=True)
    with pytest.raises(CoverOpenError):
        net_printer.print_receipt(sample_checkin()).result(timeout=5)


def test_paper_near_end_prints_and_warns(sim, net_printer):
    printer, _ = sim
    printer.set_faults(paper=SimPaper.NEAR_END)
    result = net_printer.print_receipt(sample_checkin()).result(timeout=5)
    assert result.outcome is Outcome.PRINTED
    assert (net_printer.health.health, net_printer.health.reason) == (Health.OK, "paper near end")


@pytest.mark.parametrize(
    ("fault", "problem"), [("offline", "no answer to DLE EOT 1"), ("garbled", "invalid answer 0xa5")]
)
def test_no_valid_status_refuses_and_health_is_unknown(sim, net_printer, fault, problem):
    printer, _ = sim
    printer.set_faults(**{fault: True})
    events = []
    net_printer.subscribe(events.append)
    with pytest.raises(StatusUnknownError, match=problem) as caught:
        net_printer.print_receipt(sample_checkin()).result(timeout=5)
    assert isinstance(caught.value, DeviceTimeoutError)
    assert printer.receipts == []
    report = net_printer.check_health().result(timeout=5)
    assert report.health is Health.UNKNOWN and problem in report.reason
    assert any(isinstance(e, StatusEvent) and e.report.health is Health.UNKNOWN for e in events)


def test_print_without_status_sends_but_reports_unverified(sim, tmp_path):
    printer, server = sim
    printer.set_faults(garbled=True)
    options = NetworkPrinter.Options(
        host="127.0.0.1", port=server.port, status_timeout_s=0.1, print_without_status=True, journal_path=None
    )
    device = NetworkPrinter("receipt", options)
    device.start().result(timeout=5)
    try:
        result = device.print_receipt(sample_checkin()).result(timeout=5)
    finally:
        device.shutdown()
    assert result.outcome is Outcome.UNVERIFIED
    assert result.status_after.paper is Paper.UNKNOWN
    assert len(printer.receipts) == 1


def test_a_dropped_connection_is_reopened_for_the_next_job(sim, net_printer):
    printer, server = sim
    net_printer.print_receipt(sample_checkin()).result(timeout=5)
    server.drop_connections()
    result = net_printer.print_receipt(sample_checkin()).result(timeout=5)
    assert result.outcome is Outcome.PRINTED
    assert len(printer.receipts) == 2


def test_a_printer_that_is_not_there_is_offline(sim):
    _, server = sim
    port = server.port
    server.stop()
    device = NetworkPrinter("receipt", NetworkPrinter.Options(host="127.0.0.1", port=port, journal_path=None))
    with pytest.raises(DeviceOfflineError):
        device.start().result(timeout=5)
    device.shutdown()


def test_serial_printer_over_a_pty(tmp_path):
    printer = VirtualPrinter()
    with PtyPrinterBridge(printer) as bridge:
        options = SerialPrinter.Options(device=bridge.path, status_timeout_s=0.2, journal_path=None)
        device = SerialPrinter("receipt", options)
        device.start().result(timeout=5)
        try:
            result = device.print_receipt(sample_checkin()).result(timeout=5)
            printer.set_faults(paper=SimPaper.OUT)
            status = device.read_status().result(timeout=5)
        finally:
            device.shutdown()
    assert result.outcome is Outcome.PRINTED
    assert status.paper is Paper.OUT
    assert qr_of(printer.receipts[0]) == [QR_PAYLOAD]


def test_file_printer_writes_the_bytes_unverified(tmp_path):
    out = tmp_path / "lp0"
    device = FilePrinter("receipt", FilePrinter.Options(path=out, journal_path=None))
    device.start().result(timeout=5)
    result = device.print_receipt(sample_checkin()).result(timeout=5)
    assert device.check_health().result(timeout=5).health is Health.UNKNOWN
    device.shutdown()
    assert result.outcome is Outcome.UNVERIFIED
    assert out.read_bytes() == device.render(sample_checkin())


@pytest.mark.parametrize(
    ("cls", "options"),
    [(UsbPrinter, {"vendor_id": 0x04B8, "product_id": 0x0E15}), (CupsPrinter, {})],
)
def test_missing_usb_or_cups_is_no_hardware(cls, options):
    device = cls("receipt", cls.Options(journal_path=None, **options))
    with pytest.raises(NoHardwareError):
        device.start().result(timeout=5)
    device.shutdown()


def test_drivers_are_registered_for_the_config():
    registry.load_builtin_drivers()
    assert {"network", "serial", "usb", "cups", "file"} <= set(registry.drivers_for("printer"))


DEFAULT_TOML = """
[devices.receipt]
kind = "printer"
driver = "network"
enabled = true

[devices.receipt.options]
host = "127.0.0.1"
port = 9100
profile = "80mm"
qr = "auto"
status_timeout_s = 0.5
journal_path = "var/printer-journal.sqlite3"
"""


def test_default_kiosk_toml_block_validates():
    import tomllib

    from kiosk.config import DeviceSection

    section = DeviceSection(**tomllib.loads(DEFAULT_TOML)["devices"]["receipt"])
    options = registry.validate_options(section.kind, section.driver, section.options)
    assert isinstance(options, NetworkPrinter.Options)
    assert options.port == 9100


def test_a_typo_in_the_printer_options_is_refused():
    from kiosk.config import DeviceSection

    with pytest.raises(ValueError, match="unknown key"):
        DeviceSection(kind="printer", driver="network", options={"host": "x", "prot": 9100})


def test_journal_keeps_only_recent_jobs(tmp_path):
    from datetime import UTC, datetime, timedelta

    from drivers.printer.journal import JournalEntry

    journal = PrintJournal(tmp_path / "j.sqlite3", keep=3, max_age=timedelta(hours=1))

    def entry(job_id, age):
        return JournalEntry(
            job_id, "checkin", datetime.now(UTC) - age, Outcome.PRINTED, {}, None, None, None, b"x"
        )

    journal.record(entry("old", timedelta(hours=2)))
    for i in range(5):
        journal.record(entry(f"job-{i}", timedelta(0)))
    assert [e.job_id for e in journal.entries()] == ["job-2", "job-3", "job-4"]
    assert journal.last().job_id == "job-4"


def test_a_refused_receipt_still_offers_its_qr_for_the_screen(sim, net_printer):
    printer, _ = sim
    printer.set_faults(paper=SimPaper.OUT)
    doc = sample_checkin()
    with pytest.raises(PaperOutError):
        net_printer.print_receipt(doc).result(timeout=5)
    assert doc.qr_payloads() == [QR_PAYLOAD]
