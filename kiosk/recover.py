"""What happens when something in the kiosk's UI raises: Kivy's event loop would stop and the
kiosk close in front of the guest (a screen whose kv fails to build did exactly that).

Installed as Kivy's exception handler, ``Recovery`` logs the error with its traceback and lets the
loop go on; ``on_error`` (the app: the journey's apology, with a way on) runs on the next Clock
tick. Payments are safe either way: the terminal's journal holds every approved result, and the
sync worker hands it to the server whatever the screen did. An error that keeps coming back (the
apology itself failing) ends the process after all, logged, for the service to restart it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kivy.base import ExceptionHandler, ExceptionManager

log = logging.getLogger(__name__)
LIMIT = 3  # errors within WINDOW_S before the kiosk gives up and exits
WINDOW_S = 30.0


class Recovery(ExceptionHandler):  # type: ignore[misc]
    def __init__(
        self,
        on_error: Callable[[], None],
        *,
        where: Callable[[], str] = lambda: "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._on_error, self._where, self._clock = on_error, where, clock
        self._recent: list[float] = []

    def handle_exception(self, exc: BaseException) -> int:
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: stop as asked
            return ExceptionManager.RAISE
        now = self._clock()
        self._recent = [t for t in self._recent if now - t < WINDOW_S] + [now]
        where = self._where()
        if len(self._recent) > LIMIT:
            log.critical("kiosk UI error again (%s), %d within %.0f s: stopping", where, LIMIT + 1, WINDOW_S)
            return ExceptionManager.RAISE
        log.error("kiosk UI error (%s); the guest is shown an apology", where, exc_info=exc)
        try:
            self._on_error()
        except Exception:
            log.exception("the apology could not be shown")
            return ExceptionManager.RAISE
        return ExceptionManager.PASS
