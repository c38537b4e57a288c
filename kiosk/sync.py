"""The outbox relay and the pull cursor, in one worker thread (no Kivy: the UI listens through
``Link.subscribe`` and hops to its own thread with Clock).

Each cycle: hand the payment journal's unsent payments to the outbox, push the outbox in order
in batches, pull the server's changes since the stored cursor, and send a heartbeat when due.
A failed cycle is retried after an exponential backoff with jitter; ``nudge()`` starts the next
cycle at once (the front desk calls it after queueing an op). Every call has a short deadline.

A refusal that retrying cannot heal (the token refused, the records addressed to another kiosk)
is not a dead letter: the ops stay queued, the link says the kiosk is not registered (staff see
it), the worker checks again only every ``refused_recheck_s``, and delivers them once the kiosk is
registered again. Every change of the link is logged once, not every retry.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from drivers.payment.journal import JournalEntry, PaymentJournal, ResolvedBy
from drivers.payment.model import Operation, PaymentResult
from kiosk.serverapi import ServerClient, ServerError, refusal
from kiosk.store import Op, Store

log = logging.getLogger(__name__)

# Payment ids are derived from the journal's idempotency key: the same payment, however often
# it is handed over, is one payment on the server.
PAYMENT_NAMESPACE = uuid.UUID("5b0c3a52-8f0e-4d59-9a51-3c1a7f0de7a1")
# Terminal operations that are money on the folio, by the server's payment kind.
PAYMENT_KINDS = {
    Operation.SALE: "sale",
    Operation.PREAUTH: "preauth",
    Operation.CAPTURE: "capture",
    Operation.REFUND: "refund",
}
# Failures that mean "the server is not there (for now)", as opposed to "it refused this".
TRANSIENT = {"timeout", "unreachable"}
# While refused, how often the token file is looked at (a technician may put a new one in place).
TOKEN_POLL_S = 0.5


# Payments the kiosk did not see settled live: the desk looks at them on the dashboard.
REVIEW_REASONS: dict[ResolvedBy | None, str] = {
    ResolvedBy.RECONCILE: "settled by reconciling with the terminal after a kiosk restart",
    ResolvedBy.STAFF: "settled by staff at the kiosk",
}


def payment_op(reservation_id: str, result: PaymentResult, review_reason: str = "") -> dict[str, Any]:
    """The push payload of an approved terminal result (masked card data only)."""
    return {
        "reservation_id": reservation_id,
        "payment": {
            "id": str(uuid.uuid5(PAYMENT_NAMESPACE, result.idempotency_key)),
            "kind": PAYMENT_KINDS[result.operation],
            "amount": result.amount.minor,
            "currency": result.amount.currency,
            "card_brand": result.card_brand[:32],
            "masked_pan": result.masked_pan,
            "auth_code": result.auth_code[:16],
            "terminal_id": result.terminal_id[:16],
            "terminal_ref": str(
                result.receipt_no if result.receipt_no is not None else result.trace_no or ""
            ),
            "review_reason": review_reason,
        },
    }


def handed_over(entry: JournalEntry) -> bool:
    """Does this journal entry become a payment on the server? (Declined ones are no money.)"""
    return entry.result is not None and entry.result.approved and entry.result.operation in PAYMENT_KINDS


class OutboxRefused(ServerError):
    """The server refuses a push as a whole for good (neither the token nor one op's content)."""


@dataclass(frozen=True)
class LinkState:
    online: bool | None  # None: not tried yet
    reason: str
    since: datetime
    refused: bool = False  # the server refuses this kiosk: faulty until staff register it again


def _log_change(old: LinkState, new: LinkState) -> None:
    """One line per change of the link (a retry that changes nothing logs nothing)."""
    if new.refused:
        log.error("sync: %s; the kiosk keeps its records until it is registered again", new.reason)
    elif new.online is False:
        log.warning("sync: server not reachable: %s", new.reason)
    elif old.refused:
        log.warning("sync: the server accepts this kiosk again")
    elif old.online is False:
        log.info("sync: server reachable again")


class Link:
    """Online or offline, with the reason; observable by callback or by waiting."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._state = LinkState(None, "not contacted yet", datetime.now(UTC))
        self._listeners: list[Callable[[LinkState], None]] = []

    @property
    def state(self) -> LinkState:
        with self._cond:
            return self._state

    @property
    def offline(self) -> bool:
        return self.state.online is False

    def subscribe(self, listener: Callable[[LinkState], None]) -> Callable[[], None]:
        """Call ``listener`` (in the reporting thread) on every change; returns the unsubscribe."""
        with self._cond:
            self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def report(self, online: bool, reason: str = "", refused: bool = False) -> None:
        with self._cond:
            old = self._state
            if old.online is online and old.reason == reason and old.refused is refused:
                return
            self._state = state = LinkState(online, reason, datetime.now(UTC), refused)
            listeners = list(self._listeners)
            self._cond.notify_all()
        _log_change(old, state)
        for listener in listeners:
            try:
                listener(state)
            except Exception:
                log.exception("link listener failed")

    def wait_for(self, online: bool, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._state.online is online, timeout)


class SyncWorker:
    def __init__(
        self,
        store: Store,
        client: ServerClient,
        *,
        app_version: str,
        devices: Callable[[], dict[str, dict[str, Any]]] = dict,
        journal: PaymentJournal | None = None,
        link: Link | None = None,
        batch_size: int = 200,
        pull_interval_s: float = 15.0,
        heartbeat_interval_s: float = 60.0,
        backoff_base_s: float = 0.25,
        backoff_max_s: float = 15.0,
        refused_recheck_s: float = 60.0,
        kiosk_name: str = "",
        rng: random.Random | None = None,
    ) -> None:
        """``kiosk_name`` is the configured name: a token of that name may re-address the outbox."""
        self.store = store
        self.client = client
        self.link = link or Link()
        self.app_version = app_version
        self.devices = devices
        self.journal = journal
        self.batch_size = batch_size
        self.pull_interval_s = pull_interval_s
        self.heartbeat_interval_s = heartbeat_interval_s
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.refused_recheck_s = refused_recheck_s
        self.kiosk_name = kiosk_name
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._cycle = threading.Condition()
        self._started = self._done = 0  # cycles begun and ended
        self._failures = 0
        self._next_heartbeat = 0.0
        self._thread: threading.Thread | None = None

    # -- thread --------------------------------------------------------------------------------

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def nudge(self) -> None:
        """Start the next cycle now (something was queued), unless backing off after a failure."""
        self._wake.set()

    def wait_drained(self, timeout: float) -> bool:
        """Start a cycle and wait until one that started after this call has succeeded with
        nothing left to push (the payment journal included)."""
        with self._cycle:
            after = self._started
            self.nudge()
            return self._cycle.wait_for(
                lambda: self._done > after and self._failures == 0 and self.store.depth() == 0, timeout
            )

    def _run(self) -> None:
        while not self._stopping.is_set():
            delay = self.pull_interval_s
            with self._cycle:
                self._started += 1
                number = self._started
            try:
                self.sync_once()
                self._failures = 0
                self.link.report(True)
            except ServerError as exc:
                self._failures += 1
                if why := str(exc) if isinstance(exc, OutboxRefused) else refusal(exc):
                    delay = self.refused_recheck_s  # a slow re-check: retrying now cannot heal it
                    self.link.report(False, why, refused=True)
                else:
                    delay = self._backoff()
                    self.link.report(False, f"{exc.code}: {exc}")
            except Exception as exc:  # a bug must not stop the relay: log it and retry later
                log.exception("sync cycle failed")
                self._failures += 1
                delay = self._backoff()
                self.link.report(False, f"sync error: {exc}")
            with self._cycle:
                self._done = number
                self._cycle.notify_all()
            if self.link.state.refused:
                self._recheck_after(delay)
            elif self._failures:
                self._stopping.wait(delay)  # a nudge does not cut a backoff short
            else:
                self._wake.wait(delay)
            self._wake.clear()

    def _recheck_after(self, delay: float) -> None:
        """Wait out a refusal, but try again as soon as a new token is put in place."""
        token = self.client.token()
        deadline = time.monotonic() + delay
        while not self._stopping.wait(min(TOKEN_POLL_S, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline or self.client.token() != token:
                return

    def _backoff(self) -> float:
        ceiling = min(self.backoff_max_s, self.backoff_base_s * 2 ** min(self._failures, 20))
        return self._rng.uniform(ceiling / 2, ceiling)  # jitter: a fleet does not retry in step

    # -- one cycle -----------------------------------------------------------------------------

    def sync_once(self) -> None:
        """Push everything queued, pull everything new, heartbeat when due; raises ServerError."""
        kiosk_id = self._kiosk_id()
        self.sweep_journal()
        self.push_all(kiosk_id)
        self.pull_all()
        with self.store.transaction() as tx:
            tx.set_meta("last_sync_at", datetime.now(UTC).isoformat())
            if self.client.offset is not None:  # for records made offline after a restart
                tx.set_meta("clock_offset_s", self.client.offset.total_seconds())
        if time.monotonic() >= self._next_heartbeat:
            self.heartbeat()

    def _kiosk_id(self) -> str:
        kiosk_id = self.store.meta("kiosk_id")
        if kiosk_id is None:
            me = self.client.whoami()
            with self.store.transaction() as tx:
                tx.set_meta("kiosk_id", me["id"])
                tx.set_meta("kiosk_name", me["name"])
                tx.set_meta("property", me["property"])
            kiosk_id = me["id"]
        return kiosk_id

    def _readdress(self, kiosk_id: str, me: dict[str, Any] | None = None) -> str:
        """This kiosk's records are not its token's kiosk's (``me``, the server's answer for the
        token): take the token's kiosk id when it is this kiosk registered again (same name, so
        the server made it anew: nothing of the old id is left to apply twice), else stay
        refused and say exactly why."""
        me = me or self.client.whoami()
        if me["id"] == kiosk_id:
            raise ServerError("forbidden", f"the server refuses the records of kiosk {kiosk_id}", 403)
        name = self.store.meta("kiosk_name") or self.kiosk_name
        if me["name"] != name:
            raise ServerError(
                "forbidden",
                f"the token is kiosk {me['name']!r}'s ({me['id']}), this kiosk's records are"
                f" {name!r}'s ({kiosk_id}): put {name!r}'s token in place"
                f" (`python main.py server add-kiosk {name}`)",
                403,
            )
        with self.store.transaction() as tx:
            tx.set_meta("kiosk_id", me["id"])
            tx.set_meta("kiosk_name", me["name"])
            tx.set_meta("property", me["property"])
        log.warning(
            "sync: kiosk %r was registered anew on the server (id %s, was %s); %d queued op(s) go"
            " out under the new id",
            name,
            me["id"],
            kiosk_id,
            self.store.depth(),
        )
        return str(me["id"])

    def sweep_journal(self) -> None:
        """Queue recorded payments the server has not confirmed and the outbox does not hold
        (a crash between the terminal's answer and the queueing, or before the acknowledgement).

        The journey gives the reservation id as the payment's reference; a payment without one
        stays in the journal for staff. So does one for a reservation the kiosk does not know: a
        walk-in's sale before its booking (the booking carries the payment; a refused one is
        reversed on the terminal)."""
        if self.journal is None:
            return
        for entry in self.journal.unacknowledged(limit=1000):
            if not handed_over(entry) or self.store.known_op(entry.idempotency_key):
                continue
            try:
                reservation_id = str(uuid.UUID(entry.request.reference))
            except ValueError:
                continue
            if self.store.reservation(reservation_id) is None:
                continue
            assert entry.result is not None
            with self.store.transaction() as tx:
                reason = REVIEW_REASONS.get(entry.resolved_by, "")
                payload = payment_op(reservation_id, entry.result, reason)
                tx.enqueue("payment", reservation_id, payload, entry.created_at, op_id=entry.idempotency_key)

    def push_all(self, kiosk_id: str) -> None:
        readdressed = False
        while batch := self.store.pending(self.batch_size):
            try:
                self.push(kiosk_id, batch)
            except ServerError as exc:
                if exc.status != 403 or readdressed:
                    raise
                kiosk_id, readdressed = self._readdress(kiosk_id), True

    def push(self, kiosk_id: str, batch: list[Op]) -> None:
        try:
            answer = self.client.request(
                "POST", "/api/v1/sync/push", json={"kiosk_id": kiosk_id, "ops": [op.wire() for op in batch]}
            )
        except ServerError as exc:
            if exc.status != 422:  # not about one op's content: every op waits in the outbox
                self.store.record_failure([op.op_id for op in batch], f"{exc.code}: {exc}")
                if 400 <= exc.status < 500 and exc.status not in (401, 403, 408, 429):
                    raise OutboxRefused(
                        exc.code, f"the server refuses the outbox: {exc}", exc.status
                    ) from exc
                raise
            if len(batch) > 1:
                # Some op the server cannot even parse: find it by pushing one at a time.
                for op in batch:
                    self.push(kiosk_id, [op])
                return
            self.store.settle([], {batch[0].op_id: f"{exc.code}: {exc}"})
            return
        done, refused = [], {}
        for op, result in zip(batch, answer["results"], strict=True):
            if result["status"] == "rejected":
                refused[op.op_id] = result["reason"]
            else:
                done.append(op.op_id)
                if op.type == "payment" and self.journal is not None:
                    self.journal.mark_acknowledged(op.op_id)
        self.store.settle(done, refused)
        log.info("sync: pushed %d op(s): %d delivered, %d refused", len(batch), len(done), len(refused))
        if refused:
            log.warning("sync: server refused %d op(s): %s", len(refused), refused)

    def pull_all(self) -> None:
        while True:
            page = self.client.request("GET", "/api/v1/sync/pull", params={"cursor": self.store.cursor})
            self.store.apply_changes(page["changes"], page["cursor"])
            if page["changes"]:
                log.info("sync: pulled %d change(s), cursor %s", len(page["changes"]), page["cursor"])
            if not page["more"]:
                return

    def heartbeat(self) -> None:
        # Whose token this is, first: a kiosk id that changed is found before anything is pushed.
        me = self.client.whoami()
        if (kiosk_id := self.store.meta("kiosk_id")) != me["id"]:
            self._readdress(kiosk_id, me)
        self.client.request(
            "POST",
            "/api/v1/kiosk/heartbeat",
            json={
                "app_version": self.app_version,
                "outbox_depth": self.store.depth(),
                "last_sync_at": self.store.meta("last_sync_at"),
                "devices": self.devices(),
            },
        )
        # The business date moves on at night audit: refresh what the offline lookup relies on.
        with self.store.transaction() as tx:
            tx.set_meta("property", me["property"])
        self._next_heartbeat = time.monotonic() + self.heartbeat_interval_s
