"""`python main.py terminal-sim` serves a real kiosk driver, on TCP and on a pty."""

import subprocess
import sys
from pathlib import Path

import pytest

from drivers.money import Money
from drivers.payment.drivers import ZvtTerminal

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("where", [["--port", "0"], ["--pty"]])
def test_terminal_sim_command(tmp_path, where):
    cmd = [sys.executable, "main.py", "terminal-sim", "--step", "0", "--state", str(tmp_path / "sim.json")]
    cmd += [*where, "--script", "decline:05"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("ZVT terminal simulator on ")
        address = line.rsplit(" ", 1)[-1]
        options = {"journal_path": tmp_path / "payments.sqlite3"}
        if where[0] == "--pty":
            options |= {"transport": "serial", "device": address}
        else:
            options |= {"transport": "tcp", "port": int(address.rsplit(":", 1)[1])}
        terminal = ZvtTerminal("terminal", ZvtTerminal.Options(**options))
        terminal.start().result(10)
        try:
            assert terminal.sale(Money(100, "EUR"), "b").result(10).result_code == 0x05
            assert terminal.sale(Money(100, "EUR"), "b").result(10).approved
        finally:
            terminal.shutdown()
    finally:
        proc.terminate()
        proc.wait(10)
    assert (tmp_path / "sim.json").exists()
