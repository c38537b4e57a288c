"""Device commands: `devices list`, `devices test NAME`, and the virtual printer `printer-sim`.

Heavy modules are imported inside the commands so `python main.py --help` stays fast. This is the
one place in `drivers` allowed to read the kiosk's config.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    devices = sub.add_parser("devices", help="list attached devices or test a configured one")
    dsub = devices.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    p = dsub.add_parser("list", help="serial ports (by-id paths), USB printers and cameras")
    p.set_defaults(func=_devices_list)
    p = dsub.add_parser(
        "test", help="open a device from config/kiosk.toml, report its health; printers print a test page"
    )
    p.add_argument("name", help="the NAME of a [devices.NAME] section")
    p.set_defaults(func=_devices_test)

    p = sub.add_parser("printer-sim", help="run the virtual receipt printer on TCP (renders receipts to PNG)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=9100, help="TCP port (default: %(default)s)")
    p.add_argument(
        "--out", type=Path, default=Path("var/receipts"), help="where PNGs go (default: %(default)s)"
    )
    p.add_argument("--profile", choices=["80mm", "58mm"], default="80mm", help="paper (default: %(default)s)")
    p.add_argument("--paper", choices=["ok", "near_end", "out"], default="ok", help="paper sensor state")
    p.add_argument("--cover-open", action="store_true", help="report the cover open and print nothing")
    p.add_argument("--offline", action="store_true", help="answer nothing and print nothing")
    p.add_argument("--garbled", action="store_true", help="answer status requests with garbage")
    p.set_defaults(func=_printer_sim)


def _devices_list(args: argparse.Namespace) -> int:
    from drivers.discovery import discover, format_report

    print(format_report(discover()))
    return 0


def _devices_test(args: argparse.Namespace) -> int:
    from drivers import registry
    from drivers.base import DeviceError
    from kiosk.config import load_settings

    settings = load_settings()
    section = settings.devices.get(args.name)
    if section is None:
        known = ", ".join(sorted(settings.devices)) or "none"
        print(f"no device {args.name!r} in the kiosk config (configured: {known})", file=sys.stderr)
        return 2
    device = registry.create(section.kind, section.driver, args.name, section.options)
    print(f"{args.name}: {section.kind}/{section.driver}")
    try:
        device.start().result(timeout=30)
        report = device.check_health().result(timeout=30)
        print(f"health: {report.health.value}" + (f" ({report.reason})" if report.reason else ""))
        if section.kind == "printer":
            result = device.print_test_page().result(timeout=60)  # type: ignore[attr-defined]
            print(f"test page: {result.outcome.value}, {result.bytes_sent} bytes in {result.seconds:.2f} s")
    except DeviceError as exc:
        print(f"failed: {exc.code}: {exc}", file=sys.stderr)
        return 1
    finally:
        device.shutdown()
    return 0


def _printer_sim(args: argparse.Namespace) -> int:
    from drivers.printer.profiles import PROFILES
    from drivers.sim.printer import (
        FAULT_COMMANDS,
        Paper,
        PrintedReceipt,
        VirtualPrinter,
        parse_fault_command,
    )
    from drivers.sim.printer_server import TcpPrinterServer

    def announce(receipt: PrintedReceipt) -> None:
        print(f"receipt -> {receipt.path}", flush=True)
        for note in receipt.notes:  # what the job held that could not be printed
            print(f"  not printed: {note}", flush=True)

    printer = VirtualPrinter(PROFILES[args.profile], out_dir=args.out, on_receipt=announce)
    printer.set_faults(
        paper=Paper(args.paper), cover_open=args.cover_open, offline=args.offline, garbled=args.garbled
    )

    def read_commands() -> None:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                printer.set_faults(**parse_fault_command(line))
                print(f"faults now: {printer.faults}", flush=True)
            except ValueError as exc:
                print(exc, file=sys.stderr, flush=True)

    server = TcpPrinterServer(printer, args.host, args.port)
    where = f"{server.host}:{server.port}"
    print(f"virtual {args.profile} printer on {where}, receipts to {args.out}/", flush=True)
    print(f"switch faults by typing: {FAULT_COMMANDS}", flush=True)
    threading.Thread(target=read_commands, name="printer-sim-stdin", daemon=True).start()
    try:
        server.serve_forever()
    finally:
        server.stop()
    return 0
