"""The committed samples agree with their ground truth (no OCR here: that is test_ocr's job).

Checks page counts, page geometry and resolution, JPEG page sizes, the action/clause
records against the schemas, and the expected diffs against the plans' truth.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import SAMPLES, TRUTH, load_truth

from pipeline.evaluate import fold_whitespace
from pipeline.schema import violations

A4 = (595.276, 841.89)
STEMS = sorted(p.stem for p in TRUTH.glob("*.json") if not p.stem.startswith("changes-"))
LAYOUTS = {"narrative", "table-ruled", "table-unruled", "agreement"}
CONDITIONS = {"clean", "poor", "legacy", "born-digital"}
DIFF_FIELDS = (
    "area",
    "goal",
    "subgoal",
    "activity",
    "responsible",
    "when",
    "budget_sek",
    "comment",
)


def test_all_planned_samples_exist() -> None:
    assert set(STEMS) >= {
        "verksamhetsplan-2022",
        "verksamhetsplan-2023",
        "verksamhetsplan-2024",
        "samarbetsavtal-2019",
        "dalig-skanning",
        "roterade-sidor",
        "legacy-ocr",
    }
    for stem in STEMS:
        assert (SAMPLES / f"{stem}.pdf").is_file(), stem


@pytest.mark.parametrize("stem", STEMS)
def test_truth_matches_pdf_pages(stem: str) -> None:
    truth = load_truth(stem)
    assert truth["file"] == f"{stem}.pdf"
    assert truth["kind"] in {"plan", "agreement", "other"}
    pdf = pdfium.PdfDocument(SAMPLES / truth["file"])
    try:
        assert len(pdf) == len(truth["pages"])
        for i, page in enumerate(truth["pages"]):
            assert page["number"] == i + 1
            assert page["layout"] in LAYOUTS and page["condition"] in CONDITIONS
            assert page["rotation"] in (0, 90, 180, 270)
            assert abs(page["skew"]) <= 1.5
            assert page["text"].strip()
            width, height = pdf[i].get_size()
            landscape = page["layout"].startswith("table") != (page["rotation"] in (90, 270))
            expected = (A4[1], A4[0]) if landscape else A4
            assert width == pytest.approx(expected[0], abs=1.5), (stem, i + 1)
            assert height == pytest.approx(expected[1], abs=1.5), (stem, i + 1)
    finally:
        pdf.close()


@pytest.mark.parametrize("stem", STEMS)
def test_scanned_pages_have_stated_dpi_and_stay_small(stem: str) -> None:
    truth = load_truth(stem)
    with pikepdf.open(SAMPLES / truth["file"]) as pdf:
        for page, info in zip(pdf.pages, truth["pages"], strict=True):
            images = list(page.get_images().values())
            if info["condition"] == "born-digital":
                assert not images
                continue
            assert len(images) == 1, (stem, info["number"])
            image = images[0]
            assert image.Filter == "/DCTDecode" and image.ColorSpace == "/DeviceGray"
            assert len(image.read_raw_bytes()) <= 400_000, (stem, info["number"])
            width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
            assert int(image.Width) / width_in == pytest.approx(info["dpi"], rel=0.01)


@pytest.mark.parametrize("stem", STEMS)
def test_structures_validate_against_schemas(stem: str) -> None:
    truth = load_truth(stem)
    pages = len(truth["pages"])
    for action in truth["actions"]:
        assert violations(action, "action") == []
        assert 1 <= action["page"] <= pages
        layout = truth["pages"][action["page"] - 1]["layout"]
        assert layout.startswith("table")
    for clause in truth["clauses"]:
        assert violations(clause, "clause") == []
    if truth["kind"] == "agreement":
        assert [c["number"] for c in truth["clauses"]] == [str(n) for n in range(1, 11)]
        assert truth["signed"]["place"] and re.fullmatch(
            r"\d{4}-\d\d-\d\d", truth["signed"]["date"]
        )


def test_plans_have_continued_tables() -> None:
    for stem, layout in [
        ("verksamhetsplan-2022", "table-ruled"),
        ("verksamhetsplan-2023", "table-unruled"),
    ]:
        truth = load_truth(stem)
        table_pages = [p["number"] for p in truth["pages"] if p["layout"] == layout]
        assert len(table_pages) >= 2
        assert {a["page"] for a in truth["actions"]} == set(table_pages)
        header = "Namn" if stem.endswith("2023") else "Aktivitet"
        for number in table_pages:
            assert header in truth["pages"][number - 1]["text"].split("\n")


def test_agreement_clause_continues_over_page_break() -> None:
    truth = load_truth("samarbetsavtal-2019")
    first_page = fold_whitespace(truth["pages"][0]["text"])
    second_page = fold_whitespace(truth["pages"][1]["text"])
    spanning = [
        c["number"]
        for c in truth["clauses"]
        if c["page"] == 1
        and fold_whitespace(c["text"]) not in first_page
        and fold_whitespace(c["text"])[-40:] in second_page
    ]
    assert spanning


@pytest.mark.parametrize("years", [(2022, 2023), (2023, 2024)])
def test_expected_changes_agree_with_plans(years: tuple[int, int]) -> None:
    changes = json.loads((TRUTH / f"changes-{years[0]}-{years[1]}.json").read_text("utf-8"))
    old = load_truth(f"verksamhetsplan-{years[0]}")["actions"]
    new = load_truth(f"verksamhetsplan-{years[1]}")["actions"]
    old_by_text = {a["activity"]: a for a in old}
    new_by_text = {a["activity"]: a for a in new}
    assert set(changes["added"]) <= new_by_text.keys() - old_by_text.keys()
    assert set(changes["removed"]) <= old_by_text.keys() - new_by_text.keys()
    for change in changes["changed"]:
        a, b = old_by_text[change["old_activity"]], new_by_text[change["new_activity"]]
        differing = sorted(
            f
            for f in DIFF_FIELDS
            if (set(a[f]) != set(b[f]) if f == "responsible" else a[f] != b[f])
        )
        assert differing == change["fields"]
    assert len(changes["added"]) + len(changes["changed"]) + changes["unchanged"] == len(new)
    assert len(changes["removed"]) + len(changes["changed"]) + changes["unchanged"] == len(old)
    assert changes["budget"]["old_total"] == sum(a["budget_sek"] or 0 for a in old)
    assert changes["budget"]["new_total"] == sum(a["budget_sek"] or 0 for a in new)


def test_born_digital_text_layer_is_the_truth() -> None:
    truth = load_truth("verksamhetsplan-2024")
    with pdfplumber.open(SAMPLES / truth["file"]) as pdf:
        page = truth["pages"][0]
        assert page["layout"] == "narrative"
        assert fold_whitespace(pdf.pages[0].extract_text()) == fold_whitespace(page["text"])


def test_legacy_text_layer_lost_the_diacritics() -> None:
    truth = load_truth("legacy-ocr")
    with pdfplumber.open(SAMPLES / truth["file"]) as pdf:
        for pdf_page, page in zip(pdf.pages, truth["pages"], strict=True):
            layer = pdf_page.extract_text()
            assert len(layer) > 0.8 * len(page["text"])
            truth_diacritics = sum(page["text"].count(c) for c in "åäö")
            assert sum(layer.count(c) for c in "åäö") < 0.2 * truth_diacritics


def test_render_clean_scan_is_deterministic(tmp_path) -> None:
    spec = importlib.util.spec_from_file_location("sample_generator", SAMPLES / "generate.py")
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator  # dataclasses look their module up there
    spec.loader.exec_module(generator)
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    truth = generator.render_clean_scan(a, pages=1, seed=7)
    assert generator.render_clean_scan(b, pages=1, seed=7)["pages"] == truth["pages"]
    assert a.read_bytes() == b.read_bytes()
    assert len(truth["pages"]) == 1 and truth["pages"][0]["dpi"] == 300
    assert len(pdfium.PdfDocument(a)) == 1
