"""PDF triage, rendering and the text layer (pipeline/pdf.py): no OCR here."""

from __future__ import annotations

import hashlib

import numpy as np
import pikepdf
import pytest
from conftest import SAMPLES, TRUTH, load_truth

from pipeline import errors, pdf
from pipeline.evaluate import cer

BAD = {
    "not-a-pdf": (errors.InputFileError, "not a PDF"),
    "empty-file": (errors.InputFileError, "empty file"),
    "truncated": (errors.InputFileError, "truncated"),
    "corrupt": (errors.InputFileError, "corrupt"),
    "encrypted": (errors.EncryptedPdfError, "qpdf --decrypt"),
    "zero-pages": (errors.EmptyPdfError, "no pages"),
    "huge-page": (errors.ImageTooLargeError, "would render to"),
    "image-bomb": (errors.ImageTooLargeError, "holds an image"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_refused_with_its_own_error(bad_pdfs, kind):
    error, words = BAD[kind]
    with pytest.raises(error) as caught:
        pdf.inspect_pdf(bad_pdfs[kind])
    message = str(caught.value)
    assert message.startswith(str(bad_pdfs[kind])), "the message names the file"
    assert words in message and "\n" not in message


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(errors.InputFileError, match="no such file"):
        pdf.inspect_pdf(tmp_path / "finns-inte.pdf")
    with pytest.raises(errors.InputFileError, match="folder"):
        pdf.inspect_pdf(tmp_path)


def test_owner_password_only_pdf_is_readable(tmp_path):
    """Permissions-only encryption needs no password to read, so it is not refused."""
    target = tmp_path / "skyddad.pdf"
    with pikepdf.open(SAMPLES / "verksamhetsplan-2024.pdf") as document:
        document.save(target, encryption=pikepdf.Encryption(user="", owner="ägare"))
    assert pdf.inspect_pdf(target).page_count == 3


def test_zero_pages_is_told_apart_from_encryption(tmp_path):
    """An empty PDF carrying an encryption dictionary is "no pages" when it opens without
    a password and "encrypted" only when it needs one (a zero-page file was once reported
    as encrypted)."""
    readable, locked = tmp_path / "tom.pdf", tmp_path / "tom-last.pdf"
    pikepdf.new().save(readable, encryption=pikepdf.Encryption(user="", owner="ägare"))
    pikepdf.new().save(locked, encryption=pikepdf.Encryption(user="hemligt", owner="ägare"))
    with pytest.raises(errors.EmptyPdfError, match="no pages") as empty:
        pdf.inspect_pdf(readable)
    with pytest.raises(errors.EncryptedPdfError, match="encrypted") as encrypted:
        pdf.inspect_pdf(locked)
    assert empty.value.exit_code == errors.ExitCode.empty_pdf
    assert encrypted.value.exit_code == errors.ExitCode.encrypted_pdf


DOCUMENTS = sorted(p.stem for p in TRUTH.glob("*.json") if not p.stem.startswith("changes-"))


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_inspect_counts_pages_and_hashes(stem):
    path = SAMPLES / f"{stem}.pdf"
    info = pdf.inspect_pdf(path)
    assert info.file == path.name
    assert info.page_count == len(load_truth(stem)["pages"])
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pixel_cap_follows_settings():
    path = SAMPLES / "verksamhetsplan-2024.pdf"
    with pytest.raises(errors.ImageTooLargeError):
        pdf.inspect_pdf(path, dpi=300, max_image_pixels=1_000_000)
    assert pdf.inspect_pdf(path, dpi=300, max_image_pixels=10_000_000).page_count == 3


def test_render_is_upright_at_the_requested_resolution(tmp_path):
    gray, scale = pdf.render_page(SAMPLES / "verksamhetsplan-2024.pdf", 0, 300)
    assert scale == pytest.approx(300 / 72)
    assert gray.dtype.name == "uint8" and gray.ndim == 2
    assert gray.shape[0] == pytest.approx(842 * scale, abs=2)
    assert gray.shape[1] == pytest.approx(595 * scale, abs=2)
    turned = tmp_path / "turned.pdf"
    with pikepdf.open(SAMPLES / "verksamhetsplan-2024.pdf") as document:
        document.pages[0].Rotate = 90
        document.save(turned)
    landscape, _ = pdf.render_page(turned, 0, 300)
    assert landscape.shape == gray.shape[::-1]
    layer = pdf.read_text_layer(turned, 0)
    assert layer.width > layer.height
    xs = [w.bbox[2] for line in layer.lines for w in line.words]
    assert max(xs) <= layer.width + 1


def test_scan_is_rendered_near_its_own_resolution():
    """A 200-dpi scan renders at 300 dpi (1.5x); never far above what the scan holds."""
    document = pdf._open(SAMPLES / "dalig-skanning.pdf")
    info = pdf.page_image_info(document[0])
    assert load_truth("dalig-skanning")["pages"][0]["dpi"] == 200
    assert info.image_scale == pytest.approx(200 / 72, rel=0.02)
    assert info.render_scale(300) == pytest.approx(300 / 72, rel=0.02)
    assert info.render_scale(600) == pytest.approx(1.5 * 200 / 72, rel=0.02)


@pytest.mark.parametrize(
    "stem, index, decoded",
    [
        ("verksamhetsplan-2022", 0, True),  # a 300-dpi scan: its own pixels
        ("legacy-ocr", 0, True),  # under an invisible old OCR layer too
        ("dalig-skanning", 0, False),  # 200 dpi, rendered at 300
        ("verksamhetsplan-2024", 0, False),  # born digital: visible text
    ],
)
def test_a_scan_at_the_render_resolution_is_decoded_not_rendered(stem, index, decoded):
    path = SAMPLES / f"{stem}.pdf"
    document = pdf._open(path)
    page = document[index]
    info = pdf.page_image_info(page)
    scan = pdf._scan_image(page, info.render_scale(300))
    assert (scan is not None) == decoded
    gray, scale = pdf.render_page(path, index, 300)
    if decoded:
        drawn = page.render(scale=scale, grayscale=True).to_numpy()
        drawn = drawn[..., 0] if drawn.ndim == 3 else drawn
        height, width = min(gray.shape[0], drawn.shape[0]), min(gray.shape[1], drawn.shape[1])
        assert abs(gray.shape[0] - drawn.shape[0]) <= 1 and abs(gray.shape[1] - drawn.shape[1]) <= 1
        difference = np.abs(gray[:height, :width].astype(int) - drawn[:height, :width])
        assert difference.mean() < 3  # the same picture, without pdfium's resampling
    document.close()


def test_born_digital_text_layer_is_exact_with_boxes():
    truth = load_truth("verksamhetsplan-2024")["pages"][0]["text"]
    layer = pdf.read_text_layer(SAMPLES / "verksamhetsplan-2024.pdf", 0)
    assert cer(layer.text, truth) == 0
    assert [line.text for line in layer.lines] == [t for t in truth.splitlines() if t]
    for line in layer.lines:
        for word in line.words:
            x0, top, x1, bottom = word.bbox
            assert 0 <= x0 < x1 <= layer.width and 0 <= top < bottom <= layer.height
            assert line.bbox[0] <= x0 and x1 <= line.bbox[2]
    assert layer.lines[0].words[0].bbox[0] == pytest.approx(72, abs=1)  # the left margin


def test_ruled_table_text_layer_has_rulings_and_cells_apart():
    layer = pdf.read_text_layer(SAMPLES / "verksamhetsplan-2024.pdf", 1)
    verticals = [r for r in layer.rulings if r[2] - r[0] < 1 and r[3] - r[1] > 20]
    horizontals = [r for r in layer.rulings if r[3] - r[1] < 1 and r[2] - r[0] > 20]
    assert len(verticals) >= 5 and len(horizontals) >= 3
    for line in layer.lines:  # no line of text runs across a column border
        for v in verticals:
            if v[1] <= line.bbox[1] and line.bbox[3] <= v[3]:
                assert not line.bbox[0] < v[0] < line.bbox[2], line.text


def test_legacy_layer_is_recognised_and_good_text_is_not():
    layer = pdf.read_text_layer(SAMPLES / "legacy-ocr.pdf", 0)
    assert layer.has_page_image
    signs = pdf.legacy_signs(layer.text, "swe")
    assert signs, layer.text[:300]
    verdict = pdf.judge_text_layer(layer, "auto", "swe")
    assert verdict.source == "ocr" and "legacy text layer" in verdict.reason
    for stem in DOCUMENTS:
        for page in load_truth(stem)["pages"]:
            assert pdf.legacy_signs(page["text"], "swe") == [], (stem, page["number"])


def test_modes_override_the_verdict():
    layer = pdf.read_text_layer(SAMPLES / "legacy-ocr.pdf", 0)
    assert pdf.judge_text_layer(layer, "never", "swe").source == "text-layer"
    assert pdf.judge_text_layer(None, "always", "swe").source == "ocr"
    born = pdf.read_text_layer(SAMPLES / "verksamhetsplan-2024.pdf", 0)
    verdict = pdf.judge_text_layer(born, "auto", "swe")
    assert verdict.source == "text-layer" and not born.has_page_image
