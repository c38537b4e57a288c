"""`python main.py dev` (what `make run` starts): when the kiosk stops with an error, the local
server and the simulators stop with it, and the technician is told so and where the logs are."""

import argparse
from contextlib import contextmanager

import pytest

from kiosk import cli


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    events: list[str] = []

    @contextmanager
    def part(name: str, value: object = None):
        events.append(f"{name} started")
        try:
            yield value
        finally:
            events.append(f"{name} stopped")

    monkeypatch.setattr(cli, "has_display", lambda: True)
    monkeypatch.setattr("kiosk.devstack.local_server", lambda _s: part("server", []))  # no arrivals
    monkeypatch.setattr("kiosk.devstack.simulators", lambda _s: part("simulators"))
    monkeypatch.setattr("kiosk.devscan.terminal_passports", lambda _s, _a: part("scanner feed", ""))
    monkeypatch.setattr("kiosk.logfile.setup", lambda _s: None)
    monkeypatch.setattr("kiosk.kivyenv.prepare", lambda _s: None)
    return events


def test_a_kiosk_that_stops_with_an_error_says_so_and_stops_the_stack(stack, monkeypatch, capsys):
    def crash(_settings) -> None:
        raise RuntimeError("Unknown class <Scrim>")

    monkeypatch.setattr(cli, "_start_app", crash)
    assert cli.run_dev(argparse.Namespace()) == 1
    err = capsys.readouterr().err
    assert "RuntimeError: Unknown class <Scrim>" in err  # the traceback
    assert "The kiosk stopped with the error above" in err and "var/log" in err
    assert stack == [
        "server started",
        "simulators started",
        "scanner feed started",
        "scanner feed stopped",
        "simulators stopped",
        "server stopped",
    ]


def test_a_normal_close_stops_the_stack_quietly(stack, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_start_app", lambda _settings: None)
    assert cli.run_dev(argparse.Namespace()) == 0
    assert "The kiosk was closed" in capsys.readouterr().out
    assert stack[-1] == "server stopped"
