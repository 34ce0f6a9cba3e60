"""Render the sample PDFs in samples/ and their ground truth in samples/truth/.

Usage: ``python samples/generate.py [--only STEM ...]`` (regenerates in place).

Every page is laid out once in PDF points (lines of text at positions, ruling lines), and
the same layout gives both the printed page and its ground-truth text, so the two cannot
disagree. Scanned pages are rasterised with Pillow at the sample's dpi and degraded the way
real scans are (skew, uneven light, blur, noise, speckles, JPEG); the PDFs are built from
greyscale JPEG pages with img2pdf. Output is deterministic: a fixed seed per sample.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import img2pdf
import numpy as np
import pikepdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SAMPLES = Path(__file__).resolve().parent
TRUTH = SAMPLES / "truth"
if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))

import content as C  # noqa: E402

A4 = (595.276, 841.89)  # points, portrait
A4_LANDSCAPE = (A4[1], A4[0])
FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS: dict[str, tuple[Path, Path]] = {
    "DejaVu Serif": (FONT_DIR / "dejavu/DejaVuSerif.ttf", FONT_DIR / "dejavu/DejaVuSerif-Bold.ttf"),
    "DejaVu Sans": (FONT_DIR / "dejavu/DejaVuSans.ttf", FONT_DIR / "dejavu/DejaVuSans-Bold.ttf"),
    "Liberation Serif": (
        FONT_DIR / "liberation/LiberationSerif-Regular.ttf",
        FONT_DIR / "liberation/LiberationSerif-Bold.ttf",
    ),
    "Liberation Sans": (
        FONT_DIR / "liberation/LiberationSans-Regular.ttf",
        FONT_DIR / "liberation/LiberationSans-Bold.ttf",
    ),
}
# style -> (size in pt, bold, space before in pt)
STYLES: dict[str, tuple[float, bool, float]] = {
    "title": (20, True, 0),
    "subtitle": (14, True, 4),
    "heading": (12.5, True, 12),
    "para": (11, False, 7),
    "bullets": (11, False, 7),
    "clause": (12, True, 11),
    "clausetext": (12, False, 3),
    "agreementtext": (12, False, 8),
    "signature": (11, False, 30),
}
LEADING = 1.32  # line height / font size
PAGE_LIMIT = 400_000  # bytes per page of a scanned PDF


# --------------------------------------------------------------------------------------
# Layout (in points, independent of how the page is produced)
# --------------------------------------------------------------------------------------

Measure = Callable[[str, bool, float], float]  # (text, bold, size) -> width in points


@dataclass
class TextLine:
    x: float
    top: float
    text: str
    size: float
    bold: bool = False


@dataclass
class PageLayout:
    """What is printed on one page: text lines, ruling lines, and the truth text blocks."""

    width: float
    height: float
    layout: str  # narrative | table-ruled | table-unruled | agreement
    lines: list[TextLine] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    blocks: list[list[str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join("\n".join(b) for b in self.blocks if b)


def wrap(text: str, width: float, measure: Measure, bold: bool, size: float) -> list[str]:
    """Greedy word wrap at spaces only (joining the lines with spaces restores the text)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and measure(candidate, bold, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    for line in lines:
        if measure(line, bold, size) > width + 0.5:
            raise ValueError(f"word too wide for column ({width:.0f} pt): {line!r}")
    return lines


class Flow:
    """Flows blocks down portrait pages, breaking between lines when a page is full."""

    def __init__(self, measure: Measure, layout: str, margins=(72.0, 66.0, 72.0, 66.0)):
        self.measure = measure
        self.layout = layout
        self.left, self.top, self.right, self.bottom = margins
        self.pages: list[PageLayout] = []
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(PageLayout(A4[0], A4[1], self.layout))
        self.y = self.top

    @property
    def page(self) -> PageLayout:
        return self.pages[-1]

    @property
    def text_width(self) -> float:
        return A4[0] - self.left - self.right

    def room(self, height: float) -> bool:
        return self.y + height <= A4[1] - self.bottom

    def add(self, style: str, text: str | list[str], keep_with_next: int = 0) -> int:
        """Add a block; return the page number (from 1) where it starts."""
        size, bold, before = STYLES[style]
        lh = size * LEADING
        printed: list[tuple[str, float]] = []  # (text, indent)
        if style == "bullets":
            indent = self.measure("- ", bold, size)
            for item in text:
                for i, line in enumerate(
                    wrap(item, self.text_width - indent, self.measure, bold, size)
                ):
                    printed.append((f"- {line}" if i == 0 else line, 0.0 if i == 0 else indent))
        else:
            assert isinstance(text, str)
            printed = [(t, 0.0) for t in wrap(text, self.text_width, self.measure, bold, size)]
        if self.y > self.top:
            self.y += before
        if not self.room(lh * min(len(printed), 2) + keep_with_next):
            self.new_page()
        start = len(self.pages)
        self.page.blocks.append([])
        for line, indent in printed:
            if not self.room(lh):
                self.new_page()
                self.page.blocks.append([])
            self.page.lines.append(TextLine(self.left + indent, self.y, line, size, bold))
            self.page.blocks[-1].append(line)
            self.y += lh
        return start

    def rule_then_text(self, text: str, rule_width: float = 200.0) -> None:
        """A signature: a drawn line to sign on, with the name printed below it."""
        size, bold, before = STYLES["signature"]
        lh = size * LEADING
        if not self.room(before + lh):
            self.new_page()
        self.y += before
        self.page.rules.append((self.left, self.y, self.left + rule_width, self.y))
        self.y += 4
        self.page.lines.append(TextLine(self.left, self.y, text, size, bold))
        self.page.blocks.append([text])
        self.y += lh


def narrative_pages(blocks: Iterable[C.Block], measure: Measure) -> list[PageLayout]:
    flow = Flow(measure, "narrative")
    for style, text in blocks:
        if style == "pagebreak":
            flow.new_page()
            continue
        keep = STYLES["para"][0] * LEADING * 2 + 8 if style in ("heading", "subtitle") else 0
        flow.add(style, text, keep_with_next=keep)
    return flow.pages


def responsible_cell(names: tuple[str, ...]) -> str:
    """'Haninge, Botkyrka och Huddinge' from the canonical names."""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " och " + names[-1]


def parse_budget(cell: str) -> int | None:
    """'120 000 kr' -> 120000, '4000' -> 4000, '' -> None."""
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else None


@dataclass
class TableStyle:
    header: tuple[str, ...]
    widths: tuple[float, ...]  # points, sum = table width
    ruled: bool
    size: float = 10.0
    pad: float = 4.0
    heading: str = "Bilaga 1 Handlingsplan"
    landscape: bool = True
    split_rows: bool = False  # a row at the foot of a page goes on on the next one
    repeat_header: bool = True  # the header row printed again on each continued page


def table_pages(
    rows: list[C.Section | C.Act], style: TableStyle, measure: Measure, first_page: int
) -> tuple[list[PageLayout], list[dict[str, Any]]]:
    """Lay out an action-plan table over landscape (or portrait) pages, the header
    repeated on each page.

    Returns the pages and the action rows (truth), each with the page it starts on.
    """
    layout = "table-ruled" if style.ruled else "table-unruled"
    width, height = A4_LANDSCAPE if style.landscape else A4
    margin_top, margin_bottom = 48.0, 48.0
    table_w = sum(style.widths)
    x0 = (width - table_w) / 2
    lh = style.size * LEADING
    pad = style.pad
    pages: list[PageLayout] = []
    actions: list[dict[str, Any]] = []
    y = 0.0
    section: C.Section | None = None

    def cell_lines(texts: list[str], bold: bool) -> list[list[str]]:
        return [
            wrap(t, w - 2 * pad, measure, bold, style.size) if t else []
            for t, w in zip(texts, style.widths, strict=True)
        ]

    def draw_row(page: PageLayout, cells: list[list[str]], bold: bool, top: float) -> float:
        """Print a row of cells at ``top``; return the row height."""
        n = max(1, *(len(c) for c in cells))
        h = n * lh + 2 * pad
        x = x0
        block: list[str] = []
        for lines, w in zip(cells, style.widths, strict=True):
            for i, line in enumerate(lines):
                page.lines.append(TextLine(x + pad, top + pad + i * lh, line, style.size, bold))
            block.extend(lines)
            x += w
        page.blocks.append(block)
        if style.ruled:
            xs = [x0]
            for w in style.widths:
                xs.append(xs[-1] + w)
            for xv in xs:
                page.rules.append((xv, top, xv, top + h))
            page.rules.append((x0, top + h, x0 + table_w, top + h))
        return h

    def start_page() -> PageLayout:
        nonlocal y
        page = PageLayout(width, height, layout)
        pages.append(page)
        y = margin_top
        if len(pages) == 1 and style.heading:
            size = STYLES["heading"][0]
            page.lines.append(TextLine(x0, y, style.heading, size, True))
            page.blocks.append([style.heading])
            y += size * LEADING + 8
        if style.ruled:
            page.rules.append((x0, y, x0 + table_w, y))
        if len(pages) == 1 or style.repeat_header:
            y += draw_row(page, cell_lines(list(style.header), True), True, y)
            if not style.ruled:
                y += 2
        return page

    page = start_page()
    for row in rows:
        if isinstance(row, C.Section):
            texts = wrap(row.text, table_w - 2 * pad, measure, True, style.size)
            h = len(texts) * lh + 2 * pad + (0 if style.ruled else 6)
            if y + h + 3 * lh > height - margin_bottom:  # keep the section with a row
                page = start_page()
            top = y + (0 if style.ruled else 6)
            for i, t in enumerate(texts):
                page.lines.append(TextLine(x0 + pad, top + pad + i * lh, t, style.size, True))
            page.blocks.append(texts)
            if style.ruled:
                page.rules.append((x0, y, x0, y + h))
                page.rules.append((x0 + table_w, y, x0 + table_w, y + h))
                page.rules.append((x0, y + h, x0 + table_w, y + h))
            y += h
            section = row
            continue
        texts = [
            row.subgoal or "",
            row.activity,
            responsible_cell(row.responsible),
            row.when or "",
            row.budget,
            row.comment or "",
        ]
        cells = cell_lines(texts, False)
        h = max(len(c) for c in cells) * lh + 2 * pad
        if y + h > height - margin_bottom:
            fit = int((height - margin_bottom - y - 2 * pad) // lh)
            if style.split_rows and fit >= 1:
                actions.append(action_truth(row, section, first_page + len(pages) - 1))
                y += draw_row(page, [c[:fit] for c in cells], False, y)
                page = start_page()
                y += draw_row(page, [c[fit:] for c in cells], False, y)
                continue
            page = start_page()
        y += draw_row(page, cells, False, y)
        actions.append(action_truth(row, section, first_page + len(pages) - 1))
    return pages, actions


def action_truth(row: C.Act, section: C.Section | None, page: int) -> dict[str, Any]:
    """The row as an ideal extractor returns it (schemas/action.schema.json)."""
    return {
        "area": section.area if section else None,
        "goal": section.goal if section else None,
        "subgoal": row.subgoal,
        "activity": row.activity,
        "responsible": list(row.responsible),
        "when": row.when,
        "budget_sek": parse_budget(row.budget),
        "comment": row.comment,
        "page": page,
    }


# --------------------------------------------------------------------------------------
# Producing pages: scanned (Pillow raster + degradation) or born-digital (reportlab)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """How a page was scanned. ``rotation``: degrees clockwise the content is turned."""

    dpi: int = 300
    font: str = "DejaVu Serif"
    condition: str = "clean"
    skew: float = 0.0  # degrees, counter-clockwise positive
    blur: float = 0.9  # gaussian radius in pixels (scanner softness)
    noise: float = 6.0  # gaussian sigma in grey levels, before the blur (paper, toner)
    grain: float = 0.0  # gaussian sigma after the blur (sensor noise)
    speckles: int = 60  # dark specks per page
    lighting: float = 0.0  # 0 = even; 0.5 = corners half as bright
    paper: int = 244
    ink: int = 28
    quality: int = 70
    rotation: int = 0


@cache
def pil_font(font: str, bold: bool, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS[font][1 if bold else 0]), px)


def pil_measure(font: str) -> Measure:
    """Width in points measured with the same font files Pillow renders (at high res)."""

    def measure(text: str, bold: bool, size: float) -> float:
        return pil_font(font, bold, round(size * 10)).getlength(text) / 10

    return measure


def rasterise(page: PageLayout, scan: Scan) -> Image.Image:
    """Render a layout as a clean greyscale image at the scan's dpi."""
    k = scan.dpi / 72
    size = (round(page.width * k), round(page.height * k))
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    for line in page.lines:
        font = pil_font(scan.font, line.bold, round(line.size * k))
        draw.text((line.x * k, line.top * k), line.text, font=font, fill=0)
    stroke = max(1, round(0.8 * k))
    for x0, y0, x1, y1 in page.rules:
        draw.line([(x0 * k, y0 * k), (x1 * k, y1 * k)], fill=0, width=stroke)
    return img


def degrade(img: Image.Image, scan: Scan, rng: np.random.Generator) -> Image.Image:
    """Make a clean render look scanned: skew, paper/ink tone, noise and specks softened by
    the scanner's blur, uneven light, then sensor grain."""
    if scan.skew:
        img = img.rotate(scan.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    w, h = img.size
    a = np.asarray(img, dtype=np.float32) / 255.0
    out = scan.ink + (scan.paper - scan.ink) * a
    if scan.noise:
        out += rng.normal(0.0, scan.noise, out.shape).astype(np.float32)
    img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "L")
    if scan.speckles:
        draw = ImageDraw.Draw(img)
        xs = rng.integers(0, w, scan.speckles)
        ys = rng.integers(0, h, scan.speckles)
        rs = rng.uniform(0.6, 2.4, scan.speckles) * scan.dpi / 300
        for x, y, r in zip(xs, ys, rs, strict=True):
            draw.ellipse([x - r, y - r, x + r, y + r], fill=int(rng.integers(0, 140)))
    if scan.blur:
        img = img.filter(ImageFilter.GaussianBlur(scan.blur))
    if scan.lighting or scan.grain:
        out = np.asarray(img, dtype=np.float32)
        if scan.lighting:
            gx = np.linspace(0.0, 1.0, w, dtype=np.float32)
            gy = np.linspace(-1.0, 1.0, h, dtype=np.float32)
            cx = np.linspace(-1.0, 1.0, w, dtype=np.float32)
            vignette = (cx[None, :] ** 2 + gy[:, None] ** 2) / 2
            light = 0.55 * gx[None, :] + 0.25 * (gy[:, None] + 1) / 2 + 0.6 * vignette
            out *= 1.0 - scan.lighting * light / light.max()
        if scan.grain:
            out += rng.normal(0.0, scan.grain, out.shape).astype(np.float32)
        img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "L")
    if scan.rotation:
        img = img.rotate(-scan.rotation, expand=True)  # PIL turns counter-clockwise
    return img


def jpeg_bytes(img: Image.Image, scan: Scan) -> bytes:
    buf = io.BytesIO()
    img.save(
        buf, "JPEG", quality=scan.quality, dpi=(scan.dpi, scan.dpi), optimize=True, progressive=True
    )
    return buf.getvalue()


def normalise_pdf(data: bytes, out: Path, title: str | None) -> None:
    """Write the PDF with fixed metadata and a deterministic /ID (same bytes every run)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary())
        if title:
            pdf.docinfo["/Title"] = title
        tmp = out.with_suffix(".tmp")
        pdf.save(tmp, deterministic_id=True, compress_streams=True)
    os.replace(tmp, out)


def scanned_pdf(
    out: Path,
    pages: list[PageLayout],
    scans: list[Scan],
    seed: int,
    title: str | None,
    limit: int | None = PAGE_LIMIT,
) -> None:
    """Rasterise, degrade and JPEG-encode each page; refuse pages over ``limit`` bytes."""
    rng = np.random.default_rng(seed)
    jpegs = [
        jpeg_bytes(degrade(rasterise(p, s), s, rng), s) for p, s in zip(pages, scans, strict=True)
    ]
    for i, j in enumerate(jpegs, 1):
        if limit and len(j) > limit:
            raise ValueError(f"{out.name} page {i}: {len(j)} bytes > {limit}")
    normalise_pdf(img2pdf.convert(jpegs, nodate=True, engine=img2pdf.Engine.internal), out, title)


@cache
def reportlab_font(font: str, bold: bool) -> str:
    """Register the TTF with reportlab (embedded, so å/ä/ö are real text); return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = font.replace(" ", "") + ("-Bold" if bold else "")
    pdfmetrics.registerFont(TTFont(name, str(FONTS[font][1 if bold else 0])))
    return name


def reportlab_measure(font: str) -> Measure:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def measure(text: str, bold: bool, size: float) -> float:
        return stringWidth(text, reportlab_font(font, bold), size)

    return measure


def born_digital_pdf(out: Path, pages: list[PageLayout], font: str, title: str) -> None:
    """Write the layouts as a born-digital PDF: embedded font, vector ruling lines."""
    from reportlab.pdfbase.pdfmetrics import getAscent
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(
        buf, invariant=1, pageCompression=1, initialFontName=reportlab_font(font, False)
    )
    canvas.setTitle(title)
    for page in pages:
        canvas.setPageSize((page.width, page.height))
        canvas.setLineWidth(0.8)
        for x0, y0, x1, y1 in page.rules:
            canvas.line(x0, page.height - y0, x1, page.height - y1)
        for line in page.lines:
            name = reportlab_font(font, line.bold)
            canvas.setFont(name, line.size)
            baseline = line.top + getAscent(name, line.size)
            canvas.drawString(line.x, page.height - baseline, line.text)
        canvas.showPage()
    canvas.save()
    normalise_pdf(buf.getvalue(), out, title)


def page_truth(number: int, page: PageLayout, scan: Scan) -> dict[str, Any]:
    return {
        "number": number,
        "text": page.text,
        "rotation": scan.rotation,
        "dpi": scan.dpi,
        "font": scan.font,
        "condition": scan.condition,
        "layout": page.layout,
        "skew": scan.skew,
    }


def write_truth(stem: str, data: dict[str, Any]) -> None:
    TRUTH.mkdir(exist_ok=True)
    path = TRUTH / f"{stem}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def seed_of(stem: str) -> int:
    return zlib.crc32(stem.encode())


def truth_doc(
    stem: str,
    kind: str,
    title: str | None,
    year: int | None,
    pages: list[dict[str, Any]],
    actions: list[dict[str, Any]] | None = None,
    clauses: list[dict[str, Any]] | None = None,
    parties: list[str] | None = None,
    signed: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "file": f"{stem}.pdf",
        "kind": kind,
        "title": title,
        "year": year,
        "pages": pages,
        "actions": actions or [],
        "clauses": clauses or [],
        "parties": parties or [],
        "signed": signed,
    }


# --------------------------------------------------------------------------------------
# The samples
# --------------------------------------------------------------------------------------

HEADER = ("Delmål", "Aktivitet", "Ansvarig", "Tid", "Budget", "Kommentar")
WIDTHS = (160.0, 186.0, 124.0, 62.0, 66.0, 144.0)


def plan_truth(
    stem: str, year: int, pages: list[PageLayout], scans: list[Scan], actions: list[dict]
) -> dict[str, Any]:
    return truth_doc(
        stem,
        "plan",
        f"Verksamhetsplan {year}",
        year,
        [page_truth(i, p, s) for i, (p, s) in enumerate(zip(pages, scans, strict=True), 1)],
        actions,
    )


def plan_pages(
    narrative: list[C.Block],
    table: list[C.Section | C.Act],
    table_style: TableStyle,
    measure: Measure,
) -> tuple[list[PageLayout], list[dict[str, Any]]]:
    """A plan: narrative pages, then the action-plan table (Bilaga 1) on landscape pages."""
    pages = narrative_pages(narrative, measure)
    tpages, actions = table_pages(table, table_style, measure, len(pages) + 1)
    return pages + tpages, actions


def scanned_plan(
    stem: str,
    year: int,
    narrative: list[C.Block],
    table: list[C.Section | C.Act],
    table_style: TableStyle,
    scan: Scan,
    skews: list[float],
) -> None:
    pages, actions = plan_pages(narrative, table, table_style, pil_measure(scan.font))
    if len(skews) != len(pages):
        raise ValueError(f"{stem}: {len(pages)} pages laid out, {len(skews)} skews given")
    scans = [Scan(**{**scan.__dict__, "skew": s}) for s in skews]
    title = f"Verksamhetsplan {year}"
    scanned_pdf(SAMPLES / f"{stem}.pdf", pages, scans, seed_of(stem), title)
    write_truth(stem, plan_truth(stem, year, pages, scans, actions))


def verksamhetsplan_2022() -> None:
    scan = Scan(dpi=300, font="DejaVu Serif", blur=1.0, noise=2.5, speckles=80, quality=60)
    scanned_plan(
        "verksamhetsplan-2022",
        2022,
        C.PLAN_2022_NARRATIVE,
        C.PLAN_2022_TABLE,
        TableStyle(HEADER, WIDTHS, ruled=True),
        scan,
        skews=[0.6, -0.4, 0.8, -0.9],
    )


def verksamhetsplan_2023() -> None:
    scan = Scan(dpi=200, font="DejaVu Sans", blur=0.7, noise=3.0, speckles=60, quality=68)
    header = ("Delmål", "Namn", "Ansvarig", "Tid", "Budget", "Kommentar")
    scanned_plan(
        "verksamhetsplan-2023",
        2023,
        C.PLAN_2023_NARRATIVE,
        C.PLAN_2023_TABLE,
        TableStyle(header, (150.0, 190.0, 124.0, 70.0, 72.0, 136.0), ruled=False, pad=6.0),
        scan,
        skews=[-1.2, 1.4, -0.8],
    )


def verksamhetsplan_2024() -> None:
    stem, year, font = "verksamhetsplan-2024", 2024, "DejaVu Sans"
    pages, actions = plan_pages(
        C.PLAN_2024_NARRATIVE,
        C.PLAN_2024_TABLE,
        TableStyle(HEADER, WIDTHS, ruled=True),
        reportlab_measure(font),
    )
    born_digital_pdf(SAMPLES / f"{stem}.pdf", pages, font, f"Verksamhetsplan {year}")
    scan = Scan(dpi=72, font=font, condition="born-digital", blur=0, noise=0, speckles=0)
    write_truth(stem, plan_truth(stem, year, pages, [scan] * len(pages), actions))


DIFF_FIELDS = (
    "area", "goal", "subgoal", "activity", "responsible", "when", "budget_sek", "comment"
)


def keyed_actions(table: list[C.Section | C.Act]) -> dict[str, dict[str, Any]]:
    """The table's action rows (as truth, page left out) by activity key."""
    out: dict[str, dict[str, Any]] = {}
    section = None
    for row in table:
        if isinstance(row, C.Section):
            section = row
        else:
            out[row.key] = action_truth(row, section, 1)
    return out


def budget_by_area(actions: Iterable[dict[str, Any]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for a in actions:
        totals[a["area"]] = totals.get(a["area"], 0) + (a["budget_sek"] or 0)
    return totals


def expected_changes(old: list[C.Section | C.Act], new: list[C.Section | C.Act]) -> dict:
    """The diff an ideal `plandigit diff` reports between two years' tables."""
    before, after = keyed_actions(old), keyed_actions(new)
    changed = []
    for key, a in after.items():
        if key not in before:
            continue
        b = before[key]
        fields = sorted(
            f
            for f in DIFF_FIELDS
            if (set(a[f]) != set(b[f]) if f == "responsible" else a[f] != b[f])
        )
        if fields:
            changed.append(
                {"old_activity": b["activity"], "new_activity": a["activity"], "fields": fields}
            )
    old_areas, new_areas = budget_by_area(before.values()), budget_by_area(after.values())
    return {
        "added": [a["activity"] for k, a in after.items() if k not in before],
        "removed": [b["activity"] for k, b in before.items() if k not in after],
        "changed": changed,
        "unchanged": sum(1 for k in after if k in before) - len(changed),
        "budget": {
            "old_total": sum(old_areas.values()),
            "new_total": sum(new_areas.values()),
            "old_by_area": old_areas,
            "new_by_area": new_areas,
        },
    }


def changes_files() -> None:
    for (y0, t0), (y1, t1) in [
        ((2022, C.PLAN_2022_TABLE), (2023, C.PLAN_2023_TABLE)),
        ((2023, C.PLAN_2023_TABLE), (2024, C.PLAN_2024_TABLE)),
    ]:
        write_truth(f"changes-{y0}-{y1}", expected_changes(t0, t1))


@dataclass(frozen=True)
class AgreementContent:
    """What an agreement prints. A clause's text is one paragraph, or a list of paragraphs
    (sub-items such as 'a) ...' each set as its own block); its truth joins them with
    spaces."""

    title: str
    preamble: str
    clauses: list[tuple[str, str, str | list[str]]]
    place: str
    date_text: str
    signatures: list[tuple[str, str]]


AGREEMENT_2019 = AgreementContent(
    C.AGREEMENT_2019_TITLE,
    C.AGREEMENT_2019_PREAMBLE,
    C.AGREEMENT_2019_CLAUSES,
    C.AGREEMENT_2019_PLACE,
    C.AGREEMENT_2019_DATE_TEXT,
    C.AGREEMENT_2019_SIGNATURES,
)


def agreement_pages(
    measure: Measure, bottom: float, content: AgreementContent = AGREEMENT_2019
) -> tuple[list[PageLayout], list[dict[str, Any]], list[str]]:
    """Lay out the agreement; return pages, clause truths and the clauses split by a page
    break."""
    flow = Flow(measure, "agreement", margins=(72.0, 72.0, 72.0, bottom))
    flow.add("title", content.title)
    flow.add("agreementtext", content.preamble)
    clauses = []
    spanning = []
    lh = STYLES["clausetext"][0] * LEADING
    for number, title, text in content.clauses:
        page = flow.add("clause", f"§ {number} {title}", keep_with_next=2 * lh + 6)
        parts = [text] if isinstance(text, str) else text
        starts = [flow.add("clausetext", part) for part in parts]
        if starts[0] < len(flow.pages):  # the clause's text runs over a page break
            spanning.append(number)
        clauses.append({"number": number, "title": title, "text": " ".join(parts), "page": page})
    flow.add("agreementtext", f"{content.place} den {content.date_text}")
    for name, municipality in content.signatures:
        flow.rule_then_text(f"{name}, {municipality}")
    return flow.pages, clauses, spanning


def samarbetsavtal_2019() -> None:
    stem = "samarbetsavtal-2019"
    scan = Scan(dpi=300, font="Liberation Serif", blur=0.9, noise=2.5, speckles=50, quality=62)
    # The first bottom margin (from 72 pt up) at which a clause runs over the page break.
    for bottom in range(72, 200, 4):
        pages, clauses, spanning = agreement_pages(pil_measure(scan.font), bottom)
        if spanning and len(pages) == 2:
            break
    else:
        raise ValueError(f"{stem}: no layout has a clause continuing across the page break")
    scans = [Scan(**{**scan.__dict__, "skew": s}) for s in (-0.5, 0.7)]
    scanned_pdf(SAMPLES / f"{stem}.pdf", pages, scans, seed_of(stem), C.AGREEMENT_2019_TITLE)
    write_truth(
        stem,
        truth_doc(
            stem,
            "agreement",
            C.AGREEMENT_2019_TITLE,
            2019,
            [page_truth(i, p, s) for i, (p, s) in enumerate(zip(pages, scans, strict=True), 1)],
            clauses=clauses,
            parties=list(C.MUNICIPALITIES),
            signed={"place": C.AGREEMENT_2019_PLACE, "date": C.AGREEMENT_2019_DATE},
        ),
    )


def narrative_doc(
    stem: str,
    title: str,
    year: int,
    blocks: list[C.Block],
    scans: list[Scan],
) -> tuple[list[PageLayout], dict[str, Any]]:
    """Lay out a narrative document for the given scans; return pages and truth."""
    pages = narrative_pages(blocks, pil_measure(scans[0].font))
    if len(pages) != len(scans):
        raise ValueError(f"{stem}: {len(pages)} pages laid out, {len(scans)} scans given")
    truth = truth_doc(
        stem,
        "other",
        title,
        year,
        [page_truth(i, p, s) for i, (p, s) in enumerate(zip(pages, scans, strict=True), 1)],
    )
    return pages, truth


def dalig_skanning() -> None:
    """One page scanned badly: 200 dpi, strong uneven light, heavy noise, specks, JPEG 50."""
    stem = "dalig-skanning"
    scan = Scan(
        dpi=200,
        font="DejaVu Sans",
        condition="poor",
        skew=1.3,
        blur=1.1,
        noise=34.0,
        grain=10.0,
        speckles=500,
        lighting=0.85,
        paper=232,
        ink=60,
        quality=50,
    )
    pages, truth = narrative_doc(stem, C.RADSLAG_2021_TITLE, 2021, C.RADSLAG_2021, [scan])
    scanned_pdf(SAMPLES / f"{stem}.pdf", pages, [scan], seed_of(stem), C.RADSLAG_2021_TITLE)
    write_truth(stem, truth)


def roterade_sidor() -> None:
    """Two pages fed into the scanner turned: one 90° clockwise, one upside down."""
    stem = "roterade-sidor"
    base = Scan(dpi=300, font="Liberation Sans", blur=0.9, noise=2.5, speckles=60, quality=60)
    scans = [
        Scan(**{**base.__dict__, "rotation": 90, "skew": 0.5}),
        Scan(**{**base.__dict__, "rotation": 180, "skew": -0.7}),
    ]
    title = C.LAGESRAPPORT_2020_TITLE
    pages, truth = narrative_doc(stem, title, 2020, C.LAGESRAPPORT_2020, scans)
    scanned_pdf(SAMPLES / f"{stem}.pdf", pages, scans, seed_of(stem), title)
    write_truth(stem, truth)


def legacy_ocr() -> None:
    """A scan whose text layer came from an English-model OCR run (å/ä/ö lost)."""
    stem = "legacy-ocr"
    base = Scan(
        dpi=300, font="Liberation Serif", condition="legacy", blur=0.9, noise=2.5, quality=60
    )
    scans = [Scan(**{**base.__dict__, "skew": s}) for s in (-0.4, 0.3)]
    title = C.BERATTELSE_2020_TITLE
    pages, truth = narrative_doc(stem, title, 2020, C.BERATTELSE_2020, scans)
    rng = np.random.default_rng(seed_of(stem))
    combined = pikepdf.new()
    with tempfile.TemporaryDirectory() as tmp:
        for i, (page, scan) in enumerate(zip(pages, scans, strict=True)):
            jpeg = Path(tmp, f"page{i}.jpg")
            jpeg.write_bytes(jpeg_bytes(degrade(rasterise(page, scan), scan, rng), scan))
            subprocess.run(
                ["tesseract", str(jpeg), str(jpeg.with_suffix("")), "-l", "eng", "pdf"],
                check=True,
                capture_output=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
            with pikepdf.open(jpeg.with_suffix(".pdf")) as single:
                combined.pages.extend(single.pages)
        buf = io.BytesIO()
        combined.save(buf, deterministic_id=True)
    normalise_pdf(buf.getvalue(), SAMPLES / f"{stem}.pdf", title)
    write_truth(stem, truth)


def render_clean_scan(path: Path | str, pages: int = 10, seed: int = 0) -> dict[str, Any]:
    """Write an N-page clean scanned narrative PDF (300 dpi, serif) for benchmarks.

    The text is drawn (seeded) from the samples' narrative paragraphs. Returns the ground
    truth in the samples' truth format (not written anywhere).
    """
    rng = np.random.default_rng(seed)
    pool: list[C.Block] = [
        b
        for doc in (
            C.PLAN_2022_NARRATIVE,
            C.PLAN_2023_NARRATIVE,
            C.PLAN_2024_NARRATIVE,
            C.LAGESRAPPORT_2020,
            C.BERATTELSE_2020,
            C.RADSLAG_2021,
        )
        for b in doc
        if b[0] in ("para", "bullets")
    ]
    base = Scan(dpi=300, font="DejaVu Serif", blur=1.0, noise=2.5, speckles=60, quality=55)
    flow = Flow(pil_measure(base.font), "narrative")
    flow.add("title", "Samarbetskommittén Södertörn")
    section = 0
    while len(flow.pages) <= pages:
        if rng.random() < 0.3:
            section += 1
            flow.add("heading", f"{section}. Avsnitt {section}", keep_with_next=40)
        style, text = pool[int(rng.integers(len(pool)))]
        flow.add(style, text)
    laid_out = flow.pages[:pages]
    scans = [
        Scan(**{**base.__dict__, "skew": round(float(rng.uniform(-1, 1)), 2)}) for _ in laid_out
    ]
    path = Path(path)
    scanned_pdf(path, laid_out, scans, seed, "Samarbetskommittén Södertörn", limit=None)
    return truth_doc(
        path.stem,
        "other",
        None,
        None,
        [page_truth(i, p, s) for i, (p, s) in enumerate(zip(laid_out, scans, strict=True), 1)],
    )


SAMPLE_BUILDERS: dict[str, Callable[[], None]] = {
    "verksamhetsplan-2022": verksamhetsplan_2022,
    "samarbetsavtal-2019": samarbetsavtal_2019,
    "verksamhetsplan-2023": verksamhetsplan_2023,
    "verksamhetsplan-2024": verksamhetsplan_2024,
    "changes": changes_files,
    "dalig-skanning": dalig_skanning,
    "roterade-sidor": roterade_sidor,
    "legacy-ocr": legacy_ocr,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(SAMPLE_BUILDERS))
    args = parser.parse_args(argv)
    for stem in args.only or SAMPLE_BUILDERS:
        SAMPLE_BUILDERS[stem]()
        print(f"generated {stem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
