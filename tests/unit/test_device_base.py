"""The device lifecycle, events and health shared by every driver."""

from concurrent.futures import Future

import pytest

from drivers.base import (
    DataEvent,
    Device,
    DeviceOfflineError,
    DeviceState,
    DeviceStateError,
    ErrorEvent,
    Health,
    HealthReport,
    StatusEvent,
)


class Recorder(Device):
    kind = "test"
    driver = "recorder"

    def __init__(self, name: str = "rec") -> None:
        super().__init__(name)
        self.calls: list[str] = []
        self.status: HealthReport | Exception = HealthReport.ok()

    def _do_open(self) -> None:
        self.calls.append("open")

    def _do_claim(self) -> None:
        self.calls.append("claim")

    def _do_enable(self) -> None:
        self.calls.append("enable")

    def _do_disable(self) -> None:
        self.calls.append("disable")

    def _do_release(self) -> None:
        self.calls.append("release")

    def _do_close(self) -> None:
        self.calls.append("close")

    def _do_check_health(self) -> HealthReport:
        if isinstance(self.status, Exception):
            raise self.status
        return self.status


def test_lifecycle_runs_in_order_and_close_walks_back_down():
    dev = Recorder()
    dev.start().result(timeout=5)
    assert dev.state is DeviceState.ENABLED
    dev.shutdown()
    assert dev.calls == ["open", "claim", "enable", "disable", "release", "close"]
    assert dev.state is DeviceState.CLOSED


def test_out_of_order_step_is_refused_and_reported_as_error_event():
    dev = Recorder()
    events = []
    dev.subscribe(events.append)
    fut: Future = dev.enable()
    with pytest.raises(DeviceStateError):
        fut.result(timeout=5)
    assert isinstance(events[-1], ErrorEvent)
    assert dev.state is DeviceState.CLOSED
    dev.shutdown()


def test_health_is_unknown_when_status_cannot_be_read():
    dev = Recorder()
    events = []
    dev.subscribe(events.append)
    assert dev.check_health().result(timeout=5).health is Health.UNKNOWN  # not opened
    dev.start().result(timeout=5)
    assert dev.check_health().result(timeout=5).health is Health.OK
    dev.status = DeviceOfflineError("no answer")
    report = dev.check_health().result(timeout=5)
    assert report.health is Health.UNKNOWN
    assert "offline" in report.reason
    assert [e.report.health for e in events if isinstance(e, StatusEvent)] == [Health.OK, Health.UNKNOWN]
    dev.shutdown()


def test_broken_listener_does_not_stop_others():
    dev = Recorder()
    seen = []

    def broken(event):
        raise RuntimeError("boom")

    dev.subscribe(broken)
    unsubscribe = dev.subscribe(seen.append)
    dev.emit_data("x")
    unsubscribe()
    dev.emit_data("y")
    assert seen == [DataEvent("rec", "x")]
    dev.shutdown()
