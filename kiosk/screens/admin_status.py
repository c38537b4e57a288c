"""Staff: the kiosk at a glance (each device ok, faulty or unknown and why, paper, the link to
the server, the outbox, refused ops, version) and the quick actions: out of service, reprint the
last receipt, paper replaced."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from drivers.base import Health, HealthReport
from drivers.printer.drivers import PrintResult
from kiosk.admin.devicemanager import describe
from kiosk.admin.devicenames import device_title
from kiosk.admin.staff import KioskStatus
from kiosk.i18n import N_, local_time
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget

HEALTH = {Health.OK: N_("OK"), Health.FAULTY: N_("Faulty"), Health.UNKNOWN: N_("Unknown")}
PAPER = {
    "ok": N_("Paper: OK"),
    "near_end": N_("Paper: running low"),
    "out": N_("Paper: empty"),
    "unknown": N_("Paper: unknown"),
}
PRINTED = {
    "printed": N_("The last receipt was printed again."),
    "unverified": N_("Sent to the printer; it did not say whether it printed."),
    "failed": N_("The printer reported a problem while printing."),
    "refused": N_("The printer cannot print now (paper or cover?)."),
}


def when(value: Any, tz: tzinfo) -> str:
    """On the property's clock (the kiosk itself runs in UTC)."""
    return local_time(value, tz, tr.lang, seconds=True) if value is not None else tr._("never")


class AdminStatusPage(AdminPage):
    out_of_service = BooleanProperty(False)
    link = StringProperty("")
    alert = StringProperty("")  # the server refuses this kiosk: what staff must do
    counts = StringProperty("")
    version = StringProperty("")
    message = StringProperty("")
    error = BooleanProperty(False)
    busy = BooleanProperty(False)

    def refresh(self) -> None:
        self.busy = True
        self.ctl.run(self.ctl.services.staff.status, self._shown)

    def _shown(self, status: KioskStatus | None, error: BaseException | None) -> None:
        self.busy = False
        if status is None:
            self.say(describe(error) if error else "", True)
            return
        self.out_of_service = status.out_of_service
        self.version = tr._("App version {version}").format(version=status.app_version)
        c = status.connectivity
        self.alert = ""
        if c is None:
            self.link, self.counts = tr._("No server connection is set up."), ""
        else:
            if c.refused:
                self.alert = tr._(
                    "Not registered with the server: it refuses this kiosk ({reason}). Nothing is lost:"
                    " {outbox} records wait here and go out once the kiosk is registered again"
                    " (python main.py server add-kiosk {name})."
                ).format(reason=c.reason, outbox=c.outbox_depth, name=status.kiosk_name)
            state = {True: tr._("Online"), False: tr._("Offline"), None: tr._("Not contacted yet")}[c.online]
            reason = f" ({c.reason})" if c.online is False and c.reason else ""
            self.link = tr._("{state}{reason} · last sync {time}").format(
                state=state, reason=reason, time=when(c.last_sync, self.ctl.services.staff.tz)
            )
            self.counts = tr._("Waiting to send: {outbox} · Refused by the server: {dead}").format(
                outbox=c.outbox_depth, dead=c.dead_letters
            )
        rows = self.ids.devices
        rows.clear_widgets()
        kinds = {d.name: d.kind for d in status.devices}
        for d in status.devices:
            detail = [d.driver]
            if d.paper:
                detail.append(tr._(PAPER.get(d.paper, PAPER["unknown"])))
            if d.reason:
                detail.append(tr._(d.advice) if d.advice else d.reason)
            rows.add_widget(
                widget(
                    "AdminDeviceRow",
                    title=device_title(d.name, kinds, tr._),
                    detail="  ·  ".join(detail),
                    tone=d.health.value,
                    state_text=tr._(HEALTH[d.health]),
                )
            )

    def say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error

    def toggle_service(self) -> None:
        on = not self.out_of_service
        self.ctl.run(
            lambda: self.ctl.services.staff.set_out_of_service(on), lambda _r, e: self._toggled(on, e)
        )

    def _toggled(self, on: bool, error: BaseException | None) -> None:
        if error is not None:
            self.say(describe(error), True)
            return
        self.out_of_service = on
        self.say(
            tr._("Out of service: guests are sent to the front desk.")
            if on
            else tr._("The kiosk is open for guests again.")
        )

    def reprint(self) -> None:
        self.say(tr._("Printing…"))
        self.ctl.run(self.ctl.services.staff.reprint_last, self._reprinted)

    def _reprinted(self, result: PrintResult | None, error: BaseException | None) -> None:
        if result is None:
            self.say(tr._("Not printed: {reason}").format(reason=describe(error) if error else ""), True)
            return
        self.say(tr._(PRINTED[result.outcome.value]), result.outcome.value != "printed")
        self.refresh()

    def paper_replaced(self) -> None:
        self.ctl.run(self.ctl.services.staff.paper_replaced, self._paper_checked)

    def _paper_checked(self, report: HealthReport | None, error: BaseException | None) -> None:
        if report is None:
            self.say(describe(error) if error else "", True)
        elif report.health is Health.OK:
            self.say(tr._("Thank you. The printer is ready again."))
        else:
            self.say(tr._("The printer still reports a problem: {reason}").format(reason=report.reason), True)
        self.refresh()


SCREEN = AdminStatusPage
AdminStatusPage.load_kv(__file__)
