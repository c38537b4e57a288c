"""Kivy set-up that must happen before Kivy is first imported."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kiosk.config import ROOT, KioskSettings


def prepare(settings: KioskSettings) -> None:
    # Kivy would otherwise parse our command line and write its config to the home folder.
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_HOME", str(ROOT / "var" / "kivy"))
    # Every setting Kivy needs is set below: no config.ini is read or written (a fresh one made
    # Kivy warn of an "older configuration version" on every first start).
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    Path(os.environ["KIVY_HOME"]).mkdir(parents=True, exist_ok=True)  # Kivy makes only the last level
    # Kivy logs through Python's logging and leaves stderr alone (tracebacks stay visible).
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    # No clipboard: a kiosk has nothing to copy or paste (and Kivy would look for xclip/xsel).
    os.environ.setdefault("KIVY_CLIPBOARD", "dummy")
    logging.getLogger("kivy").setLevel(logging.WARNING)
    # On Linux Kivy also probes xclip/xsel for the X cut buffer and logs a CRITICAL traceback when
    # neither is installed; with no clipboard that is expected, not a fault to show a technician.
    logging.getLogger("kivy").addFilter(
        lambda record: not record.getMessage().startswith("Cutbuffer: Unable to find any valuable")
    )
    from kivy.config import Config

    k = settings.kiosk
    Config.set("graphics", "width", str(k.window_size[0]))
    Config.set("graphics", "height", str(k.window_size[1]))
    Config.set("graphics", "fullscreen", "auto" if k.fullscreen else "0")
    Config.set("graphics", "show_cursor", "1" if k.show_cursor else "0")
    Config.set("graphics", "rotation", str(k.rotation))
    Config.set("graphics", "multisamples", str(k.multisamples))
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    Config.set("kivy", "log_level", "warning")
    Config.set("kivy", "exit_on_escape", "0" if k.fullscreen else "1")
