"""Agreement clauses: '§ 1 Syfte' headings with their text, joined across lines and pages.

The § may still be damaged when the correction stage missed it (OCR reads it as '8',
'$', 'S' or '&'), so a heading is recognised by its shape and by the clause numbers
following each other, not by the sign alone.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .entities import signing
from .model import Clause, Document, Line, Page

if TYPE_CHECKING:
    from .process import Settings

# '§ 1 Syfte', '§1 Syfte', '$ 2 Avtalstid', '8 3 Kommitténs ...', '83 9 ...', '§ l0 ...',
# '$§ 4 Samverkansgrupp', '8§ 4 ...' (a speck or a misread sign glued to the repaired one)
_HEADING = re.compile(
    r"^\s*(?P<sign>§|[$S&0-9]§|§[$S&]|[$S&0-9]{1,2}(?=\s))?\s*(?P<number>[0-9lIO|]{1,2}[a-z]?)\s*[.:]?\s+"
    r"(?P<title>[A-ZÅÄÖ][^\s.]*(?:\s+[^\s.]+){0,5})\s*$"
)
# '1 § Syfte': the statute style, number first (only with an intact §)
_NUMBER_FIRST = re.compile(
    r"^\s*(?P<number>[0-9]{1,2}[a-z]?)\s*§\s*[.:]?\s+(?P<title>[A-ZÅÄÖ][^\s.]*(?:\s+[^\s.]+){0,5})\s*$"
)
_PAGE_NUMBER = re.compile(r"^\s*(sida\s*)?\d{1,3}(\s*(av|/)\s*\d{1,3})?\s*$", re.IGNORECASE)
_DIGITS = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0"})
# Specks after a heading: 'Samverkansgrupp .', 'Giltighet =', 'Beslut om deltagande.'
_TRAILING_SPECKS = re.compile(r"(?:\s+[^\w\s§]+)+$|[.:]$")
# Marks standing alone in running text are specks ('» räkning', 'avtal, och \'').
_SPECK_TOKEN = re.compile(r"(?<!\S)[|»«'\"`‘’„“”_~=*^°]+(?!\S)")
# A reference to a clause whose § was misread: 'i & 6', 'Se även $ 2', 'enligt 8 4 om'.
_SIGN_REFERENCE = re.compile(
    r"(?:(?<!\S)[&$]|\b(?P<word>i|enligt|se|även|och|samt|av) 8) (?=\d{1,2}\b)",
    re.IGNORECASE,
)
# '84 Samverkansgrupp': a damaged § read together with the number ('8' + '4')
_GLUED_SIGN = re.compile(r"^\s*[58$S&](?P<number>[0-9]{1,2})\s+(?P<title>[A-ZÅÄÖ].*)$")


@dataclass
class Heading:
    number: str
    title: str
    exact: bool  # written with an intact §; a damaged sign must follow the numbering


def heading(text: str) -> Heading | None:
    """The clause heading a line is, if it has the shape of one. A line ending in a full
    stop is a heading only with a short title ('§ 5 Beslut om deltagande.'); a longer one
    is a sentence ('§ 5 Kostnadsfördelning gäller även vid uppsägning.')."""
    sentence = text.rstrip().endswith(".")
    text = _TRAILING_SPECKS.sub("", text)
    if sentence and len(text.split()) > 5:
        return None
    if first := _NUMBER_FIRST.match(text):
        return Heading(first.group("number"), " ".join(first.group("title").split()), True)
    match = _HEADING.match(text)
    if not match:
        return None
    number = match.group("number").translate(_DIGITS)
    if not re.fullmatch(r"[0-9]{1,2}[a-z]?", number) or number.startswith("0"):
        return None
    sign = match.group("sign")
    if sign is None:  # '1. Syfte' is a numbered section of a plan, not a clause
        return None
    return Heading(number, " ".join(match.group("title").split()), sign == "§")


def read_clauses(pages: list[Page]) -> list[Clause]:
    """Clauses in order. A heading without an intact § counts only when its number is
    the next one expected, so stray lines like '8 mars ...' are not taken for clauses.
    A clause's text ends at the next heading or at the place-and-date line of signing."""
    clauses: list[Clause] = []
    texts: list[list[str]] = []
    open_clause = False
    margins = _running_lines(pages)
    for page in pages:
        if page.status != "ok":
            continue
        for line in page.lines:
            text = " ".join(line.text.split())
            if not text or _PAGE_NUMBER.match(text) or id(line) in margins:
                continue
            expected = str(int(_number(clauses[-1].number)) + 1) if clauses else "1"
            found = heading(text)
            glued = _GLUED_SIGN.match(text)
            if found is None and glued and glued.group("number") == expected:
                found = heading(f"§ {expected} {glued.group('title')}")
                if found:
                    found.exact = False
            if found and found.exact and clauses and int(_number(found.number)) < int(expected):
                found = None  # '§ 3 ...' again: a reference to an earlier clause
            if found and (found.exact or _number(found.number) == expected):
                clauses.append(Clause(found.number, found.title, "", page.number))
                texts.append([])
                open_clause = True
                continue
            if open_clause and signing([text]) is not None:
                open_clause = False
            if open_clause:
                texts[-1].append(clean_text(text))
    for clause, lines in zip(clauses, texts, strict=True):
        clause.text = join_lines(_item_letters(lines))
    return clauses


_ITEM = re.compile(r"^([a-zA-Z])\)\s")


def _item_letters(lines: list[str]) -> list[str]:
    """Lettered sub-items in lower case: OCR reads c, o, s, v ... as capitals of the same
    shape ('a)', 'b)', 'C)'); a capital that follows the lower-case item before it in the
    alphabet is that item's letter."""
    out: list[str] = []
    previous = ""
    for line in lines:
        item = _ITEM.match(line)
        if item:
            letter = item.group(1)
            if letter.isupper() and previous and ord(letter.lower()) == ord(previous) + 1:
                line = letter.lower() + line[1:]
            previous = line[0] if line[0].islower() else ""
        out.append(line)
    return out


def clean_text(text: str) -> str:
    """A line of clause text without specks standing alone, with § restored in
    references ('i & 6' -> 'i § 6') and a speck after its final stop dropped."""
    text = _SIGN_REFERENCE.sub(
        lambda m: f"{m.group('word')} § " if m.group("word") else "§ ", _SPECK_TOKEN.sub("", text)
    )
    text = re.sub(r"(?<=[.!?])[:;,'\"|]+$", "", text)
    return " ".join(text.split())


def _running_lines(pages: list[Page]) -> set[int]:
    """ids of running headers and footers: a page's first or last line, set apart from
    the text by more than two line pitches, in smaller type than the text or repeated on
    another page (its digits aside). They must not run into a clause continued over the
    page break."""
    lines = [line for page in pages if page.status == "ok" for line in page.lines]
    heights = [w.bbox[3] - w.bbox[1] for line in lines for w in line.words]
    if not heights:
        return set()
    body = statistics.median(heights)
    # The line pitch inside paragraphs (paragraph and signature gaps left out).
    pitches = [
        b.bbox[1] - a.bbox[1]
        for page in pages
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if 0 < b.bbox[1] - a.bbox[1] < 2.5 * body
    ]
    if not pitches:
        return set()
    pitch = statistics.median(pitches)
    candidates: list[Line] = []
    for page in pages:
        ordered = sorted(page.lines, key=lambda line: line.bbox[1])
        if len(ordered) < 3:
            continue
        first, second, last, before = ordered[0], ordered[1], ordered[-1], ordered[-2]
        if second.bbox[1] - first.bbox[1] > 2 * pitch:
            candidates.append(first)
        if last.bbox[1] - before.bbox[1] > 2 * pitch:
            candidates.append(last)

    def small(line: Line) -> bool:
        return statistics.median(w.bbox[3] - w.bbox[1] for w in line.words) < 0.85 * body

    def key(line: Line) -> str:
        return re.sub(r"\d+", "", line.text)

    return {
        id(line)
        for line in candidates
        if small(line)
        or any(o is not line and fuzz.ratio(key(o), key(line)) >= 85 for o in candidates)
    }


def _number(number: str) -> str:
    return re.sub(r"[a-z]$", "", number)


# a hyphen before these ends the first part of a compound, not a line-end break
# ('mark-' + 'och exploatering' stays 'mark- och exploatering')
_SUSPENDED = re.compile(r"(och|eller|samt|respektive)\b")


def join_lines(lines: list[str]) -> str:
    """Running text from wrapped lines (clause text, table cells, titles): single spaces; a
    word hyphenated at a line end is rejoined ('sam-' + 'arbetet' -> 'samarbetet'); after a
    capital the hyphen stays ('YH-' + 'nätverket' -> 'YH-nätverket'), and before a
    conjunction ('vård-' + 'och omsorg' -> 'vård- och omsorg')."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif re.search(r"[a-zåäö]-$", text) and line[:1].islower() and not _SUSPENDED.match(line):
            text = text[:-1] + line
        elif re.search(r"[A-ZÅÄÖ0-9]-$", text):
            text += line
        else:
            text += " " + line
    return text


def clauses_stage(document: Document, settings: Settings) -> None:
    """Document stage: fill ``document.clauses``."""
    document.clauses = read_clauses(document.pages)
