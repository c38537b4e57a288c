"""Build kiosk screens, overlays, admin pages and shared widgets in a fresh Kivy process, and draw
a frame after each: nothing of ours is loaded first but the app itself (its shared base.kv).

Run by tests/ui/test_builds_alone.py. With one module it is built alone; with several, they are
built one after another in the given order, in this one process.
Usage: python tests/ui/alone_app.py REPORT.json MODULE [MODULE ...]
Writes {"built": [module, ...], "failures": {module: traceback}, "frames": n}.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk import kivyenv  # noqa: E402
from kiosk.config import load_settings  # noqa: E402

SCREENS = ROOT / "kiosk" / "screens"
# The kv files a module loads besides its own, and the widgets its Python makes from kv by name:
# widget("AdminTab", ...), Factory.AdminTab().
KV_LOADED = re.compile(r"""HERE / ["'](\w+\.kv)["']""")
BY_NAME = re.compile(r"""widget\(\s*["'](\w+)["']|Factory\.(\w+)""")
# Our modules loaded with the app itself, before any screen.
SHARED = {"kiosk.screens.base", "kiosk.screens.admin_mode"}
PRELOAD = (
    "kivy.app", "kivy.lang", "kivy.factory", "kivy.graphics", "kivy.uix.behaviors", "kivy.uix.boxlayout",
    "kivy.uix.floatlayout", "kivy.uix.image", "kivy.uix.label", "kivy.uix.relativelayout",
    "kivy.uix.screenmanager", "kivy.uix.scrollview", "kivy.uix.stacklayout", "kiosk.admin.services",
    "kiosk.admin.setup", "kiosk.admin.unlock", "kiosk.devices", "kiosk.frontdesk", "kiosk.journey.checkin",
    "kiosk.i18n.live", "kiosk.sync",
)  # fmt: skip


def kv_classes(module: str) -> tuple[list[str], set[str]]:
    """The classes the module's kv files give rules to (in order), and every class its kv and Python
    name: rules, dynamic classes and their bases, the widgets of every rule's tree, and what the
    Python makes by name."""
    from kivy.lang.parser import Parser

    source = (SCREENS / f"{module}.py").read_text(encoding="utf-8")
    ruled: list[str] = []
    named = {a or b for a, b in BY_NAME.findall(source)}
    for kv in dict.fromkeys([f"{module}.kv", *KV_LOADED.findall(source)]):
        if not (SCREENS / kv).exists():
            continue
        parser = Parser(content=(SCREENS / kv).read_text(encoding="utf-8"))
        for _selector, rule in parser.rules:
            head = re.findall(r"\w+", rule.name)  # <Name> or <Name@Base+Base>
            ruled.append(head[0])
            named.update(head)
            stack = list(rule.children)
            while stack:
                child = stack.pop()
                named.add(child.name)
                stack.extend(child.children)
    return ruled, {n for n in named if n[0].isupper()}


def build(settings: Any, report_path: Path, modules: list[str]) -> int:
    """Build ``modules`` one after another in this process, then write the report."""
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.factory import Factory
    from kivy.lang import Builder
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.floatlayout import FloatLayout
    from kivy.uix.screenmanager import NoTransition, ScreenManager

    from kiosk.app import KioskApp
    from kiosk.screens.base import setup_text
    from tests.ui.camera_app import Office

    report: dict[str, Any] = {"built": [], "failures": {}, "frames": 0}
    todo = list(modules)
    # Nothing of ours is loaded yet but the app and what every screen shares.
    ours = [m for m in sys.modules if m.startswith("kiosk.screens.")]
    kv = [Path(f).name for f in Builder.files if Path(f).is_relative_to(SCREENS)]
    assert set(ours) <= SHARED and kv == ["base.kv"], f"loaded before the builds: {ours} {kv}"

    class Alone(KioskApp):
        """The kiosk app with nothing built at start: each module is built on its own."""

        def build(self) -> Any:
            setup_text()
            Window.clearcolor = self.theme.background
            self.root_widget = FloatLayout()
            self.manager = ScreenManager(transition=NoTransition())
            self.root_widget.add_widget(self.manager)
            Clock.schedule_once(self.next_module, 0)
            return self.root_widget

        def next_module(self, _dt: float) -> None:
            if not todo:
                self.stop()
                return
            module = todo.pop(0)
            try:
                self.build_module(module)
                report["built"].append(module)
            except Exception:
                report["failures"][module] = traceback.format_exc()
            # The frame with it is drawn at the end of this tick; look at it on the next one.
            Clock.schedule_once(lambda _dt: self.drawn(module), 0)

        def drawn(self, _module: str) -> None:
            report["frames"] += 1
            for widget in list(self.root_widget.children):
                if widget is not self.manager:
                    self.root_widget.remove_widget(widget)
            Clock.schedule_once(self.next_module, 0)

        def build_module(self, module: str) -> None:
            code = importlib.import_module(f"kiosk.screens.{module}")
            ruled, named = kv_classes(module)
            unknown = []
            for name in sorted(named):
                try:
                    Factory.get(name)
                except Exception as exc:
                    unknown.append(f"{name}: {exc}")
            if unknown:
                raise LookupError(f"{module}: unknown classes: " + "; ".join(unknown))
            if hasattr(code, "SCREEN"):
                screen = code.SCREEN(name=module)
                self.manager.add_widget(screen)
                self.manager.current = module
            if hasattr(code, "OVERLAY"):
                cls = code.OVERLAY
                overlay = cls(controller=self.admin) if hasattr(cls, "controller") else cls()
                self.root_widget.add_widget(overlay)
                overlay.refresh()
            own = (getattr(code, "SCREEN", None), getattr(code, "OVERLAY", None))
            holder = BoxLayout()  # every other widget its kv styles (rows, keys, columns), made too
            for name in ruled:
                if Factory.get(name) not in own:
                    holder.add_widget(Factory.get(name)())
            self.root_widget.add_widget(holder)

    app = Alone(settings, office=Office(), devices={})
    try:
        app.run()
    except Exception:
        report["failures"]["(drawing)"] = traceback.format_exc()
    report["in_use"] = in_use()
    report_path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 1 if report["failures"] else 0


def in_use() -> list[str]:
    """The modules the app builds: a screen per journey step, the overlays, admin mode's PIN pad,
    its layer and every page."""
    from kiosk.app import OVERLAYS, SCREENS
    from kiosk.screens.admin_layer import PAGES

    pages = [module for module, _label, _role in PAGES]
    return sorted({*SCREENS.values(), *OVERLAYS.values(), *pages, "admin_layer", "admin_pin"})


def preload() -> None:
    """What every child would import anyway, imported once before forking: Kivy's widgets and our
    plain-Python layers; not Kivy's window, and not one screen or kv file of ours."""
    for name in PRELOAD:
        importlib.import_module(name)
    early = [m for m in sys.modules if m == "kivy.core.window" or m.startswith("kiosk.screens")]
    assert not early, f"loaded before the builds: {early}"


def each(settings: Any, report_path: Path, modules: list[str]) -> int:
    """Each module in a process of its own, forked from this one."""
    preload()
    report: dict[str, Any] = {"built": [], "failures": {}, "frames": 0}
    for module in modules:
        part = report_path.with_name(f"{report_path.stem}.{module}.json")
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = build(settings, part, [module])
            finally:
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        if not part.exists():
            report["failures"][module] = f"the process building it ended with status {status} and no report"
            continue
        got = json.loads(part.read_text(encoding="utf-8"))
        report["built"] += got["built"]
        report["failures"].update(got["failures"])
        report["frames"] += got["frames"]
    report_path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 1 if report["failures"] else 0


def main(report_path: Path, mode: str, modules: list[str]) -> int:
    settings = load_settings()
    kivyenv.prepare(settings)
    return (each if mode == "--each" else build)(settings, report_path, modules)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:]))
