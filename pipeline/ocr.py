"""Reading one page: its own text layer, or OCR of its image. The only module that runs
tesseract (through pytesseract): language checks, timeouts, and turning tesseract's
failures into plandigit's errors all live here.

OCR of a page, in order — each extra step only where the page needs it, since a second
tesseract pass costs as much as the first:

1. render once at the configured dpi (pdf.render_page);
2. survey the image (preprocess.survey): skew, vertical text lines, scan quality;
3. a page whose lines run vertically is turned upright with tesseract's OSD first;
4. level small skew; find table ruling lines and erase them from the image OCR reads
   (read as '1', 'l' or 'J' next to a cell's text); clean up a poor scan (denoise,
   flatten light, binarise);
5. OCR with image_to_data: every word with its box and confidence;
6. if that reads badly (low confidence), try OSD (a page upside down) and then the
   clean-up, keeping whichever reading is more confident.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from . import pdf, preprocess, tables
from .errors import MissingDependencyError, OcrFailedError, PageTimeoutError
from .model import Line, Page, Word, compose_text
from .process import PageJob


def _import_pytesseract():
    """pytesseract, imported without pandas: it loads pandas (0.2 s of every run's start)
    only to offer Output.DATAFRAME, which plandigit never asks for. A None entry in
    sys.modules makes that optional import fail the way a missing pandas would."""
    if "pandas" in sys.modules:
        import pytesseract
    else:
        sys.modules["pandas"] = None  # type: ignore[assignment]
        try:
            import pytesseract
        finally:
            del sys.modules["pandas"]
    return pytesseract


pytesseract = _import_pytesseract()

_GOOD_CONFIDENCE = 65.0  # mean word confidence below which a reading is doubted
_MIN_DESKEW = 0.1  # degrees; smaller skew is left alone
_CLEAN_SCALE = 1.5  # poor scans are cleaned up at 1.5x the render
_SPECK_SIZE = 0.3  # a mark this much of the median letter-word height, or less, is a speck
_SURE = 60.0  # word confidence at which even a speck-sized letter is believed


def _debian_package(lang: str) -> str:
    return f"tesseract-ocr-{lang.replace('_', '-').lower()}"


def check_tesseract(lang: str) -> None:
    """Fail early, with the Debian package to install, when tesseract or data is missing."""
    exe = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    if exe is None:
        raise MissingDependencyError(
            "tesseract is not installed (Debian: apt-get install tesseract-ocr)"
        )
    try:
        listing = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MissingDependencyError(f"tesseract does not run ({exc})") from exc
    known = {line.strip() for line in listing.stdout.splitlines()[1:]}
    for code in [*lang.split("+"), "osd"]:
        if code not in known:
            raise MissingDependencyError(
                f"tesseract language data {code!r} is missing "
                f"(Debian: apt-get install {_debian_package(code)})"
            )


@dataclass
class _Reading:
    """One tesseract pass over one image, with how the image was prepared."""

    lines: list[Line]
    rotation: int = 0
    deskew: float = 0.0
    steps: list[str] = field(default_factory=list)
    cleaned: bool = False  # the poor-scan clean-up was applied
    rulings: list = field(default_factory=list)  # ruling lines of the page read, in points

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @property
    def mean_confidence(self) -> float | None:
        words = self.words
        return sum(w.confidence for w in words) / len(words) if words else None

    @property
    def score(self) -> float:
        """Confidently read characters: more text read, and read surely, is better."""
        return sum(len(w.text) * w.confidence / 100 for w in self.words)

    def good(self) -> bool:
        return (self.mean_confidence or 0.0) >= _GOOD_CONFIDENCE


class _Tesseract:
    """tesseract calls for one page, sharing the page's time budget."""

    def __init__(self, lang: str, timeout: float) -> None:
        self.lang = lang
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.tmp = tempfile.mkdtemp(prefix="plandigit-ocr-")

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise PageTimeoutError(f"OCR took longer than the page timeout of {self.timeout:g} s")
        return left

    def _run(self, call, image: np.ndarray, scale: float, config: str):
        path = os.path.join(self.tmp, "page.pgm")  # uncompressed: no PNG encoding cost
        cv2.imwrite(path, image)
        config = f"--dpi {round(72 * scale)} {config}"  # scale: pixels per point
        try:
            return call(path, lang=self.lang, config=config, timeout=self._remaining())
        except pytesseract.TesseractNotFoundError as exc:
            raise MissingDependencyError(
                "tesseract is not installed (Debian: apt-get install tesseract-ocr)"
            ) from exc
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise PageTimeoutError(
                    f"OCR took longer than the page timeout of {self.timeout:g} s"
                ) from exc
            raise
        except pytesseract.TesseractError as exc:
            message = " ".join(str(exc.message).split())
            if "Failed loading language" in message or "Error opening data file" in message:
                raise MissingDependencyError(
                    f"tesseract language data for {self.lang!r} is missing (Debian: apt-get "
                    f"install {' '.join(_debian_package(c) for c in self.lang.split('+'))})"
                ) from exc
            raise OcrFailedError(f"tesseract failed: {message[:200]}") from exc

    def words(self, image: np.ndarray, scale: float) -> list[Line]:
        """OCR `image`; boxes converted to points with `scale` pixels per point."""
        data = self._run(
            lambda path, **kw: pytesseract.image_to_data(
                path, output_type=pytesseract.Output.DICT, **kw
            ),
            image,
            scale,
            "--psm 3",
        )
        return _lines_from_data(data, scale)

    def orientation(self, image: np.ndarray, scale: float) -> int:
        """Degrees clockwise that make the page upright, by tesseract's OSD (0 if unsure)."""
        try:
            found = self._run(
                lambda path, lang, **kw: pytesseract.image_to_osd(
                    path, lang="osd", output_type=pytesseract.Output.DICT, **kw
                ),
                image,
                scale,
                "--psm 0 -c min_characters_to_try=10",
            )
        except OcrFailedError:  # "Too few characters": nothing to orient by
            return 0
        return int(found["rotate"]) % 360


def _lines_from_data(data: dict, scale: float) -> list[Line]:
    """Group image_to_data words into lines by tesseract's block/paragraph/line numbers."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        text = text.strip()
        if not text or conf < 0:
            continue
        left, top = data["left"][i] / scale, data["top"][i] / scale
        box = (
            round(left, 2),
            round(top, 2),
            round(left + data["width"][i] / scale, 2),
            round(top + data["height"][i] / scale, 2),
        )
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        grouped.setdefault(key, []).append(Word(text, box, round(conf, 2)))
    lines: list[Line] = []
    blocks: dict[tuple[int, int], int] = {}
    for (block_num, par_num, _), words in grouped.items():
        lines.append(_line(words, blocks.setdefault((block_num, par_num), len(blocks))))
    return lines


def _line(words: list[Word], block: int) -> Line:
    """A line of these words: the box around them, their texts joined."""
    box = (
        min(w.bbox[0] for w in words),
        min(w.bbox[1] for w in words),
        max(w.bbox[2] for w in words),
        max(w.bbox[3] for w in words),
    )
    return Line(words, box, block, " ".join(w.text for w in words))


def _upright(
    gray: np.ndarray, rotation: int, look: preprocess.Survey | None = None
) -> tuple[np.ndarray, preprocess.Survey, float]:
    """Turn by `rotation` and level the skew; `look` is the survey of `gray` when known."""
    if rotation or look is None:
        gray = preprocess.turn(gray, rotation)
        look = preprocess.survey(gray)
    if abs(look.skew) >= _MIN_DESKEW:
        return preprocess.deskew(gray, look.skew), look, look.skew
    return gray, look, 0.0


def _osd_image(gray: np.ndarray, look: preprocess.Survey) -> np.ndarray:
    """What OSD should look at: a poor scan only after its light is flattened."""
    return preprocess.clean(gray, 1.0)[0] if look.poor else gray


def _read(
    tess: _Tesseract,
    gray: np.ndarray,
    look: preprocess.Survey,
    scale: float,
    rotation: int,
    skew: float,
    clean: bool,
) -> _Reading:
    """One OCR pass over the upright, levelled page: binarised, or fully cleaned up.
    Table ruling lines are found first and erased from what tesseract reads."""
    rulings = tables.find_rulings(gray, 1 / scale)
    erased = ["ruling lines erased"] if rulings else []
    gray = preprocess.erase_rulings(gray, rulings, scale)
    if clean:
        image, steps = preprocess.clean(gray, _CLEAN_SCALE)
        lines = tess.words(image, scale * _CLEAN_SCALE)
        steps = [*erased, *steps, f"poor scan: {look.describe()}"]
        return _Reading(lines, rotation, skew, steps, True, rulings)
    image, step = preprocess.binarise(gray)
    return _Reading(tess.words(image, scale), rotation, skew, [*erased, step], rulings=rulings)


def _ocr(tess: _Tesseract, gray: np.ndarray, scale: float) -> tuple[_Reading, np.ndarray]:
    """The best reading of a page image and the upright, levelled image it came from."""
    look = preprocess.survey(gray)
    rotation = 0
    if look.turned:  # lines run vertically: orient before the (expensive) OCR
        rotation = tess.orientation(_osd_image(gray, look), scale)
    level, look, skew = _upright(gray, rotation, None if rotation else look)
    best = _read(tess, level, look, scale, rotation, skew, look.poor)
    if best.good() or look.blank:
        return best, level
    # A doubtful reading: the page may be upside down, or a poor scan the survey did not
    # flag. Try each remedy once and keep the surest reading.
    if rotation == 0:
        turned = tess.orientation(_osd_image(level, look), scale)
        if turned:
            other, other_look, other_skew = _upright(gray, turned)
            candidate = _read(tess, other, other_look, scale, turned, other_skew, other_look.poor)
            if candidate.score > best.score:
                best, level, look = candidate, other, other_look
    if not best.good() and not best.cleaned:
        candidate = _read(tess, level, look, scale, best.rotation, best.deskew, True)
        if candidate.score > best.score:
            best = candidate
    return best, level


def _kept(lines: list[Line], keep: Callable[[Word], bool]) -> list[Line]:
    """The lines with only the words `keep` accepts (a line left empty is dropped)."""
    kept = []
    for line in lines:
        words = [w for w in line.words if keep(w)]
        if len(words) == len(line.words):
            kept.append(line)
        elif words:
            kept.append(_line(words, line.block))
    return kept


def _on_the_scan(lines: list[Line], width: float, height: float, degrees: float) -> list[Line]:
    """The words whose centre lies on the scan itself. Levelling turns the page and fills
    its corners by repeating the edge, and tesseract may read a word into that fill ("lön"
    in a corner of a page skewed 1.3°) that is on no paper."""
    if not degrees:
        return lines

    def on_scan(word: Word) -> bool:
        x0, top, x1, bottom = word.bbox
        x, y = preprocess.unlevel((x0 + x1) / 2, (top + bottom) / 2, width, height, degrees)
        return 0 <= x <= width and 0 <= y <= height

    return _kept(lines, on_scan)


def _without_specks(lines: list[Line]) -> tuple[list[Line], int]:
    """Drop words read from specks of dust — far smaller than the page's letters: marks
    ('.', ':', '|', '"', '-.' standing alone on a noisy scan), or a letter read with doubt
    ('i' 1.7 pt high) — and say how many. A dash's shape stands, whatever it was read as
    (a bullet read as ':'): alone it is text."""
    heights = [
        w.bbox[3] - w.bbox[1]
        for line in lines
        for w in line.words
        if sum(c.isalnum() for c in w.text) >= 2  # words, not what a speck may be read as
    ]
    if not heights:
        return lines, 0
    limit = _SPECK_SIZE * statistics.median(heights)

    def kept(word: Word) -> bool:
        x0, top, x1, bottom = word.bbox
        width, height = x1 - x0, bottom - top
        if max(width, height) >= limit:
            return True
        if any(c.isalnum() or c in "§&%" for c in word.text):
            return word.confidence >= _SURE  # a letter that small is dust read doubtfully
        return width >= 1.5 * height and width >= limit / 2  # a dash, whatever it was read as

    cleaned = _kept(lines, kept)
    dropped = sum(len(line.words) for line in lines) - sum(len(line.words) for line in cleaned)
    return cleaned, dropped


def read_page(job: PageJob) -> Page:
    """Read one page by the path its text layer allows; page-level failures (timeout,
    tesseract error) give a failed Page, document-level ones (missing tesseract) raise."""
    settings = job.settings
    number = job.index + 1
    layer = None
    if settings.ocr == "never" or (
        settings.ocr == "auto" and pdf.page_char_count(job.pdf, job.index) > 0
    ):
        layer = pdf.read_text_layer(job.pdf, job.index)
    if settings.ocr == "auto" and layer is None:
        verdict = pdf.LayerVerdict("ocr", "no text layer")
    else:
        verdict = pdf.judge_text_layer(layer, settings.ocr, settings.lang)
    if verdict.source == "text-layer":
        assert layer is not None
        return Page(
            number=number,
            source="text-layer",
            reason=verdict.reason,
            width=round(layer.width, 2),
            height=round(layer.height, 2),
            mean_confidence=100.0 if layer.lines else None,
            rulings=layer.rulings,
            lines=layer.lines,
            raw_text=compose_text(layer.lines, corrected=False),
            text=compose_text(layer.lines),
        )

    gray, scale = pdf.render_page(job.pdf, job.index, settings.dpi, settings.max_image_pixels)
    tess = _Tesseract(settings.lang, settings.page_timeout)
    try:
        reading, level = _ocr(tess, gray, scale)
    except (PageTimeoutError, OcrFailedError) as exc:
        return Page(
            number=number,
            source="ocr",
            reason=verdict.reason,
            status="failed",
            error=str(exc),
            width=round(gray.shape[1] / scale, 2),
            height=round(gray.shape[0] / scale, 2),
        )
    finally:
        tess.close()
    width, height = level.shape[1] / scale, level.shape[0] / scale
    reading.lines = _on_the_scan(reading.lines, width, height, reading.deskew)
    reading.lines, specks = _without_specks(reading.lines)
    if specks:
        reading.steps.append(f"{specks} speck{'s' * (specks != 1)} read as text dropped")
    return Page(
        number=number,
        source="ocr",
        reason=verdict.reason,
        rulings=reading.rulings,
        width=round(width, 2),
        height=round(height, 2),
        rotation=reading.rotation,
        deskew=round(reading.deskew, 3),
        preprocessing=reading.steps,
        mean_confidence=(
            round(reading.mean_confidence, 2) if reading.mean_confidence is not None else None
        ),
        lines=reading.lines,
        raw_text=compose_text(reading.lines, corrected=False),
        text=compose_text(reading.lines),
    )
