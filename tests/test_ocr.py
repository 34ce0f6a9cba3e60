"""Reading pages (pipeline/ocr.py): text fidelity against ground truth, orientation,
legacy layers, born-digital layers, geometry, and failures.

The samples are read once per session (fixture `processed`, the whole pipeline); the
few tests here that run tesseract themselves use one page each.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES, TRUTH, load_truth

from pipeline import ocr, preprocess
from pipeline.errors import MissingDependencyError
from pipeline.evaluate import cer
from pipeline.model import Line, Word
from pipeline.process import PageJob, Settings

# Character error rate limits for text pages (tables are judged by the extraction tests).
CER_LIMIT = {"clean": 0.01, "poor": 0.02, "legacy": 0.015, "born-digital": 0.0}
TEXT_PAGES = [
    (path.stem, page["number"], page["condition"])
    for path in sorted(TRUTH.glob("*.json"))
    if not path.stem.startswith("changes-")
    for page in load_truth(path.stem)["pages"]
    if page["layout"] in ("narrative", "agreement")
]


@pytest.mark.parametrize(("stem", "number", "condition"), TEXT_PAGES)
def test_text_pages_match_truth(processed, stem, number, condition):
    page = processed(stem).pages[number - 1]
    truth = load_truth(stem)["pages"][number - 1]["text"]
    assert page.status == "ok"
    assert cer(page.raw_text, truth) <= CER_LIMIT[condition], page.raw_text[:400]
    assert cer(page.text, truth) <= CER_LIMIT[condition]


def test_conditions_are_all_covered():
    assert {c for _, _, c in TEXT_PAGES} == set(CER_LIMIT)


def test_turned_pages_are_set_upright(processed):
    document = processed("roterade-sidor")
    for page, truth in zip(document.pages, load_truth("roterade-sidor")["pages"], strict=True):
        assert truth["rotation"] in (90, 180)
        assert page.rotation == (-truth["rotation"]) % 360  # clockwise turn that undoes it
        assert page.width < page.height  # the upright page is portrait A4
        assert page.lines[0].words[0].bbox[0] == pytest.approx(72, abs=8)  # left margin


def test_legacy_layer_is_reocred(processed):
    for page in processed("legacy-ocr").pages:
        assert page.source == "ocr"
        assert "legacy text layer" in page.reason
        assert "ö" in page.raw_text and "å" in page.raw_text


def test_born_digital_layer_is_used_without_ocr(processed):
    document = processed("verksamhetsplan-2024")
    for page in document.pages:
        assert page.source == "text-layer" and page.mean_confidence == 100.0
        assert page.rotation == 0 and page.preprocessing == []
    truth = load_truth("verksamhetsplan-2024")["pages"][0]["text"]
    assert [line.raw_text for line in document.pages[0].lines] == [
        t for t in truth.splitlines() if t
    ]


def test_only_pages_that_need_it_get_extra_work(processed):
    """A clean upright scan gets one pass: no orientation search, no clean-up."""
    for stem in ("verksamhetsplan-2022", "verksamhetsplan-2023", "samarbetsavtal-2019"):
        for page in processed(stem).pages:
            assert page.rotation == 0
            assert not any(s.startswith("poor scan") for s in page.preprocessing), stem
    poor = processed("dalig-skanning").pages[0]
    assert any("background division" in s for s in poor.preprocessing)


def test_skew_is_levelled_and_recorded(processed):
    for page, truth in zip(
        processed("verksamhetsplan-2022").pages,
        load_truth("verksamhetsplan-2022")["pages"],
        strict=True,
    ):
        assert page.deskew == pytest.approx(-truth["skew"], abs=0.15)


def test_no_word_is_read_from_the_levelling_fill(processed):
    """Levelling fills the corners by repeating the edge; words there are on no paper
    (the poor sample, skewed 1.3°, had 'lön' read in a corner)."""
    for stem in ("dalig-skanning", "verksamhetsplan-2023"):
        for page in processed(stem).pages:
            assert page.deskew
            for word in (w for line in page.lines for w in line.words):
                x0, top, x1, bottom = word.bbox
                centre = ((x0 + x1) / 2, (top + bottom) / 2)
                x, y = preprocess.unlevel(*centre, page.width, page.height, page.deskew)
                assert 0 <= x <= page.width and 0 <= y <= page.height, word


def test_words_in_the_fill_are_dropped_and_lines_kept_whole():
    corner = Word("lön", (582.0, 808.0, 595.0, 840.0), 35.0)
    inside = [Word("Nästa", (300.0, 808.0, 330.0, 820.0), 95.0), corner]
    middle = Word("Rådslag", (100.0, 400.0, 150.0, 412.0), 96.0)
    lines = [
        Line(inside, (300.0, 808.0, 595.0, 840.0), 0, "Nästa lön"),
        Line([middle], middle.bbox, 1, "Rådslag"),
        Line([corner], corner.bbox, 2, "lön"),
    ]
    kept = ocr._on_the_scan(lines, 595.7, 842.2, -1.3)
    assert [(line.text, line.block) for line in kept] == [("Nästa", 0), ("Rådslag", 1)]
    assert kept[0].bbox == (300.0, 808.0, 330.0, 820.0)
    assert ocr._on_the_scan(lines, 595.7, 842.2, 0.0) == lines  # nothing turned, nothing filled


def test_specks_read_as_marks_are_dropped_and_dashes_stay():
    def word(text, x0, top, width, height, confidence=80):
        return Word(text, (x0, top, x0 + width, top + height), confidence)

    text_line = [word("Nästa", 80, 100, 31, 9), word("Rådslag", 116, 99, 43, 11)]
    marks = [
        word(".", 170, 104, 1.1, 1.1),  # dust on a noisy scan
        word("|", 180, 103, 1.4, 1.4),
        word(":", 190, 104, 1.7, 1.4),
        word("-", 200, 104, 4.5, 1.9),  # a dash between words
        word(":", 210, 103, 3.2, 1.9),  # a bullet's dash read as ':'
        word("§", 220, 100, 5.0, 9.0),  # alone, but text
        word("-.", 230, 104, 1.0, 0.7),  # dust read as a dash and a stop
        word("i", 240, 103, 1.7, 1.4, confidence=41),  # dust read as a letter
        word("1", 250, 103, 1.7, 2.0, confidence=90),  # a tiny letter read with confidence
    ]
    lines = [Line(text_line, (80, 99, 159, 110), 0, "Nästa Rådslag")]
    lines.append(Line(marks, (170, 100, 252, 109), 0, " ".join(w.text for w in marks)))
    lines.append(Line(marks[:2], (170, 103, 182, 105), 1, ". |"))
    kept, dropped = ocr._without_specks(lines)
    assert dropped == 7
    assert [line.text for line in kept] == ["Nästa Rådslag", "- : § 1"]
    assert kept[0] is lines[0]  # untouched lines are kept as they are


@pytest.mark.parametrize("stem", ["verksamhetsplan-2022", "verksamhetsplan-2024", "dalig-skanning"])
def test_words_have_point_boxes_on_the_page(processed, stem):
    for page in processed(stem).pages:
        assert page.width > 0 and page.height > 0
        for line in page.lines:
            assert line.text and line.words
            for word in line.words:
                x0, top, x1, bottom = word.bbox
                assert -2 <= x0 < x1 <= page.width + 2 and -2 <= top < bottom <= page.height + 2
                assert 0 <= word.confidence <= 100
                assert bottom - top < 60  # points, not pixels (4x as many at 300 dpi)
    first = processed(stem).pages[0].lines[0]
    assert first.bbox[0] == pytest.approx(72, abs=8)  # the samples' left margin, in points


def test_ruled_table_pages_get_rulings(processed):
    pages = processed("verksamhetsplan-2022").pages
    truth = load_truth("verksamhetsplan-2022")["pages"]
    for page, expected in zip(pages, truth, strict=True):
        if expected["layout"] == "table-ruled":
            assert len(page.rulings) >= 8
        else:
            assert len(page.rulings) <= 2


def test_ocr_always_reads_a_born_digital_page():
    job = PageJob(str(SAMPLES / "verksamhetsplan-2024.pdf"), 0, Settings(ocr="always"))
    page = ocr.read_page(job)
    truth = load_truth("verksamhetsplan-2024")["pages"][0]["text"]
    assert page.source == "ocr" and "always" in page.reason
    assert cer(page.raw_text, truth) <= 0.01


def test_ocr_never_keeps_a_scan_without_text():
    page = ocr.read_page(PageJob(str(SAMPLES / "dalig-skanning.pdf"), 0, Settings(ocr="never")))
    assert page.source == "text-layer" and page.text == "" and page.status == "ok"
    assert "never" in page.reason


def test_page_timeout_fails_the_page_with_reason():
    job = PageJob(str(SAMPLES / "samarbetsavtal-2019.pdf"), 1, Settings(page_timeout=0.3))
    page = ocr.read_page(job)
    assert page.status == "failed" and page.source == "ocr"
    assert "timeout" in page.error and page.reason
    assert page.lines == [] and page.width > 0


def test_missing_tesseract_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr"):
        ocr.check_tesseract("swe")


def test_missing_swedish_data_names_the_package(monkeypatch, tmp_path):
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    data = Path(listing.stdout.split('"')[1])  # List of available languages in "DIR/" ...
    for name in ("eng", "osd"):
        os.symlink(data / f"{name}.traineddata", tmp_path / f"{name}.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-swe"):
        ocr.check_tesseract("swe")
    ocr.check_tesseract("eng")  # what is there is accepted
