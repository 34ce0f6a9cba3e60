"""Compare successive years' documents: activities, budget, agreement clauses, timelines.

Activities are matched across years even when reworded or moved to another area: a score
built from the activity text (rapidfuzz), supported by sub-goal, area and the row's other
cells (responsible, when, budget, comment), feeds an optimal
one-to-one assignment (Hungarian algorithm, scipy); pairs scoring under a threshold count
as removed + added. A matched pair with any difference is reported with the names of the
changed fields. Text is compared after whitespace folding and Unicode normalisation, so
line-wrap differences between two readings never show as changes.

The JSON form of a diff (``schemas/diff.schema.json``) and of a timeline
(``schemas/timeline.schema.json``) is the contract; the renderers in ``report.py`` only
present it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from scipy.optimize import linear_sum_assignment

from . import schema
from .errors import BadArgsError, InputFileError
from .evaluate import fold_whitespace
from .lexicon import word_lists
from .model import ActionRow, Clause, Document

ACTION_FIELDS = (
    "area",
    "goal",
    "subgoal",
    "activity",
    "responsible",
    "when",
    "budget_sek",
    "comment",
)
CLAUSE_FIELDS = ("number", "title", "text")

# Weights of the matching score: the activity text decides, context breaks ties and lifts
# a reworded row that stayed under the same sub-goal and area. The row's other cells
# (responsible, when, budget, comment) add support on top: an activity that moved to
# another area keeps them far more often than two different activities share them.
ACTIVITY_WEIGHT = 0.75
SUBGOAL_WEIGHT = 0.15
AREA_WEIGHT = 0.10
DETAILS_WEIGHT = 0.15
DETAIL_FIELDS = ("responsible", "when", "budget_sek", "comment")
# A pair whose activity texts are less alike than MIN_ACTIVITY, or whose score is under
# THRESHOLD, is not the same activity: the old row counts as removed, the new as added.
# Calibrated on Swedish action-plan rows (the samples and plans written for checking):
# unrelated activities score up to ~0.54 on text alone, ~0.63 for rows of one template
# ("Samordna upphandling av X" / "... av Y"), and up to ~0.58 overall across areas; heavy
# rewordings from ~0.6, rows both moved and reworded from ~0.66 with their cells' support.
THRESHOLD = 0.66
MIN_ACTIVITY = 0.55
# A row in another area (area text less alike than OTHER_AREA) has only its activity
# text to go on: its other cells (one municipality, "Oktober", 80 000 kr) are shared by
# unrelated rows of a plan too, and would carry a template row ("Genomföra en konferens om
# X" / "... om Y", ~0.66) over the threshold. Its text must be at least MOVED_MIN_ACTIVITY
# alike; rows moved and reworded keep more of it (~0.75 and up).
OTHER_AREA = 0.5
MOVED_MIN_ACTIVITY = 0.70

NO_AREA = ""  # by_area key for rows without an area


# --- normalisation -----------------------------------------------------------------------


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u00ab\u00bb"} | {"\u2019": "'"})
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)])")
_SPACE_AFTER = re.compile(r"([(])\s+")


def normalise(text: str | None) -> str:
    """Text as compared, so that differences of reading are not taken for changes.

    NFC, whitespace folded (line wraps), one kind of dash and quote, no space before
    punctuation; None and blank are the same (an empty cell).
    """
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_DASHES).translate(_QUOTES)
    text = fold_whitespace(text)
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


@lru_cache(maxsize=65536)
def _key(text: str | None) -> str:
    """Case-folded form used for matching (not for deciding what changed)."""
    return normalise(text).casefold()


_WORD_HYPHEN = re.compile(r"(?<=\w)-\s*")
_RULE_MARKS = re.compile(r"(?:(?<=\s)|^)[-|_~]+(?:\s+|$)")
_CLOSING_PUNCT = re.compile(r"[.,:;!?]+(?=\s|$)")
_OPENING_PUNCT = re.compile(r"(?:(?<=\s)|^)[.,:;!?=]+(?=\w)|^-+(?=\w)")
_MARK_BETWEEN = re.compile(r"(?<=[^\W\d_])[.,:;'`´](?=[^\W\d_])")


def _reading_form(text: str | None) -> str:
    """`normalise`d text without what a scan adds: hyphens inside or after words (a word
    hyphenated at a line wrap, "yrkeshögskole- utbildningar", is
    "yrkeshögskoleutbildningar"), free-standing dashes and bars, which is what table
    rules read as text look like ("elfordon -", "om | Tvärförbindelse"), and punctuation
    closing or opening a word ("uppvaktning: med", "=:Utreda"), which scan specks turn
    into, and a dash opening the cell ("-Utreda": only within a text does a dash join a
    word to one before it, "vård- och -omsorg"); a plan's content does not change by a
    comma. A mark between two letters is a speck where a space was ("flera.språk",
    "Kartlägga:behovet"): read as the space. Punctuation by a digit ("1.5", "kl. 9:30")
    stays."""
    text = _MARK_BETWEEN.sub(" ", _WORD_HYPHEN.sub("", normalise(text)))
    return _OPENING_PUNCT.sub("", _CLOSING_PUNCT.sub("", _RULE_MARKS.sub("", text))).strip()


def _compare_form(text: str | None) -> str:
    """`_reading_form`, case folded: nor does content change by capitals ("våren", "VI
    säkrar")."""
    return _reading_form(text).casefold()


# Glyphs a scan of one letter is read as, folded before words are compared ("AI" / "Al").
_GLYPHS = str.maketrans({"I": "l", "|": "l"})


def _misread(a: str, b: str) -> bool:
    """Are two differing words one word read two ways? Yes when they are a glyph or an
    edit or two apart (one for words of three letters) and not both are Swedish words
    ("ftam"/"fram", "tif"/"till", "regiohen"/"regionen"). Numbers and abbreviations always
    count ("väg 13"/"väg 73", "SKL"/"SKR"), and so do two real words ("vård"/"värd")."""
    if a.translate(_GLYPHS).casefold() == b.translate(_GLYPHS).casefold():
        return True
    if any(c.isdigit() for c in a + b) or any(len(w) > 1 and w.isupper() for w in (a, b)):
        return False
    low_a, low_b = a.casefold(), b.casefold()
    if Levenshtein.distance(low_a, low_b) > (1 if max(len(a), len(b)) <= 3 else 2):
        return False
    words = word_lists()
    return not (words.valid(low_a) and words.valid(low_b))


def same_reading(old: str | None, new: str | None) -> bool:
    """Do two cell texts say the same, read from two scans? Equal `_compare_form`s, or
    word for word the same but for misread words (`_misread`)."""
    if _compare_form(old) == _compare_form(new):
        return True
    a, b = _reading_form(old).split(), _reading_form(new).split()
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in b])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op != "replace" or i2 - i1 != j2 - j1:
            return False
        if not all(_misread(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)):
            return False
    return True


def _field_value(row: ActionRow, name: str) -> Any:
    """A cell as compared for matching: `_compare_form`, responsible as a set."""
    value = getattr(row, name)
    if name == "responsible":
        return frozenset(_compare_form(r) for r in value if normalise(r))
    if name == "budget_sek":
        return value
    return _compare_form(value)


def _same_field(old: ActionRow, new: ActionRow, name: str) -> bool:
    """Is a cell unchanged? The same amount; the same reading (`same_reading`) of a text;
    for responsible, the same set, or its names paired off as the same readings."""
    a, b = getattr(old, name), getattr(new, name)
    if name == "budget_sek":
        return a == b
    if name == "responsible":
        if _field_value(old, name) == _field_value(new, name):
            return True
        a, b = [r for r in a if normalise(r)], [r for r in b if normalise(r)]
        unmatched = list(b)
        for item in a:
            partner = next((r for r in unmatched if same_reading(item, r)), None)
            if partner is None:
                return False
            unmatched.remove(partner)
        return not unmatched
    return same_reading(a, b)


def changed_fields(old: ActionRow, new: ActionRow) -> list[str]:
    """Names of the fields that differ, in ACTION_FIELDS order (page is not content)."""
    return [n for n in ACTION_FIELDS if not _same_field(old, new, n)]


# --- matching ----------------------------------------------------------------------------


def text_similarity(a: str | None, b: str | None) -> float:
    """0..1 likeness of two cell texts, tolerant of rewording.

    The mean of a character-level score (edit similarity, or the same with the words
    sorted) and a word-level one (`_content_word_overlap`), so a reworded activity keeps a
    high score while two unrelated ones sharing "på Södertörn" do not. When every content
    word of one text is in the other ("Rådslag" -> "Rådslag för förtroendevalda") the text
    was extended, and the characters compare by the best-aligned stretch of the longer.
    """
    return _similarity(_key(a), _key(b))


@lru_cache(maxsize=65536)
def _similarity(a: str, b: str) -> float:
    """`text_similarity` of two `_key` forms (cached: sub-goals and areas recur in every
    pair of rows)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    words, contained = _content_word_overlap(a, b)
    characters = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    if contained:
        characters = max(characters, fuzz.partial_ratio(a, b))
    return (characters / 100.0 + words) / 2.0


_WORD = re.compile(r"\w+")
SAME_WORD = 75  # rapidfuzz ratio from which two words count as forms of one word
# A word of at least COMPOUND_PART letters found inside a longer one is a part of a
# compound ("skolskjutsar" / "skolskjutsupphandling", "plan" is too short to tell),
# counted at COMPOUND_CREDIT of its likeness.
COMPOUND_PART = 5
COMPOUND_CREDIT = 0.9


# Swedish function words, left out of the word-level likeness: two activities sharing
# "och", "för" and "på" are no more alike for it. (spaCy has a longer list, but importing
# it costs the CLI seconds.)
STOP_WORDS = frozenset(
    """
    alla allt andra annan att av bara blir bli de dem den denna deras dess det detta dig din
    där efter eller en ett ej era ert från för genom ha har hade hans har hennes hon honom
    hur här i inom inte inför ingen jag kan kunna man med mellan men mer mest mig min mot
    måste ni nu när någon något några och om oss på samt sedan sig sin sitt själv ska skall
    som så till tillsammans under upp ut utan vad var vara varje vi vid vilka vilken vill
    än är åt över även
    """.split()
)


@lru_cache(maxsize=4096)
def _content_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(text) if len(w) > 1 and w not in STOP_WORDS)


def _word_likeness(words_a: tuple[str, ...], words_b: tuple[str, ...]) -> np.ndarray:
    """0..100 likeness of every pair of words: edit likeness, or that of a compound part
    (the shorter word's best-aligned stretch of the longer); under SAME_WORD is 0."""
    likeness = process.cdist(words_a, words_b, scorer=fuzz.ratio)
    lengths_a = np.array([len(w) for w in words_a])[:, None]
    lengths_b = np.array([len(w) for w in words_b])[None, :]
    part = (np.minimum(lengths_a, lengths_b) >= COMPOUND_PART) & (lengths_a != lengths_b)
    if part.any():
        parts = COMPOUND_CREDIT * process.cdist(words_a, words_b, scorer=fuzz.partial_ratio)
        likeness = np.where(part, np.maximum(likeness, parts), likeness)
    return np.where(likeness >= SAME_WORD, likeness, 0.0)


def _content_word_overlap(a: str, b: str) -> tuple[float, bool]:
    """Soft Dice overlap of content words: inflected forms (workshop/workshoppar,
    kartlägga/kartläggning) and compound parts count by their likeness, function words
    not at all. Also whether all content words of one text are found in the other."""
    words_a, words_b = _content_words(a), _content_words(b)
    if not words_a or not words_b:
        return 0.0, False
    likeness = _word_likeness(words_a, words_b)
    best_a, best_b = likeness.max(axis=1), likeness.max(axis=0)
    covered = best_a.sum() + best_b.sum()
    contained = bool(best_a.min() > 0 or best_b.min() > 0)
    return float(covered) / 100.0 / (len(words_a) + len(words_b)), contained


def _context_similarity(a: str | None, b: str | None) -> float:
    if not _key(a) and not _key(b):
        return 1.0
    return text_similarity(a, b)


def _details_similarity(old: ActionRow, new: ActionRow) -> float:
    """0..1 share of the other cells the rows have in common. A cell blank in both rows
    is no evidence and counts as not shared; responsible compares as a set (Jaccard)."""
    shared = 0.0
    for name in DETAIL_FIELDS:
        a, b = _field_value(old, name), _field_value(new, name)
        if name == "responsible":
            shared += len(a & b) / len(a | b) if a | b else 0.0
        elif name == "comment":
            shared += text_similarity(a, b) if a and b else 0.0
        else:
            shared += a == b and a not in (None, "")
    return shared / len(DETAIL_FIELDS)


def match_score(old: ActionRow, new: ActionRow) -> float:
    """How likely two rows are the same activity; 0 when the activity texts are unlike
    (MIN_ACTIVITY, or MOVED_MIN_ACTIVITY for a row in another area), or differ and the
    rows share no other cell."""
    activity = text_similarity(old.activity, new.activity)
    if activity < MIN_ACTIVITY:
        return 0.0
    area = _context_similarity(old.area, new.area)
    if area < OTHER_AREA and activity < MOVED_MIN_ACTIVITY:
        return 0.0
    details = _details_similarity(old, new)
    # A reworded row that shares no other cell with its candidate (municipalities, time,
    # budget and comment) is a new activity: rows of one template ("rutiner för
    # livsmedelsförsörjning vid kris" / "... läkemedelsförsörjning ...") come as close in
    # text as a rewording does, and an activity reworded keeps at least one of its cells.
    if not details and not same_reading(old.activity, new.activity):
        return 0.0
    return (
        ACTIVITY_WEIGHT * activity
        + SUBGOAL_WEIGHT * _context_similarity(old.subgoal, new.subgoal)
        + AREA_WEIGHT * area
        + DETAILS_WEIGHT * details
    )


def match(
    old: Sequence[Any],
    new: Sequence[Any],
    score: Callable[[Any, Any], float],
    threshold: float,
) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs (i, j) with score >= threshold (maximum total score).

    Scores under the threshold are zeroed before the assignment, so an unacceptable pair
    can never pull another pair away from its best partner.
    """
    if not old or not new:
        return []
    scores = np.array([[score(a, b) for b in new] for a in old], dtype=float)
    scores[scores < threshold] = 0.0
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols, strict=True) if scores[i, j] > 0)


def _action_dict(row: ActionRow) -> dict[str, Any]:
    return asdict(row)


def diff_actions(old: Sequence[ActionRow], new: Sequence[ActionRow]) -> dict[str, Any]:
    """Added, removed, changed (with field names) and unchanged count of action rows."""
    pairs = match(old, new, match_score, THRESHOLD)
    matched_old = {i for i, _ in pairs}
    matched_new = {j for _, j in pairs}
    changed = []
    unchanged = 0
    for i, j in pairs:
        fields = changed_fields(old[i], new[j])
        if fields:
            changed.append(
                {"old": _action_dict(old[i]), "new": _action_dict(new[j]), "fields": fields}
            )
        else:
            unchanged += 1
    return {
        "added": [_action_dict(r) for j, r in enumerate(new) if j not in matched_new],
        "removed": [_action_dict(r) for i, r in enumerate(old) if i not in matched_old],
        "changed": changed,
        "unchanged": unchanged,
    }


# --- budget ------------------------------------------------------------------------------


def budget_totals(actions: Iterable[ActionRow]) -> dict[str, Any]:
    """Total budget and budget per area (rows without an area under NO_AREA)."""
    by_area: dict[str, int] = {}
    for row in actions:
        area = normalise(row.area) or NO_AREA
        by_area[area] = by_area.get(area, 0) + (row.budget_sek or 0)
    return {"total": sum(by_area.values()), "by_area": by_area}


def diff_budget(old: Sequence[ActionRow], new: Sequence[ActionRow]) -> dict[str, Any]:
    """Both years' totals and the difference (new - old), overall and per area."""
    before, after = budget_totals(old), budget_totals(new)
    areas = list(before["by_area"]) + [a for a in after["by_area"] if a not in before["by_area"]]
    return {
        "old": before,
        "new": after,
        "difference": {
            "total": after["total"] - before["total"],
            "by_area": {a: after["by_area"].get(a, 0) - before["by_area"].get(a, 0) for a in areas},
        },
    }


# --- clauses -----------------------------------------------------------------------------


def word_diff(old: str, new: str) -> list[list[str]]:
    """Word-level diff as [op, words] with op equal/insert/delete (a replace is both)."""
    a, b = fold_whitespace(old).split(), fold_whitespace(new).split()
    keys_a, keys_b = [normalise(w) for w in a], [normalise(w) for w in b]
    out: list[list[str]] = []

    def emit(op: str, words: list[str]) -> None:
        if not words:
            return
        if out and out[-1][0] == op:
            out[-1][1] += " " + " ".join(words)
        else:
            out.append([op, " ".join(words)])

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, keys_a, keys_b, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            emit("equal", b[j1:j2])
        else:
            emit("delete", a[i1:i2])
            emit("insert", b[j1:j2])
    return out


def _clause_pairs(old: Sequence[Clause], new: Sequence[Clause]) -> list[tuple[int, int]]:
    """Pairs by number and title: both equal first, then same title (renumbered),
    then same number (retitled)."""
    pairs: list[tuple[int, int]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    keys: list[Callable[[Clause], Any]] = [
        lambda c: (c.number.strip().lower(), _key(c.title)),
        lambda c: _key(c.title),
        lambda c: c.number.strip().lower(),
    ]
    for key in keys:
        index: dict[Any, int] = {}
        for j, clause in enumerate(new):
            if j not in used_new:
                index.setdefault(key(clause), j)
        for i, clause in enumerate(old):
            j = index.get(key(clause))
            if i in used_old or j is None or j in used_new:
                continue
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    return sorted(pairs)


def _same_clause_field(old: Clause, new: Clause, name: str) -> bool:
    a, b = getattr(old, name), getattr(new, name)
    return _compare_form(a) == _compare_form(b) if name == "number" else same_reading(a, b)


def diff_clauses(old: Sequence[Clause], new: Sequence[Clause]) -> dict[str, Any]:
    """Added, removed and changed clauses; a changed one carries a word diff of its text."""
    pairs = _clause_pairs(old, new)
    changed = []
    unchanged = 0
    for i, j in pairs:
        a, b = old[i], new[j]
        fields = [n for n in CLAUSE_FIELDS if not _same_clause_field(a, b, n)]
        if fields:
            changed.append(
                {
                    "old": asdict(a),
                    "new": asdict(b),
                    "fields": fields,
                    "text_diff": word_diff(a.text, b.text),
                }
            )
        else:
            unchanged += 1
    return {
        "added": [asdict(c) for j, c in enumerate(new) if j not in {q for _, q in pairs}],
        "removed": [asdict(c) for i, c in enumerate(old) if i not in {p for p, _ in pairs}],
        "changed": changed,
        "unchanged": unchanged,
    }


# --- documents ---------------------------------------------------------------------------


def document_label(document: Document) -> str:
    """How a document is named in reports: its year, else its file name."""
    return str(document.year) if document.year is not None else document.source.file


def _summary(document: Document) -> dict[str, Any]:
    return {
        "file": document.source.file,
        "kind": document.kind,
        "title": document.title,
        "year": document.year,
        "label": document_label(document),
    }


def diff_documents(old: Document, new: Document) -> dict[str, Any]:
    """The diff of two documents as validated JSON data (schemas/diff.schema.json)."""
    result = {
        "old": _summary(old),
        "new": _summary(new),
        "actions": diff_actions(old.actions, new.actions),
        "clauses": diff_clauses(old.clauses, new.clauses),
        "budget": diff_budget(old.actions, new.actions),
    }
    schema.check(result, "diff")
    return result


def timeline(documents: Sequence[Document]) -> dict[str, Any]:
    """Each activity's history across documents in the given (year) order.

    Consecutive documents are matched like in `diff_documents`; an activity is a chain of
    matched rows. Each history entry says what happened in that year: added, changed (with
    the fields), unchanged or removed.
    """
    if len(documents) < 2:
        raise BadArgsError("a timeline needs at least two documents")
    labels = [document_label(d) for d in documents]
    chains: list[dict[str, Any]] = []
    current: dict[int, dict[str, Any]] = {}  # row index in the previous document -> chain
    for i, row in enumerate(documents[0].actions):
        chain = _new_chain(labels[0], row)
        chains.append(chain)
        current[i] = chain
    for year, (previous, document) in enumerate(pairwise(documents), start=1):
        pairs = dict(match(previous.actions, document.actions, match_score, THRESHOLD))
        following: dict[int, dict[str, Any]] = {}
        for i, chain in current.items():
            j = pairs.get(i)
            if j is None:
                chain["history"].append(
                    {"label": labels[year], "status": "removed", "fields": [], "action": None}
                )
                continue
            row = document.actions[j]
            fields = changed_fields(previous.actions[i], row)
            chain["history"].append(
                {
                    "label": labels[year],
                    "status": "changed" if fields else "unchanged",
                    "fields": fields,
                    "action": _action_dict(row),
                }
            )
            chain["last_seen"] = labels[year]
            chain["activity"] = fold_whitespace(row.activity)
            chain["area"] = row.area
            following[j] = chain
        for j, row in enumerate(document.actions):
            if j not in following:
                chain = _new_chain(labels[year], row)
                chains.append(chain)
                following[j] = chain
        current = following
    result = {"documents": [_summary(d) for d in documents], "activities": chains}
    schema.check(result, "timeline")
    return result


def _new_chain(label: str, row: ActionRow) -> dict[str, Any]:
    return {
        "activity": fold_whitespace(row.activity),
        "area": row.area,
        "first_seen": label,
        "last_seen": label,
        "history": [{"label": label, "status": "added", "fields": [], "action": _action_dict(row)}],
    }


# --- inputs ------------------------------------------------------------------------------


def _read_json(path: Path) -> Document:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"not a readable document JSON ({exc})", str(path)) from None
    found = schema.violations(data, "document")
    if found:
        raise InputFileError(f"not a plandigit document JSON: {found[0]}", str(path))
    return Document.from_dict(data)


def load_documents(
    paths: Sequence[str | os.PathLike[str]], jobs: int | None = None
) -> list[Document]:
    """Documents in the order given: JSON files are read, PDFs processed (all on one pool).

    Any input that cannot be read or processed raises its PlandigitError naming the file.
    """
    documents: dict[str, Document] = {}
    pdfs: list[str] = []
    for raw in paths:
        path = Path(raw)
        if str(path) in documents or str(path) in pdfs:
            continue
        if path.suffix.lower() == ".pdf":
            pdfs.append(str(path))
        else:
            documents[str(path)] = _read_json(path)
    if pdfs:
        from .executors import LocalExecutor
        from .process import Settings, run_documents

        with LocalExecutor(jobs) as executor:
            for result in run_documents(pdfs, Settings(), executor):
                if result.error is not None:
                    raise result.error
                documents[result.path] = result.document
    return [documents[str(Path(p))] for p in paths]
