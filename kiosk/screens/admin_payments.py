"""Staff: card payments whose outcome the kiosk could not establish, to be checked on the
terminal and resolved ("it went through" / "it did not"), and today's kiosk transactions."""

from __future__ import annotations

from datetime import datetime

from kivy.properties import BooleanProperty, StringProperty

from drivers.payment.journal import EntryState, JournalEntry
from kiosk.admin.devicemanager import describe
from kiosk.i18n import N_, money
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget

OPERATIONS = {
    "sale": N_("Payment"),
    "preauth": N_("Deposit hold"),
    "capture": N_("Deposit taken"),
    "reversal": N_("Cancelled payment"),
    "refund": N_("Refund"),
    "end_of_day": N_("End of day"),
}
OUTCOMES = {
    "approved": N_("Approved"),
    "declined": N_("Declined"),
    "aborted": N_("Not done"),
    "unknown": N_("Unknown"),
    EntryState.PENDING.value: N_("In progress"),
    EntryState.NEEDS_REVIEW.value: N_("Needs checking"),
}


def _time(at: datetime) -> str:
    return at.astimezone().strftime("%H:%M")


def summary(entry: JournalEntry) -> str:
    request = entry.request
    what = tr._(OPERATIONS.get(request.operation.value, request.operation.value))
    return (
        f"{_time(entry.created_at)}  ·  {what}  ·  {money(request.amount, tr.lang)}  ·  {request.reference}"
    )


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
        for entry in to_review:
            row = widget(
                "AdminReviewRow", title=summary(entry), detail=entry.review_reason, key=entry.idempotency_key
            )
            row.ids.done.bind(on_press=lambda _b, k=row.key: self.resolve(k, True))
            row.ids.not_done.bind(on_press=lambda _b, k=row.key: self.resolve(k, False))
            review.add_widget(row)
        if not to_review:
            review.add_widget(widget("Caption", text=tr._("Nothing to check.")))
        for entry in reversed(today):
            outcome = entry.result.outcome.value if entry.result else entry.state.value
            card = f"  ·  {entry.result.card_brand} {entry.result.masked_pan}" if entry.result else ""
            tone = (
                "ok" if entry.result and entry.result.approved else ("faulty" if entry.result else "unknown")
            )
            rows.add_widget(
                widget(
                    "AdminDeviceRow",
                    title=summary(entry),
                    detail=card.strip(" ·"),
                    tone=tone,
                    state_text=tr._(OUTCOMES.get(outcome, outcome)),
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
