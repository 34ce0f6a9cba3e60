"""Action-plan tables: ruling-line detection on page images and table reconstruction.

`find_rulings` runs in the OCR worker on the upright, deskewed page image; the table
stage later rebuilds the Handlingsplan rows from the page's words and those rulings.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np
from rapidfuzz import fuzz

from .clauses import join_lines
from .entities import parse_amount, split_responsible, type_size, when_text
from .model import ActionRow, BBox, Document, Page

if TYPE_CHECKING:
    from .process import Settings

# A ruling must be at least this long (points). Letter strokes of body text are far
# shorter (a 12 pt capital is ~9 pt tall, a 24 pt title ~18 pt); table borders span a cell or more.
MIN_HORIZONTAL_PT = 30.0
MIN_VERTICAL_PT = 24.0
# ...and at most this thick (points); thicker "lines" are filled areas or images.
MAX_THICKNESS_PT = 4.0


def find_rulings(gray: np.ndarray, points_per_pixel: float) -> list[BBox]:
    """Horizontal and vertical ruling lines on an upright greyscale page (uint8, white
    background), as [x0, top, x1, bottom] in PDF points.

    Adaptive threshold (robust to uneven scan background and grey shading), a 3x3 dilation
    (bridges pixel gaps from scan noise and tolerates residual skew up to ~1.5 degrees),
    then an erosion with a long thin kernel per direction: only runs longer than any letter
    stroke survive. The eroded cores are grown back to the full run length. Eroding
    instead of opening and contours instead of labelling keep it at tens of ms at 300 dpi.
    """
    if gray.ndim != 2 or gray.size == 0:
        return []
    pixels_per_point = 1.0 / points_per_pixel
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    )
    ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    max_thickness = MAX_THICKNESS_PT * pixels_per_point + 2  # +2: the dilation
    rulings: list[BBox] = []
    for horizontal in (True, False):
        run = max(
            8, round((MIN_HORIZONTAL_PT if horizontal else MIN_VERTICAL_PT) * pixels_per_point)
        )
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1) if horizontal else (1, run))
        core = cv2.erode(ink, kernel)
        contours, _ = cv2.findContours(core, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        before, after = run // 2, run - 1 - run // 2  # erosion anchor: kernel centre
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if horizontal:
                x0, x1, y0, y1 = x - before + 1, x + w + after - 1, y, y + h
                length, thickness = x1 - x0, h
            else:
                x0, x1, y0, y1 = x, x + w, y - before + 1, y + h + after - 1
                length, thickness = y1 - y0, w
            # A skewed line's box is taller than the line; allow 2% of its length.
            if thickness > max_thickness + 0.02 * length:
                continue
            if horizontal:
                if _touches_strokes(ink, core, x, y, w, h):
                    continue
            elif _touches_strokes(ink.T, core.T, y, x, h, w):
                continue
            if horizontal:
                y0, y1 = y0 + 1, y1 - 1
            else:
                x0, x1 = x0 + 1, x1 - 1
            rulings.append(
                (
                    round(float(x0) * points_per_pixel, 2),
                    round(float(y0) * points_per_pixel, 2),
                    round(float(x1) * points_per_pixel, 2),
                    round(float(y1) * points_per_pixel, 2),
                )
            )
    return rulings


def _touches_strokes(ink: np.ndarray, core: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """True when many strokes leave a horizontal run sideways, as from the bars of "TTT"
    in a bold title; a ruling has white on both sides except where other rulings cross.
    (Pass transposed arrays and box for a vertical run.) Sides are probed along the run's
    own edge, so a slightly skewed ruling is not blamed for text near its box."""
    part = core[y : y + h, x : x + w] > 0
    columns = np.flatnonzero(part.any(axis=0))
    if columns.size == 0:
        return False
    top = y + part[:, columns].argmax(axis=0)
    bottom = y + h - 1 - part[::-1, columns].argmax(axis=0)
    probe = 2  # pixels beyond the (dilated) edge
    for rows in (top - probe, bottom + probe):
        inside = (rows >= 0) & (rows < ink.shape[0])
        if inside.any() and float(ink[rows[inside], x + columns[inside]].mean()) / 255 > 0.2:
            return True
    return False


# --------------------------------------------------------------------------------------
# Table reconstruction: Handlingsplan rows from words (+ rulings)
# --------------------------------------------------------------------------------------

FIELDS = ("subgoal", "activity", "responsible", "when", "budget", "comment")
# Header names seen in plans, per column; OCR may damage them, so they match fuzzily.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "subgoal": ("delmål", "delmal", "mål"),
    "activity": ("aktivitet", "aktiviteter", "namn", "åtgärd", "åtgärder", "insats", "insatser"),
    "responsible": ("ansvarig", "ansvariga", "ansvar"),
    "when": ("tid", "tidplan", "tidsplan", "tidpunkt", "när"),
    "budget": ("budget", "kostnad", "kostnader", "belopp"),
    "comment": ("kommentar", "kommentarer", "övrigt", "anmärkning", "anmärkningar"),
}
_NOISE = "|_¦[]{}«»“”\"'`‘’„<>"
# 'I|Inbjudan', '—|Jämföra': a ruling (and a speck) read into the word
_GLUED_RULING = re.compile(r"^[^\w\s]*[Il1]?\||\|[Il1]?[^\w\s]*$")
# '.kommungränserna', ':Konsult', '=Säkerhetscheferna', '-pendeltågsstationerna': a speck
# read before a word
_SPECK_BEFORE = re.compile(r"^(?:[.,:;=~]+(?=\w)|-(?=[a-zåäö]))")
_SPECK_BETWEEN = re.compile(
    r"(?<=[a-zåäö]{3})[:;](?=[a-zåäö]{3})|(?<=[a-zåäö]{2})['’`´](?=[a-zåäö]{2})"
)
_SECTION_DASH = re.compile(r"\s+[–—\-~]+\s+")  # 'Area – Goal'
_PAGE_NUMBER = re.compile(r"^(sida\s*)?\d{1,3}(\s*(av|/)\s*\d{1,3})?$", re.IGNORECASE)


@dataclass
class _Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _TextLine:
    """Words on one visual line (same baseline band), left to right."""

    words: list[_Word]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def cy(self) -> float:
        return statistics.median(w.cy for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Column:
    """One table column: its field and its x-extent in points."""

    field: str
    x0: float
    x1: float


@dataclass
class TableRow:
    """A row as found on a page: a section row ('Area – Goal') or cells by field."""

    page: int
    top: float
    section: str | None = None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class PageTable:
    """The Handlingsplan table found on one page."""

    columns: list[Column]
    rows: list[TableRow]
    header_found: bool
    pitch: float | None = None  # line pitch inside a wrapped cell (tables without rulings)
    ruled: bool = False


def _page_words(page: Page) -> list[_Word]:
    """The page's words, with ruling remnants ('|', '_') and specks that OCR glued to
    them removed, and their boxes narrowed by the characters removed: a speck before a
    word ('"in') may lie in the next column and carry the word's centre there."""
    words = []
    for line in page.lines:
        for word in line.words:
            x0, top, x1, bottom = word.bbox
            if x1 - x0 < 2.0 and bottom - top < 3.0:
                continue  # a speck of dust read as a letter
            read = word.text.strip()
            text = _GLUED_RULING.sub("", read).strip(_NOISE).strip()
            text = _SPECK_BEFORE.sub("", text)
            if not text:
                continue
            if not any(ch.isalnum() for ch in text):
                # Punctuation alone: a dash of a section row, or a speck read as '-'. A
                # dash read doubtfully ('—-', low confidence) still has a dash's shape:
                # flat and wider than a speck.
                width, height = x1 - x0, bottom - top
                if (
                    text[0] not in "–-—&"
                    or width < 2.5
                    or (word.confidence < 50 and width < 2 * height)
                ):
                    continue
            else:
                start = read.find(text)
                if start >= 0 and len(text) < len(read):
                    share = (x1 - x0) / len(read)
                    x0, x1 = x0 + start * share, x1 - (len(read) - start - len(text)) * share
            words.append(_Word(text, x0, top, x1, bottom))
    return words


def _visual_lines(words: list[_Word]) -> list[_TextLine]:
    """Group words into lines by vertical centre (a tolerance of ~half a text height)."""
    if not words:
        return []
    tolerance = 0.5 * statistics.median(w.height for w in words)
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: w.cy):
        if lines and word.cy - statistics.fmean(w.cy for w in lines[-1]) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_TextLine(sorted(ws, key=lambda w: w.x0)) for ws in lines]


def _phrases(line: _TextLine, gap: float) -> list[_TextLine]:
    """Split a visual line where words are further apart than ``gap`` (column gutters)."""
    out: list[list[_Word]] = []
    for word in line.words:
        if out and word.x0 - out[-1][-1].x1 <= gap:
            out[-1].append(word)
        else:
            out.append([word])
    return [_TextLine(ws) for ws in out]


def _header_field(text: str) -> tuple[str, float] | None:
    """The column a header word names, with the match score (0-100), if any."""
    word = text.lower().strip(".:()")
    if len(word) < 2:
        return None
    best: tuple[str, float] | None = None
    for name, variants in HEADER_NAMES.items():
        for variant in variants:
            score = fuzz.ratio(word, variant)
            needed = 100 if len(variant) <= 2 else (66 if len(variant) <= 4 else 72)
            if score >= needed and (best is None or score > best[1]):
                best = (name, score)
    return best


def _find_header(lines: list[_TextLine], gap: float) -> tuple[_TextLine, dict[str, float]] | None:
    """The header row: a line whose separate phrases name >= 3 distinct columns.

    Returns the line and each found field's left edge (its anchor)."""
    for line in lines:
        anchors: dict[str, float] = {}
        for phrase in _phrases(line, gap):
            for word in phrase.words:
                found = _header_field(word.text)
                if found and found[0] not in anchors:
                    anchors[found[0]] = phrase.x0
                    break
        if len(anchors) >= 3:  # OCR may miss a header word or two
            return line, anchors
    return None


def _split_rulings(rulings: list[BBox]) -> tuple[list[BBox], list[BBox]]:
    """(horizontal, vertical) ruling segments."""
    horizontal = [r for r in rulings if r[2] - r[0] >= r[3] - r[1]]
    vertical = [r for r in rulings if r[2] - r[0] < r[3] - r[1]]
    return horizontal, vertical


def _merge_positions(values: list[float], tolerance: float = 4.0) -> list[float]:
    """Cluster nearly equal coordinates (a ruling found as several segments) to their mean."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [statistics.fmean(g) for g in groups]


def _crosses(segment: BBox, x: float, y: float, slack: float = 2.0) -> bool:
    """Whether a vertical segment passes through (x, y)."""
    return segment[0] - slack <= x <= segment[2] + slack and segment[1] < y < segment[3]


def _cell_text(words: list[_Word]) -> str:
    """A cell's lines joined; a speck read as ':' or an apostrophe between two words
    ('Kartlägga:behovet', "en'långsiktig") is a space."""
    text = join_lines([line.text for line in _visual_lines(words)])
    return _SPECK_BETWEEN.sub(" ", text)


def read_table(page: Page, previous: PageTable | None = None) -> PageTable | None:
    """The Handlingsplan table on a page, or None.

    A page holds a table when it has a header row, or when ``previous`` (the table found
    on the page before) continues here under ruled columns at the same places.
    """
    words = _page_words(page)
    if not words:
        return None
    text_height = statistics.median(w.height for w in words)
    gap = max(4.0, 0.75 * text_height)  # wider than a word space, narrower than a gutter
    lines = _visual_lines(words)
    horizontal, vertical = _split_rulings(page.rulings)
    header = _find_header(lines, gap)
    if header is not None:
        header_line, anchors = header
        # Column rulings at or just below the header (a one-line header row's own
        # rulings can be too short to tell from letter strokes).
        crossing = [v for v in vertical if v[3] > header_line.cy and v[1] < header_line.bottom + 60]
        xs = _merge_positions([(v[0] + v[2]) / 2 for v in crossing])
        if len(xs) >= 3:
            columns = _name_columns(xs, anchors)
            return _ruled_table(page, words, columns, header_line.cy, horizontal, vertical, True)
        body = _unruled_body(lines, header_line, text_height)
        known = previous.pitch if previous is not None else None
        pitch = _inner_pitch([body], text_height) or known
        columns = _unruled_columns(body, anchors, text_height, pitch)
        sections = _section_blocks(body, columns, text_height, pitch)
        if any(len(block) > 1 for block in sections):
            # A section row wrapped over lines crosses the gutters: find them without it.
            apart = {id(line) for block in sections for line in block}
            columns = _unruled_columns(body, anchors, text_height, pitch, apart)
            sections = _section_blocks(body, columns, text_height, pitch)
        rows, pitch = _unruled_rows(page, body, columns, text_height, sections, known)
        return PageTable(columns, rows, True, pitch)
    if previous is None:
        return None
    if not previous.ruled:
        return _unruled_continuation(page, lines, previous, text_height)
    if not vertical:
        return None
    # A continued ruled table without a repeated header: same column rulings.
    xs = _merge_positions([(v[0] + v[2]) / 2 for v in vertical if v[3] - v[1] > 40])
    edges = [c.x0 for c in previous.columns] + [previous.columns[-1].x1]
    if sum(any(abs(x - e) <= 4 for x in xs) for e in edges) < max(3, len(edges) - 1):
        return None
    top = min(v[1] for v in vertical if v[3] - v[1] > 40)
    return _ruled_table(page, words, previous.columns, top, horizontal, vertical, False)


def _name_columns(edges: list[float], anchors: dict[str, float]) -> list[Column]:
    """Columns between consecutive x ``edges``, named by the header anchor each holds.
    Columns whose header OCR lost take the missing names in the usual column order; an
    unnamed column with no name left is part of its left neighbour."""
    spans = list(zip(edges, edges[1:], strict=False))
    names: list[str | None] = [
        next((f for f, a in anchors.items() if x0 - 2 <= a < x1 - 2), None) for x0, x1 in spans
    ]
    known = [i for i, n in enumerate(names) if n is not None]
    if not known:
        return []
    order = FIELDS.index
    bounds = [-1, *known, len(names)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        gap = list(range(lo + 1, hi))
        if not gap:
            continue
        first = order(names[lo]) + 1 if lo >= 0 else 0
        last = order(names[hi]) if hi < len(names) else len(FIELDS)
        missing: list[str | None] = [f for f in FIELDS[first:last] if f not in names]
        if lo < 0 and len(missing) > len(gap):  # left of the first named column:
            missing = missing[len(missing) - len(gap) :]  # the names just before it
        elif lo < 0 and missing:
            # More spans than names (a stray gutter inside a column whose header OCR
            # lost): the first span takes the first name and the spans up to the last
            # names' are part of it, as nothing left of them could hold their text.
            missing = [missing[0], *[None] * (len(gap) - len(missing)), *missing[1:]]
        if len(missing) == len(gap):
            for i, name in zip(gap, missing, strict=True):
                names[i] = name
    columns: list[Column] = []
    for (x0, x1), name in zip(spans, names, strict=True):
        if name is not None:
            columns.append(Column(name, x0, x1))
        elif columns:
            columns[-1].x1 = x1
    return columns


def _ruled_table(
    page: Page,
    words: list[_Word],
    columns: list[Column],
    header_y: float,
    horizontal: list[BBox],
    vertical: list[BBox],
    header_found: bool,
) -> PageTable:
    """Rows between horizontal rulings; cells between vertical ones. A row that no inner
    vertical ruling crosses is a section row spanning the table."""
    left, right = columns[0].x0, columns[-1].x1
    width = right - left
    # Row separators below the header, and which of them cross each column.
    spanning = [
        h
        for h in horizontal
        if min(h[2], right) - max(h[0], left) >= 0.6 * width and (h[1] + h[3]) / 2 > header_y
    ]
    ys = _merge_positions([(h[1] + h[3]) / 2 for h in spanning])
    column_ys = {
        c.field: _merge_positions(
            [(h[1] + h[3]) / 2 for h in spanning if h[0] - 2 <= (c.x0 + c.x1) / 2 <= h[2] + 2]
        )
        or ys
        for c in columns
    }
    inner = _merge_positions([c.x0 for c in columns[1:]])
    text_height = statistics.median(w.height for w in words)
    rows: list[TableRow] = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        if bottom - top < 3:
            continue
        band = [w for w in words if top < w.cy < bottom and left < w.cx < right]
        if not band:
            continue
        middle = (top + bottom) / 2
        if not any(_crosses(v, x, middle) for x in inner for v in vertical) and _spans_columns(
            band, inner, text_height
        ):
            rows.append(TableRow(page.number, top, section=_cell_text(band)))
            continue
        cells = {}
        for column in columns:
            # A cell may span several rows (a merged Delmål): bounded by the rulings that
            # cross this column.
            own_ys = column_ys[column.field]
            cell_top = max((y for y in own_ys if y <= top + 1), default=top)
            cell_bottom = min((y for y in own_ys if y >= bottom - 1), default=bottom)
            text = _cell_text(
                [w for w in words if cell_top < w.cy < cell_bottom and column.x0 < w.cx < column.x1]
            )
            if text:
                cells[column.field] = text
        if cells:
            rows.append(TableRow(page.number, top, cells=cells))
    return PageTable(columns, rows, header_found, ruled=True)


def _spans_columns(band: list[_Word], inner: list[float], text_height: float) -> bool:
    """Whether a row that no inner ruling crosses is a section row, one text across the
    table. A one-line data row's own column rulings can be too short to tell from letter
    strokes; its text still keeps to the columns, with a gutter-wide hole at a column edge
    between cells."""
    if _straddles(band, inner):
        return True
    return not any(_has_gutter(line, text_height, inner) for line in _visual_lines(band))


def _straddles(words: list[_Word], edges: list[float]) -> bool:
    """Does a word run across one of these column edges (more than a speck's width)?"""
    return any(w.x0 < x - 2 and w.x1 > x + 2 for w in words for x in edges)


def _unruled_continuation(
    page: Page, lines: list[_TextLine], previous: PageTable, text_height: float
) -> PageTable | None:
    """A table without rulings continued on this page without a repeated header: the
    page's text falls into the previous page's columns. Of the groups of lines set apart
    by large gaps (a running header, the table, a footer) the first whose lines mostly
    keep within the columns is the table; a page of running text is none. A first line
    in smaller type is a running header close above the table."""
    columns = previous.columns
    inner = [c.x0 for c in columns[1:]]

    def fits(line: _TextLine) -> bool:
        return not _straddles(line.words, inner)

    limit = max(3.5 * text_height, 28.0)
    groups: list[list[_TextLine]] = []
    for line in lines:
        if _PAGE_NUMBER.match(line.text):
            continue
        if groups and line.top - groups[-1][-1].bottom <= limit:
            groups[-1].append(line)
        else:
            groups.append([line])
    for body in groups:
        if len(body) < 2 or sum(map(fits, body)) < 0.6 * len(body):
            continue
        sizes = [statistics.median(type_size(w.text, w.height) for w in ln.words) for ln in body]
        if sizes[0] < 0.85 * statistics.median(sizes):
            body = body[1:]
        sections = _section_blocks(body, columns, text_height, previous.pitch)
        rows, pitch = _unruled_rows(page, body, columns, text_height, sections, previous.pitch)
        return PageTable(columns, rows, False, pitch)
    return None


def _unruled_body(lines: list[_TextLine], header: _TextLine, text_height: float) -> list[_TextLine]:
    """Lines below the header down to the end of the table: the first gap much larger
    than the row spacing (a footer or the text after the table), page numbers dropped."""
    body: list[_TextLine] = []
    limit = max(3.5 * text_height, 28.0)
    for line in lines:
        if line.cy <= header.bottom:
            continue
        if body and line.top - body[-1].bottom > limit:
            break
        if _PAGE_NUMBER.match(line.text):
            continue
        body.append(line)
    return body


def _blocks(
    lines: list[_TextLine], text_height: float, pitch: float | None
) -> list[list[_TextLine]]:
    """Lines grouped into blocks: runs of lines at the line pitch of a wrapped cell."""
    starts = _block_starts(lines, text_height, pitch)
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def _section_blocks(
    body: list[_TextLine], columns: list[Column], text_height: float, pitch: float | None
) -> list[list[_TextLine]]:
    """Section rows of a table without rulings: blocks whose first line runs as one text
    across column boundaries (see `_looks_like_section`). A section wrapped over lines
    also needs the 'Area – Goal' dash (or a word straddling a boundary) in its first line
    and continuation lines that start where it starts and hold no gutter."""
    sections = []
    for block in _blocks(body, text_height, pitch):
        first = block[0]
        if not _looks_like_section(first, columns, text_height, strict=len(block) > 1):
            continue
        if all(
            abs(line.x0 - first.x0) <= 0.6 * text_height and not _has_gutter(line, text_height)
            for line in block[1:]
        ):
            sections.append(block)
    return sections


def _has_gutter(line: _TextLine, text_height: float, edges: list[float] | None = None) -> bool:
    """A hole between words as wide as a column gutter (separate cells); with ``edges``,
    only a hole around one of those column edges counts."""
    return any(
        b.x0 - a.x1 > 1.6 * text_height
        and (edges is None or any(a.x1 <= x <= b.x0 for x in edges))
        for a, b in zip(line.words, line.words[1:], strict=False)
    )


def _unruled_columns(
    body: list[_TextLine],
    anchors: dict[str, float],
    text_height: float,
    pitch: float | None,
    apart: set[int] | None = None,
) -> list[Column]:
    """Columns from the gutters (x ranges no text crosses) of the table body, named by the
    header. Lines standing alone (row spacing above and below) are left out: section rows
    spanning the table are among them, and any data row of one line is also covered by
    the wrapped rows around it. ``apart``: ids of further lines to leave out (wrapped
    section rows)."""
    positions = sorted(anchors.values())
    alone = {id(b[0]) for b in _blocks(body, text_height, pitch) if len(b) == 1} | (apart or set())
    kept = [line for line in body if id(line) not in alone]
    # Word by word: a narrow gutter can be as small as a wide word space.
    covered = [(w.x0, w.x1) for line in (kept if len(kept) >= 3 else body) for w in line.words]
    if not covered:
        return []
    left = min(min(a for a, _ in covered), positions[0]) - 1
    right = max(max(b for _, b in covered), positions[-1]) + 1
    # Specks glued to words on a poor scan reach into gutters: while two header names
    # share a column, a few words more may cross a gutter (up to a quarter of the lines).
    # If that never parts them (few lines: one word is much of a column's text), stricter
    # gutters are tried, since two names in one column loses a column.
    start = 1 if len(body) >= 6 else 0
    ramp = range(start, max(start, len(kept) // 4) + 1)
    for tolerance in [*ramp, *range(start)]:
        edges = [float("-inf"), *_gutters(covered, left, right, tolerance), float("inf")]
        spans = list(zip(edges, edges[1:], strict=False))
        if all(sum(x0 - 2 <= a < x1 - 2 for a in positions) <= 1 for x0, x1 in spans):
            return _name_columns(edges, anchors)
    # Too few lines to show every gutter (a page holding the end of one row): a header
    # name starts its column as the cells under it do, so two names left in one column
    # are parted just left of the later one.
    edges = [float("-inf"), *_gutters(covered, left, right, ramp[-1]), float("inf")]
    for x0, x1 in zip(edges, edges[1:], strict=False):
        inside = [a for a in positions if x0 - 2 <= a < x1 - 2]
        edges += [a - 0.5 * text_height for a in inside[1:]]
    return _name_columns(sorted(edges), anchors)


def _gutters(
    covered: list[tuple[float, float]], start: float, end: float, tolerance: int = 0
) -> list[float]:
    """Middles of the x ranges in [start, end], at least 3 pt wide, that at most
    ``tolerance`` words cover (one stray mark must not close a gutter)."""
    events = sorted([(a, 1) for a, _ in covered] + [(b, -1) for _, b in covered])
    middles = []
    depth, opened = 0, start
    for x, step in events:
        if depth <= tolerance < depth + step:  # the range [opened, x] ends here
            if x - opened >= 3 and opened >= start:
                middles.append((opened + x) / 2)
        depth += step
        if depth - step > tolerance >= depth:
            opened = x
    if end - opened >= 3:
        middles.append((opened + end) / 2)
    return middles


def _looks_like_section(
    line: _TextLine, columns: list[Column], text_height: float, strict: bool = False
) -> bool:
    """A section row ('Area – Goal') runs as one text from the first column across
    column boundaries; a data row's cells each start at their column's left edge with a
    capital, separated by gutters. ``strict`` (the first line of a block of several):
    the dash or a word straddling a boundary is needed, since a wrapped data row's first
    line fills its cells up to narrow gutters."""
    inner = [c.x0 for c in columns[1:]]
    if not inner or line.x0 >= inner[0] or line.x1 <= inner[0] + 4:
        return False
    if _has_gutter(line, text_height):
        return False  # a gutter-wide hole: separate cells
    crossed = sum(line.x0 < x < line.x1 for x in inner)
    straddles = _straddles(line.words, inner)
    lower_start = any(
        next((w.text[:1].islower() for w in line.words if c.x0 <= w.cx < c.x1), False)
        for c in columns[1:]
    )
    dash = _SECTION_DASH.search(line.text) is not None
    if strict:
        return dash or straddles
    return crossed >= 2 or straddles or lower_start or dash


def _unruled_rows(
    page: Page,
    body: list[_TextLine],
    columns: list[Column],
    text_height: float,
    sections: list[list[_TextLine]],
    known_pitch: float | None = None,
) -> tuple[list[TableRow], float | None]:
    """Rows of a table without rulings: a row starts where the Aktivitet column starts a
    new block of text after more than the usual line spacing (cells are top-aligned, so
    other columns never start a cell inside a row); section rows start one too.

    The line pitch inside a cell is learnt from the wrapped cells of this page, else taken
    from the page before (``known_pitch``): a continued page may hold a single row.
    Returns the rows and the pitch used."""
    section_ids = {id(line) for block in sections for line in block}
    cell_words = [w for line in body if id(line) not in section_ids for w in line.words]
    by_column = {c.field: [w for w in cell_words if c.x0 <= w.cx < c.x1] for c in columns}
    column_lines = {name: _visual_lines(words) for name, words in by_column.items()}
    pitch = _inner_pitch(list(column_lines.values()), text_height) or known_pitch
    key = "activity" if by_column.get("activity") else columns[0].field
    key_lines = column_lines[key]
    starts = [key_lines[i].top for i in _block_starts(key_lines, text_height, pitch)]
    events: list[tuple[float, list[_TextLine] | None]] = sorted(
        [(block[0].top, block) for block in sections] + [(top, None) for top in starts],
        key=lambda event: event[0],
    )
    slack = 0.5 * text_height
    # Cell text above the first row start: the rest of a row split by the page break
    # (say, only its Delmål goes on); read_tables joins it to the row it belongs to.
    first = min((w.top for w in cell_words), default=None)
    if first is not None and (not events or first < events[0][0] - slack):
        events.insert(0, (first, None))
    rows: list[TableRow] = []
    for i, (top, section) in enumerate(events):
        if section is not None:
            rows.append(TableRow(page.number, top, section=join_lines([ln.text for ln in section])))
            continue
        bottom = events[i + 1][0] - slack if i + 1 < len(events) else float("inf")
        cells = {}
        for column in columns:
            text = _cell_text([w for w in by_column[column.field] if top - slack <= w.cy < bottom])
            if text:
                cells[column.field] = text
        if cells:
            rows.append(TableRow(page.number, top, cells=cells))
    return rows, pitch


def _pitches(lines: list[_TextLine], text_height: float) -> list[float]:
    """Distances between consecutive lines that may be the pitch of wrapped text."""
    return [
        b.cy - a.cy
        for a, b in zip(lines, lines[1:], strict=False)
        if 0.8 * text_height < b.cy - a.cy < 1.8 * text_height
    ]


def _inner_pitch(groups: list[list[_TextLine]], text_height: float) -> float | None:
    """The line pitch inside wrapped text, from groups of lines (e.g. one per column)."""
    pitches = [p for lines in groups for p in _pitches(lines, text_height)]
    return statistics.median(pitches) if pitches else None


def _block_starts(
    lines: list[_TextLine], text_height: float, pitch: float | None = None
) -> list[int]:
    """Indices of the lines that start a block: the distance from the line before is
    clearly more than the line pitch inside a block (``pitch``, else learnt from these
    lines)."""
    if not lines:
        return []
    pitches = [b.cy - a.cy for a, b in zip(lines, lines[1:], strict=False)]
    inner = pitch or _inner_pitch([lines], text_height)
    if inner:
        threshold = max(1.3 * inner, inner + 0.25 * text_height)
    else:
        threshold = 1.7 * text_height
    return [0] + [i + 1 for i, p in enumerate(pitches) if p > threshold]


# --------------------------------------------------------------------------------------
# From table rows to ActionRows
# --------------------------------------------------------------------------------------


def read_tables(pages: list[Page]) -> list[TableRow]:
    """All Handlingsplan rows of a document in order, a table continued over pages joined:
    a repeated header is skipped, and the first row of a continued page that carries on
    the last one (see `_continues`) is joined to it."""
    rows: list[TableRow] = []
    previous: PageTable | None = None
    for page in pages:
        if page.status != "ok":
            previous = None
            continue
        table = read_table(page, previous)
        if table is None:
            previous = None
            continue
        for i, row in enumerate(table.rows):
            continued = i == 0 and previous is not None and rows and rows[-1].section is None
            if continued and row.section is None and _continues(row):
                for name, text in row.cells.items():
                    before = rows[-1].cells.get(name)
                    rows[-1].cells[name] = f"{before} {text}" if before else text
                continue
            rows.append(row)
        previous = table
    return rows


def _continues(row: TableRow) -> bool:
    """Whether the first row on a continued page is the rest of the last row: it has no
    Aktivitet, or its Aktivitet (and Delmål, if any) go on in lower case mid-sentence —
    they start with a capital in a row of their own, while the rest of an Ansvarig list
    or a comment may well start with a name ('Nykvarn och Salem')."""
    if "activity" not in row.cells:
        return True
    return all(row.cells[f][:1].islower() for f in ("subgoal", "activity") if f in row.cells)


def split_section(text: str) -> tuple[str, str | None]:
    """'Klimat – Leda omställningen ...' -> ('Klimat', 'Leda omställningen ...')."""
    parts = _SECTION_DASH.split(text.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0].strip(), parts[1].strip()
    return text.strip(), None


def action_rows(rows: list[TableRow]) -> list[ActionRow]:
    """ActionRows with section rows carried down as area and goal; rows without an
    activity (nothing to act on) are dropped rather than invented."""
    area: str | None = None
    goal: str | None = None
    actions = []
    for row in rows:
        if row.section is not None:
            area, goal = split_section(row.section)
            continue
        # A cell never ends in ':', ';' or ',' (a speck, or a list cut by the page break).
        cells = {name: text.rstrip(":;, ") for name, text in row.cells.items()}
        activity = cells.get("activity")
        if not activity:
            continue
        responsible = cells.get("responsible")
        subgoal, comment, when = (cells.get(f) for f in ("subgoal", "comment", "when"))
        actions.append(
            ActionRow(
                area=area,
                goal=goal,
                subgoal=_sentence_case(subgoal) if subgoal else None,
                activity=_sentence_case(activity),
                responsible=split_responsible(responsible) if responsible else [],
                when=when_text(when) if when else None,
                budget_sek=parse_amount(cells.get("budget", "")),
                comment=_sentence_case(comment) if comment else None,
                page=row.page,
            )
        )
    for name in ("subgoal", "activity", "comment"):
        _drop_speck_stops(actions, name)
    return actions


_FINAL_STOP = re.compile(r"(?<=[^\W\d_]{4})\.$")  # after a word, not 'm.fl.' or 'osv.'


def _drop_speck_stops(actions: list[ActionRow], name: str) -> None:
    """A plan writes a column's cells alike: where at most a quarter of them end in a
    full stop after a word, those stops are specks ('rutiner vid kris.') and go."""
    cells = [getattr(a, name) for a in actions if getattr(a, name)]
    if 4 * sum(bool(_FINAL_STOP.search(c)) for c in cells) > len(cells):
        return
    for action in actions:
        if value := getattr(action, name):
            setattr(action, name, _FINAL_STOP.sub("", value))


# Letters whose capital has the lower-case shape, only larger: OCR slips between them.
_CASE_SLIPS = "ciosuvwxzåäö"


def _sentence_case(text: str) -> str:
    """Sub-goal, activity and comment cells start like sentences: a first letter read in
    lower case where only its size tells it from the capital ('vi samverkar') is raised."""
    if text[:1] in _CASE_SLIPS and text[1:2].islower():
        return text[0].upper() + text[1:]
    return text


def actions_stage(document: Document, settings: Settings) -> None:
    """Document stage: fill ``document.actions`` from the action-plan table(s)."""
    document.actions = action_rows(read_tables(document.pages))
