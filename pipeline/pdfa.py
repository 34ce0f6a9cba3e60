"""The access copy: a PDF/A of the document whose invisible text layer is the corrected text.

OCRmyPDF does the PDF work (rasterising for size, rendering the invisible text with its
fpdf2 renderer, grafting it onto the original page, stripping an old OCR layer, PDF/A
conversion); plandigit only plugs in an OCR *engine* that returns the words it already has
(``Word.text``, the corrected form, at ``Word.bbox``) instead of running tesseract again.
pikepdf's PDF/A validator then checks the file written.

Which pages get the new layer: every page read by OCR (its old text, if any, was invisible
OCR text judged unusable, and ``redo`` mode strips it), and every text-layer page whose text
was corrected and is invisible. Pages whose visible text was read directly (born-digital)
keep their own text; a second copy of it would make every word match twice.
"""

from __future__ import annotations

import functools
import math
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import ocrmypdf
import pikepdf
import pikepdf.pdfa
from ocrmypdf import hookimpl
from ocrmypdf.api import get_plugin_manager
from ocrmypdf.font import FontManager
from ocrmypdf.hocrtransform import Baseline, BoundingBox, OcrClass, OcrElement
from ocrmypdf.pdfinfo import PdfInfo
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence
from pikepdf.pdfa import validate_written
from PIL import Image

from . import __version__, atomic, preprocess
from .errors import InputFileError, InvalidOutputError
from .model import Document, Line, Page

PdfaFlavour = Literal["2b", "1b"]
ENGINE_NAME = "plandigit-corrected-text"
_FLAT = 0.005  # OCRmyPDF's renderer takes a line with a smaller baseline slope as level
_OUTPUT_TYPE = {"2b": "pdfa-2", "1b": "pdfa-1"}


@dataclass(frozen=True)
class PdfaResult:
    """What the conversion did, for the PREMIS events."""

    path: Path
    flavour: PdfaFlavour
    layered_pages: tuple[int, ...]  # 1-based pages that carry plandigit's text layer
    validation: str  # pikepdf's verdict, "pass"
    validator: str  # name and version of the PDF/A validator
    converter: str  # name and version of the converter


def layered_pages(document: Document, pdf_path: Path) -> list[int]:
    """1-based numbers of the pages that get the corrected invisible text layer."""
    info = PdfInfo(pdf_path)
    numbers = []
    for page in document.pages:
        if page.status != "ok" or not page.lines:
            continue
        if page.source == "ocr" or (
            _was_corrected(page) and not info[page.number - 1].has_visible_text
        ):
            numbers.append(page.number)
    return numbers


def _was_corrected(page: Page) -> bool:
    return any(w.raw is not None for line in page.lines for w in line.words)


def page_elements(page: Page, image_size: tuple[int, int], dpi: float) -> OcrElement:
    """The page's corrected words as an OCRmyPDF element tree in image pixels.

    Our boxes are PDF points on the upright page *levelled* by ``page.deskew`` (the frame
    OCR read it in); the image OCRmyPDF rasterised is the upright page as displayed (the
    access copy's /Rotate turns it) but not levelled. So each word box moves with its
    centre, turned back about the page centre, and each line runs along the scan's slope
    from its first corner; then a plain scale maps points to pixels.
    """
    width_px, height_px = image_size
    sx = width_px / page.width
    sy = height_px / page.height

    def unlevel(x: float, y: float) -> tuple[float, float]:
        return preprocess.unlevel(x, y, page.width, page.height, page.deskew)

    slope = math.tan(math.radians(page.deskew))

    def box(b: tuple[float, float, float, float]) -> BoundingBox:
        x0, top, x1, bottom = b
        return BoundingBox(
            left=max(0.0, x0 * sx),
            top=max(0.0, top * sy),
            right=min(width_px, max(x0, x1) * sx),
            bottom=min(height_px, max(top, bottom) * sy),
        )

    def moved(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, top, x1, bottom = b
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        ux, uy = unlevel(cx, cy)
        return x0 + ux - cx, top + uy - cy, x1 + ux - cx, bottom + uy - cy

    def line_element(line: Line, words: list[OcrElement]) -> OcrElement:
        if abs(slope) < _FLAT:
            return OcrElement(ocr_class=OcrClass.LINE, bbox=box(moved(line.bbox)), children=words)
        # The renderer starts a line's baseline at its box's lower left corner plus the
        # intercept and sizes the font by box height plus intercept: give it the levelled
        # box, moved so that the baseline starts where the levelled one's start lies in
        # the scan, with the descent it assumes for a line without a baseline.
        x0, top, x1, bottom = line.bbox
        descent = _descent_share() * (bottom - top)
        ox, oy = unlevel(x0, bottom - descent)
        start = (ox, oy + descent - (bottom - top), ox + x1 - x0, oy + descent)
        return OcrElement(
            ocr_class=OcrClass.LINE,
            bbox=box(start),
            baseline=Baseline(slope=slope, intercept=-descent * sy),
            children=words,
        )

    lines = []
    for line in page.lines:
        words = [
            OcrElement(ocr_class=OcrClass.WORD, bbox=box(moved(w.bbox)), text=w.text)
            for w in line.words
            if w.text.strip()
        ]
        if words:
            lines.append(line_element(line, words))
    return OcrElement(
        ocr_class=OcrClass.PAGE,
        bbox=BoundingBox(0, 0, width_px, height_px),
        dpi=dpi,
        page_number=page.number - 1,
        children=lines,
    )


@functools.cache
def _descent_share() -> float:
    """Share of a line's height below the baseline that OCRmyPDF's fpdf2 renderer assumes
    when a line has no baseline: from the metrics of its default font."""
    font = FontManager(Path(ocrmypdf.__file__).parent / "data" / "NotoSans-Regular.ttf")
    ascent, descent, _ = font.get_font_metrics()
    return abs(descent) / (ascent + abs(descent))


class CorrectedTextEngine(OcrEngine):
    """An OCRmyPDF OCR engine that returns the document's corrected words, never OCR."""

    def __init__(self, document: Document, pages: list[int], language: str) -> None:
        self._pages = {p.number - 1: p for p in document.pages if p.number in pages}
        self._language = language

    @staticmethod
    def version() -> str:
        return __version__

    @staticmethod
    def creator_tag(options) -> str:
        return f"plandigit {__version__} (corrected OCR text)"

    def __str__(self) -> str:
        return f"plandigit {__version__} corrected text"

    def languages(self, options) -> set[str]:
        return {self._language}

    @staticmethod
    def get_orientation(input_file: Path, options) -> OrientationConfidence:
        return OrientationConfidence(angle=0, confidence=0.0)

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    def generate_ocr(self, input_file: Path, options, page_number: int = 0):
        with Image.open(input_file) as image:
            size = image.size
            dpi = float(image.info.get("dpi", (72, 72))[0])
        page = self._pages.get(page_number)
        if page is None or page.width <= 0 or page.height <= 0:
            return OcrElement(ocr_class=OcrClass.PAGE, bbox=BoundingBox(0, 0, *size), dpi=dpi), ""
        return page_elements(page, size, dpi), page.text

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options) -> None:
        raise NotImplementedError("plandigit's engine renders through generate_ocr")

    @staticmethod
    def generate_pdf(input_file, output_pdf, output_text, options) -> None:
        raise NotImplementedError("plandigit's engine renders through generate_ocr")


class _EnginePlugin:
    """Registers the engine with OCRmyPDF's plugin manager for one conversion."""

    def __init__(self, engine: CorrectedTextEngine) -> None:
        self.engine = engine

    @hookimpl
    def get_ocr_engine(self, options):
        if options is not None and getattr(options, "ocr_engine", None) != ENGINE_NAME:
            return None
        return self.engine


def make_access_copy(
    pdf_path: Path,
    document: Document,
    output: Path,
    flavour: PdfaFlavour = "2b",
    language: str = "swe",
) -> PdfaResult:
    """Write the PDF/A access copy of `pdf_path` to `output` (whole or not at all).

    Raises InvalidOutputError if the text layer cannot be made or the result fails the
    PDF/A check; InputFileError if the PDF cannot be read.
    """
    with tempfile.TemporaryDirectory(prefix="plandigit-pdfa-") as tmp:
        upright = Path(tmp) / "upright.pdf"
        layered = Path(tmp) / "layered.pdf"
        produced = Path(tmp) / "access.pdf"
        pages = _upright_copy(pdf_path, document, upright)
        if pages:
            _graft_text_layer(upright, layered, document, pages, language, str(pdf_path))
        else:
            layered = upright
        report = _save_pdfa(layered, produced, document, flavour, str(pdf_path))
        output.parent.mkdir(parents=True, exist_ok=True)
        with atomic.atomic_open(output, "wb") as handle, open(produced, "rb") as source:
            shutil.copyfileobj(source, handle)
    return PdfaResult(
        path=output,
        flavour=flavour,
        layered_pages=tuple(pages),
        validation=report.verdict,
        validator=f"pikepdf {pikepdf.__version__} (pikepdf.pdfa)",
        converter=f"OCRmyPDF {ocrmypdf.__version__} text layer, pikepdf PDF/A",
    )


def check_pdfa(path: Path, flavour: PdfaFlavour) -> list[str]:
    """Reasons `path` is not PDF/A of `flavour` according to pikepdf's validator."""
    report = validate_written(path, flavour)
    return [] if report.passed else [str(finding) for finding in report.findings]


def _upright_copy(pdf_path: Path, document: Document, target: Path) -> list[int]:
    """Copy the PDF ready for the text layer; return the pages that get it.

    - each page's /Rotate is turned by the rotation OCR applied, so the displayed page is
      upright and the words' boxes lie on its words;
    - on the pages that get our layer, the old invisible text (and the fonts only it used,
      often not embedded, which PDF/A forbids) is removed;
    - slide-show keys (/Trans, /Dur, which some PDF writers add to every page) are dropped:
      they mean nothing in an archive and pikepdf's PDF/A validator does not accept them.
    """
    try:
        with pikepdf.open(pdf_path) as pdf:
            for pdf_page in pdf.pages:
                for key in ("/Trans", "/Dur"):
                    if key in pdf_page.obj:
                        del pdf_page.obj[key]
            for page in document.pages:
                if page.rotation % 360 and page.number <= len(pdf.pages):
                    target_page = pdf.pages[page.number - 1]
                    current = int(target_page.obj.get("/Rotate", 0))
                    target_page.Rotate = (current + page.rotation) % 360
            pdf.save(target)
        pages = layered_pages(document, target)
        if pages:
            with pikepdf.open(target, allow_overwriting_input=True) as pdf:
                for number in pages:
                    _strip_invisible_text(pdf, pdf.pages[number - 1])
                pdf.save(target)
    except pikepdf.PdfError as exc:
        raise InputFileError(f"cannot read PDF: {exc}", str(pdf_path)) from exc
    return pages


_SHOW_TEXT = {"Tj", "TJ", "'", '"'}


def _strip_invisible_text(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Drop the page's text objects that draw only invisible text (render mode 3, an old
    OCR layer), then the resources nothing uses any more."""
    kept: list = []
    block: list | None = None
    visible = False
    modes = [0]  # text render mode per graphics-state level (q/Q)
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "q":
            modes.append(modes[-1])
        elif name == "Q" and len(modes) > 1:
            modes.pop()
        elif name == "Tr" and operands:
            modes[-1] = int(operands[0])
        if name == "BT":
            block, visible = [], False
        if block is None:
            kept.append((operands, operator))
            continue
        block.append((operands, operator))
        if name in _SHOW_TEXT and modes[-1] != 3:
            visible = True
        if name == "ET":
            if visible:
                kept.extend(block)
            elif modes[-1] != 0:
                kept.append(([modes[-1]], pikepdf.Operator("Tr")))  # keep the state
            block = None
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    page.remove_unreferenced_resources()


def _graft_text_layer(
    source: Path,
    target: Path,
    document: Document,
    pages: list[int],
    language: str,
    label: str,
) -> None:
    """OCRmyPDF in redo mode on `pages`: strip their old invisible text, render our words
    with its fpdf2 renderer and graft them under the page content. Plain PDF out; the
    PDF/A step follows."""
    plugins = get_plugin_manager([])
    plugins.pluggy_manager.register(_EnginePlugin(CorrectedTextEngine(document, pages, language)))
    streams = sys.stdout, sys.stderr  # OCRmyPDF's progress bar leaves stderr redirected
    try:
        status = ocrmypdf.ocr(
            source,
            target,
            mode="redo",
            pages=",".join(str(n) for n in pages),
            ocr_engine=ENGINE_NAME,
            pdf_renderer="fpdf2",
            output_type="pdf",
            optimize=0,  # the access copy shows the scan exactly as the master has it
            language=[language],
            jobs=1,
            use_threads=True,  # the engine holds the words in this process
            progress_bar=False,
            plugin_manager=plugins,
        )
    except ocrmypdf.exceptions.ExitCodeException as exc:
        raise InvalidOutputError(f"text layer failed: {_one_line(exc)}", label) from exc
    finally:
        sys.stdout, sys.stderr = streams
    if status != ocrmypdf.ExitCode.ok:
        raise InvalidOutputError(f"text layer failed: OCRmyPDF status {status.name}", label)


def _save_pdfa(
    source: Path, target: Path, document: Document, flavour: PdfaFlavour, label: str
) -> pikepdf.pdfa.Report:
    """PDF/A by pikepdf: output intent, XMP declaration, then validation of the bytes.

    Ghostscript is not used: Debian's 10.0 corrupts existing text.
    """
    with pikepdf.open(source) as pdf:
        if document.title:
            pdf.docinfo["/Title"] = document.title
        pdf.docinfo["/Creator"] = f"plandigit {__version__}"
        try:
            return pikepdf.pdfa.save(pdf, target, flavour, output_intent="sRGB")
        except pikepdf.pdfa.PdfaError as exc:
            findings = exc.report.findings
            first = str(findings[0]) if findings else "no detail"
            raise InvalidOutputError(
                f"access copy fails the PDF/A-{flavour} check: {first}", label
            ) from exc


def _one_line(exc: Exception) -> str:
    """OCRmyPDF's message head plus its first finding, on one line."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    findings = [line for line in lines if line.startswith("[")]
    return "; ".join(lines[:1] + findings[:1]) or type(exc).__name__
