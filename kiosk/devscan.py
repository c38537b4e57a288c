"""`make run`'s ID scanner: the simulated scanner reads from a loopback port, and a confirmation
code typed in the terminal makes it read that guest's passport (the zone an issuer would print
for the booking's guest), as if the guest held it to the scanner."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from drivers.idscan.scanner_sim import ScannerSimulator
from kiosk.config import KioskSettings
from kiosk.devstack import Arrival
from kiosk.frontdesk import Booking
from kiosk.serverapi import ServerClient, ServerError

HOW = (
    "Identity on the simulators: when the kiosk asks for the passport, type the confirmation code"
    " here and press Enter (the simulated scanner reads that guest's passport); add a surname to"
    " read someone else's (a passport that does not match)."
)


def passport_scan(settings: KioskSettings, code: str, surname: str, holder: str = "") -> str:
    """The MRZ of the passport of the guest booked under ``code`` and ``surname`` (of ``holder``
    instead, when given: a passport that does not match the booking)."""
    from kiosk.robot import mrz_td3  # Kivy is set up by now (the kiosk window is open)

    client = ServerClient(settings)
    try:
        found = client.request(
            "POST", "/api/v1/reservations/search", json={"confirmation_code": code, "surname": surname}
        )["matches"]
    finally:
        client.close()
    if not found:
        raise LookupError(f"no booking {code} for {surname}")
    return mrz_td3(Booking.parse(found[0]), surname=holder)


def _serve(settings: KioskSettings, sim: ScannerSimulator, arrivals: list[Arrival], lines: TextIO) -> None:
    surnames = {a.code.upper(): a.surname for a in arrivals}
    for line in lines:
        code, _, other = line.strip().partition(" ")
        if not code:
            continue
        surname = surnames.get(code.upper(), "")
        if not surname:
            print(f"scanner: no arrival today has the code {code.upper()}", flush=True)
            continue
        try:
            sim.send(passport_scan(settings, code, surname, other).encode())
            print(f"scanner: read the passport of booking {code.upper()}", flush=True)
        except (LookupError, ServerError, ConnectionError) as exc:
            print(f"scanner: nothing read ({exc})", flush=True)


@contextmanager
def terminal_passports(
    settings: KioskSettings, arrivals: list[Arrival], lines: TextIO = sys.stdin
) -> Iterator[str]:
    """Point the simulated scanner at a loopback simulator fed from ``lines``; yields how to use
    it ("" when no simulated scanner is configured)."""
    section = settings.devices.get("scanner")
    if section is None or not section.enabled or (section.kind, section.driver) != ("scanner", "sim"):
        yield ""
        return
    sim = ScannerSimulator()
    section.options["port"] = f"socket://127.0.0.1:{sim.port}"
    threading.Thread(
        target=_serve, args=(settings, sim, arrivals, lines), name="dev-passports", daemon=True
    ).start()
    try:
        yield HOW
    finally:
        sim.close()
