"""The tour at every supported size, with the layout checker looking at each screen there.

Run by tests/ui/test_tour.py in its own process (Kivy runs one app per process): one app whose
window is resized to each size at each of the tour's photographs. Writes OUTDIR/WxH/ (photographs,
screens.json) and OUTDIR/layout.json (what the checker found, by size and photograph).
Usage: python tests/ui/layout_app.py OUTDIR [WxH,WxH…]  (every supported size by default)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from kiosk.cli import parse_sizes, tour_with_server  # noqa: E402
from kiosk.config import SUPPORTED_SIZES, load_settings  # noqa: E402


def check(root: Any) -> list[Any]:
    sys.path.insert(0, str(HERE))
    from layout_check import check as look  # Kivy's: imported once the tour has set Kivy up

    return look(root)


if __name__ == "__main__":
    sizes = parse_sizes(sys.argv[2]) if len(sys.argv) > 2 else list(SUPPORTED_SIZES)
    tour = tour_with_server(load_settings(), Path(sys.argv[1]), sizes, check)
    print(f"{tour.count} screens at {len(sizes)} sizes; seconds photographing and checking at each:")
    print(", ".join(f"{w}x{h} {s:.0f}" for (w, h), s in tour.seconds.items()))
