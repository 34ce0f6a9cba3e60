"""The document model every stage reads and enriches: PDF -> pages/words -> text -> structures.

The JSON form (``Document.to_dict``) is the contract described by
``schemas/document.schema.json``. Coordinates are PDF points from the top-left corner of the
upright page, ``[x0, top, x1, bottom]`` (pdfplumber's convention), for OCR and text-layer
pages alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

BBox = tuple[float, float, float, float]
PageSource = Literal["ocr", "text-layer"]
PageStatus = Literal["ok", "failed"]


@dataclass
class Word:
    """One word as read, with its box and OCR confidence (0-100; 100 for a text layer).

    ``text`` is the corrected form; ``raw`` keeps what OCR read when the two differ.
    """

    text: str
    bbox: BBox
    confidence: float
    raw: str | None = None


@dataclass
class Line:
    """A line of words in reading order; ``block`` groups lines into paragraphs/blocks."""

    words: list[Word]
    bbox: BBox
    block: int = 0
    text: str = ""  # corrected line text; words' raw texts joined before correction

    @property
    def raw_text(self) -> str:
        return " ".join((w.raw if w.raw is not None else w.text) for w in self.words)


@dataclass
class Page:
    number: int  # from 1
    source: PageSource
    reason: str  # why this path (text layer or OCR) was taken
    status: PageStatus = "ok"
    error: str | None = None
    width: float = 0.0  # points, upright page
    height: float = 0.0
    rotation: int = 0  # degrees clockwise applied to make the page upright
    deskew: float = 0.0  # degrees of small-angle correction applied before OCR
    preprocessing: list[str] = field(default_factory=list)  # image clean-up steps applied
    mean_confidence: float | None = None
    rulings: list[BBox] = field(default_factory=list)  # table ruling lines found on the page
    raw_text: str = ""  # before correction
    text: str = ""  # after correction
    lines: list[Line] = field(default_factory=list)


@dataclass
class Correction:
    """One change (or suggested change) to the text, for the audit trail."""

    line: int  # 1-based line number in the text the corrector was given (page lines)
    start: int  # character offset in that line
    original: str
    corrected: str
    rule: Literal["dictionary", "lexicon", "compound", "split", "context", "consistency"]
    score: float
    applied: bool
    page: int | None = None


@dataclass
class ActionRow:
    """One row of an action plan (Handlingsplan)."""

    area: str | None
    goal: str | None
    subgoal: str | None
    activity: str
    responsible: list[str]
    when: str | None
    budget_sek: int | None
    comment: str | None
    page: int


@dataclass
class Clause:
    """One numbered clause (§) of an agreement."""

    number: str
    title: str
    text: str
    page: int


@dataclass
class SourceInfo:
    file: str
    sha256: str
    page_count: int


@dataclass
class Document:
    source: SourceInfo
    pages: list[Page] = field(default_factory=list)
    kind: Literal["plan", "agreement", "other"] = "other"
    title: str | None = None
    year: int | None = None
    actions: list[ActionRow] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    signed: dict[str, str | None] | None = None  # {"place": ..., "date": ...}
    corrections: list[Correction] = field(default_factory=list)
    generator: dict[str, Any] = field(default_factory=dict)  # software, version, settings

    @property
    def failed_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.status == "failed"]

    @property
    def text(self) -> str:
        """Corrected text of the whole document, pages separated by form feeds."""
        return "\f".join(p.text for p in self.pages)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (lists, not tuples: JSON Schema's "array" rejects tuples)."""
        return _strip_none_raw(_plain(asdict(self)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        pages = [
            Page(
                **{
                    **_known(Page, page),
                    "lines": [
                        Line(
                            **{
                                **_known(Line, line),
                                "bbox": tuple(line["bbox"]),
                                "words": [
                                    Word(**{**_known(Word, w), "bbox": tuple(w["bbox"])})
                                    for w in line["words"]
                                ],
                            }
                        )
                        for line in page.get("lines", [])
                    ],
                }
            )
            for page in data.get("pages", [])
        ]
        return cls(
            **{
                **_known(cls, data),
                "source": SourceInfo(**data["source"]),
                "pages": pages,
                "actions": [ActionRow(**a) for a in data.get("actions", [])],
                "clauses": [Clause(**c) for c in data.get("clauses", [])],
                "corrections": [Correction(**c) for c in data.get("corrections", [])],
            }
        )


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _strip_none_raw(data: dict[str, Any]) -> dict[str, Any]:
    """Drop ``raw`` from words whose text was not changed, to keep the JSON small."""
    for page in data["pages"]:
        for line in page["lines"]:
            for word in line["words"]:
                if word.get("raw") is None:
                    word.pop("raw", None)
    return data


def compose_text(lines: list[Line], corrected: bool = True) -> str:
    """Page text from its lines: one text line per Line, a blank line between blocks.

    Used for both ``Page.raw_text`` (corrected=False) and ``Page.text``.
    """
    out: list[str] = []
    previous_block: int | None = None
    for line in lines:
        if previous_block is not None and line.block != previous_block:
            out.append("")
        out.append(line.text if corrected else line.raw_text)
        previous_block = line.block
    return "\n".join(out)
