"""The PDF/A access copy: its text layer is the corrected text, lying on the words in the
scan, and the file passes the PDF/A check. Uses the session's OCR of the samples (fixture
`processed`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytesseract
import pytest

from pipeline.errors import InvalidOutputError
from pipeline.evaluate import similarity
from pipeline.model import Document
from pipeline.pdf import render_page
from pipeline.pdfa import check_pdfa, layered_pages, make_access_copy

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


# legacy-ocr: an old text layer to replace; roterade-sidor: pages turned 90° and 180°;
# dalig-skanning and verksamhetsplan-2023: scans skewed by 0.8-1.4°.
STEMS = ("legacy-ocr", "roterade-sidor", "dalig-skanning", "verksamhetsplan-2023")


@pytest.fixture(scope="module")
def access_copies(processed, tmp_path_factory) -> dict[str, tuple[Document, Path]]:
    """PDF/A-2b copies of samples with an old text layer, turned pages and skewed scans."""
    folder = tmp_path_factory.mktemp("pdfa")
    copies = {}
    for stem in STEMS:
        document = processed(stem)
        output = folder / f"{stem}.pdf"
        make_access_copy(SAMPLES / f"{stem}.pdf", document, output)
        copies[stem] = (document, output)
    return copies


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0.0, width) * max(0.0, height)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _unique_words(words: list[tuple[str, tuple[float, ...]]]) -> dict[str, tuple[float, ...]]:
    """Words of four letters or more that occur once on the page: matched by text alone."""
    counts = Counter(text for text, _ in words)
    return {text: box for text, box in words if counts[text] == 1 and len(text) >= 4}


def _words_on_ink(pdf_path: Path, index: int) -> tuple[int, int]:
    """(words lying on their ink, words compared) for one page of the access copy.

    The ink's word boxes come from a plain tesseract read of the page as displayed —
    not levelled, not turned by plandigit — so they say where the scan's words are,
    independently of the boxes the text layer was made from. A word lies on its ink when
    the box pdfplumber reads for it overlaps the ink's box by IoU >= 0.5.
    """
    gray, scale = render_page(pdf_path, index, 200)
    data = pytesseract.image_to_data(gray, lang="swe", output_type=pytesseract.Output.DICT)
    ink = _unique_words(
        [
            (text.strip(), tuple(v / scale for v in (x, y, x + w, y + h)))
            for text, x, y, w, h in zip(
                data["text"], data["left"], data["top"], data["width"], data["height"], strict=True
            )
            if text.strip()
        ]
    )
    with pdfplumber.open(pdf_path) as pdf:
        layer = _unique_words(
            [
                (w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]))
                for w in pdf.pages[index].extract_words()
            ]
        )
    common = set(ink) & set(layer)
    return sum(_iou(ink[text], layer[text]) >= 0.5 for text in common), len(common)


@pytest.mark.parametrize("stem", STEMS)
def test_text_layer_is_the_corrected_text(access_copies, stem):
    """Read in the order it is written (the document's reading order): pdfplumber's own
    ordering sorts characters by height, which interleaves table columns and the lines of
    a skewed scan, whose text runs aslant as the scan's does."""
    document, path = access_copies[stem]
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text(use_text_flow=True) for page in pdf.pages]
        sizes = [(page.width, page.height) for page in pdf.pages]
    for page, text, (width, height) in zip(document.pages, texts, sizes, strict=True):
        # the displayed page is upright, whatever way the scan lay
        assert (width, height) == pytest.approx((page.width, page.height), abs=1.0)
        assert similarity(" ".join(text.split()), " ".join(page.text.split())) > 0.95


@pytest.mark.parametrize("stem", STEMS)
def test_text_layer_lies_on_the_words_in_the_scan(access_copies, stem):
    """On every page, turned or skewed, the text layer's words lie on the scan's words."""
    document, path = access_copies[stem]
    for number in layered_pages(document, path):
        on_ink, compared = _words_on_ink(path, number - 1)
        assert compared >= 20, f"page {number}: only {compared} words to compare"
        assert on_ink / compared >= 0.85, (
            f"page {number}: only {on_ink}/{compared} words lie on their ink"
        )


def test_legacy_layer_is_replaced_by_the_corrected_text(access_copies):
    """Searching the access copy finds the corrected words, and nothing of the old
    English-OCR layer that the corrected text does not have."""
    document, path = access_copies["legacy-ocr"]
    with pdfplumber.open(SAMPLES / "legacy-ocr.pdf") as pdf:
        legacy_words = {w["text"] for page in pdf.pages for w in page.extract_words()}
    with pdfplumber.open(path) as pdf:
        access_text = "\n".join(page.extract_text() for page in pdf.pages)
    access_words = set(access_text.split())
    corrected_words = {w.text for p in document.pages for line in p.lines for w in line.words}
    stale = {w for w in legacy_words - corrected_words if len(w) > 3 and w in access_words}
    assert not stale, f"old OCR words still searchable: {sorted(stale)[:10]}"
    assert "Sédertérn" in legacy_words or "Sddertorn" in legacy_words  # the sample's damage
    assert "Södertörn" in access_text
    changed = [w for p in document.pages for line in p.lines for w in line.words if w.raw]
    for word in changed:
        assert word.text in access_text


def test_access_copy_passes_pdfa_check_and_keeps_the_scan(access_copies):
    for stem, (_document, path) in access_copies.items():
        assert check_pdfa(path, "2b") == [], stem
        with pikepdf.open(SAMPLES / f"{stem}.pdf") as original, pikepdf.open(path) as copy:
            before = [
                image.read_raw_bytes()
                for page in original.pages
                for image in page.get_images().values()
            ]
            after = [
                image.read_raw_bytes()
                for page in copy.pages
                for image in page.get_images().values()
            ]
        assert before == after, f"{stem}: page images were re-encoded"


def test_pdfa_1b_on_request(processed, tmp_path):
    output = tmp_path / "a1b.pdf"
    result = make_access_copy(SAMPLES / "legacy-ocr.pdf", processed("legacy-ocr"), output, "1b")
    assert result.flavour == "1b" and result.validation == "pass"
    assert check_pdfa(output, "1b") == []
    with pikepdf.open(output) as pdf:
        assert pdf.open_metadata().pdfa_status == "1B"


def test_born_digital_text_is_kept_as_it_is(processed, tmp_path):
    document = processed("verksamhetsplan-2024")
    source = SAMPLES / "verksamhetsplan-2024.pdf"
    assert layered_pages(document, source) == []
    output = tmp_path / "vp2024.pdf"
    result = make_access_copy(source, document, output)
    assert result.layered_pages == ()
    with pdfplumber.open(source) as before, pdfplumber.open(output) as after:
        assert [p.extract_text() for p in before.pages] == [p.extract_text() for p in after.pages]
    assert check_pdfa(output, "2b") == []


def test_failed_pdfa_check_leaves_no_file(processed, tmp_path, monkeypatch):
    """A file that fails PDF/A validation is an error, and nothing is written."""
    import pikepdf.pdfa

    def failing_save(pdf, target, flavour, **kwargs):
        report = pikepdf.pdfa.check(pdf, flavour)
        report.findings.append(pikepdf.pdfa.Finding("test", "document", "injected violation"))
        raise pikepdf.pdfa.PdfaError(report)

    monkeypatch.setattr(pikepdf.pdfa, "save", failing_save)
    output = tmp_path / "out.pdf"
    with pytest.raises(InvalidOutputError, match="PDF/A-2b check"):
        make_access_copy(SAMPLES / "legacy-ocr.pdf", processed("legacy-ocr"), output)
    assert list(tmp_path.iterdir()) == []
