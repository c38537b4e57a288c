"""The tour's admin part: the PIN pad (wrong PIN, locked), every staff and technician page, a
device setup at each step (one test passing, one failing, a camera's live picture) and the
out-of-service screen, in each language. Nothing is saved to kiosk.toml; admin state and audit
go to the tour's folder."""

from __future__ import annotations

from typing import Any

import numpy as np

from drivers.camera.synth import booking_payload
from drivers.camera.types import Symbology
from kiosk.admin.credentials import hash_secret
from kiosk.admin.unlock import Credentials
from kiosk.robot import Script

PIN = "2468"
CHEAP = 2**10  # the tour's own PIN: the hash format of the real ones, checked faster


def admin_tour(tour: Any) -> Script:
    app, j = tour.app, tour.j
    ctl = app.admin
    ctl.mode.credentials = Credentials({"technician": (hash_secret(PIN, n=CHEAP),)})
    if j.step.value != "attract":
        j.end()
    yield lambda: j.step.value == "attract"

    def page() -> Any:
        return ctl.layer.ids.pages.current_screen

    def loaded() -> Script:
        yield lambda: not getattr(page(), "busy", False)
        yield from tour.frames(3)

    def go(module: str) -> Script:
        ctl.layer.go(module)
        yield from loaded()

    def setup_step(action: str) -> Script:
        next(b for b in page().ids.actions.children if getattr(b, "action", "") == action).dispatch(
            "on_press"
        )
        yield from loaded()

    for lang in app.languages:
        tour.lang = lang
        app.set_language(lang)
        ctl.open_pad()
        yield from tour.shoot("admin-pin")
        ctl.pad.pin = "13"
        ctl.pad.press("ok")
        yield lambda: not ctl.pad.checking
        yield from tour.shoot("admin-pin-wrong")
        ctl.pad.pin = PIN
        ctl.pad.press("ok")
        yield lambda: ctl.active
        app.set_language(lang)  # opening admin ends any guest session, language included
        yield from loaded()
        yield from tour.shoot("admin-status")
        yield from go("admin_payments")
        yield from tour.shoot("admin-payments")
        yield from go("admin_day")
        page().close_day()
        yield from loaded()
        yield from tour.shoot("admin-end-of-day")
        yield from go("admin_devices")
        yield from tour.shoot("admin-devices")
        # The printer: each step, its test passing.
        ctl.begin_setup("receipt", "printer", lambda _e: ctl.layer.go("admin_setup"))
        yield lambda: ctl.layer.page == "admin_setup"
        yield from loaded()
        yield from tour.shoot("admin-setup-driver")
        yield from setup_step("next")
        yield from tour.shoot("admin-setup-settings")
        host = next(c for _s, c in page()._inputs.values() if c.field_name == "host")
        host.ids.field.focus = True  # as a touch on it would
        yield from tour.frames(3)
        yield from tour.shoot("admin-setup-keyboard")
        page().typing = False
        yield from setup_step("check")
        yield from setup_step("test")
        yield from tour.shoot("admin-setup-test-passed")
        yield from setup_step("cancel")
        # The card terminal where nothing answers: its test fails.
        ctl.begin_setup("card_terminal", "payment", lambda _e: ctl.layer.go("admin_setup"))
        yield lambda: ctl.layer.page == "admin_setup"
        yield from setup_step("next")
        port = next(c for _s, c in page()._inputs.values() if c.field_name == "port")
        port.ids.field.text = "9"
        yield from setup_step("check")
        yield from setup_step("test")
        yield from tour.shoot("admin-setup-test-failed")
        yield from setup_step("cancel")
        # The camera: its own live picture while the test waits for a code, then the code read.
        ctl.begin_setup("camera", "camera", lambda _e: ctl.layer.go("admin_setup"))
        yield lambda: ctl.layer.page == "admin_setup"
        yield from setup_step("next")
        yield from setup_step("check")
        page().run_test()  # as "Run the test" does
        yield lambda: ctl.testing is not None
        code = booking_payload(np.random.default_rng(7))
        ctl.testing.show(code, Symbology.QR, blur=3.0, angle=8)
        yield lambda: page()._preview is not None and page()._preview.live
        yield from tour.frames(3)
        yield from tour.shoot("admin-setup-camera")
        ctl.testing.show(code, Symbology.QR)
        yield from loaded()
        yield from setup_step("cancel")
        yield from go("admin_logs")
        yield from tour.shoot("admin-logs")
        yield from go("admin_diagnostics")
        yield from tour.shoot("admin-diagnostics")
        # Out of service: what guests see.
        yield from go("admin_status")
        page().toggle_service()
        yield lambda: ctl.out_of_service
        ctl.lock()
        yield lambda: not ctl.active and app.manager.current == "out_of_service"
        app.set_language(lang)
        yield from tour.shoot("out-of-service")
        ctl.open_pad()
        ctl.pad.pin = PIN
        ctl.pad.press("ok")
        yield lambda: ctl.active
        yield from loaded()
        page().toggle_service()
        yield lambda: not ctl.out_of_service
        ctl.lock()
        yield lambda: not ctl.active
    # Too many wrong PINs: the pad locks, with its countdown (last: it stays locked).
    ctl.open_pad()
    for _ in range(ctl.mode.section.max_failures):
        ctl.pad.pin = "0000"
        ctl.pad.press("ok")
        yield lambda: not ctl.pad.checking
    for lang in app.languages:
        tour.lang = lang
        app.set_language(lang)
        ctl.pad.tick()
        yield from tour.shoot("admin-pin-locked")
    ctl.close_pad()
