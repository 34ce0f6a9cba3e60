"""The page survey and clean-up (pipeline/preprocess.py) on rendered sample pages."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SAMPLES, load_truth

from pipeline import pdf, preprocess


def _page(stem: str, index: int) -> np.ndarray:
    return pdf.render_page(SAMPLES / f"{stem}.pdf", index, 300)[0]


@pytest.mark.parametrize(
    ("stem", "index"),
    [("verksamhetsplan-2022", 0), ("verksamhetsplan-2023", 0), ("samarbetsavtal-2019", 1)],
)
def test_clean_scan_survey_measures_skew_and_leaves_it_alone(stem, index):
    look = preprocess.survey(_page(stem, index))
    truth = load_truth(stem)["pages"][index]
    assert not look.poor and not look.turned and not look.blank
    # The scan was turned counter-clockwise by `skew`; levelling turns it back.
    assert look.skew == pytest.approx(-truth["skew"], abs=0.15)
    level = preprocess.deskew(_page(stem, index), look.skew)
    assert abs(preprocess.survey(level).skew) <= 0.1


def test_poor_scan_is_recognised_and_cleaned():
    gray = _page("dalig-skanning", 0)
    look = preprocess.survey(gray)
    assert look.poor
    image, steps = preprocess.clean(gray, 1.5)
    assert image.shape == (round(gray.shape[0] * 1.5), round(gray.shape[1] * 1.5))
    assert set(np.unique(image)) <= {0, 255}
    assert any("background division" in s for s in steps)
    # Uneven light is gone: the paper is as white in the darkest corner as in the middle.
    h, w = image.shape
    corner = image[int(h * 0.85) :, int(w * 0.85) :]
    assert corner.mean() > 240


def test_turned_page_is_noticed_before_ocr():
    truth = load_truth("roterade-sidor")["pages"]
    turned = [preprocess.survey(_page("roterade-sidor", i)).turned for i in range(len(truth))]
    assert turned == [p["rotation"] in (90, 270) for p in truth]


def test_turn_is_clockwise():
    image = np.zeros((2, 3), np.uint8)
    image[0, 0] = 255  # top-left corner
    assert preprocess.turn(image, 90)[0, -1] == 255  # goes to the top-right
    assert preprocess.turn(image, 270)[-1, 0] == 255
    assert preprocess.turn(image, 180)[-1, -1] == 255


def test_erase_rulings_removes_table_lines_and_keeps_the_text_beside_them():
    """A cell border close to '4000' is read by tesseract as a '1' ('14000'); erased
    before OCR, the number is read as printed."""
    import cv2
    import pytesseract
    from PIL import Image, ImageDraw, ImageFont

    from pipeline.tables import find_rulings

    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 40)
    for x in (100, 400, 800):
        draw.line([(x, 40), (x, 260)], fill=0, width=3)
    for y in (40, 260):
        draw.line([(100, y), (800, y)], fill=0, width=3)
    draw.text((407, 120), "4000", font=font, fill=0)  # 4 px from the border
    draw.text((110, 120), "Hösten", font=font, fill=0)
    gray = cv2.GaussianBlur(np.asarray(image), (3, 3), 0.8)
    scale = 300 / 72  # pixels per point
    rulings = find_rulings(gray, 1 / scale)
    assert len(rulings) == 5
    erased = preprocess.erase_rulings(gray, rulings, scale)
    assert find_rulings(erased, 1 / scale) == []
    text_box = (slice(110, 180), slice(110, 390))
    assert np.array_equal(erased[text_box], gray[text_box])  # the text is untouched
    config = "--psm 7 --dpi 300"
    crop = (slice(60, 240), slice(300, 700))
    assert pytesseract.image_to_string(erased[crop], lang="swe", config=config).split() == [
        "4000"
    ]
