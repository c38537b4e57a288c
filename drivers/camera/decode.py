"""Finding codes in a camera frame: zxing-cpp first, then OpenCV to straighten a tilted PDF417 or
read a QR code zxing missed.

A bare zxing-cpp call loses a PDF417 tilted by more than a few degrees (its row detector assumes
level rows), and a guest never holds a licence level. When the first pass reads nothing, an
OpenCV gradient map locates code-like regions; a wide one is rotated level and read again, a
square one is handed to OpenCV's own QR detector. The regions also drive the preview hint.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import cv2
import numpy as np
import zxingcpp

from drivers.camera.types import DecodedCode, FrameResult, Point, ScanHint, Symbology

ZXING_FORMATS = {
    Symbology.QR: zxingcpp.BarcodeFormat.QRCode,
    Symbology.PDF417: zxingcpp.BarcodeFormat.PDF417,
    Symbology.DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix,
    Symbology.CODE128: zxingcpp.BarcodeFormat.Code128,
}
_SYMBOLOGY = {fmt: sym for sym, fmt in ZXING_FORMATS.items()}

_LOCATE_SCALE = 0.5  # regions are found on a half-size frame: 4x less work, plenty of detail
_MAX_REGIONS = 3
_MIN_AREA = 0.004  # of the frame, at locate scale: smaller blobs are text or noise
_READABLE_WIDTH = 0.2  # a region narrower than this fraction of the frame: ask to move closer


def _formats(symbologies: Iterable[Symbology]) -> zxingcpp.BarcodeFormats:
    return zxingcpp.BarcodeFormats([ZXING_FORMATS[sym] for sym in symbologies])


def _corners(position: zxingcpp.Position) -> tuple[Point, ...]:
    return tuple(
        (float(p.x), float(p.y))
        for p in (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    )


def _margin(barcode: zxingcpp.Barcode) -> float:
    """Share of a PDF417's error correction left unused (other symbologies: 1)."""
    if barcode.format != zxingcpp.BarcodeFormat.PDF417:
        return 1.0
    return float(barcode.extra.get("UEC", 1.0))


def _light_on_dark(crop: np.ndarray) -> bool:
    """Does the crop's surround (its outer band, the quiet zone) look darker than its middle?"""
    h, w = crop.shape
    by, bx = max(h // 12, 1), max(w // 12, 1)
    middle = crop[h // 4 : h - h // 4, w // 4 : w - w // 4]
    surround = np.concatenate(
        (crop[:by].ravel(), crop[-by:].ravel(), crop[:, :bx].ravel(), crop[:, -bx:].ravel())
    )
    return float(np.median(surround)) < float(middle.mean())


def _gradient(gray: np.ndarray) -> np.ndarray:
    gx = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_16S, 1, 0, ksize=3))
    gy = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_16S, 0, 1, ksize=3))
    return cv2.max(gx, gy)


def _area(corners: tuple[Point, ...]) -> float:
    return float(cv2.contourArea(np.array(corners, np.float32)))


class FrameDecoder:
    """Decode one frame at a time; not thread-safe (one per camera, used by its decode thread)."""

    def __init__(
        self,
        symbologies: Iterable[Symbology] = tuple(Symbology),
        *,
        deskew: bool = True,
        opencv_fallback: bool = True,
    ) -> None:
        self.symbologies = frozenset(symbologies)
        self._formats = _formats(self.symbologies)
        # A wide region is straightened for the linear-ish codes; a square one retried for 2D ones.
        wide = self.symbologies - {Symbology.QR}
        square = self.symbologies & {Symbology.QR, Symbology.DATAMATRIX}
        self._wide_formats = _formats(wide) if deskew and Symbology.PDF417 in wide else None
        self._square_formats = _formats(square) if square else None
        self._qr = cv2.QRCodeDetector() if opencv_fallback and Symbology.QR in self.symbologies else None

    def decode(self, frame: np.ndarray) -> FrameResult:
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        codes = self._zxing(gray, self._formats)
        if codes:
            return FrameResult(codes, ScanHint.FOUND, codes[0].corners)
        regions = self._regions(gray)
        for box in regions:
            codes = self._read_region(gray, box)
            if codes:
                return FrameResult(codes, ScanHint.FOUND, codes[0].corners)
        if not regions:
            return FrameResult((), ScanHint.SHOW_CODE)
        return FrameResult((), self._hint(gray, regions[0]), tuple(map(tuple, regions[0].tolist())))

    # -- stages --------------------------------------------------------------------------------

    @staticmethod
    def _zxing(
        image: np.ndarray,
        formats: zxingcpp.BarcodeFormats,
        via: str = "zxing",
        back: np.ndarray | None = None,
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
    ) -> tuple[DecodedCode, ...]:
        """Codes in ``image``; with ``back`` (a crop of one region) only the best, in frame pixels.

        zxing can find a phantom second PDF417 inside a straightened crop, and the phantom passes
        its error correction with no margin left. A PDF417 read that used up all its error
        correction cannot be told from a miscorrection, so it is dropped: the next frame will do.
        A crop holds one code by construction, so only the best read in it is kept.
        """
        barcodes = [
            b for b in zxingcpp.read_barcodes(image, formats=formats, binarizer=binarizer) if _margin(b) > 0.0
        ]
        if back is not None and len(barcodes) > 1:
            barcodes = [max(barcodes, key=lambda b: (_margin(b), _area(_corners(b.position))))]
        found = []
        for barcode in barcodes:
            corners = _corners(barcode.position)
            if back is not None:  # map crop coordinates back into the frame
                pts = np.array(corners, np.float32).reshape(-1, 1, 2)
                corners = tuple(map(tuple, cv2.transform(pts, back).reshape(-1, 2).tolist()))
            found.append(DecodedCode(_SYMBOLOGY[barcode.format], barcode.bytes, corners, via))
        return tuple(found)

    def _regions(self, gray: np.ndarray) -> list[np.ndarray]:
        """Corner boxes (4x2, frame pixels) of dense-edge regions, largest first."""
        small = cv2.resize(gray, None, fx=_LOCATE_SCALE, fy=_LOCATE_SCALE, interpolation=cv2.INTER_AREA)
        boxes = self._boxes(_gradient(small))
        if not boxes:
            # A code at about one pixel per module averages to flat grey in the shrunk frame: its
            # gradients, taken at full size and then shrunk, still show it (to read, or to hint).
            fine = _gradient(gray)
            boxes = self._boxes(
                cv2.resize(fine, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
            )
        return boxes

    @staticmethod
    def _boxes(gradient: np.ndarray) -> list[np.ndarray]:
        edges = cv2.blur(gradient, (9, 9))
        _, mask = cv2.threshold(edges, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (11, 11))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        min_area = _MIN_AREA * gradient.shape[0] * gradient.shape[1]
        boxes = []
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:_MAX_REGIONS]:
            area = cv2.contourArea(contour)
            rect = cv2.minAreaRect(contour)
            if area < min_area:
                break
            if area < 0.6 * rect[1][0] * rect[1][1]:  # ragged blob, not a code's rectangle
                continue
            boxes.append(cv2.boxPoints(rect) / _LOCATE_SCALE)
        return boxes

    def _read_region(self, gray: np.ndarray, box: np.ndarray) -> tuple[DecodedCode, ...]:
        e1, e2 = box[1] - box[0], box[2] - box[1]
        l1, l2 = float(np.hypot(*e1)), float(np.hypot(*e2))
        long_edge, width, height = (e1, l1, l2) if l1 >= l2 else (e2, l2, l1)
        centre = box.mean(axis=0)
        if width > 1.6 * height:  # PDF417 is wide; QR and DataMatrix are square
            if self._wide_formats is None:
                return ()
            return self._deskewed(gray, self._wide_formats, centre, long_edge, width, height)
        codes = self._square(gray, box)
        if not codes and self._wide_formats is not None:  # a PDF417 of few columns is square too
            codes = self._deskewed(gray, self._wide_formats, centre, long_edge, width, height)
        return codes

    def _deskewed(
        self,
        gray: np.ndarray,
        formats: zxingcpp.BarcodeFormats,
        centre: np.ndarray,
        long_edge: np.ndarray,
        width: float,
        height: float,
    ) -> tuple[DecodedCode, ...]:
        angle = math.degrees(math.atan2(float(long_edge[1]), float(long_edge[0])))
        angle = (angle + 90) % 180 - 90  # the bars' direction, not which way round the card is
        out_w, out_h = int(width * 1.15) + 16, int(height * 1.3) + 16
        m = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 1.0)
        m[0, 2] += out_w / 2 - centre[0]
        m[1, 2] += out_h / 2 - centre[1]
        crop = cv2.warpAffine(gray, m, (out_w, out_h), borderMode=cv2.BORDER_REPLICATE)
        back = cv2.invertAffineTransform(m)
        # zxing's own try_invert does not reach its PDF417 reader: a code on a phone in dark mode
        # (light on black) is inverted here, in the order the crop's surround suggests.
        crops = (crop, cv2.bitwise_not(crop))
        if _light_on_dark(crop):
            crops = crops[::-1]
        for image in crops:
            if codes := self._zxing(image, formats, "deskew", back):
                return codes
        # Narrow bars blurred into grey: twice the size and an unsharp mask bring them back.
        back[:, :2] *= 0.5
        for image in crops:
            big = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
            big = cv2.addWeighted(big, 2.0, cv2.GaussianBlur(big, (0, 0), 2), -1.0, 0)
            if codes := self._zxing(big, formats, "deskew", back):
                return codes
        return ()

    def _square(self, gray: np.ndarray, box: np.ndarray) -> tuple[DecodedCode, ...]:
        """A square region: stretched to full contrast for zxing (phone screens at low brightness),
        then OpenCV's QR detector."""
        x, y, w, h = cv2.boundingRect(box.astype(np.int32))
        pad = max(w, h) // 4
        x0, y0 = max(0, x - pad), max(0, y - pad)
        crop = cv2.normalize(gray[y0 : y + h + pad, x0 : x + w + pad], None, 0, 255, cv2.NORM_MINMAX)
        shift = np.array([[1, 0, x0], [0, 1, y0]], np.float32)
        fixed = zxingcpp.Binarizer.FixedThreshold  # the crop is normalised: mid-grey splits it
        codes = self._zxing(crop, self._square_formats, "zxing", shift, fixed) if self._square_formats else ()
        if codes or self._qr is None:
            return codes
        try:
            text, points, _ = self._qr.detectAndDecode(crop)
        except cv2.error:  # OpenCV raises on symbols it half-recognises (e.g. unsupported modes)
            return ()
        if not text:
            return ()
        corners = tuple((float(px) + x0, float(py) + y0) for px, py in points.reshape(-1, 2))
        # OpenCV hands out text only; QR payloads we accept (booking tokens) are ASCII.
        return (DecodedCode(Symbology.QR, text.encode("utf-8"), corners, "opencv"),)

    @staticmethod
    def _hint(gray: np.ndarray, box: np.ndarray) -> ScanHint:
        # A code-like region at a readable size that still does not read is blurred by motion
        # (or focus hunting) far more often than it is damaged: ask the guest to hold still.
        _, _, w, h = cv2.boundingRect(box.astype(np.int32))
        return ScanHint.MOVE_CLOSER if max(w, h) < _READABLE_WIDTH * gray.shape[1] else ScanHint.HOLD_STILL
