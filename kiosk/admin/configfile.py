"""Writing one section of config/kiosk.toml back (or only some of its keys), the rest of the
file left as it was.

tomli-w writes TOML but drops comments, and the shipped file explains itself in comments. So only
the tables of the section being saved (``[devices.receipt]``, ``[devices.receipt.options]``…) are
cut out and rewritten with tomli-w; every other line stays byte for byte. The result is parsed and
validated before it replaces the file (atomically), and the previous file is kept as a timestamped
backup beside it.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.admin.audit import WallClock, utc_now
from kiosk.config import KioskSettings

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _key_path(header: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in header.split("."))


def _is_comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def replace_tables(text: str, path: tuple[str, ...], data: Mapping[str, Any]) -> str:
    """``text`` with the tables at ``path`` and below replaced by ``data`` (tomli-w rendered)."""
    lines = text.splitlines(keepends=True)
    blocks: list[tuple[tuple[str, ...] | None, list[str]]] = [(None, [])]
    for line in lines:
        match = _HEADER.match(line)
        if match:
            blocks.append((_key_path(match[1]), []))
        blocks[-1][1].append(line)
    nested: dict[str, Any] = dict(data)
    for key in reversed(path):
        nested = {key: nested}
    rendered = tomli_w.dumps(nested)
    out: list[str] = []
    inserted = False
    for key, block in blocks:
        if key is None or key[: len(path)] != path:
            out += block
            continue
        if not inserted:
            out.append(rendered)
            inserted = True
        # Comments just above the next table belong to it: keep the block's comment tail.
        tail = len(block)
        while tail > 1 and _is_comment_or_blank(block[tail - 1]):
            tail -= 1
        kept = block[tail:]
        out += ["\n", *kept] if kept else []
    if not inserted:
        if out and not out[-1].endswith("\n"):
            out.append("\n")
        out += ["\n", rendered]
    return "".join(out)


def _inline(value: Any) -> str:
    """``value`` as a TOML value on one line (tables inline), to sit under a section's header."""
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[len("v = ") :].strip()


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else tomli_w.dumps({key: 0}).split(" = ")[0]


def set_keys(text: str, path: tuple[str, ...], updates: Mapping[str, Any]) -> str | None:
    """``text`` with only ``updates``' keys of the table at ``path`` rewritten in place (added at
    the table's end when new), every other line (its comments included) kept; None when the
    table or a key is not a plain ``key = value`` of it (the caller rewrites the section)."""
    lines = text.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if (m := _HEADER.match(line)) and _key_path(m[1]) == path), None
    )
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    for key in updates:
        if any(
            (m := _HEADER.match(line)) and _key_path(m[1])[: len(path) + 1] == (*path, key) for line in lines
        ):
            return None  # the key is a table of its own ([admin.pins])
    for key, value in updates.items():
        line = f"{_key(key)} = {_inline(value)}\n"
        at = next(
            (i for i in range(start + 1, end) if re.match(rf"\s*{re.escape(_key(key))}\s*=", lines[i])), None
        )
        if at is None:  # new: after the table's last key, before the comments of what follows
            at = end
            while at > start + 1 and _is_comment_or_blank(lines[at - 1]):
                at -= 1
            if not lines[at - 1].endswith("\n"):
                lines[at - 1] += "\n"
            lines.insert(at, line)
            end += 1
            continue
        last = at  # a value may go on over several lines: up to where it parses
        while last < end:
            try:
                tomllib.loads("".join(lines[at : last + 1]))
                break
            except tomllib.TOMLDecodeError:
                last += 1
        if last == end:
            return None
        lines[at : last + 1] = [line]
        end -= last - at
    return "".join(lines)


def _without(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    copy = dict(data)
    if len(path) == 1:
        copy.pop(path[0], None)
    elif isinstance(copy.get(path[0]), dict):
        copy[path[0]] = _without(copy[path[0]], path[1:])
    return copy


@dataclass(frozen=True)
class Saved:
    path: Path
    backup: Path | None  # None when there was no file before


class ConfigFile:
    def __init__(self, path: Path, clock: WallClock = utc_now) -> None:
        self.path = path
        self._clock = clock

    def read(self) -> dict[str, Any]:
        return tomllib.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    def save_section(self, path: tuple[str, ...], data: Mapping[str, Any]) -> Saved:
        """Replace the section at ``path`` (e.g. ("devices", "receipt")); raises ValidationError
        (the file untouched) when the result would not load."""
        old_text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        new_text = replace_tables(old_text, path, data)
        old, new = tomllib.loads(old_text), tomllib.loads(new_text)
        if _without(old, path) != _without(new, path):
            # The surgical cut misread the file (e.g. the section also set by dotted keys
            # elsewhere): write the whole file from the data instead, comments lost.
            merged = _without(old, path)
            target = merged
            for key in path[:-1]:
                target = target.setdefault(key, {})
            target[path[-1]] = dict(data)
            new_text = tomli_w.dumps(merged)
            new = tomllib.loads(new_text)
        return self._write(new_text, new)

    def save_keys(self, path: tuple[str, ...], updates: Mapping[str, Any]) -> Saved:
        """Set ``updates``' keys of the section at ``path``, every other line kept (the section's
        own comments too); the whole section is rewritten only where that cannot be done."""
        old_text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        new_text = set_keys(old_text, path, updates)
        wanted = tomllib.loads(old_text)
        section = wanted
        for key in path:
            section = section.setdefault(key, {})
        section.update(updates)
        if new_text is None or tomllib.loads(new_text) != wanted:
            return self.save_section(path, section)
        return self._write(new_text, wanted)

    def _write(self, new_text: str, new: dict[str, Any]) -> Saved:
        KioskSettings(**new)
        backup = self._backup() if self.path.exists() else None
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(new_text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)
        return Saved(self.path, backup)

    def _backup(self) -> Path:
        stamp = self._clock().strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"{self.path.name}.{stamp}.bak")
        n = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.{stamp}-{n}.bak")
            n += 1
        shutil.copy2(self.path, backup)
        return backup
