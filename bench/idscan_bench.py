"""ID scanning figures: decode time per 1280x720 frame, read rates, MRZ parse rate.

    .venv/bin/python bench/idscan_bench.py [--frames 120] [--seed 7]

Runs on one core (affinity and OpenCV's thread pool both pinned). Frames come from
drivers.camera.synth, ``--frames`` of each class: booking QR codes (paper, inverted and low-contrast
phone screens) and AAMVA PDF417 licences, each with random size, tilt up to 30 degrees, blur, noise,
dim light or glare; then QR codes and licences on a phone in dark mode (light on black), and PDF417
of few columns at about one pixel per module (a licence held far away).
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
from drivers.camera.synth import FRAME_CLASSES, class_scenes, render
from drivers.camera.types import ScanHint
from drivers.idscan import DocumentFields, DocumentKind, Sex, parse_mrz
from drivers.idscan.mrz import format_mrz

Reader = Callable[[np.ndarray], tuple[list[bytes], ScanHint | None]]
Frame = tuple[str, bytes, np.ndarray]  # class, payload, image


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)  # OpenCV's QR warns about ECI


def ours() -> Reader:
    decoder = FrameDecoder()

    def read(frame: np.ndarray) -> tuple[list[bytes], ScanHint | None]:
        result = decoder.decode(frame)
        return [c.raw for c in result.codes], result.hint

    return read


def bare_zxing(frame: np.ndarray) -> tuple[list[bytes], ScanHint | None]:
    return [b.bytes for b in zxingcpp.read_barcodes(frame)], None


def opencv_qr() -> Reader:
    detector = cv2.QRCodeDetector()

    def read(frame: np.ndarray) -> tuple[list[bytes], ScanHint | None]:
        try:
            text, _, _ = detector.detectAndDecode(frame)
        except cv2.error:  # raised on some PDF417 frames it mistakes for QR
            return [], None
        return ([text.encode()] if text else []), None

    return read


def run(reader: Reader, frames: list[Frame]) -> dict[str, float]:
    """Per class: read rate and share of frames read or hinted "move closer"; overall ms and wrong."""
    hits = dict.fromkeys(FRAME_CLASSES, 0)
    closer = dict.fromkeys(FRAME_CLASSES, 0)
    wrong = 0
    start = time.process_time()  # CPU time: the machine may be shared, the figure is per core
    for name, payload, frame in frames:
        got, hint = reader(frame)
        hits[name] += payload in got
        closer[name] += payload in got or hint is ScanHint.MOVE_CLOSER
        wrong += any(g != payload for g in got)
    elapsed = time.process_time() - start
    count = {n: sum(1 for f in frames if f[0] == n) for n in FRAME_CLASSES}
    return (
        {"ms": 1000 * elapsed / len(frames), "wrong": wrong}
        | {n: 100 * hits[n] / count[n] for n in FRAME_CLASSES}
        | {f"{n}+hint": 100 * closer[n] / count[n] for n in FRAME_CLASSES}
    )


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
    parser.add_argument("--frames", type=int, default=120, help="generated frames of each class")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    one_core()

    frames = [
        (name, scene.payload, render(scene))
        for name in FRAME_CLASSES
        for scene in class_scenes(name, args.frames, seed=args.seed)
    ]
    results = {
        "Sambut FrameDecoder": run(ours(), frames),
        "bare zxingcpp.read_barcodes": run(bare_zxing, frames),
        "OpenCV QRCodeDetector": run(opencv_qr(), frames),
    }
    corpus = mrz_corpus(5000, args.seed)
    wall_rate, cpu_rate, valid = mrz_rate(corpus)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"ID scanning bench: {len(frames)} frames of 1280x720 ({args.frames} of each class), one core")
    print(f"(times are CPU time of this process; load average {load:.1f} on {os.cpu_count()} cores)\n")
    print(f"{'decoder':<30} {'CPU ms/frame':>12} " + " ".join(f"{n:>16}" for n in FRAME_CLASSES) + " wrong")
    for name, r in results.items():
        rates = " ".join(f"{r[n]:>15.1f}%" for n in FRAME_CLASSES)
        print(f"{name:<30} {r['ms']:>12.1f} {rates} {r['wrong']:>5}")
    mine = results["Sambut FrameDecoder"]
    hinted = " ".join(f"{mine[n + '+hint']:>15.1f}%" for n in FRAME_CLASSES)
    print(f"{'  read or hinted move closer':<30} {'':>12} {hinted}")
    ratio = results["Sambut FrameDecoder"]["ms"] / results["bare zxingcpp.read_barcodes"]["ms"]
    print(f"\n{'figure':<44} {'value':>12} {'target':>10}")
    print(f"{'decode time vs bare zxing (same frames)':<44} {ratio:>11.2f}x {'<= 1.5x':>10}")
    print(f"{'QR read rate':<44} {mine['qr']:>11.1f}% {'>= 95%':>10}")
    print(f"{'PDF417 read rate':<44} {mine['pdf417']:>11.1f}% {'>= 90%':>10}")
    print(f"{'wrong reads':<44} {mine['wrong']:>12} {'0':>10}")
    print(f"{'MRZ parse rate (docs per CPU second)':<44} {cpu_rate:>12,.0f} {'>= 20,000':>10}")
    print(f"{'MRZ parse rate (docs per wall second, load)':<44} {wall_rate:>12,.0f} {'':>10}")
    print(f"{'MRZ generated documents parsed valid':<44} {valid:>7}/{len(corpus)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
