"""Does a photo taken for the desk show an ID document?

The kiosk photographs an ID card that has no machine-readable lines (an Indonesian KTP) for the
desk to verify later; a photo of an empty desk, a grey frame, a wall or a hand must not pass as
one. A document is found as it looks to a camera: a convex quadrilateral of a card's or a
passport page's proportions (ID-1 is 85.60 x 53.98 mm, 1.586; ID-3 125 x 88 mm, 1.42), seen
whole, covering a fair share of the frame, with print on it. Faces are not looked for: OpenCV 5
has no Haar cascades, its YuNet detector needs a model file no package here ships, and a face
alone shows the desk no document anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drivers.camera.types import IdPhoto, PhotoContent, Point

if TYPE_CHECKING:
    import numpy as np

# Long side over short side, after up to ~30 degrees of tilt towards the camera.
ASPECT = (1.2, 2.0)
# The document's share of the frame: a card held at reading distance, not a speck nor the
# whole frame (a wall filling it).
AREA_SHARE = (0.06, 0.92)
# Each corner's angle, degrees from a right angle, that perspective may bend it by.
CORNER_TOLERANCE = 30.0
# Grey-level spread inside the outline: a document carries print; a blank sheet of nothing
# (a lit wall, a window) does not.
MIN_PRINT_STD = 12.0
WORK_WIDTH = 640  # frames are searched at this width: a 1280x720 frame in a few milliseconds


def inspect(frame: np.ndarray, quality: int = 90) -> IdPhoto:
    """The photo as a JPEG, with what it shows."""
    import cv2

    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the picture could not be encoded")
    region = find_document(frame)
    content = PhotoContent.DOCUMENT if region else PhotoContent.NOTHING
    return IdPhoto(jpeg.tobytes(), content, region)


def find_document(frame: np.ndarray) -> tuple[Point, ...]:
    """The corners (frame pixels) of the largest document-shaped outline, or () when there is none."""
    import cv2
    import numpy as np

    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    scale = WORK_WIDTH / gray.shape[1]
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    area = small.shape[0] * small.shape[1]
    edges = cv2.Canny(small, 40, 120)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True):
        share = cv2.contourArea(contour) / area
        if share < AREA_SHARE[0]:
            break  # sorted: every other one is smaller still
        if share > AREA_SHARE[1]:
            continue
        hull = cv2.convexHull(contour)
        quad = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True).reshape(-1, 2)
        if len(quad) == 4 and _card_shaped(quad) and _printed(small, quad):
            return tuple((float(x) / scale, float(y) / scale) for x, y in quad)
    return ()


def _card_shaped(quad: np.ndarray) -> bool:
    import numpy as np

    sides = [float(np.linalg.norm(quad[i] - quad[(i + 1) % 4])) for i in range(4)]
    a, b = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    if min(a, b) <= 0 or not ASPECT[0] <= max(a, b) / min(a, b) <= ASPECT[1]:
        return False
    for i in range(4):
        u, v = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
        if abs(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))) - 90.0) > CORNER_TOLERANCE:
            return False
    return True


def _printed(gray: np.ndarray, quad: np.ndarray) -> bool:
    import cv2
    import numpy as np

    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    mask = cv2.erode(mask, np.ones((9, 9), np.uint8))  # the inside, not the outline's own edge
    _mean, std = cv2.meanStdDev(gray, mask=mask)
    return float(std[0][0]) >= MIN_PRINT_STD
