"""`python main.py terminal-sim`: a ZVT card terminal on TCP or on a pty pair."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "terminal-sim",
        help="run the ZVT card terminal simulator (TCP or pty)",
        description="A ZVT payment terminal that speaks the real protocol, with scripted outcomes.",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--tcp", action="store_true", help="listen on TCP (the default)")
    where.add_argument("--pty", action="store_true", help="serve on a pty pair; prints the device path")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=20007, help="TCP port (0 picks a free one)")
    p.add_argument("--state", type=Path, default=Path("var/terminal-sim.json"), help="state file")
    p.add_argument(
        "--script",
        default="",
        help="comma-separated outcomes for the next transactions, e.g. 'decline:05,abort,drop'; "
        "then every transaction is approved. Outcomes: approve, decline[:CODE], abort, "
        "card_removed[:CODE], pin_wait[:SECONDS], timeout, nak[:TIMES], bad_crc, drop "
        "(CODE: a ZVT result code in hex, e.g. 05)",
    )
    p.add_argument("--step", type=float, default=0.3, help="seconds per terminal step (card, PIN, host)")
    p.add_argument("--currency", default="EUR")
    p.add_argument("--leak-card-data", action="store_true", help="send full card numbers and track data")
    p.add_argument("--text-blocks", action="store_true", help="send receipts as 06 D3 text blocks")
    p.add_argument("--password", default="000000", help="the terminal password commands must carry")
    p.add_argument(
        "--terminal-status",
        type=lambda text: int(text, 16),
        default=0x00,
        help="status byte a status enquiry reports, hex (00 ready, 51 initialisation required, …)",
    )
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import threading

    from drivers.sim.zvt_terminal import PtySimServer, SimServer, TcpSimServer, ZvtTerminalSim

    args.state.parent.mkdir(parents=True, exist_ok=True)
    sim = ZvtTerminalSim(
        args.state,
        step_s=args.step,
        currency=args.currency,
        leak_card_data=args.leak_card_data,
        text_blocks=args.text_blocks,
        password=args.password,
        terminal_status=args.terminal_status,
    )
    if args.script:
        sim.script(*args.script.split(","))
    server: SimServer = PtySimServer(sim) if args.pty else TcpSimServer(sim, args.host, args.port)
    server.start()
    print(f"ZVT terminal simulator on {server.address}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.stop()
    return 0
