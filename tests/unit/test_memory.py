"""Freed memory goes back to the system between guests."""

import ctypes

from kiosk.memory import release_freed_memory


def anonymous_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssAnon")) / 1024


def test_freed_heap_pages_are_returned():
    # 60 MB in blocks malloc serves from its heap (not mmap), then one kept block after them so
    # free() alone cannot shrink the heap from the top.
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
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
