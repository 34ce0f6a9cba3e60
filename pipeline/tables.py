"""Action-plan tables: ruling-line detection on page images and table reconstruction.

`find_rulings` runs in the OCR worker on the upright, deskewed page image; the table
stage later rebuilds the Handlingsplan rows from the page's words and those rulings.
"""

from __future__ import annotations

import cv2
import numpy as np

from .model import BBox

# A ruling must be at least this long (points). Letter strokes of body text are far
# shorter (a 12 pt capital is ~9 pt tall, a 24 pt title ~18 pt); table borders span a cell or more.
MIN_HORIZONTAL_PT = 30.0
MIN_VERTICAL_PT = 24.0
# ...and at most this thick (points); thicker "lines" are filled areas or images.
MAX_THICKNESS_PT = 4.0


def find_rulings(gray: np.ndarray, points_per_pixel: float) -> list[BBox]:
    """Horizontal and vertical ruling lines on an upright greyscale page (uint8, white
    background), as [x0, top, x1, bottom] in PDF points.

    Adaptive threshold (robust to uneven scan background and grey shading), a 3x3 dilation
    (bridges pixel gaps from scan noise and tolerates residual skew up to ~1.5 degrees),
    then an erosion with a long thin kernel per direction: only runs longer than any letter
    stroke survive. The eroded cores are grown back to the full run length. Eroding
    instead of opening and contours instead of labelling keep it at tens of ms at 300 dpi.
    """
    if gray.ndim != 2 or gray.size == 0:
        return []
    pixels_per_point = 1.0 / points_per_pixel
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    )
    ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    max_thickness = MAX_THICKNESS_PT * pixels_per_point + 2  # +2: the dilation
    rulings: list[BBox] = []
    for horizontal in (True, False):
        run = max(
            8, round((MIN_HORIZONTAL_PT if horizontal else MIN_VERTICAL_PT) * pixels_per_point)
        )
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1) if horizontal else (1, run))
        core = cv2.erode(ink, kernel)
        contours, _ = cv2.findContours(core, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        before, after = run // 2, run - 1 - run // 2  # erosion anchor: kernel centre
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if horizontal:
                x0, x1, y0, y1 = x - before + 1, x + w + after - 1, y, y + h
                length, thickness = x1 - x0, h
            else:
                x0, x1, y0, y1 = x, x + w, y - before + 1, y + h + after - 1
                length, thickness = y1 - y0, w
            # A skewed line's box is taller than the line; allow 2% of its length.
            if thickness > max_thickness + 0.02 * length:
                continue
            if horizontal:
                if _touches_strokes(ink, core, x, y, w, h):
                    continue
            elif _touches_strokes(ink.T, core.T, y, x, h, w):
                continue
            if horizontal:
                y0, y1 = y0 + 1, y1 - 1
            else:
                x0, x1 = x0 + 1, x1 - 1
            rulings.append(
                (
                    round(float(x0) * points_per_pixel, 2),
                    round(float(y0) * points_per_pixel, 2),
                    round(float(x1) * points_per_pixel, 2),
                    round(float(y1) * points_per_pixel, 2),
                )
            )
    return rulings


def _touches_strokes(ink: np.ndarray, core: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """True when many strokes leave a horizontal run sideways, as from the bars of "TTT"
    in a bold title; a ruling has white on both sides except where other rulings cross.
    (Pass transposed arrays and box for a vertical run.) Sides are probed along the run's
    own edge, so a slightly skewed ruling is not blamed for text near its box."""
    part = core[y : y + h, x : x + w] > 0
    columns = np.flatnonzero(part.any(axis=0))
    if columns.size == 0:
        return False
    top = y + part[:, columns].argmax(axis=0)
    bottom = y + h - 1 - part[::-1, columns].argmax(axis=0)
    probe = 2  # pixels beyond the (dilated) edge
    for rows in (top - probe, bottom + probe):
        inside = (rows >= 0) & (rows < ink.shape[0])
        if inside.any() and float(ink[rows[inside], x + columns[inside]].mean()) / 255 > 0.2:
            return True
    return False
