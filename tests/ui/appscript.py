"""What the scripted app runs (tests/ui/*_app.py) share: a robot that notes what a screen said in
the run's JSON report, and the run that writes that report. Imports Kivy: import it after
``kivyenv.prepare``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kivy.core.window import Window
from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

from kiosk.robot import Robot, visible_texts

SAMPLE = 997  # every how many pixels frame_is_drawn looks


class Reporter(Robot):
    def __init__(self, app: Any, report: dict[str, Any]) -> None:
        super().__init__(app)
        self.report = report

    def screen(self) -> Any:
        return self.app.manager.current_screen

    def said(self, name: str) -> None:
        """Note every text on screen under ``name`` (each time it is said)."""
        self.report.setdefault(name, []).append(" | ".join(visible_texts(self.app.root)))

    @contextmanager
    def server_unreachable(self) -> Iterator[None]:
        """Within the block the central server is out of reach: the kiosk's front desk and its sync
        worker look where nothing listens. Spans the script's yields."""
        clients = [self.app.office.client._http, self.app._sync.client._http]
        real_url = clients[0].base_url
        for http in clients:
            http.base_url = "http://127.0.0.1:9"
        try:
            yield
        finally:
            for http in clients:
                http.base_url = real_url


def run_and_report(app: Any, robot: Reporter, report_path: Path) -> int:
    """Run the robot's script in the app, then write the report, with the failure if there was one
    and, then, what the last screen said."""
    robot.run(robot.script())  # type: ignore[attr-defined]
    try:
        app.run()
    finally:
        robot.report["failure"] = robot.failure
        if robot.failure:
            robot.report["last_seen"] = visible_texts(app.root)
        report_path.write_text(json.dumps(robot.report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if robot.failure else 0


def frame_is_drawn() -> bool:
    """The window holds a drawn frame: more than one colour among a sample of its pixels (a window
    nothing was drawn into, or one left black, has one)."""
    width, height = Window.size
    pixels = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
    return len({pixels[i : i + 3] for i in range(0, len(pixels), 4 * SAMPLE)}) > 1
