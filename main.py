"""Sambut's one entry point: `python main.py --help` lists the subcommands.

Each command lives with the part of the house it belongs to; a module below registers its
subcommands and imports its heavy dependencies (Kivy, OpenCV, the server) only when run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tomllib
from collections.abc import Callable

from pydantic import ValidationError

# Modules with a `register(subparsers)` function, in the order --help lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "kiosk.cli",
    "frontoffice.cli",
    "drivers.cli",
    "drivers.sim.terminal_cli",
    "drivers.idscan.cli",
    "kiosk.admin.cli",
)


def config_error_line(exc: ValidationError | tomllib.TOMLDecodeError) -> str:
    """One line naming the file, the key, what is wrong and what is allowed.

    Config loaders attach the file's path to the exception as a note (``exc.add_note(path)``).
    """
    path = (getattr(exc, "__notes__", None) or ["config"])[0]
    if isinstance(exc, tomllib.TOMLDecodeError):
        return f"{path}: not valid TOML: {exc}"
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            parts.append(f"{key}: {msg}")
        return f"{path}: " + "; ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="Sambut self-service front-office kiosk. Without a command, starts the kiosk.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["kiosk", *(argv if argv is not None else sys.argv[1:])])
    func: Callable[[argparse.Namespace], int | None] = args.func
    try:
        return func(args) or 0
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        print(config_error_line(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
