"""Giving freed memory back to the system between guests (no Kivy)."""

from __future__ import annotations

import ctypes
import logging

log = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3  # mallopt() parameter, from glibc's malloc.h
_MMAP_THRESHOLD = 128 * 1024  # glibc's starting value


def keep_large_blocks_apart() -> bool:
    """Serve large blocks (text bitmaps, camera frames, HTTP bodies) from their own mappings, which
    go back to the system when freed; False where the C library cannot (not glibc).

    glibc starts so, but raises the threshold to the size of each such block freed (up to 32 MB);
    after a few screens of text these blocks come from the heap, and the holes they leave keep
    its pages resident (about 2 MB over a check-in). Setting the threshold fixes it.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except AttributeError:
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))


def release_freed_memory() -> bool:
    """Return the C heap's free pages to the system; False where the C library cannot (not glibc).

    A guest's session allocates and frees screens' text, images and device buffers; glibc keeps
    the freed pages for reuse, so without this the kiosk's resident size ratchets up guest by
    guest (about 7 MB after one check-in). Runs in a worker thread: it can take milliseconds.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except AttributeError:
        return False
    trim(0)
    return True
