"""An error in the kiosk's UI loop is logged with its traceback and the guest shown an apology;
one that keeps coming back ends the process (for the service to restart it)."""

import logging

import pytest

from kiosk import kivyenv
from kiosk.config import load_settings

kivyenv.prepare(load_settings())  # before Kivy is first imported
from kivy.base import ExceptionManager  # noqa: E402

from kiosk.recover import LIMIT, WINDOW_S, Recovery  # noqa: E402


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_error_is_logged_and_survived_until_it_keeps_coming_back(caplog: pytest.LogCaptureFixture):
    clock, apologies = Clock(), []
    recovery = Recovery(lambda: apologies.append(1), where=lambda: "step enter_code", clock=clock)
    with caplog.at_level(logging.ERROR, logger="kiosk.recover"):
        answers = [recovery.handle_exception(LookupError("Unknown class <Scrim>")) for _ in range(LIMIT)]
        assert answers == [ExceptionManager.PASS] * LIMIT and len(apologies) == LIMIT
        assert recovery.handle_exception(LookupError("again")) == ExceptionManager.RAISE
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "step enter_code" in errors[0].getMessage() and "Unknown class <Scrim>" in str(
        errors[0].exc_info[1]
    )
    assert caplog.records[-1].levelno == logging.CRITICAL
    clock.now += WINDOW_S  # long after: an error on its own again
    assert recovery.handle_exception(LookupError("later")) == ExceptionManager.PASS


def test_stopping_is_not_an_error():
    recovery = Recovery(lambda: None)
    assert recovery.handle_exception(KeyboardInterrupt()) == ExceptionManager.RAISE


def test_an_apology_that_fails_stops_the_kiosk(caplog: pytest.LogCaptureFixture):
    def broken() -> None:
        raise RuntimeError("no problem screen")

    assert Recovery(broken).handle_exception(ValueError("x")) == ExceptionManager.RAISE
    assert "the apology could not be shown" in caplog.text
