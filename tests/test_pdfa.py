"""The PDF/A access copy: its text layer is the corrected text, lying on the words, and the
file passes the PDF/A check. Uses the session's OCR of the samples (fixture `processed`)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from pipeline.errors import InvalidOutputError
from pipeline.evaluate import similarity
from pipeline.model import Document
from pipeline.pdfa import check_pdfa, layered_pages, make_access_copy

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def access_copies(processed, tmp_path_factory) -> dict[str, tuple[Document, Path]]:
    """PDF/A-2b copies of the legacy-OCR sample and the one with turned pages."""
    folder = tmp_path_factory.mktemp("pdfa")
    copies = {}
    for stem in ("legacy-ocr", "roterade-sidor"):
        document = processed(stem)
        output = folder / f"{stem}.pdf"
        make_access_copy(SAMPLES / f"{stem}.pdf", document, output)
        copies[stem] = (document, output)
    return copies


def _words_on_boxes(document: Document, pdf_path: Path) -> float:
    """Share of the document's words whose text is drawn by the characters lying on the
    word's box in the PDF (upright page coordinates, as pdfplumber reports them)."""
    found = total = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page, pdf_page in zip(document.pages, pdf.pages, strict=True):
            chars = [c for c in pdf_page.chars if c["text"].strip()]
            for line in page.lines:
                for word in line.words:
                    x0, top, x1, bottom = word.bbox
                    drawn = "".join(
                        c["text"]
                        for c in chars
                        if c["x0"] < x1 and c["x1"] > x0 and c["top"] < bottom and c["bottom"] > top
                    )
                    total += 1
                    found += word.text.replace(" ", "") in drawn
    return found / total


@pytest.mark.parametrize("stem", ["legacy-ocr", "roterade-sidor"])
def test_text_layer_is_the_corrected_text_on_the_words(access_copies, stem):
    document, path = access_copies[stem]
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
        sizes = [(page.width, page.height) for page in pdf.pages]
    for page, text, (width, height) in zip(document.pages, texts, sizes, strict=True):
        # the displayed page is upright, whatever way the scan lay
        assert (width, height) == pytest.approx((page.width, page.height), abs=1.0)
        assert similarity(" ".join(text.split()), " ".join(page.text.split())) > 0.95
    share = _words_on_boxes(document, path)
    assert share > 0.9, f"only {share:.0%} of the words lie on their boxes"


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
