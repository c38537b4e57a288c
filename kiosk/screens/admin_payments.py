"""Staff: card payments whose outcome the kiosk could not establish, to be checked on the
terminal and resolved ("it went through" / "it did not"), and today's kiosk transactions."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from drivers.payment.journal import JournalEntry
from kiosk.admin.devicemanager import describe
from kiosk.admin.paymentrows import payment_rows, summary
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget


class AdminPaymentsPage(AdminPage):
    message = StringProperty("")
    error = BooleanProperty(False)
    busy = BooleanProperty(False)

    def refresh(self) -> None:
        self.busy = True
        staff = self.ctl.services.staff
        self.ctl.run(lambda: (staff.payments_to_review(), staff.payments_today()), self._shown)

    def _shown(
        self, lists: tuple[list[JournalEntry], list[JournalEntry]] | None, error: BaseException | None
    ) -> None:
        self.busy = False
        review, rows = self.ids.review, self.ids.today
        review.clear_widgets()
        rows.clear_widgets()
        if lists is None:
            self.say(describe(error) if error else "", True)
            return
        to_review, today = lists
        tz = self.ctl.services.staff.tz
        reasons = {e.idempotency_key: e.review_reason for e in to_review}
        for entry in payment_rows(to_review):
            row = widget(
                "AdminReviewRow",
                title=summary(entry, tz, tr.lang, tr._),
                detail=reasons[entry.key],
                key=entry.key,
            )
            row.ids.done.bind(on_press=lambda _b, k=row.key: self.resolve(k, True))
            row.ids.not_done.bind(on_press=lambda _b, k=row.key: self.resolve(k, False))
            review.add_widget(row)
        if not to_review:
            review.add_widget(widget("Caption", text=tr._("Nothing to check.")))
        for entry in reversed(payment_rows(today)):
            rows.add_widget(
                widget(
                    "AdminDeviceRow",
                    title=summary(entry, tz, tr.lang, tr._),
                    detail="",
                    tone=entry.tone,
                    state_text=tr._(entry.status),
                )
            )
        if not today:
            rows.add_widget(widget("Caption", text=tr._("No card transactions today.")))

    def say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error

    def resolve(self, key: str, performed: bool) -> None:
        staff = self.ctl.services.staff
        self.ctl.run(
            lambda: staff.resolve_payment(key, performed), lambda _r, e: self._resolved(performed, e)
        )

    def _resolved(self, performed: bool, error: BaseException | None) -> None:
        if error is not None:
            self.say(describe(error), True)
        else:
            self.say(
                tr._("Recorded: the payment went through.")
                if performed
                else tr._("Recorded: the payment did not go through.")
            )
        self.refresh()


SCREEN = AdminPaymentsPage
AdminPaymentsPage.load_kv(__file__)
