"""ID scanning figures: decode time per 1280x720 frame, read rates, MRZ parse rate.

    .venv/bin/python bench/idscan_bench.py [--frames 240] [--seed 7]

Runs on one core (affinity and OpenCV's thread pool both pinned). Frames come from
drivers.camera.synth: half booking QR codes (paper, inverted and low-contrast phone screens), half
AAMVA PDF417 licences, each with random size, tilt up to 30 degrees, blur, noise, dim light or glare.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np
import zxingcpp

from drivers.camera.decode import FrameDecoder
from drivers.camera.synth import render, varied_scenes
from drivers.camera.types import Symbology
from drivers.idscan import DocumentFields, DocumentKind, Sex, parse_mrz
from drivers.idscan.mrz import format_mrz

Reader = Callable[[np.ndarray], list[bytes]]


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)  # OpenCV's QR warns about ECI


def ours() -> Reader:
    decoder = FrameDecoder()
    return lambda frame: [c.raw for c in decoder.decode(frame).codes]


def bare_zxing(frame: np.ndarray) -> list[bytes]:
    return [b.bytes for b in zxingcpp.read_barcodes(frame)]


def opencv_qr() -> Reader:
    detector = cv2.QRCodeDetector()

    def read(frame: np.ndarray) -> list[bytes]:
        try:
            text, _, _ = detector.detectAndDecode(frame)
        except cv2.error:  # raised on some PDF417 frames it mistakes for QR
            return []
        return [text.encode()] if text else []

    return read


def run(reader: Reader, frames: list[tuple[Symbology, bytes, np.ndarray]]) -> dict[str, float]:
    hits = {Symbology.QR: 0, Symbology.PDF417: 0}
    wrong = 0
    start = time.process_time()  # CPU time: the machine may be shared, the figure is per core
    for symbology, payload, frame in frames:
        got = reader(frame)
        hits[symbology] += payload in got
        wrong += any(g != payload for g in got)
    elapsed = time.process_time() - start
    count = {s: sum(1 for f in frames if f[0] is s) for s in hits}
    return {
        "ms": 1000 * elapsed / len(frames),
        "qr": 100 * hits[Symbology.QR] / count[Symbology.QR],
        "pdf417": 100 * hits[Symbology.PDF417] / count[Symbology.PDF417],
        "wrong": wrong,
    }


def mrz_corpus(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    kinds = [DocumentKind.TD1, DocumentKind.TD2, DocumentKind.TD3, DocumentKind.MRV_A, DocumentKind.MRV_B]
    corpus = []
    for _ in range(count):
        fields = DocumentFields(
            issuing_state=rng.choice(["UTO", "IDN", "D", "NLD", "XXA"]),
            document_number="".join(rng.choices(string.ascii_uppercase + string.digits, k=9)),
            surname=rng.choice(["ERIKSSON", "SANTOSO", "MUELLER", "O BRIEN"]),
            given_names=rng.choice(["ANNA MARIA", "BUDI", "", "JEAN PAUL"]),
            nationality=rng.choice(["UTO", "IDN", "D", "XXB"]),
            birth_date=date(rng.randint(1930, 2020), rng.randint(1, 12), rng.randint(1, 28)),
            expiry_date=date(rng.randint(2015, 2040), rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice(list(Sex)),
            optional_data="".join(rng.choices(string.digits, k=rng.randint(0, 6))),
        )
        corpus.append(format_mrz(rng.choice(kinds), fields))
    return corpus


def mrz_rate(corpus: list[str], rounds: int = 5) -> tuple[float, float, int]:
    """Best of ``rounds``: documents per wall-clock second and per CPU second of this process."""
    wall = cpu = 0.0
    valid = 0
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        valid = sum(parse_mrz(text).valid for text in corpus)
        wall = max(wall, len(corpus) / (time.perf_counter() - start))
        cpu = max(cpu, len(corpus) / (time.process_time() - start_cpu))
    return wall, cpu, valid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=240, help="generated frames, half QR, half PDF417")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    one_core()

    half = args.frames // 2
    frames = [
        (scene.symbology, scene.payload, render(scene))
        for symbology in (Symbology.QR, Symbology.PDF417)
        for scene in varied_scenes(half, symbology, seed=args.seed)
    ]
    results = {
        "Sambut FrameDecoder": run(ours(), frames),
        "bare zxingcpp.read_barcodes": run(bare_zxing, frames),
        "OpenCV QRCodeDetector": run(opencv_qr(), frames),
    }
    corpus = mrz_corpus(5000, args.seed)
    wall_rate, cpu_rate, valid = mrz_rate(corpus)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"ID scanning bench: {len(frames)} frames of 1280x720 ({half} QR, {half} PDF417), one core")
    print(f"(times are CPU time of this process; load average {load:.1f} on {os.cpu_count()} cores)\n")
    print(f"{'decoder':<30} {'CPU ms/frame':>12} {'QR read':>8} {'PDF417 read':>12} {'wrong':>6}")
    for name, r in results.items():
        print(f"{name:<30} {r['ms']:>12.1f} {r['qr']:>7.1f}% {r['pdf417']:>11.1f}% {r['wrong']:>6}")
    ratio = results["Sambut FrameDecoder"]["ms"] / results["bare zxingcpp.read_barcodes"]["ms"]
    print(f"\n{'figure':<44} {'value':>12} {'target':>10}")
    print(f"{'decode time vs bare zxing (same frames)':<44} {ratio:>11.2f}x {'<= 1.5x':>10}")
    print(f"{'QR read rate':<44} {results['Sambut FrameDecoder']['qr']:>11.1f}% {'>= 95%':>10}")
    print(f"{'PDF417 read rate':<44} {results['Sambut FrameDecoder']['pdf417']:>11.1f}% {'>= 90%':>10}")
    print(f"{'wrong reads':<44} {results['Sambut FrameDecoder']['wrong']:>12} {'0':>10}")
    print(f"{'MRZ parse rate (docs per CPU second)':<44} {cpu_rate:>12,.0f} {'>= 20,000':>10}")
    print(f"{'MRZ parse rate (docs per wall second, load)':<44} {wall_rate:>12,.0f} {'':>10}")
    print(f"{'MRZ generated documents parsed valid':<44} {valid:>7}/{len(corpus)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
