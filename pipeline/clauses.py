"""Agreement clauses: '§ 1 Syfte' headings with their text, joined across lines and pages.

The § may still be damaged when the correction stage missed it (OCR reads it as '8',
'$', 'S' or '&'), so a heading is recognised by its shape and by the clause numbers
following each other, not by the sign alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .entities import signing
from .model import Clause, Document, Page

if TYPE_CHECKING:
    from .process import Settings

# '§ 1 Syfte', '§1 Syfte', '$ 2 Avtalstid', '8 3 Kommitténs ...', '83 9 ...', '§ l0 ...'
_HEADING = re.compile(
    r"^\s*(?P<sign>§|[$S&0-9]{1,2}(?=\s))?\s*(?P<number>[0-9lIO|]{1,2}[a-z]?)\s*[.:]?\s+"
    r"(?P<title>[A-ZÅÄÖ][^\s.]*(?:\s+[^\s.]+){0,5})\s*$"
)
_PAGE_NUMBER = re.compile(r"^\s*(sida\s*)?\d{1,3}(\s*(av|/)\s*\d{1,3})?\s*$", re.IGNORECASE)
_DIGITS = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0"})


@dataclass
class Heading:
    number: str
    title: str
    exact: bool  # written with an intact §; a damaged sign must follow the numbering


def heading(text: str) -> Heading | None:
    """The clause heading a line is, if it has the shape of one."""
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
    for page in pages:
        if page.status != "ok":
            continue
        for line in page.lines:
            text = " ".join(line.text.split())
            if not text or _PAGE_NUMBER.match(text):
                continue
            found = heading(text)
            expected = str(int(_number(clauses[-1].number)) + 1) if clauses else "1"
            if found and (found.exact or _number(found.number) == expected):
                clauses.append(Clause(found.number, found.title, "", page.number))
                texts.append([])
                open_clause = True
                continue
            if open_clause and signing([text]) is not None:
                open_clause = False
            if open_clause:
                texts[-1].append(text)
    for clause, lines in zip(clauses, texts, strict=True):
        clause.text = join_lines(lines)
    return clauses


def _number(number: str) -> str:
    return re.sub(r"[a-z]$", "", number)


def join_lines(lines: list[str]) -> str:
    """Running text from wrapped lines (clause text, table cells): single spaces; a word
    hyphenated at a line end is rejoined ('sam-' + 'arbetet' -> 'samarbetet'); after a
    capital the hyphen stays ('YH-' + 'nätverket' -> 'YH-nätverket')."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif re.search(r"[a-zåäö]-$", text) and line[:1].islower():
            text = text[:-1] + line
        elif re.search(r"[A-ZÅÄÖ0-9]-$", text):
            text += line
        else:
            text += " " + line
    return text


def clauses_stage(document: Document, settings: Settings) -> None:
    """Document stage: fill ``document.clauses``."""
    document.clauses = read_clauses(document.pages)
