"""UI figures of the kiosk under Xvfb, one command: `.venv/bin/python bench/ui_bench.py [--size WxH]`
(default 1920x1080).

- touch on a button -> the next screen drawn (the frame flipped), p50/p95 over screen changes
  that need no server (target p95 <= 100 ms);
- cold start -> the welcome screen drawn, next to a bare Kivy window's start in the same run
  (target <= 3 s); the check-in's screens are then built ahead while the kiosk waits (each one's
  build time is shown), and a screen's first visit is timed after that;
- resident memory of the kiosk after a full check-in (target <= 250 MB), measured as `make run`
  runs it: devices from config/kiosk.toml (the simulated camera at 1280x720, 15 fps), the printer
  and terminal simulators in their own processes; again with the camera turned off (its OpenCV,
  numpy and frames are what a camera costs); and beside them the timing run's process, which
  also holds the printer and terminal simulators;
- machine time of a scripted check-in per step (no think time; the terminal simulator at full
  speed), against a local server on a fresh demo database.

Each app runs in its own process (Kivy runs one app per process); the parent prints the table.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOUCHES = 40


def bare_child() -> None:
    from kivy.config import Config

    width, height = json.loads(os.environ["SAMBUT_KIOSK_KIOSK__WINDOW_SIZE"])
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "multisamples", "0")  # as the kiosk's default
    from kivy.app import App
    from kivy.core.window import Window
    from kivy.uix.label import Label

    started = float(os.environ["BENCH_T0"])

    class Bare(App):
        def build(self) -> Label:
            Window.bind(on_flip=self.flipped)
            return Label(text="bare")

        def flipped(self, *_args: object) -> None:
            print(json.dumps({"drawn_s": time.time() - started}), flush=True)
            Window.unbind(on_flip=self.flipped)
            self.stop()

    Bare().run()


def _memory() -> dict[str, float]:
    """Resident memory of this process in MB: all of it, anonymous (heap, stacks) and file-backed."""
    with open("/proc/self/status") as f:
        status = dict(line.split(":", 1) for line in f)
    return {key: int(status[key].split()[0]) / 1024 for key in ("VmRSS", "RssAnon", "RssFile")}


def kiosk_child(as_configured: bool) -> None:
    """The kiosk through touches and a check-in. ``as_configured``: devices from config/kiosk.toml
    as `make run` starts them (the parent runs the simulators); otherwise in-process simulators
    that answer at full speed, for the timings."""
    started = float(os.environ["BENCH_T0"])
    from kiosk import kivyenv
    from kiosk.config import load_settings

    settings = load_settings()
    kivyenv.prepare(settings)
    from kivy.core.window import Window

    from kiosk.app import KioskApp
    from kiosk.journey.checkin import Step
    from kiosk.robot import Robot, Script, mrz_td3

    figures: dict[str, object] = {}
    marks: list[tuple[str, float]] = []
    visited = {"attract"}

    class Bench(Robot):
        def timed(self, widget: object, *steps: Step) -> Script:
            drawn = self.wait_drawn()
            t0 = time.perf_counter()
            self.press(widget)
            yield lambda: self.j.step in steps and drawn()
            ms = (time.perf_counter() - t0) * 1000
            yield from self.frames(2)  # let the layout settle before the next touch
            # The first visit of a screen also builds it from its .kv (loaded on first use).
            first = steps[0].value not in visited
            visited.add(steps[0].value)
            figures.setdefault("first_ms" if first else "touch_ms", []).append(ms)  # type: ignore[union-attr]
            figures.setdefault("by_screen", {}).setdefault(steps[0].value, []).append(ms)  # type: ignore[union-attr]

        def script(self) -> Script:
            ids = lambda: self.app.manager.current_screen.ids  # noqa: E731
            root = self.app.root.ids
            # A kiosk waits a while for its first guest: the check-in's screens are built by then.
            yield lambda: self.app.prebuilder.done
            figures["prebuild_ms"] = self.app.prebuilder.build_ms
            for _ in range(TOUCHES // 4):
                yield from self.timed(ids().start, Step.FIND)
                yield from self.timed(ids().by_code, Step.ENTER_CODE)
                yield from self.timed(root.back_button, Step.FIND)
                yield from self.timed(root.back_button, Step.ATTRACT)
                yield from self.frames(2)
            # A full check-in, every step as fast as the machine goes.
            j = self.j
            b = self.app.office.search(surname="Santoso", arrival=j.business_date())[0]
            j.subscribe(lambda: marks.append((j.step.value, time.perf_counter())))
            marks.append(("start", time.perf_counter()))
            j.start()
            j.choose(Step.ENTER_CODE)
            j.submit_code(b.confirmation_code, b.guest.surname)
            yield from self.settle(Step.IDENTITY)
            marks.append(("scan", time.perf_counter()))
            self.app.devices["scanner"].feed(mrz_td3(b))
            yield from self.settle(Step.REGISTRATION)
            screen = self.app.manager.current_screen
            screen.accepted = True
            screen.submit()
            yield from self.settle(Step.SIGNATURE)
            pad = self.app.manager.current_screen.ids.pad
            pad.signed = True
            with pad.canvas:
                from kivy.graphics import Line

                Line(points=[0, 0, pad.width, pad.height])
            self.app.manager.current_screen.submit()
            yield from self.settle(Step.ROOM)
            j.room_seen()
            yield from self.settle(Step.PAYMENT)
            j.pay()
            yield from self.settle(Step.FINISH)
            marks.append(("end", time.perf_counter()))
            figures["memory_finish"] = _memory()
            # The guest leaves: the kiosk is back at its welcome screen, as it waits for the next.
            j.end()
            yield from self.settle(Step.ATTRACT)
            until = time.monotonic() + 2.0
            yield lambda: time.monotonic() >= until
            figures["memory"] = _memory()

    with ExitStack() as stack:
        if as_configured:
            app = KioskApp(settings)
        else:
            from kiosk.tour import simulators  # not as configured: the kiosk does not load them

            devices, _printer, _terminal = stack.enter_context(simulators(step_s=0.0))
            app = KioskApp(settings, devices=devices)
        bench = Bench(app)

        def first_flip(*_args: object) -> None:
            if app.journey.step is Step.ATTRACT and app.manager.current == "attract":
                figures["attract_drawn_s"] = time.time() - started
                Window.unbind(on_flip=first_flip)

        Window.bind(on_flip=first_flip)
        bench.run(bench.script())
        app.run()
    figures["failure"] = bench.failure
    figures["marks"] = marks
    print(json.dumps(figures), flush=True)


def _child(mode: str, env: dict[str, str]) -> dict:
    env = {**env, "KIVY_NO_ARGS": "1", "BENCH_T0": repr(time.time())}
    out = subprocess.run(
        [sys.executable, __file__, mode], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


def _mb(run: dict, when: str = "memory") -> str:
    return f"{run[when]['VmRSS']:.0f} MB"


def _split(run: dict, when: str = "memory") -> str:
    return f"{run[when]['RssAnon']:.0f} / {run[when]['RssFile']:.0f}"


def _steps(marks: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Time spent in each state of the scripted check-in (consecutive repeats merged)."""
    marks = marks[: [name for name, _t in marks].index("end") + 1]  # not the way back to welcome
    rows: list[tuple[str, float]] = []
    for (name, t), (_next, t_next) in pairwise(marks):
        if rows and rows[-1][0] == name:
            rows[-1] = (name, rows[-1][1] + (t_next - t) * 1000)
        else:
            rows.append((name, (t_next - t) * 1000))
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(size: str) -> int:
    from kiosk.display import has_display, xvfb_command

    if not has_display():
        wrapped = xvfb_command([sys.executable, __file__, *sys.argv[1:]])
        if wrapped is None:
            print("needs a display or Xvfb", file=sys.stderr)
            return 2
        return subprocess.call(wrapped)
    from kiosk.config import load_settings
    from kiosk.devstack import local_server, simulators

    tmp = Path(tempfile.mkdtemp(prefix="ui-bench-"))
    port = _free_port()
    env = {
        **os.environ,
        "SAMBUT_SERVER_SERVER__DATABASE_URL": f"sqlite:///{tmp}/fo.sqlite3",
        "SAMBUT_KIOSK_SERVER__URL": f"http://127.0.0.1:{port}",
        "SAMBUT_KIOSK_SERVER__TOKEN_FILE": str(tmp / "kiosk.token"),
        "SAMBUT_KIOSK_STORE__PATH": str(tmp / "kiosk.sqlite3"),
        "SAMBUT_KIOSK_KIOSK__WINDOW_SIZE": json.dumps([int(v) for v in size.split("x")]),
    }
    os.environ.update(env)
    bare = [_child("--bare", env)["drawn_s"] for _ in range(3)]
    with local_server(load_settings(), fresh=True):
        kiosk = _child("--kiosk", env)
    # As `make run`: the simulators the config points at, on free ports, in their own processes.
    # Each run its own store and journals: nothing left over from another run or from `make run`.
    runs: dict[str, dict] = {}
    for name, camera in (("configured", "true"), ("no_camera", "false")):
        for device in ("RECEIPT", "CARD_TERMINAL"):
            os.environ[f"SAMBUT_KIOSK_DEVICES__{device}__OPTIONS__PORT"] = str(_free_port())
            journal = tmp / f"{name}-{device.lower()}.sqlite3"
            os.environ[f"SAMBUT_KIOSK_DEVICES__{device}__OPTIONS__JOURNAL_PATH"] = str(journal)
        os.environ["SAMBUT_KIOSK_STORE__PATH"] = str(tmp / f"kiosk-{name}.sqlite3")
        os.environ["SAMBUT_KIOSK_DEVICES__CAMERA__ENABLED"] = camera
        with local_server(load_settings(), fresh=True), simulators(load_settings()):
            runs[name] = _child("--kiosk-config", dict(os.environ))
    configured = runs["configured"]
    for run in (kiosk, *runs.values()):
        if run["failure"]:
            raise SystemExit(f"scripted check-in failed: {run['failure']}")
    touch = kiosk["touch_ms"]
    p95 = statistics.quantiles(touch, n=20)[18]
    rows = [
        ("touch -> next screen drawn, p50", f"{statistics.median(touch):.1f} ms", ""),
        (
            f"touch -> next screen drawn, p95 ({len(touch)} touches, screens built)",
            f"{p95:.1f} ms",
            "<= 100 ms",
        ),
        ("touch -> a screen's first visit drawn (built ahead), max", f"{max(kiosk['first_ms']):.1f} ms", ""),
        ("a screen built ahead while waiting, max", f"{max(kiosk['prebuild_ms'].values()):.0f} ms", ""),
        ("cold start -> welcome screen drawn (kiosk)", f"{kiosk['attract_drawn_s']:.2f} s", "<= 3 s"),
        ("cold start -> first frame (bare Kivy window, best of 3)", f"{min(bare):.2f} s", ""),
        ("resident memory, as `make run`, back at welcome after a check-in", _mb(configured), "<= 250 MB"),
        ("  of it anonymous / file-backed", _split(configured), ""),
        ("  the same, at the check-in's last screen", _mb(configured, "memory_finish"), ""),
        ("  the same without a camera (the MRZ scanner only), back at welcome", _mb(runs["no_camera"]), ""),
        ("resident memory, simulators in the process, back at welcome", _mb(kiosk), ""),
        ("  the same, at the check-in's last screen", _mb(kiosk, "memory_finish"), ""),
    ]
    for screen, values in sorted(kiosk["by_screen"].items()):
        rows.append((f"  touch -> {screen} drawn, median", f"{statistics.median(values):.1f} ms", ""))
    total = 0.0
    for name, ms in _steps(kiosk["marks"]):
        if name in ("start", "end"):
            name = "tap 'Check in' to code search" if name == "start" else name
        if name != "end":
            rows.append((f"check-in step: {name}", f"{ms:.0f} ms", ""))
            total += ms
    rows.append(("check-in, whole (machine time)", f"{total:.0f} ms", ""))
    width = max(len(r[0]) for r in rows)
    print(f"window {size}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'figure':<{width}}  {'value':>10}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--bare"]:
        bare_child()
    elif sys.argv[1:] == ["--kiosk"]:
        kiosk_child(as_configured=False)
    elif sys.argv[1:] == ["--kiosk-config"]:
        kiosk_child(as_configured=True)
    else:
        sys.exit(main(sys.argv[sys.argv.index("--size") + 1] if "--size" in sys.argv else "1920x1080"))
