"""Image clean-up before OCR, decided per page so that good scans are left alone.

``survey`` looks at a rendered page once (at low resolution, a few tens of milliseconds):
its skew, whether its text lines run vertically (a page turned 90°), and whether it is a
poor scan — heavy noise or uneven light. ``clean`` is the remedy for poor scans: median
denoise, division by a large-median estimate of the background (flattens uneven light),
scaling up and binarisation; on such pages plain tesseract finds next to nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

_SURVEY_SIZE = 1000  # longest side, pixels, of the image the survey works on
_NOISE_LIMIT = 1.5  # grey levels of pixel-to-pixel noise on the paper (mean absolute)
_UNEVEN_LIMIT = 40.0  # grey levels between the darkest and lightest paper
_CONTRAST_LIMIT = 90.0  # grey levels between ink and paper


@dataclass(frozen=True)
class Survey:
    """What a quick look at a page image tells: geometry and scan quality."""

    skew: float  # degrees to rotate (counter-clockwise, as `deskew` does) to level the lines
    turned: bool  # text lines run vertically: the page is turned 90° or 270°
    ink: float  # share of ink pixels
    noise: float  # mean absolute pixel-to-pixel difference on the paper
    uneven: float  # spread of the paper's brightness over the page
    contrast: float  # paper brightness minus ink brightness

    @property
    def blank(self) -> bool:
        return self.ink < 0.002

    @property
    def poor(self) -> bool:
        """A scan that OCR reads badly without clean-up."""
        return (
            self.noise >= _NOISE_LIMIT
            or self.uneven >= _UNEVEN_LIMIT
            or (not self.blank and self.contrast < _CONTRAST_LIMIT)
        )

    def describe(self) -> str:
        return (
            f"noise {self.noise:.1f}, uneven light {self.uneven:.0f}, contrast {self.contrast:.0f}"
        )


def _odd(n: float) -> int:
    return max(3, int(n) // 2 * 2 + 1)


def _profile_sharpness(xs: np.ndarray, ys: np.ndarray, degrees: float) -> float:
    """How sharply the ink falls into rows when projected at this angle (text lines → peaks)."""
    theta = np.deg2rad(degrees)
    proj = ys * np.cos(theta) - xs * np.sin(theta)
    proj = (proj - proj.min()).astype(np.int64)
    counts = np.bincount(proj).astype(np.float64)
    return float((counts**2).sum() * len(counts)) / (len(xs) ** 2)


def _best_angle(xs: np.ndarray, ys: np.ndarray, limit: float = 5.0) -> tuple[float, float]:
    """Coarse-to-fine search for the projection angle with the sharpest row profile."""
    coarse = np.arange(-limit, limit + 1e-9, 0.25)
    scores = [_profile_sharpness(xs, ys, a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.025)
    scores = [_profile_sharpness(xs, ys, a) for a in fine]
    i = int(np.argmax(scores))
    return float(fine[i]), scores[i]


def survey(gray: np.ndarray) -> Survey:
    """Skew, orientation and quality of a page image, from a small copy of it."""
    factor = min(1.0, _SURVEY_SIZE / max(gray.shape))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    background = cv2.medianBlur(small, _odd(min(small.shape) / 25))
    flat = cv2.divide(small, background, scale=255)
    _, ink = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    ink_share = len(xs) / ink.size
    # Noise at full resolution, measured on the paper only (ink edges are not noise).
    detail = cv2.absdiff(gray, cv2.medianBlur(gray, 3))
    paper_mask = cv2.resize(ink, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST)
    paper = detail[paper_mask == 0]
    noise = float(np.mean(paper)) if paper.size else 0.0
    uneven = float(np.percentile(background, 95) - np.percentile(background, 5))
    if len(xs) < 50:
        return Survey(0.0, False, ink_share, noise, uneven, 255.0)
    contrast = float(np.median(small[ink == 0]) - np.median(small[ink > 0]))
    xs_f, ys_f = xs.astype(np.float64), ys.astype(np.float64)
    skew, rows = _best_angle(xs_f, ys_f)
    _, columns = _best_angle(ys_f, xs_f)
    return Survey(skew, columns > 1.5 * rows, ink_share, noise, uneven, contrast)


def turn(gray: np.ndarray, rotation: int) -> np.ndarray:
    """Rotate by 0/90/180/270 degrees clockwise."""
    codes = {
        90: cv2.ROTATE_90_CLOCKWISE,
        180: cv2.ROTATE_180,
        270: cv2.ROTATE_90_COUNTERCLOCKWISE,
    }
    return cv2.rotate(gray, codes[rotation]) if rotation in codes else gray


def deskew(gray: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate by a small angle about the centre, keeping the canvas size.

    The corners are filled by repeating the edge: a white fill next to dark or unevenly lit
    paper would turn into a black band once the background is divided out.
    """
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def unlevel(x: float, y: float, width: float, height: float, degrees: float) -> tuple[float, float]:
    """Where a point of a page levelled by `deskew(…, degrees)` lies on the page before
    levelling (the inverse turn about the centre; cv2's sense: positive degrees turn the
    image counter-clockwise as seen). Any unit, top-left origin."""
    theta = math.radians(degrees)
    cos, sin = math.cos(theta), math.sin(theta)
    dx, dy = x - width / 2, y - height / 2
    return width / 2 + cos * dx - sin * dy, height / 2 + sin * dx + cos * dy


def clean(gray: np.ndarray, scale: float = 1.5) -> tuple[np.ndarray, list[str]]:
    """Median denoise, flatten the background, scale up and binarise a poor scan.

    Returns the image for OCR (``scale`` times the input size) and the steps taken, for
    ``page.preprocessing``.
    """
    steps = []
    denoised = cv2.medianBlur(gray, 3)
    steps.append("median denoise 3x3")
    # The background estimate is a median far wider than a letter, computed on a
    # quarter-size copy (speed) and scaled back.
    small = cv2.resize(denoised, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kernel = _odd(min(small.shape) / 20)
    background = cv2.medianBlur(small, kernel)
    background = cv2.resize(
        background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR
    )
    flat = cv2.divide(denoised, background, scale=255)
    steps.append(f"background division (median {kernel * 4}px)")
    if scale != 1.0:
        flat = cv2.resize(flat, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        steps.append(f"scale {scale:g}x")
    binary, step = binarise(flat)
    return binary, [*steps, step]


def binarise(gray: np.ndarray) -> tuple[np.ndarray, str]:
    """Global Otsu threshold — what tesseract would do itself, but its recognition then
    runs on a two-level image, which is a little faster and, on levelled scans, no worse."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary, "Otsu binarisation"


def erase_rulings(
    gray: np.ndarray, rulings: list[tuple[float, float, float, float]], pixels_per_point: float
) -> np.ndarray:
    """A copy of the page with its ruling lines painted over in the paper's tone.

    Table borders next to a cell's text are otherwise read as letters: a vertical line
    before '4000' becomes '14000', one before 'Januari' a 'J'. The lines are erased
    only in the image tesseract reads; the table stage keeps them (Page.rulings).
    """
    if not rulings:
        return gray
    out = gray.copy()
    paper = int(np.percentile(gray, 90))
    h, w = gray.shape
    pad = 2  # pixels: the soft edge of a scanned line
    for x0, y0, x1, y1 in rulings:
        left = max(0, int(x0 * pixels_per_point) - pad)
        top = max(0, int(y0 * pixels_per_point) - pad)
        right = min(w, int(np.ceil(x1 * pixels_per_point)) + pad + 1)
        bottom = min(h, int(np.ceil(y1 * pixels_per_point)) + pad + 1)
        out[top:bottom, left:right] = paper
    return out
