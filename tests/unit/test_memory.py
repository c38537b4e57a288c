"""Freed memory goes back to the system between guests."""

import ctypes
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.memory import release_freed_memory

ROOT = Path(__file__).resolve().parents[2]


def anonymous_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssAnon")) / 1024


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


LARGE_BLOCKS = """
import ctypes, sys
sys.path.insert(0, sys.argv[1])
from kiosk.memory import keep_large_blocks_apart
from tests.unit.test_memory import _libc, anonymous_mb

libc = _libc()
if sys.argv[2] == "kept apart":
    assert keep_large_blocks_apart()
libc.free(libc.malloc(1 << 20))  # glibc alone now serves 1 MB blocks from its heap
blocks = [libc.malloc(1 << 20) for _ in range(40)]
for block in blocks:
    ctypes.memset(block, 1, 1 << 20)
before = anonymous_mb()
for block in blocks[:-1]:  # the last one stays: on the heap it holds the others' pages
    libc.free(block)
print(before - anonymous_mb())
"""


@pytest.mark.parametrize(("mode", "returned"), [("kept apart", True), ("as glibc starts", False)])
def test_large_blocks_go_back_to_the_system_when_freed(mode: str, returned: bool) -> None:
    # In a fresh process: in this one, earlier tests left holes in the heap that would take them.
    out = subprocess.run(
        [sys.executable, "-c", LARGE_BLOCKS, str(ROOT), mode], capture_output=True, text=True, check=True
    )
    assert (float(out.stdout) > 30) is returned


def test_freed_heap_pages_are_returned():
    # 60 MB in blocks malloc serves from its heap (not mmap), then one kept block after them so
    # free() alone cannot shrink the heap from the top.
    libc = _libc()
    blocks = [libc.malloc(4000) for _ in range(15_000)]
    for block in blocks:
        ctypes.memset(block, 1, 4000)
    pin = libc.malloc(4000)
    for block in blocks:
        libc.free(block)
    before = anonymous_mb()
    assert release_freed_memory()
    assert anonymous_mb() < before - 40
    libc.free(pin)
