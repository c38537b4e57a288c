"""ID photo check figures: time per 1280x720 frame, cards accepted, frames without a card refused.

    .venv/bin/python bench/id_photo_bench.py [--frames 200] [--seed 7]

Runs on one core (affinity and OpenCV's thread pool both pinned). Cards come from
drivers.camera.synth (an ID-1 card, whole in the frame, 30-50% of its width, turned up to 30
degrees, tilted, blurred, noisy); the others are grey, black, noise, the empty desk, a card blurred
past reading, a hand, a booking QR code held up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from drivers.camera.photo import find_document, inspect
from drivers.camera.synth import CardScene, Scene, booking_payload, desk, render, render_card
from drivers.camera.types import Symbology

SIZE = (1280, 720)


def cards(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    return [
        render_card(
            CardScene(
                width_share=float(rng.uniform(0.3, 0.5)),
                angle=float(rng.uniform(-30, 30)),
                tilt=float(rng.uniform(0, 0.25)),
                blur=float(rng.uniform(0, 2)),
                noise=float(rng.uniform(0, 8)),
                offset=(int(rng.integers(-100, 100)), int(rng.integers(-20, 20))),
                seed=i,
            )
        )
        for i in range(n)
    ]


def without_card(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    def grey_to_bgr(grey: np.ndarray) -> np.ndarray:
        return cv2.cvtColor(np.clip(grey, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)

    def hand() -> np.ndarray:
        frame = grey_to_bgr(desk(SIZE, rng))
        cx, cy = int(rng.integers(300, 980)), int(rng.integers(300, 500))
        cv2.ellipse(frame, (cx, cy), (150, 190), float(rng.uniform(-40, 40)), 0, 360, (120, 160, 210), -1)
        for dx in (-120, -40, 40, 120):
            cv2.line(frame, (cx + dx, cy - 90), (cx + dx, cy - 330), (120, 160, 210), 60)
        return cv2.GaussianBlur(frame, (0, 0), 3)

    makers = [
        lambda: np.full((SIZE[1], SIZE[0], 3), int(rng.integers(0, 256)), np.uint8),
        lambda: rng.integers(0, 256, (SIZE[1], SIZE[0], 3), dtype=np.uint8),
        lambda: grey_to_bgr(desk(SIZE, rng)),
        lambda: render_card(CardScene(blur=float(rng.uniform(20, 40)), seed=int(rng.integers(1000)))),
        hand,
        lambda: render(Scene(booking_payload(rng), Symbology.QR, module_px=float(rng.uniform(4, 9)))),
    ]
    return [makers[i % len(makers)]() for i in range(n)]


def timed(check, frames: list[np.ndarray]) -> list[float]:
    out = []
    for frame in frames:
        start = time.perf_counter()
        check(frame)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    rng = np.random.default_rng(args.seed)
    with_card, empty = cards(rng, args.frames // 2), without_card(rng, args.frames // 2)
    accepted = sum(bool(find_document(f)) for f in with_card)
    false = sum(bool(find_document(f)) for f in empty)
    search = timed(find_document, with_card + empty)
    photo = timed(inspect, with_card + empty)
    print("| measure | value |")
    print("|---|---|")
    print(f"| cards accepted | {accepted}/{len(with_card)} |")
    print(f"| frames without a card accepted | {false}/{len(empty)} |")
    for name, ms in (("document search", search), ("search + JPEG for the desk", photo)):
        p95 = statistics.quantiles(ms, n=20)[18]
        print(f"| {name}, ms per 1280x720 frame: p50 / p95 | {statistics.median(ms):.1f} / {p95:.1f} |")


if __name__ == "__main__":
    main()
