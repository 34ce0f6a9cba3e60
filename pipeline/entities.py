"""Named things in plans and agreements: municipalities, dates, amounts; and what a
document is (kind, title, year, parties, place and date of signing).

Rules only (a spaCy ``EntityRuler`` on ``spacy.blank("sv")``; nothing downloaded), plus
fuzzy matching for names the correction stage left damaged ('Sodertalje').
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from .model import Document, Line

if TYPE_CHECKING:
    from spacy.language import Language

    from .process import Settings

MUNICIPALITIES = (
    "Botkyrka",
    "Haninge",
    "Huddinge",
    "Nykvarn",
    "Nynäshamn",
    "Salem",
    "Södertälje",
    "Tyresö",
)
REGION = "Södertörn"  # in a Ansvarig cell: all eight municipalities together
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def _fold(text: str) -> str:
    """Lower case without diacritics or punctuation, for fuzzy comparison of names."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


_FOLDED = {_fold(name): name for name in (*MUNICIPALITIES, REGION)}


def canonical_place(text: str) -> str | None:
    """The canonical name of a municipality (or Södertörn) that ``text`` names, if any:
    'Sodertalje' -> 'Södertälje', 'Nykvarns kommun' -> 'Nykvarn'; None for anything else."""
    name = re.sub(r"\s+kommuns?$", "", text.strip(), flags=re.IGNORECASE)
    folded = _fold(name)
    if len(folded) < 4:
        return None
    candidates = [folded] + ([folded[:-1]] if folded.endswith("s") else [])  # genitive
    for candidate in candidates:
        match = process.extractOne(candidate, list(_FOLDED), scorer=fuzz.ratio, score_cutoff=80)
        if match:
            return _FOLDED[match[0]]
    return None


# "och"/"samt" join names; a scan speck may stick to them ("Haninge och: Huddinge").
_RESPONSIBLE_SPLIT = re.compile(r"\s*[,;&]\s*|(?<!-)\s+(?:och|samt)[.,:;]?\s+", re.IGNORECASE)


def split_responsible(cell: str) -> list[str]:
    """'Haninge, Botkyrka och Huddinge' -> ['Haninge', 'Botkyrka', 'Huddinge'];
    municipalities get their canonical names, groups ('Ekonomidirektörerna') stay as
    written."""
    names: list[str] = []
    for part in _RESPONSIBLE_SPLIT.split(cell):
        part = part.strip(" .:")
        if not part:
            continue
        for name in _places_listed(part) or [canonical_place(part) or part]:
            if name not in names:
                names.append(name)
    return names


def _places_listed(part: str) -> list[str] | None:
    """'Huddinge Botkyrka' (one name a line in the cell), 'Huddinge/Botkyrka': the places
    when every word is one; None otherwise."""
    words = [w for w in re.split(r"[\s/]+", part) if w.lower() not in ("kommun", "kommuns")]
    if len(words) < 2:
        return None
    places = [canonical_place(w) for w in words]
    return [p for p in places if p] if all(places) else None


_AMOUNT = re.compile(r"\d[\d\s\u00a0.]*(?:,\d+)?")


def parse_amount(text: str) -> int | None:
    """Whole kronor in a budget cell: '120 000 kr' -> 120000, '4000' -> 4000,
    '1,5 mkr' -> 1500000, '50 tkr' -> 50000; None when it holds no number."""
    match = _AMOUNT.search(text)
    if not match:
        return None
    number = re.sub(r"[\s\u00a0]", "", match.group())
    number = re.sub(r"\.(?=\d{3}(\D|$))", "", number).replace(",", ".")
    try:
        value = float(number)
    except ValueError:
        return None
    rest = text[match.end() :].lower()
    if re.match(r"\s*(mkr|milj)", rest):
        value *= 1_000_000
    elif re.match(r"\s*(tkr|tusen)", rest):
        value *= 1_000
    return round(value)


_SEASONS = ("våren", "sommaren", "hösten", "vintern")
_PERIOD = "|".join(MONTHS + _SEASONS)
_RANGE = re.compile(rf"\b({_PERIOD})(\s*)[-–—](\s*)(?=(?:{_PERIOD})\b)", re.IGNORECASE)


def when_text(cell: str) -> str:
    """A Tid cell as written, its range dash as printed: 'januari-mars' -> 'januari–mars'.
    OCR does not tell a hyphen from the en dash, and Swedish writes ranges of months and
    seasons with the en dash. A full stop after a date, season or word ('10 april.',
    'Löpande.') is a speck: only an abbreviation ('dec.', 'sept.') ends in one."""
    cell = re.sub(rf"\b({_PERIOD}|[^\W\d_]{{5,}}|\d+)\.$", r"\1", cell, flags=re.IGNORECASE)
    return _RANGE.sub(r"\1\2–\3", cell)


def parse_date(text: str) -> str | None:
    """ISO date from '15 november 2019', '3 dec. 2020', '2019-11-15' or '15/11 2019';
    None otherwise."""
    text = text.strip().lower()
    if m := re.search(r"\b(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})\b", text):
        name = m.group(2)
        short = [month for month in MONTHS if len(name) >= 3 and month.startswith(name)]
        month = short[0] if len(short) == 1 else None
        found = process.extractOne(name, MONTHS, scorer=fuzz.ratio, score_cutoff=75)
        month = month or (found[0] if found else None)
        if month:
            return _iso(int(m.group(3)), MONTHS.index(month) + 1, int(m.group(1)))
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := re.search(r"\b(\d{1,2})/(\d{1,2})\s*(\d{4})\b", text):
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    if 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


@cache
def nlp() -> Language:
    """Blank Swedish pipeline with an entity ruler for MUNICIPALITY, DATE and AMOUNT.
    (spaCy is imported here, not at module load: page workers import this module.)"""
    import spacy

    pipeline = spacy.blank("sv")
    ruler = pipeline.add_pipe("entity_ruler")
    patterns: list[dict] = []
    for name in (*MUNICIPALITIES, REGION):
        for form in (name, name + "s"):
            patterns.append({"label": "MUNICIPALITY", "pattern": [{"LOWER": form.lower()}]})
    patterns.append(
        {
            "label": "DATE",
            "pattern": [
                {"LIKE_NUM": True},
                {"LOWER": {"IN": list(MONTHS)}},
                {"SHAPE": "dddd"},
            ],
        }
    )
    patterns.append({"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^\d{4}-\d{2}-\d{2}$"}}]})
    patterns.append(
        {
            "label": "AMOUNT",
            "pattern": [
                {"TEXT": {"REGEX": r"^\d{1,3}$"}},
                {"TEXT": {"REGEX": r"^\d{3}$"}, "OP": "*"},
                {"LOWER": {"IN": ["kr", "kronor", "sek", "mkr", "tkr"]}},
            ],
        }
    )
    ruler.add_patterns(patterns)
    return pipeline


def municipalities_in(text: str) -> list[str]:
    """Canonical municipalities named in a text, in order of first mention; damaged
    spellings the ruler does not know are matched fuzzily word by word."""
    found: list[str] = []
    doc = nlp()(text)
    entity_starts = {ent.start: ent for ent in doc.ents if ent.label_ == "MUNICIPALITY"}
    for token in doc:
        ent = entity_starts.get(token.i)
        name = canonical_place(ent.text if ent is not None else token.text)
        if name and name != REGION and name not in found:
            found.append(name)
    return found


# 'Huddinge 2019-11-15', 'Ort och datum: Södertälje, 3 dec. 2020': a line of place and
# date only (capitalised place words), as signatures are dated.
_PLACE_DATE = re.compile(
    r"^(?:[Oo]rt och datum:?\s*)?"
    r"(?P<place>[A-ZÅÄÖ][\w-]*(?:\s+[A-ZÅÄÖ][\w-]*){0,2}(?:\s+kommun)?),?\s+"
    r"(?:den\s+)?(?P<date>\d{1,2}\s+[a-zåäö]+\.?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}\s*\d{4})"
    r"\s*\.?$"
)


def signing(lines: list[str]) -> dict[str, str | None] | None:
    """Place and date of signing from a line like 'Huddinge den 15 november 2019' or
    'Huddinge 2019-11-15' (the last such line wins: it follows the clauses)."""
    for text in reversed(lines):
        whole = _PLACE_DATE.match(text.strip())
        if whole and whole.group("place") != "Den" and (day := parse_date(whole.group("date"))):
            place = canonical_place(whole.group("place")) or whole.group("place")
            return {"place": place, "date": day}
        doc = nlp()(text.strip())
        dates = [ent for ent in doc.ents if ent.label_ == "DATE"]
        if not dates:
            continue
        date = dates[-1]
        before = doc[: date.start]
        if len(before) < 2 or before[-1].lower_ != "den" or len(before) > 5:
            continue
        place_text = before[:-1].text.strip(" ,")
        words = [t.text for t in before[:-1] if t.is_alpha and t.lower_ != "kommun"]
        if not words or not all(word[:1].isupper() for word in words):
            continue  # 'Avtalet gäller den 1 januari 2020' is clause text, not a signing
        place = canonical_place(place_text) or place_text
        return {"place": place, "date": parse_date(date.text) or date.text}
    return None


_ASCENDING = set("bdfhkltåäöÅÄÖ0123456789§")  # reach the capital height (or above)
_DESCENDING = set("gjpqy")


def type_size(text: str, height: float) -> float:
    """The type size (em, in points) a word box of ``height`` suggests: a box spans the
    x-height only ('om'), up to the capitals ('Samverkansavtal'), or also below the
    baseline ('upphandling'), so the bare height misjudges the size by up to half."""
    ascends = any(ch.isupper() or ch in _ASCENDING for ch in text)
    descends = any(ch in _DESCENDING for ch in text)
    share = 0.95 if ascends and descends else 0.72 if ascends or descends else 0.5
    return height / share


def document_title(lines: list[Line]) -> str | None:
    """The title: the first lines of page 1 set in the largest type (a title may wrap)."""
    sized = [
        (statistics.median(type_size(w.text, w.bbox[3] - w.bbox[1]) for w in ln.words), ln)
        for ln in lines
    ]
    sized = [(h, ln) for h, ln in sized if ln.text.strip()]
    if not sized:
        return None
    largest = max(h for h, _ in sized[:8])
    title: list[str] = []
    for height, line in sized:
        if height >= 0.85 * largest:
            title.append(line.text.strip())
        elif title:
            break
    from .clauses import join_lines  # clauses imports this module

    return join_lines(title) or None


_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def describe_stage(document: Document, settings: Settings) -> None:
    """Document stage (after tables and clauses): kind, title, year, and for an
    agreement its parties and place/date of signing."""
    first = next((p for p in document.pages if p.status == "ok" and p.lines), None)
    document.title = document_title(first.lines) if first else None
    title = (document.title or "").lower()
    if "avtal" in title or (document.clauses and "plan" not in title):
        document.kind = "agreement"
    elif "plan" in title or document.actions:
        document.kind = "plan"
    else:
        document.kind = "other"
    lines = [line.text for page in document.pages for line in page.lines]
    if document.kind == "agreement":
        preamble = _preamble(document)
        document.parties = municipalities_in(preamble)
        document.signed = signing(lines)
    year = _YEAR.search(document.title or "")
    if year is None and document.signed and document.signed.get("date"):
        year = _YEAR.search(document.signed["date"] or "")
    if year is None and first is not None:
        year = _YEAR.search(first.text)
    document.year = int(year.group()) if year else None


def _preamble(document: Document) -> str:
    """Text before the first clause heading (the parties are named there)."""
    first = document.clauses[0] if document.clauses else None
    out: list[str] = []
    for page in document.pages:
        for line in page.lines:
            text = " ".join(line.text.split())
            if first is not None and text.endswith(f"{first.number} {first.title}"):
                return "\n".join(out)
            out.append(text)
        if first is None or page.number >= first.page:
            break
    return "\n".join(out)
