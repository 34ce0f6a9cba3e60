"""Table extraction: ruling lines on page images, Handlingsplan rows from words."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.tables import find_rulings

DPI = 300
PT = 72 / DPI  # points per pixel


def _ruled_page(skew: float = 0.0, noise: float = 0.0) -> tuple[np.ndarray, list, list]:
    """A landscape A4 page with a ruled table, large title text and text in every cell."""
    width, height = round(11.69 * DPI), round(8.27 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 42)
    title = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 100)
    draw.text((200, 60), "Bilaga 1 Handlingsplan lIlTTT", font=title, fill=0)
    xs = [200, 900, 1700, 2200, 2600, 2900, 3300]
    ys = [300, 400, 600, 800, 1100, 1400]
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for y in ys[:-1]:
        for x in xs[:-1]:
            draw.text((x + 15, y + 15), "Ålll Tid", font=body, fill=0)
            draw.text((x + 15, y + 60), "|||| lilj", font=body, fill=0)
    pixels = np.asarray(image).astype(np.int16)
    if noise:
        pixels += np.random.default_rng(1).normal(0, noise, pixels.shape).astype(np.int16)
    gray = np.clip(pixels, 0, 255).astype(np.uint8)
    if skew:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1)
        gray = cv2.warpAffine(gray, matrix, (width, height), borderValue=255)
    return gray, xs, ys


@pytest.mark.parametrize("skew,noise", [(0.0, 0.0), (0.3, 25.0)])
def test_find_rulings_returns_table_lines_not_text(skew: float, noise: float) -> None:
    gray, xs, ys = _ruled_page(skew, noise)
    rulings = find_rulings(gray, PT)
    horizontal = sorted(r for r in rulings if r[2] - r[0] > r[3] - r[1])
    vertical = sorted(r for r in rulings if r[2] - r[0] <= r[3] - r[1])
    assert len(horizontal) == len(ys) and len(vertical) == len(xs)
    for line, y in zip(sorted(horizontal, key=lambda r: r[1]), ys, strict=True):
        assert abs((line[1] + line[3]) / 2 - y * PT) < 4
        assert abs(line[0] - xs[0] * PT) < 3 and abs(line[2] - xs[-1] * PT) < 3
    for line, x in zip(vertical, xs, strict=True):
        assert abs((line[0] + line[2]) / 2 - x * PT) < 4
        assert abs(line[1] - ys[0] * PT) < 3 and abs(line[3] - ys[-1] * PT) < 3


def test_find_rulings_is_cheap_at_300_dpi() -> None:
    gray, _, _ = _ruled_page(noise=25.0)
    find_rulings(gray, PT)
    start = time.perf_counter()
    find_rulings(gray, PT)
    assert time.perf_counter() - start < 0.25


def test_find_rulings_on_blank_and_text_only_pages() -> None:
    assert find_rulings(np.full((2000, 1400), 255, np.uint8), PT) == []
    gray, _, _ = _ruled_page()
    text_only = gray.copy()
    text_only[290:, :] = 255  # keep only the big title
    assert find_rulings(text_only, PT) == []
