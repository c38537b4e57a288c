"""Giving freed memory back to the system between guests (no Kivy)."""

from __future__ import annotations

import ctypes
import logging

log = logging.getLogger(__name__)


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
