"""What is plugged in: serial ports, USB printers and cameras, found without opening any of them.

Every probe tolerates its subsystem being absent (no /dev/serial, no libusb, no permission), and
says so in ``problems`` rather than failing. OpenCV is not imported: cameras come from /dev/video*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SERIAL_BY_ID = Path("/dev/serial/by-id")
VIDEO4LINUX = Path("/sys/class/video4linux")
USB_CLASS_PRINTER = 7


@dataclass(frozen=True)
class SerialPort:
    device: str
    stable_path: str | None  # /dev/serial/by-id/...: survives replugging, use it in kiosk.toml
    vid: int | None
    pid: int | None
    description: str


@dataclass(frozen=True)
class UsbPrinter:
    vid: int
    pid: int
    bus: int
    address: int
    product: str | None


@dataclass(frozen=True)
class Camera:
    device: str
    name: str


@dataclass
class Discovery:
    serial_ports: list[SerialPort] = field(default_factory=list)
    usb_printers: list[UsbPrinter] = field(default_factory=list)
    cameras: list[Camera] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _stable_paths(by_id: Path) -> dict[str, str]:
    """Real device path -> its /dev/serial/by-id link."""
    if not by_id.is_dir():
        return {}
    return {str(link.resolve()): str(link) for link in sorted(by_id.iterdir())}


def serial_ports(by_id: Path = SERIAL_BY_ID) -> list[SerialPort]:
    from serial.tools import list_ports

    stable = _stable_paths(by_id)
    return [
        SerialPort(p.device, stable.get(str(Path(p.device).resolve())), p.vid, p.pid, p.description or "")
        for p in sorted(list_ports.comports(), key=lambda p: p.device)
    ]


def _is_printer(device: object) -> bool:
    if getattr(device, "bDeviceClass", None) == USB_CLASS_PRINTER:
        return True
    try:
        return any(i.bInterfaceClass == USB_CLASS_PRINTER for cfg in device for i in cfg)  # type: ignore[attr-defined]
    except Exception:  # descriptors we may not read: not known to be a printer
        return False


def usb_printers() -> tuple[list[UsbPrinter], str | None]:
    """USB printer-class devices, and why the search could not run if it could not."""
    try:
        import usb.core
        import usb.util

        devices = list(usb.core.find(find_all=True, custom_match=_is_printer))
    except Exception as exc:  # NoBackendError without libusb, USBError without permission
        return [], f"USB: {type(exc).__name__}: {exc}"
    found = []
    for dev in devices:
        try:
            product = usb.util.get_string(dev, dev.iProduct) if dev.iProduct else None
        except Exception:  # reading strings needs access to the device
            product = None
        found.append(UsbPrinter(dev.idVendor, dev.idProduct, dev.bus, dev.address, product))
    return found, None


def cameras(dev: Path = Path("/dev"), sysfs: Path = VIDEO4LINUX) -> list[Camera]:
    found = []
    for node in sorted(dev.glob("video*")):
        name_file = sysfs / node.name / "name"
        name = name_file.read_text().strip() if name_file.exists() else ""
        found.append(Camera(str(node), name))
    return found


def discover() -> Discovery:
    result = Discovery()
    try:
        result.serial_ports = serial_ports()
    except OSError as exc:
        result.problems.append(f"serial: {exc}")
    result.usb_printers, problem = usb_printers()
    if problem:
        result.problems.append(problem)
    result.cameras = cameras()
    return result


def _usb_id(vid: int | None, pid: int | None) -> str:
    return "" if vid is None or pid is None else f"{vid:04x}:{pid:04x}"


def format_report(found: Discovery) -> str:
    lines = ["Serial ports:"]
    for p in found.serial_ports:
        usb_id = _usb_id(p.vid, p.pid)
        lines.append(f"  {p.stable_path or p.device}  {usb_id}  {p.description}".rstrip())
        if p.stable_path:
            lines.append(f"    -> {p.device}")
    lines += ["  none found"] if not found.serial_ports else []
    lines.append("USB printers:")
    for u in found.usb_printers:
        lines.append(f"  {_usb_id(u.vid, u.pid)}  bus {u.bus} device {u.address}  {u.product or ''}".rstrip())
    lines += ["  none found"] if not found.usb_printers else []
    lines.append("Cameras:")
    lines += [f"  {c.device}  {c.name}".rstrip() for c in found.cameras] or ["  none found"]
    if found.problems:
        lines.append("Could not look everywhere:")
        lines += [f"  {p}" for p in found.problems]
    return "\n".join(lines)
