"""The explorer: the real kiosk app under Xvfb, driven by seeded random actions instead of one
script, with device and network faults injected at random, and invariants checked after every
action.

Actions: a touch on a visible, enabled button of whatever is on top (the screen and its chrome, or
the overlay), typing on the on-screen keyboard into a field (a real confirmation code, surname or
room number of today's demo guests now and then, so it gets deep into a journey; plausible or
garbage text otherwise), a passport or a code at the scanner, a signature, waits past every
timeout (shortened through the kiosk's config: ``TIMEOUTS``), language, Help and Back; and
faults: the printer out of paper and back, the next card declined, the terminal dropping the line
after approving, the server out of reach and back.

Invariants: the app never exits; nothing is logged at ERROR or above and no thread dies of an
exception; every screen is drawn (the window holds a drawn frame, and it shows the journey's step);
and afterwards, with the server back and the outbox drained, every payment the terminal approved
is on the server or before staff under review, and the server holds no payment the terminal did
not approve.

Run in its own process (one Kivy app per process) against a fresh local server and the in-process
simulators: by tests/ui/test_explorer.py (a short run) and bench/explorer_bench.py (a long one).
Usage: python tests/ui/explorer.py REPORT.json SEED ACTIONS; writes the report as JSON.
"""

from __future__ import annotations

import json
import logging
import os
import random
import string
import sys
import threading
import time
import traceback
import unicodedata
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk import kivyenv  # noqa: E402
from kiosk.config import load_settings  # noqa: E402

# Short timeouts, so that waiting past them is quick (kiosk settings through the environment).
TIMEOUTS = {
    "SAMBUT_KIOSK_CHECKIN__INACTIVITY_S": "2",
    "SAMBUT_KIOSK_CHECKIN__STILL_THERE_S": "1",
    "SAMBUT_KIOSK_CHECKIN__FINISH_S": "1",
    "SAMBUT_KIOSK_SYNC__BACKOFF_MAX_S": "1",
    "SAMBUT_KIOSK_SYNC__PULL_INTERVAL_S": "3",
}
# How often each kind of action is picked, relative to the others.
WEIGHTS = {
    "touch": 45, "proceed": 15, "type": 10, "scan": 8, "sign": 4, "language": 2, "help": 1, "back": 2,
    "pause": 3, "wait": 3, "fault": 5,
}  # fmt: skip
FAULTS = ("paper_out", "paper_ok", "decline", "terminal_drop", "server_down", "server_up")
GARBAGE = string.ascii_letters + string.digits + "éñüß'-.@+_ "
DRAIN_S = 60.0
TRAIL_KEPT = 80  # the last actions, in a failure's report


class Capture(logging.Handler):
    """Every record at WARNING or above, for the report; ERROR and above are violations."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        trace = "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else ""
        self.records.append(
            {"level": record.levelname, "logger": record.name, "message": record.getMessage(), "trace": trace}
        )


def as_typed(text: str) -> str:
    """``text`` as a guest types it on the on-screen keyboard: a letter it lacks (Nguyễn's ễ)
    without its accents, as the name matching folds them anyway."""
    from kiosk.screens.keyboard import ACCENTS, DIGITS, LETTERS

    keys = "".join(LETTERS + ACCENTS) + DIGITS + "@+_ "
    keys += keys.upper()
    out = []
    for ch in text:
        if ch not in keys:
            ch = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append("".join(c for c in ch if c in keys))
    return "".join(out)


def guests(database_url: str) -> tuple[list[Any], list[Any]]:
    """Today's arrivals (their code, name and birth date) and the guests in house (their room)."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session, joinedload

    from frontoffice.models import Reservation

    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.scalars(
                select(Reservation).options(joinedload(Reservation.guest), joinedload(Reservation.room))
            ).all()
            found = [
                SimpleNamespace(
                    code=r.confirmation_code,
                    status=r.status.value,
                    room=r.room.number if r.room else "",
                    guest=SimpleNamespace(
                        surname=r.guest.surname,
                        given_names=r.guest.given_names,
                        birth_date=r.guest.birth_date,
                    ),
                )
                for r in rows
            ]
    finally:
        engine.dispose()
    arriving = [g for g in found if g.status == "confirmed"]
    in_house = [g for g in found if g.status == "checked_in" and g.room]
    return arriving, in_house


def server_payments(database_url: str) -> list[dict[str, Any]]:
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from frontoffice.models import Payment

    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return [
                {"ref": p.terminal_ref, "amount": p.amount, "kind": p.kind.value, "review": p.review_reason}
                for p in session.scalars(select(Payment).where(Payment.kiosk_id.is_not(None)))
            ]
    finally:
        engine.dispose()


def main(report_path: Path, seed: int, actions: int) -> int:
    settings = load_settings()
    kivyenv.prepare(settings)
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.textinput import TextInput

    from drivers.payment.journal import EntryState
    from drivers.sim.printer import Paper
    from kiosk.app import SCREENS, KioskApp
    from kiosk.devices import payment_journal
    from kiosk.devstack import local_server
    from kiosk.journey.checkin import Overlay, Step
    from kiosk.robot import Finger, Script, mrz_td3, now, shown, visible_texts
    from kiosk.screens.base import ModalLayer
    from kiosk.screens.keyboard import Key, OnScreenKeyboard
    from kiosk.screens.signature import SignaturePad
    from kiosk.tour import simulators
    from tests.ui.appscript import Reporter, frame_is_drawn

    database_url = os.environ["SAMBUT_SERVER_SERVER__DATABASE_URL"]
    capture = Capture()
    logging.getLogger().addHandler(capture)
    thread_errors: list[str] = []
    threading.excepthook = lambda a: thread_errors.append(
        "".join(traceback.format_exception(a.exc_type, a.exc_value, a.exc_traceback))
    )
    report: dict[str, Any] = {"seed": seed, "actions": actions, "completed": False, "violations": []}

    class Explorer(Reporter):
        def __init__(self, app: Any, printer: Any, terminal: Any) -> None:
            super().__init__(app, report)
            self.printer, self.terminal = printer, terminal
            self.rng = random.Random(seed)
            self.arriving, self.in_house = guests(database_url)
            self.target: Any = None  # the guest the explorer plays this session, now and then
            self.offline: Any = None  # the server_unreachable() block while the server is away
            self.trail: list[str] = []
            self.kinds: Counter[str] = Counter()
            self.faults: Counter[str] = Counter()
            self.screens: Counter[str] = Counter()
            self.missed: Counter[str] = Counter()  # buttons a touch on their middle did not reach
            self.violations: list[dict[str, Any]] = report["violations"]
            self.errors_seen = 0

        # -- what is on screen -------------------------------------------------------------

        def scope(self) -> Any:
            """What a touch reaches: the topmost overlay, or the screen and its chrome."""
            root = self.app.root_widget
            layers = [w for w in root.children if isinstance(w, ModalLayer)]
            return layers[0] if layers else root

        def visible(self, cls: type) -> list[Any]:
            width, height = self.app.root_widget.size
            found = []
            for w in self.scope().walk(restrict=True):
                if not isinstance(w, cls) or w.disabled or w.width <= 0 or not shown(w):
                    continue
                x, y = w.to_window(*w.center)
                if 0 <= x < width and 0 <= y < height:
                    found.append(w)
            return found

        def name(self, widget: Any) -> str:
            screen = self.app.manager.current_screen
            for ids in (screen.ids, self.app.root_widget.ids, getattr(self.scope(), "ids", {})):
                for key, w in ids.items():
                    if w.uid == widget.uid:  # ids hold weak proxies
                        return key
            text = getattr(widget, "text", "")
            return f"{type(widget).__name__}({text!r})" if text else type(widget).__name__

        def where(self) -> str:
            j = self.j
            return f"{j.step}" + (f"+{j.overlay}" if j.overlay is not Overlay.NONE else "")

        def note(self, what: str) -> None:
            self.trail.append(f"#{len(self.trail) + 1} [{self.where()}] {what}")

        # -- actions -----------------------------------------------------------------------

        def act(self) -> Script:
            kinds = [k for k in WEIGHTS if self.possible(k)]
            kind = self.rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds])[0]
            self.kinds[kind] += 1
            yield from getattr(self, f"do_{kind}")()

        def possible(self, kind: str) -> bool:
            """Only what this screen allows: typing where there is a field, a scan where the
            kiosk reads one, a signature on the pad."""
            if kind == "type":
                return bool(self.visible(TextInput)) and bool(self.visible(OnScreenKeyboard))
            if kind == "scan":
                return self.j.step in (Step.FIND, Step.IDENTITY, Step.OUT_FIND)
            if kind == "sign":
                return bool(self.visible(SignaturePad))
            if kind == "wait":  # a guest who walks away mid-journey (the welcome screen has no timer)
                return self.j.step is not Step.ATTRACT
            return True

        def do_touch(self) -> Script:
            buttons = [b for b in self.visible(ButtonBehavior) if not isinstance(b, Key)]
            primary = [b for b in buttons if getattr(b, "kind", "") == "primary"]
            if not buttons:
                self.note("touch: nothing to touch")
                return
            # Mostly the screen's main action, as most guests do (but not always "Call staff" on a
            # problem); else anything.
            if self.j.step is Step.PROBLEM:
                primary = []
            button = self.rng.choice(primary if primary and self.rng.random() < 0.6 else buttons)
            self.note(f"touch {self.name(button)}")
            pressed: list[bool] = []
            uid = button.fbind("on_press", lambda *_a: pressed.append(True))
            self.press(button)
            yield from self.frames(1)
            button.unbind_uid("on_press", uid)
            if not pressed:  # something else is over its middle: a layout fault, noted
                self.missed[f"{self.app.manager.current}/{self.name(button)}"] += 1

        def do_type(self) -> Script:
            fields, keyboards = self.visible(TextInput), self.visible(OnScreenKeyboard)
            field, kb = self.rng.choice(fields), keyboards[0]
            name = self.name(field)
            text = self.text_for(name)
            self.note(f"type {text!r} into {name}")
            yield from self.fill(field, kb, text)

        def fill(self, field: Any, kb: Any, text: str) -> Script:
            """Touch the field, delete what it holds, type ``text`` key by key."""
            self.press(field)
            yield from self.frames(1)
            for _ in range(len(field.text)):
                self.press(kb.ids.delete)
            self.type(kb, text)
            yield from self.frames(1)

        def do_proceed(self) -> Script:
            """The guest does what the screen asks: their own details typed, the box ticked, a
            signature; then the main action."""
            screen, g = self.app.manager.current_screen, self.target
            ids = screen.ids
            self.note(f"proceed on {screen.name}")
            on_top = self.scope() is self.app.root_widget
            fields = {"enter_code": ("code", "surname"), "checkout_enter": ("room", "surname")}.get(
                screen.name, ()
            )
            if on_top and g is not None and "kb" in ids:
                for name in fields:
                    yield from self.fill(ids[name], ids.kb, self.text_for(name, known=True))
            if on_top and screen.name == "registration":
                if not screen.accepted:
                    self.press(ids.accept)
                yield from self.fill(ids.email, ids.kb, "guest@example.org")
            if on_top and "pad" in ids and not ids.pad.signed:
                yield from self.do_sign()
            main = [b for b in self.visible(ButtonBehavior) if getattr(b, "kind", "") == "primary"]
            if on_top and screen.name == "problem":  # a way forward the guest can take alone
                main = [b for b in ids.actions.children if getattr(b, "action", "") != "staff"] or main
            if main:
                self.press(self.rng.choice(main))
                yield from self.frames(1)

        def text_for(self, field: str, known: bool = False) -> str:
            r, g = self.rng, self.target
            if g is not None and (known or r.random() < 0.7):
                known = {
                    "code": g.code,
                    "surname": g.guest.surname,
                    "given": g.guest.given_names,
                    "room": g.room,
                    "email": "guest@example.org",
                    "phone": "0811 2345 678",
                }
                if field in known:
                    return as_typed(known[field])
            return "".join(r.choice(GARBAGE) for _ in range(r.randint(0, 12)))

        def do_scan(self) -> Script:
            session = self.j.session
            booking = session.booking if session is not None and session.booking is not None else self.target
            roll = self.rng.random()
            if booking is not None and roll < 0.6:
                text, what = mrz_td3(booking), "the guest's passport"
            elif booking is not None and roll < 0.8:
                text, what = mrz_td3(booking, surname="WIJAYA", given_names="ANDI"), "someone else's passport"
            else:
                text = "".join(self.rng.choice(string.printable[:62]) for _ in range(self.rng.randint(1, 40)))
                what = f"garbage {text!r}"
            self.note(f"scan {what}")
            self.app.devices["scanner"].feed(text)
            yield from self.frames(2)

        def do_sign(self) -> Script:
            pad = self.visible(SignaturePad)[0]
            self.note("sign")
            x, y = pad.to_window(pad.x + pad.width * 0.2, pad.center_y)
            finger = Finger(x, y)
            finger.touch_down()
            for i in range(1, self.rng.randint(2, 30)):
                finger.touch_move(x + i * 12, y + (-1) ** i * 25)
            finger.touch_up()
            yield from self.frames(1)

        def do_language(self) -> Script:
            lang = self.rng.choice(self.app.languages)
            self.note(f"language {lang}")
            buttons = [b for b in self.visible(ButtonBehavior) if getattr(b, "lang", "") == lang]
            if buttons:
                self.press(buttons[0])
            yield from self.frames(1)

        def do_help(self) -> Script:
            self.note("Help")
            self.press(self.app.root_widget.ids.help_button)
            yield from self.frames(1)

        def do_back(self) -> Script:
            self.note("Back")
            self.press(self.app.root_widget.ids.back_button)
            yield from self.frames(1)

        def do_pause(self) -> Script:
            seconds = self.rng.uniform(0.2, 3.0)  # sometimes long enough for "Are you still there?"
            self.note(f"pause {seconds:.1f} s")
            yield from self.sleep(seconds)

        def do_wait(self) -> Script:
            """Nobody touches, past the still-there prompt and its countdown."""
            s = self.j.settings
            seconds = s.inactivity_s + s.still_there_s + 1.0
            self.note(f"wait {seconds:.1f} s")
            yield from self.sleep(seconds)

        def do_fault(self) -> Script:
            fault = self.rng.choice(FAULTS)
            self.faults[fault] += 1
            self.note(f"fault {fault}")
            if fault == "paper_out":
                self.printer.set_faults(paper=Paper.OUT)
            elif fault == "paper_ok":
                self.printer.set_faults(paper=Paper.OK)
            elif fault == "decline":
                self.terminal.script("decline:05")
            elif fault == "terminal_drop":
                self.terminal.script("drop")  # approved, then the line drops before the answer
            elif fault == "server_down" and self.offline is None:
                self.offline = self.server_unreachable()
                self.offline.__enter__()
            elif fault == "server_up":
                self.server_back()
            yield from self.frames(1)

        def server_back(self) -> None:
            if self.offline is not None:
                self.offline.__exit__(None, None, None)
                self.offline = None

        def sleep(self, seconds: float) -> Script:
            until = now() + seconds
            yield lambda: now() >= until

        # -- invariants --------------------------------------------------------------------

        def check(self) -> None:
            j, app = self.j, self.app
            shown = app.manager.current
            self.screens[str(j.step)] += 1
            if j.step is Step.ATTRACT and j.session is None:
                self.target = None
            if self.target is None and j.step in (Step.FIND, Step.OUT_FIND):  # the guest it plays
                self.target = self.rng.choice(self.arriving if j.step is Step.FIND else self.in_house)
            expected = (
                "out_of_service" if j.step is Step.ATTRACT and app.admin.out_of_service else SCREENS[j.step]
            )
            if shown != expected:
                self.violation("screen", f"{shown!r} shown at step {j.step}")
            if not frame_is_drawn():
                self.violation("drawn", f"the window shows no drawn frame at {self.where()}")
            elif not visible_texts(app.manager.current_screen):
                self.violation("drawn", f"the {shown} screen shows no text at {self.where()}")
            for record in capture.records[self.errors_seen :]:
                if record["level"] in ("ERROR", "CRITICAL"):
                    self.violation("logged", f"{record['logger']}: {record['message']}\n{record['trace']}")
            self.errors_seen = len(capture.records)
            while thread_errors:
                self.violation("thread", thread_errors.pop(0))

        def violation(self, kind: str, detail: str) -> None:
            self.violations.append(
                {"kind": kind, "detail": detail, "action": len(self.trail), "trail": self.trail[-TRAIL_KEPT:]}
            )

        def payments(self) -> dict[str, Any]:
            """After the run: what the terminal approved, against the server and the staff's review."""
            ledger = [
                e for e in self.terminal.state.ledger
                if e["result"] == 0 and e["op"] in ("sale", "preauth", "capture") and not e.get("reversed")
            ]  # fmt: skip
            server = server_payments(database_url)
            on_server = {p["ref"] for p in server}
            journal = payment_journal(app.devices)
            assert journal is not None
            review = {
                str(e.result.receipt_no if e.result else "")
                for e in journal.entries()
                if e.state is not EntryState.RECORDED or e.review_reason
            }
            review |= {p["ref"] for p in server if p["review"]}
            dead = [d.op_id for d in app.office.store.dead_letters()]
            missing = [
                e for e in ledger if str(e["receipt"]) not in on_server and str(e["receipt"]) not in review
            ]
            charged = {str(e["receipt"]) for e in ledger}
            phantom = [p for p in server if p["ref"] not in charged]
            for e in missing:
                self.violation("payment", f"approved on the terminal, unknown to the server and staff: {e}")
            for p in phantom:
                self.violation("payment", f"on the server, not approved on the terminal: {p}")
            return {
                "approved": len(ledger),
                "on_server": len(server),
                "under_review": len(review - {""}),
                "dead_letters": len(dead),
                "missing": len(missing),
                "phantom": len(phantom),
            }

        def summary(self) -> dict[str, Any]:
            return {
                "kinds": dict(self.kinds),
                "faults": dict(self.faults),
                "screens": dict(self.screens),
                "missed_touches": dict(self.missed),
                "warnings": [r for r in capture.records if r["level"] == "WARNING"],
                "last_seen": visible_texts(self.app.root),
                "trail": self.trail,
                "robot_failure": self.failure,
            }

        # -- the run -----------------------------------------------------------------------

        def script(self) -> Script:
            yield from self.settle(Step.ATTRACT)
            started = time.perf_counter()
            for _ in range(actions):
                yield from self.act()
                yield from self.frames(2)
                self.check()
            report["explore_s"] = time.perf_counter() - started
            # Afterwards: the server back, the outbox drained, then kiosk and server compared.
            self.server_back()
            self.printer.set_faults(paper=Paper.OK)
            self.j.end()
            yield from self.settle(Step.ATTRACT)
            drained = threading.Event()
            threading.Thread(
                target=lambda: app._sync.wait_drained(DRAIN_S) and drained.set(), daemon=True
            ).start()
            for _ in range(int(DRAIN_S // 15)):  # in steps shorter than the robot's patience
                until = now() + 15
                yield lambda until=until: drained.is_set() or now() > until
            report["drained"] = drained.is_set()
            store = app.office.store
            report["outbox"] = [
                {"type": op.type, "attempts": op.attempts, "error": op.last_error} for op in store.pending()
            ]
            report["link"] = str(app._sync.link.state)
            if not drained.is_set():
                self.violation(
                    "payment", f"the outbox did not drain in {DRAIN_S:.0f} s: {report['outbox'][:5]}"
                )
            report["payments"] = self.payments()
            self.check()
            report["completed"] = True

    started = time.perf_counter()
    try:
        sims = simulators(step_s=0.02, workdir=report_path.parent)  # a terminal ledger of this run only
        with local_server(settings, fresh=True), sims as (devices, printer, terminal):
            app = KioskApp(settings, devices=devices)
            explorer = Explorer(app, printer, terminal)
            explorer.run(explorer.script())
            app.run()
    finally:
        report["failure"] = "" if report["completed"] else "the app stopped before the explorer finished"
        if "explorer" in locals():
            report.update(explorer.summary())
        report["wall_s"] = time.perf_counter() - started
        report_path.write_text(
            json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
    return 0 if report["completed"] and not report["violations"] else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
