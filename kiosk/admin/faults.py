"""What a device fault means to the person in front of the kiosk, and what to do about it.

Drivers and the OS speak in their own words (``NoBackendError``, ``[Errno 111] Connection
refused``); staff and technicians get a short message in their language and a way forward, and the
raw detail stays in the logs and the diagnostics. Plain Python: the admin screens translate the
msgid this returns.
"""

from __future__ import annotations

import errno
import re
import socket

from drivers.base import DeviceBusyError, DeviceTimeoutError, NoHardwareError
from kiosk.i18n import N_

NO_USB_BACKEND = N_(
    "This kiosk has no USB system library (libusb), so it cannot reach USB devices. Install "
    "libusb-1.0-0, or connect the device by network or serial, then test again."
)
REFUSED = N_(
    "Nothing answers at that address and port. Check that the device is switched on and connected, "
    "and that the address and port are right, then test again."
)
UNREACHABLE = N_(
    "That address cannot be reached from this kiosk. Check the network cable and the address, "
    "then test again."
)
NO_PORT = N_("That port does not exist on this kiosk. Check the cable, or choose another port from the list.")
NO_PERMISSION = N_(
    "This kiosk is not allowed to open that port. Install the kiosk's device rules (deploy/) or add "
    "its user to the dialout group, then test again."
)
TIMEOUT = N_(
    "The device did not answer in time. Check that it is switched on and its cable or network, "
    "then test again."
)
NOT_FOUND = N_(
    "No device was found on that connection. Check its cable and power, or choose another connection."
)
BUSY = N_("The device is busy with another job or another program. Wait a moment, then test again.")
INVALID = N_("A setting is not valid for this driver. Change the settings and test again.")
OTHER = N_(
    "The device did not pass the test. Check its cable and power and test again; the details are in "
    "the logs and the diagnostics."
)

_ERRNO = {
    errno.ECONNREFUSED: REFUSED,
    errno.ECONNRESET: REFUSED,
    errno.EHOSTUNREACH: UNREACHABLE,
    errno.ENETUNREACH: UNREACHABLE,
    errno.ENOENT: NO_PORT,
    errno.ENODEV: NO_PORT,
    errno.ENXIO: NO_PORT,
    errno.EACCES: NO_PERMISSION,
    errno.EPERM: NO_PERMISSION,
    errno.EBUSY: BUSY,
    errno.ETIMEDOUT: TIMEOUT,
}
# The same faults as a driver reports them in words, once they have been turned into a reason.
_TEXT = (
    (re.compile(r"NoBackendError|No backend available", re.I), NO_USB_BACKEND),
    (re.compile(r"\[Errno (\d+)\]"), None),  # looked up in _ERRNO
    (re.compile(r"connection refused", re.I), REFUSED),
    (re.compile(r"name or service not known|no route to host|network is unreachable", re.I), UNREACHABLE),
    (re.compile(r"permission denied", re.I), NO_PERMISSION),
    (re.compile(r"no such file or directory|could not open port", re.I), NO_PORT),
    (re.compile(r"\btimeout\b|timed out", re.I), TIMEOUT),
    (re.compile(r"\bbusy\b", re.I), BUSY),
    (re.compile(r"\bno_hardware\b|not found", re.I), NOT_FOUND),
    (re.compile(r"validation error|unknown driver", re.I), INVALID),
)


def advice(fault: BaseException | str) -> str:
    """The msgid that says what ``fault`` means and what to do (never the raw text)."""
    return known(fault) or OTHER


def known(fault: BaseException | str) -> str:
    """``advice`` for a fault it recognises, else "" (a driver's own words, such as "paper out",
    are then shown as they are)."""
    if isinstance(fault, BaseException):
        for exc in _chain(fault):
            found = _of_exception(exc)
            if found:
                return found
        fault = f"{type(fault).__name__}: {fault}"
    for pattern, meaning in _TEXT:
        match = pattern.search(fault)
        if match is None:
            continue
        found = _ERRNO.get(int(match.group(1))) if meaning is None else meaning
        if found:
            return found
    return ""


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return seen


def _of_exception(exc: BaseException) -> str:
    if type(exc).__name__ == "NoBackendError":  # pyusb's, without importing pyusb here
        return NO_USB_BACKEND
    if isinstance(exc, socket.gaierror):
        return UNREACHABLE
    if isinstance(exc, OSError) and exc.errno in _ERRNO:
        return _ERRNO[exc.errno]
    if isinstance(exc, TimeoutError | DeviceTimeoutError):
        return TIMEOUT
    if isinstance(exc, DeviceBusyError):
        return BUSY
    if isinstance(exc, NoHardwareError):
        return NOT_FOUND if "NoBackendError" not in str(exc) else NO_USB_BACKEND
    return ""
