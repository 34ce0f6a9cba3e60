"""Everything read straight from the PDF: triage, page images, and the text layer.

* ``inspect_pdf`` refuses bad input before any work starts (not a PDF, truncated, encrypted,
  no pages, a page image over the pixel cap), each with its own PlandigitError.
* ``render_page`` draws one page with pypdfium2 as a greyscale image, upright as displayed.
* ``read_text_layer`` turns pdfplumber's characters into words, lines and blocks, and
  ``judge_text_layer`` decides whether that layer can be trusted or the page needs OCR —
  old English-model OCR layers lose å/ä/ö (``Sddertorn``, ``6ver``, ``&r``).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import EmptyPdfError, EncryptedPdfError, ImageTooLargeError, InputFileError
from .model import BBox, Line, PageSource, SourceInfo, Word

# A scan's own resolution is the most detail a render can hold; going 1.5x above it still
# helps tesseract on 200-dpi scans, further only costs time (and a page scanned at 300 dpi
# but declared as 72 dpi would otherwise render to a poster).
MAX_UPSAMPLING = 1.5
_SCANNED_COVER = 0.5  # an image covering this much of the page makes it a scanned page


@dataclass(frozen=True)
class PageImageInfo:
    """Size of a page and of its largest image, enough to plan its render."""

    width: float  # points, as displayed (rotation applied)
    height: float
    image_pixels: int  # pixel count of the page's largest embedded image (0 if none)
    image_cover: float  # share of the page that image covers
    image_scale: float  # that image's pixels per point (0 if none)

    def render_scale(self, dpi: float) -> float:
        """Pixels per point for the render: `dpi`, capped just above a scan's own resolution."""
        scale = dpi / 72
        if self.image_cover >= _SCANNED_COVER and self.image_scale > 0:
            scale = min(scale, self.image_scale * MAX_UPSAMPLING)
        return scale


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise InputFileError(f"corrupt PDF, cannot be opened ({exc})", str(path)) from exc


def _check_structure(path: Path) -> int:
    """Page count by qpdf (pikepdf), which tells encryption apart from damage reliably
    (pdfium's load error code can be stale from an earlier document)."""
    import pikepdf

    try:
        with pikepdf.open(path) as document:
            return len(document.pages)
    except pikepdf.PasswordError as exc:
        raise EncryptedPdfError(
            "encrypted PDF (it needs a password); decrypt a copy first, e.g. "
            "`qpdf --decrypt --password=PASSWORD in.pdf decrypted.pdf`",
            str(path),
        ) from exc
    except pikepdf.PdfError as exc:
        reason = " ".join(str(exc).replace(f"{path}: ", "").split())[:160]
        raise InputFileError(f"corrupt PDF, cannot be opened ({reason})", str(path)) from exc


def page_image_info(page: pdfium.PdfPage) -> PageImageInfo:
    width, height = page.get_size()
    best = (0, 0.0, 0.0)
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        px_w, px_h = obj.get_px_size()
        left, bottom, right, top = obj.get_bounds()
        area = max(right - left, 0.0) * max(top - bottom, 0.0)
        pixels = px_w * px_h
        if pixels > best[0]:
            scale = (pixels / area) ** 0.5 if area > 0 else 0.0
            best = (pixels, min(area / (width * height), 1.0) if width * height else 0.0, scale)
    return PageImageInfo(width, height, best[0], best[1], best[2])


def _check_pixels(info: PageImageInfo, number: int, dpi: float, cap: int, path: Path) -> None:
    scale = info.render_scale(dpi)
    rendered = round(info.width * scale) * round(info.height * scale)
    if rendered > cap:
        raise ImageTooLargeError(
            f"page {number} would render to {rendered:,} pixels, over the cap of {cap:,} "
            "(decompression-bomb guard)",
            str(path),
        )
    if info.image_pixels > cap:
        raise ImageTooLargeError(
            f"page {number} holds an image of {info.image_pixels:,} pixels, over the cap of "
            f"{cap:,} (decompression-bomb guard)",
            str(path),
        )


def inspect_pdf(
    path: Path, dpi: float = 300, max_image_pixels: int | None = 250_000_000
) -> SourceInfo:
    """Triage: a SourceInfo for a readable PDF with pages, else the matching PlandigitError."""
    from .process import sha256_file

    if not path.exists():
        raise InputFileError("no such file", str(path))
    if path.is_dir():
        raise InputFileError(
            "is a folder, not a PDF (folders are for `plandigit batch`)", str(path)
        )
    with open(path, "rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    if not head:
        raise InputFileError("empty file, not a PDF", str(path))
    if b"%PDF-" not in head:
        raise InputFileError("not a PDF (no %PDF- header)", str(path))
    if b"%%EOF" not in tail:
        raise InputFileError("truncated or corrupt PDF (no %%EOF end marker)", str(path))
    if _check_structure(path) == 0:
        raise EmptyPdfError("the PDF has no pages", str(path))
    document = _open(path)
    try:
        count = len(document)
        if count == 0:
            raise EmptyPdfError("the PDF has no pages", str(path))
        for index in range(count):
            try:
                page = document[index]
            except pdfium.PdfiumError as exc:
                raise InputFileError(
                    f"corrupt PDF: page {index + 1} cannot be read", str(path)
                ) from exc
            try:
                if max_image_pixels:
                    _check_pixels(page_image_info(page), index + 1, dpi, max_image_pixels, path)
            finally:
                page.close()
    finally:
        document.close()
    return SourceInfo(file=path.name, sha256=sha256_file(path), page_count=count)


def render_page(
    path: str | Path, index: int, dpi: float, max_image_pixels: int | None = None
) -> tuple[np.ndarray, float]:
    """Greyscale image (uint8, upright as displayed) of one page and its pixels per point."""
    document = _open(Path(path))
    try:
        page = document[index]
        info = page_image_info(page)
        if max_image_pixels:
            _check_pixels(info, index + 1, dpi, max_image_pixels, Path(path))
        scale = info.render_scale(dpi)
        scan = _scan_image(page, scale)
        if scan is not None:
            return scan
        bitmap = page.render(scale=scale, grayscale=True)
        image = bitmap.to_numpy()
        if image.ndim == 3:  # some pdfium builds hand back BGR(x) even when asked for grey
            image = image[..., 0]
        return np.ascontiguousarray(image), scale
    finally:
        document.close()


_SCAN_COLOURS = {
    pdfium_c.FPDF_COLORSPACE_DEVICEGRAY,
    pdfium_c.FPDF_COLORSPACE_DEVICERGB,
    pdfium_c.FPDF_COLORSPACE_CALGRAY,
    pdfium_c.FPDF_COLORSPACE_CALRGB,
    pdfium_c.FPDF_COLORSPACE_ICCBASED,
}


def _scan_image(page: pdfium.PdfPage, scale: float) -> tuple[np.ndarray, float] | None:
    """The page's scan decoded as it is, when a render at `scale` would only redraw it:
    one upright image filling the (unrotated, uncropped) page at that resolution, in 8-bit
    grey or colour, with nothing visible on top (an old OCR layer is invisible text).
    Decoding skips pdfium's compositing, about 4x faster than a render of the same pixels;
    anything else is rendered."""
    mediabox = page.get_mediabox()
    if page.get_rotation() or page.get_cropbox() != mediabox:
        return None
    image = None
    for obj in page.get_objects():
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE and image is None:
            image = obj
        elif obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT or (
            pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
            != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        ):
            return None
    if image is None:
        return None
    left, bottom, right, top = mediabox
    a, b, c, d, e, f = image.get_matrix().get()
    fills = max(abs(a - (right - left)), abs(d - (top - bottom)), abs(e - left), abs(f - bottom))
    metadata = image.get_metadata()
    if b or c or fills > 0.5 or metadata.bits_per_pixel not in (8, 24):
        return None
    if metadata.colorspace not in _SCAN_COLOURS:
        return None
    px_w, px_h = image.get_px_size()
    own = px_w / (right - left)
    if abs(own - scale) > 0.005 * scale or abs(px_h / (top - bottom) - own) > 0.005 * own:
        return None
    pixels = image.get_bitmap(render=False).to_numpy()
    if pixels.dtype != np.uint8 or pixels.shape[:2] != (px_h, px_w):
        return None
    if pixels.ndim == 3:
        pixels = cv2.cvtColor(pixels[..., :3], cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(pixels), own


def page_char_count(path: str | Path, index: int) -> int:
    """Characters in the page's text layer, as pdfium sees them (cheap first look)."""
    document = _open(Path(path))
    try:
        return document[index].get_textpage().count_chars()
    finally:
        document.close()


# --- the text layer ----------------------------------------------------------------------


@dataclass
class TextLayer:
    """A page's own text, read with pdfplumber; boxes in top-left points of the upright page."""

    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    rulings: list[BBox] = field(default_factory=list)
    image_cover: float = 0.0  # share of the page covered by its largest image
    unmapped: int = 0  # characters without a Unicode mapping, e.g. "(cid:12)"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def has_page_image(self) -> bool:
        return self.image_cover >= _SCANNED_COVER


def read_text_layer(path: str | Path, index: int) -> TextLayer:
    import pdfplumber

    with pdfplumber.open(str(path)) as document:
        page = document.pages[index]
        words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
        layer = TextLayer(width=float(page.width), height=float(page.height))
        area = layer.width * layer.height
        for image in page.images:
            w = min(image["x1"], page.width) - max(image["x0"], 0)
            h = min(image["bottom"], page.height) - max(image["top"], 0)
            if area and w > 0 and h > 0:
                layer.image_cover = max(layer.image_cover, w * h / area)
        layer.rulings = _rulings(page.edges)
        layer.unmapped = sum(1 for c in page.chars if c["text"].startswith("(cid:"))
    layer.lines = _lines_from_words(words, layer.rulings)
    return layer


def _rulings(edges: list[dict]) -> list[BBox]:
    """Horizontal and vertical vector lines (table borders) as [x0, top, x1, bottom]."""
    found: set[BBox] = set()
    for edge in edges:
        x0, top, x1, bottom = _box(edge)
        if max(x1 - x0, bottom - top) >= 5:  # ignore dots and tick marks
            found.add((x0, top, x1, bottom))
    return sorted(found, key=lambda b: (b[1], b[0], b[3], b[2]))


def _box(obj: dict) -> BBox:
    return (
        round(float(obj["x0"]), 2),
        round(float(obj["top"]), 2),
        round(float(obj["x1"]), 2),
        round(float(obj["bottom"]), 2),
    )


def _lines_from_words(words: list[dict], rulings: list[BBox]) -> list[Line]:
    """Group pdfplumber words into visual lines, split at column gaps and vertical rulings,
    and number blocks (paragraphs, table cells) by vertical gaps and column changes."""
    if not words:
        return []
    heights = [w["bottom"] - w["top"] for w in words]
    size = statistics.median(heights) or 1.0
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        if rows:
            row = rows[-1]
            row_middle = statistics.fmean((w["top"] + w["bottom"]) / 2 for w in row)
            if abs(middle - row_middle) <= 0.4 * size:
                row.append(word)
                continue
        rows.append([word])
    verticals = [r for r in rulings if r[2] - r[0] < 1.0 and r[3] - r[1] >= size]
    segments: list[list[dict]] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        current = [row[0]]
        for previous, word in zip(row, row[1:], strict=False):
            gap = word["x0"] - previous["x1"]
            ruled = any(
                previous["x1"] <= v[0] <= word["x0"]
                and v[1] <= word["bottom"]
                and v[3] >= word["top"]
                for v in verticals
            )
            if gap > 2.0 * size or ruled:
                segments.append(current)
                current = []
            current.append(word)
        segments.append(current)
    lines: list[Line] = []
    block = 0
    previous_box: BBox | None = None
    for segment in segments:
        box = _box(
            {
                "x0": min(w["x0"] for w in segment),
                "top": min(w["top"] for w in segment),
                "x1": max(w["x1"] for w in segment),
                "bottom": max(w["bottom"] for w in segment),
            }
        )
        if previous_box is not None:
            gap = box[1] - previous_box[3]
            same_row = box[1] < previous_box[3]
            if same_row or gap > 0.75 * size or abs(box[0] - previous_box[0]) > 4 * size:
                block += 1
        line_words = [Word(w["text"], _box(w), 100.0) for w in segment]
        lines.append(Line(line_words, box, block, " ".join(w.text for w in line_words)))
        previous_box = box
    return lines


# --- is the text layer trustworthy? ------------------------------------------------------

_DIACRITICS = set("åäöÅÄÖ")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"\S+")
# Tell-tale damage of an English-model OCR run over Swedish text.
_DIGIT_IN_WORD = re.compile(r"^[^\W\d_]*\d[^\W\d_]{2,}$|^[^\W\d_]+\d[^\W\d_]+$")  # 6ver, S6dertorn
_AMPERSAND_WORD = re.compile(r"^&[^\W\d_]+")  # &r, &ven
_FOREIGN_ACCENT = re.compile(r"[èêëìíîïòóôõøùúûüýÿñçãâáà]", re.IGNORECASE)
# Frequent Swedish words that must carry å/ä/ö, as an English model reads them.
_STRIPPED = {
    "ar",
    "pa",
    "for",
    "fran",
    "over",
    "nar",
    "ocksa",
    "aven",
    "mal",
    "malet",
    "malen",
    "manga",
    "dar",
    "tva",
    "mote",
    "moten",
    "omrade",
    "omraden",
    "forslag",
    "arlig",
    "arligen",
    "sarskilt",
    "genomfora",
    "ga",
    "fa",
    "hallbar",
    "utvardering",
}
_UNMAPPED_SHARE = 0.1


@dataclass(frozen=True)
class LayerVerdict:
    source: PageSource
    reason: str


def legacy_signs(text: str, lang: str = "swe") -> list[str]:
    """Signs that a text layer came from OCR with the wrong language model (empty = none)."""
    words = _WORD.findall(text)
    letters = [c for c in text if _LETTER.match(c)]
    if len(words) < 8:
        return []
    stripped = [w.strip(".,;:!?()\"'«»–-").lower() for w in words]
    signs = []
    digit_words = [w for w in stripped if _DIGIT_IN_WORD.match(w)]
    amp_words = [w for w in stripped if _AMPERSAND_WORD.match(w)]
    # é is Swedish in loan words (idé, kommittén); other accents are not.
    accented = [w for w in stripped if _FOREIGN_ACCENT.search(w)]
    if digit_words:
        signs.append(f"digits inside words ({', '.join(sorted(set(digit_words))[:3])})")
    if amp_words:
        signs.append(f"'&' for a letter ({', '.join(sorted(set(amp_words))[:3])})")
    if len(accented) >= 2:
        signs.append(f"non-Swedish accents ({', '.join(sorted(set(accented))[:3])})")
    if "swe" in lang.split("+"):
        bare = [w for w in stripped if w in _STRIPPED]
        share = sum(c in _DIACRITICS for c in letters) / max(len(letters), 1)
        if len(letters) >= 200 and share < 0.01:
            signs.append(f"Swedish without å/ä/ö ({share:.1%} of {len(letters)} letters)")
        if len(bare) >= 2 and len(bare) / len(words) >= 0.01:
            signs.append(f"common words missing å/ä/ö ({', '.join(sorted(set(bare))[:3])})")
    # One odd token is noise; damage shows as several signs or a heavy dose of one.
    strong = len(digit_words) + len(amp_words) >= 3 or any(s.startswith("Swedish") for s in signs)
    return signs if len(signs) >= 2 or strong else []


def judge_text_layer(layer: TextLayer | None, mode: str, lang: str) -> LayerVerdict:
    """Text layer or OCR for one page, and why (page.source, page.reason)."""
    if mode == "always":
        return LayerVerdict("ocr", "OCR requested for every page (--ocr always)")
    assert layer is not None
    text = layer.text
    chars = sum(len(w.text) for line in layer.lines for w in line.words)
    if mode == "never":
        what = f"{chars} characters" if chars else "no text"
        return LayerVerdict("text-layer", f"text layer used as is ({what}; --ocr never)")
    if chars == 0:
        return LayerVerdict("ocr", "no text layer")
    if layer.unmapped / max(chars, 1) > _UNMAPPED_SHARE:
        return LayerVerdict(
            "ocr", f"text layer unreadable ({layer.unmapped} of {chars} glyphs have no Unicode)"
        )
    signs = legacy_signs(text, lang)
    if signs and layer.has_page_image:
        return LayerVerdict(
            "ocr",
            "legacy text layer looks like wrong-language OCR (" + "; ".join(signs) + "); re-OCRed",
        )
    if signs:
        return LayerVerdict(
            "text-layer",
            "text layer looks like wrong-language OCR (" + "; ".join(signs) + ") but the page "
            "has no scanned image to OCR",
        )
    if layer.has_page_image and chars < 40:
        return LayerVerdict("ocr", f"scanned page with a sparse text layer ({chars} characters)")
    return LayerVerdict("text-layer", f"text layer with {chars} characters reads as good text")
