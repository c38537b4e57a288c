"""Staff: end of day. Asks once more, then closes the terminal's batch, prints the day's totals
(count and sum per card brand and currency) and sends them to the server; says what worked."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from drivers.money import Money
from kiosk.admin.devicemanager import describe
from kiosk.admin.staff import EndOfDayReport
from kiosk.i18n import money, short_date, zone_formats
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget


class AdminDayPage(AdminPage):
    confirming = BooleanProperty(False)
    busy = BooleanProperty(False)
    outcome = StringProperty("")
    message = StringProperty("")
    error = BooleanProperty(False)

    def refresh(self) -> None:
        self.confirming = False

    def on_busy(self, _page: object, busy: bool) -> None:
        self.ids.ring.start() if busy else self.ids.ring.stop()

    def wipe(self) -> None:
        self.outcome = self.message = ""
        self.ids.totals.clear_widgets()

    def ask(self) -> None:
        self.confirming = True

    def close_day(self) -> None:
        self.confirming = False
        self.busy = True
        self.wipe()
        self.ctl.run(self.ctl.services.staff.end_of_day, self._done)

    def _done(self, report: EndOfDayReport | None, error: BaseException | None) -> None:
        self.busy = False
        if report is None:
            self.message, self.error = describe(error) if error else "", True
            return
        terminal = tr._("approved") if report.terminal_outcome == "approved" else report.terminal_outcome
        lang = zone_formats(tr.lang, self.ctl.services.staff.tz)
        self.outcome = "\n".join(
            [
                tr._("Business date: {date}").format(date=short_date(report.business_date, lang)),
                tr._("Card terminal end of day: {outcome}").format(outcome=terminal),
                tr._("Totals printed") if report.printed else tr._("Totals not printed"),
                tr._("Totals on their way to the server")
                if report.sent
                else tr._("Totals not sent to the server"),
            ]
        )
        self.message = "\n".join(report.problems)
        self.error = bool(report.problems)
        rows = self.ids.totals
        for t in report.totals:
            detail = tr._("Sales: {count} · {sales}  ·  Refunds: {refunds} · {refunded}").format(
                count=t.count,
                sales=money(Money(t.sales_minor, t.currency), lang),
                refunds=t.refunds_count,
                refunded=money(Money(t.refunds_minor, t.currency), lang),
            )
            net = money(Money(t.net_minor, t.currency), lang)
            rows.add_widget(
                widget("AdminDeviceRow", title=t.method, detail=detail, tone="ok", state_text=net)
            )
        if not report.totals:
            rows.add_widget(widget("Caption", text=tr._("No card payments on this business date.")))


SCREEN = AdminDayPage
AdminDayPage.load_kv(__file__)
