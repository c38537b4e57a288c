"""`devices list`, `devices test NAME` and `printer-sim`, run as a technician would."""

import subprocess
import sys
from pathlib import Path

import zxingcpp
from PIL import Image

import main
from drivers import discovery
from drivers.printer.drivers import NetworkPrinter
from drivers.printer.status import Paper
from drivers.sim.printer import VirtualPrinter
from drivers.sim.printer_server import TcpPrinterServer
from tests.drivers.printer_samples import QR_PAYLOAD, sample_checkin

ROOT = Path(__file__).resolve().parents[2]


def test_devices_list_says_none_found_on_a_bare_machine(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(discovery, "serial_ports", lambda: [])
    monkeypatch.setattr(discovery, "usb_printers", lambda: ([], "USB: NoBackendError: No backend available"))
    real_cameras = discovery.cameras
    monkeypatch.setattr(discovery, "cameras", lambda: real_cameras(dev=tmp_path, sysfs=tmp_path))
    assert main.main(["devices", "list"]) == 0
    out = capsys.readouterr().out
    assert out.count("none found") == 3
    assert "NoBackendError" in out


def test_serial_ports_are_shown_by_their_stable_path(tmp_path):
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    (by_id / "usb-EPSON_TM-T20II-if00-port0").symlink_to("/dev/ttyS0")
    assert discovery._stable_paths(by_id) == {"/dev/ttyS0": str(by_id / "usb-EPSON_TM-T20II-if00-port0")}


def test_devices_list_runs_on_this_machine(capsys):
    assert main.main(["devices", "list"]) == 0
    out = capsys.readouterr().out
    assert "Serial ports:" in out and "USB printers:" in out and "Cameras:" in out


def test_devices_test_prints_a_test_page(monkeypatch, tmp_path, capsys):
    printer = VirtualPrinter()
    with TcpPrinterServer(printer, port=0) as server:
        config = tmp_path / "kiosk.toml"
        config.write_text(
            f"""
[devices.receipt]
kind = "printer"
driver = "network"
[devices.receipt.options]
host = "127.0.0.1"
port = {server.port}
journal_path = "{tmp_path / "journal.sqlite3"}"
"""
        )
        monkeypatch.setenv("SAMBUT_KIOSK_CONFIG", str(config))
        assert main.main(["devices", "test", "receipt"]) == 0
        assert main.main(["devices", "test", "nope"]) == 2
    out = capsys.readouterr().out
    assert "health: ok" in out and "test page: printed" in out
    assert "Sambut test page" in printer.receipts[0].text


def test_printer_sim_command_serves_tcp_writes_pngs_and_switches_faults(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "main.py", "printer-sim", "--port", "0", "--out", str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = proc.stdout.readline()
        port = int(banner.split(" on ")[1].split(",")[0].rsplit(":", 1)[1])
        proc.stdout.readline()  # how to switch faults
        options = NetworkPrinter.Options(host="127.0.0.1", port=port, journal_path=None)
        device = NetworkPrinter("receipt", options)
        device.start().result(timeout=10)
        try:
            device.print_receipt(sample_checkin()).result(timeout=10)
            announced = proc.stdout.readline()
            proc.stdin.write("paper out\n")
            proc.stdin.flush()
            switched = proc.stdout.readline()
            status = device.read_status().result(timeout=10)
        finally:
            device.shutdown()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    png = Path(announced.split("receipt -> ")[1].strip())
    assert png.parent == tmp_path
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [QR_PAYLOAD]
    assert "paper=<Paper.OUT" in switched
    assert status.paper is Paper.OUT
