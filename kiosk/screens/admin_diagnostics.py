"""Technician: write a diagnostics bundle (config with secrets redacted, device states, recent
logs, the audit's tail, versions) to the kiosk's folder or a USB stick that is plugged in."""

from __future__ import annotations

import getpass
from pathlib import Path

from kivy.properties import BooleanProperty, StringProperty

from kiosk.admin.devicemanager import describe
from kiosk.i18n.live import tr
from kiosk.screens.admin_layer import AdminPage, widget

# Where desktop Linux and udisks mount USB sticks.
MOUNT_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


def usb_folders() -> list[Path]:
    found = []
    for root in MOUNT_ROOTS:
        for level in (root, root / getpass.getuser()):
            try:
                found += [p for p in level.iterdir() if p.is_dir() and p.is_mount()]
            except OSError:
                continue
    return sorted(set(found))


class AdminDiagnosticsPage(AdminPage):
    folder = StringProperty("")
    message = StringProperty("")
    error = BooleanProperty(False)
    busy = BooleanProperty(False)

    def refresh(self) -> None:
        settings = self.ctl.app.settings
        folders = [settings.resolve(settings.admin.diagnostics_dir), *usb_folders()]
        if self.folder not in map(str, folders):
            self.folder = str(folders[0])
        box = self.ids.folders
        box.clear_widgets()
        for i, folder in enumerate(folders):
            label = str(folder) if i == 0 else tr._("USB stick: {path}").format(path=folder)
            choice = widget("AdminChoice", text=label, selected=str(folder) == self.folder)
            choice.folder = str(folder)
            choice.bind(on_press=lambda c: self.choose(c.folder))
            box.add_widget(choice)

    def choose(self, folder: str) -> None:
        self.folder = folder
        self.refresh()

    def write(self) -> None:
        self.busy = True
        self.message = tr._("Writing…")
        folder = Path(self.folder)
        self.ctl.run(lambda: self.ctl.services.write_diagnostics(folder), self._written)

    def _written(self, path: Path | None, error: BaseException | None) -> None:
        self.busy = False
        if path is None:
            self.message, self.error = (
                tr._("Not written: {reason}").format(reason=describe(error) if error else ""),
                True,
            )
            return
        size = path.stat().st_size // 1024 + 1
        self.message, self.error = tr._("Written: {path} ({size} KB)").format(path=path, size=size), False


SCREEN = AdminDiagnosticsPage
AdminDiagnosticsPage.load_kv(__file__)
