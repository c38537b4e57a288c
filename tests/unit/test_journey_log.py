"""The journey logs its steps and problems for technicians, and nothing the guest entered."""

from __future__ import annotations

import logging

from kiosk.journey.checkin import Step
from tests.unit.test_checkin_journey import Doc, Fields, rig


def test_steps_and_problems_are_logged_without_guest_data(caplog):
    caplog.set_level(logging.INFO, logger="kiosk.journey")
    r = rig()
    j = r.journey
    j.start()
    j.choose(Step.ENTER_CODE)
    j.submit_code("AUM2C9", "Santoso")
    r.go()
    j.scanned(Doc(fields=Fields(surname="SANTOSO", given_names="BUDI")))
    j.submit_registration("budi@new.example", "+62 811 999", True)
    j.submit_signature(b"png")
    r.go()
    j.room_seen()
    j.pay()
    r.go()
    r.go()
    assert j.step is Step.FINISH
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("kiosk.journey")]
    assert lines[0] == "journey: attract -> find"
    assert {"journey: wait -> identity", "journey: payment -> paying"} <= set(lines)
    assert lines[-1].endswith("-> finish")
    text = "\n".join(lines).lower()
    for secret in ("santoso", "budi", "aum2c9", "305", "811"):
        assert secret not in text, secret
