"""Drive the real app through its screens and save one PNG per screen, plus a contact sheet."""

from __future__ import annotations

import html
import json
from pathlib import Path

from kivy.clock import Clock
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.app import KioskApp
from kiosk.config import KioskSettings

# Longest wait for a screen to settle before it is photographed anyway (a loaded CI machine is slow).
SETTLE_S = 60.0


def run(settings: KioskSettings, outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    app = KioskApp(settings)
    shots: list[Path] = []
    texts: dict[str, list[str]] = {}
    waited = 0.0

    def shoot(name: str) -> None:
        path = outdir / f"{len(shots) + 1:02d}-{name}.png"
        app.root.export_to_png(str(path))
        shots.append(path)
        texts[path.name] = visible_texts(app.root)

    def poll(dt: float) -> None:
        nonlocal waited
        waited += dt
        if not app.settled.is_set() and waited < SETTLE_S:
            return
        Clock.unschedule(poll)
        # One more frame so the new text is drawn before the picture is taken.
        Clock.schedule_once(lambda _dt: (shoot("status"), app.stop()), 0.2)

    Clock.schedule_interval(poll, 0.1)
    app.run()
    _contact_sheet(outdir, shots)
    # What each screen said, so tests can check the screens without reading pixels.
    (outdir / "screens.json").write_text(json.dumps(texts, ensure_ascii=False, indent=2), encoding="utf-8")
    return shots


def visible_texts(root: Widget) -> list[str]:
    return [w.text for w in root.walk() if isinstance(w, Label) and w.text and w.opacity > 0]


def _contact_sheet(outdir: Path, shots: list[Path]) -> None:
    cells = "\n".join(
        f'<figure><img src="{html.escape(p.name)}" width="480">'
        f"<figcaption>{html.escape(p.stem)}</figcaption></figure>"
        for p in shots
    )
    (outdir / "index.html").write_text(
        f"<!doctype html><meta charset=utf-8><title>Sambut tour</title>"
        f"<style>body{{font-family:sans-serif;display:flex;flex-wrap:wrap;gap:16px}}</style>\n{cells}\n",
        encoding="utf-8",
    )
