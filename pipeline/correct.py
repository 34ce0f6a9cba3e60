"""Swedish diacritic repair of OCR text (issue 3).

Old OCR (English models, poor scans) loses or mangles å, ä, ö and §. The corrector undoes
that with data staff can review (corrections/*.tsv) plus general Swedish word knowledge
(pipeline/lexicon.py):

dictionary   known damaged forms and phrases (words.tsv, phrases.tsv), § before a clause number
lexicon      an unknown token -> the best known word reachable through accent restoration and
             the confusion table (confusions.tsv), ranked by frequency and channel cost;
             also a real word whose accented twin is far more frequent in a damaged document
compound     unknown compounds rebuilt from known parts and checked with hunspell
split        words run together by OCR ("Visamarbetar" -> "Vi samarbetar")
context      real-word ambiguities (var/vår, ar/är/år, ...) decided by the neighbours
             (context.tsv, classes.tsv)
consistency  a form corrected with certainty somewhere in the document fixes the same or a
             near-identical damaged form elsewhere

Real words are only changed in proportion to the evidence that the document has lost its
accents (estimated per document), so clean Swedish passes through unchanged. A change below
the confidence threshold (0.7 for a real word; 0.5 for a token no list knows, which is wrong
as it stands) is reported as a suggestion (applied=False) and not made.
"""

from __future__ import annotations

import functools
import gc
import itertools
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from . import atomic
from .errors import BadArgsError, ConfigError, InputFileError
from .lexicon import ACCENTED, DomainEntry, Lexicon, fold
from .model import Correction, Document, Line, Page, compose_text
from .resources import corrections_dir

if TYPE_CHECKING:
    from .process import Settings

MECHANISMS = ("dictionary", "lexicon", "compound", "split", "context", "consistency")
# a real word is changed only at this confidence ...
DEFAULT_THRESHOLD = 0.7
# ... while a token no list knows is wrong as it stands: its likeliest reading is applied
# when it outweighs all other readings together (including "a word no list knows")
REPAIR_THRESHOLD = 0.5
# log-probability that an unknown token is a genuine word no list holds (a name, a rare
# term): a candidate must be clearly likelier than that to replace it
_NULL_LOGP = math.log(1e-10)
# log-cost of a compound of known parts that hunspell-sv does not accept
_UNCHECKED_COMPOUND = 3.0
# ... and more for parts hunspell does not flag as compound parts (a last resort)
_LOOSE_COMPOUND = 3.0
# the rarest frequency wordfreq's Swedish list holds (zipf 1)
_LIST_FLOOR = 1e-8

# how confusions.tsv writes "OCR printed nothing" (a letter dropped: "gller" for gäller)
DROPPED = "(none)"
# ... and "any letter": `(any)<TAB>(none)` is a letter OCR added ("samitliga" for samtliga)
ANY = "(any)"

_PIECE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ&]+")
_NUMBER = re.compile(r"\d{1,3}[a-z]?$")
_YEAR = re.compile(r"(19|20)\d\d$")
_CODE = re.compile(r"[A-ZÅÄÖ]{1,4}\d+$")
_JUNK_DIGITS = frozenset("0123456789&")
# abbreviations written with a stop inside a sentence ("kommun resp. region")
_ABBREVIATIONS = frozenset(
    "resp inkl exkl enl jfr ang tom mom kap art dvs osv etc mfl obs prop sek tkr mkr milj "
    "mdr forts fig tab uppl red sid avd tel ordf sekr adj bet ref rev ungef".split()
)
# words a Roman numeral follows ("bilaga I och II", "fas I av projektet")
_NUMERAL_HEADS = frozenset(
    "bilaga bilagan del delen kapitel fas fasen etapp etappen steg steget avsnitt nivå "
    "typ klass grupp avdelning punkt".split()
)
# An amount whose digits OCR read as the letters they look like ("Okr" for 0kr, "lO kr"):
# digits and digit-shaped letters, a currency unit attached or as the next token. No
# Swedish word has that shape, and made a word ("Okr" -> "ökar") the amount is lost.
_DIGIT_LETTERS = str.maketrans("OoIl", "0011")
_UNIT = "(?:kr|tkr|mkr|mnkr)"
_AMOUNT_UNIT = re.compile(rf"([0-9OoIl]*[OoIl][0-9OoIl]*)({_UNIT})?")
_UNIT_TOKEN = re.compile(rf"{_UNIT}|kronor", re.IGNORECASE)
_GROUP = re.compile(r"[0-9OoIl]{3}")
# An abbreviation whose capital I OCR read as a small l ("Al" for AI, "KPl", "lT"): every
# other letter a capital.
_CAPITALS_WITH_L = re.compile(r"[A-ZÅÄÖl]*[A-ZÅÄÖ][A-ZÅÄÖl]*")
_SAME_SHAPE = frozenset("CKOSVWXZ")  # capitals shaped like their small letters
_NOUN_ENDINGS = (
    "ing",
    "het",
    "tion",
    "else",
    "skap",
    "nad",
    "ande",
    "ende",
    "ism",
    "tet",
    "ur",
    "an",
    "en",
    "et",
    "er",
    "ar",
    "or",
    "na",
    "erna",
    "arna",
    "orna",
    "ag",
    "ik",
    "ör",
    "gi",
    "al",
    "el",
    "ans",
    "ens",
    "ekt",
    "ort",
    "mål",
    "ambition",
    "sikt",
    "ning",
    "ningar",
)
_PLURAL_ENDINGS = ("er", "ar", "or", "na", "iga", "liga", "aste", "ade", "ska", "ena", "rna", "are")


def _ln(x: float) -> float:
    return math.log(max(x, 1e-12))


@dataclass(frozen=True)
class Confusion:
    observed: str
    intended: str
    weight: float
    where: str = "word"


@dataclass(frozen=True)
class ContextRule:
    observed: str
    candidate: str
    side: str  # prev | next | prev2 | next2
    match: tuple[str, ...]
    weight: float


@dataclass
class CorrectionData:
    """The contents of a corrections folder, parsed."""

    words: dict[str, str] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    confusions: list[Confusion] = field(default_factory=list)
    lexicon: list[DomainEntry] = field(default_factory=list)
    classes: dict[str, set[str]] = field(default_factory=dict)
    context: list[ContextRule] = field(default_factory=list)


def _rows(path: Path, min_columns: int) -> Iterable[tuple[int, list[str]]]:
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < min_columns or not all(cells[:min_columns]):
            raise ConfigError(
                f"line {number}: expected {min_columns} tab-separated columns", str(path)
            )
        yield number, cells


def load_data(folder: Path) -> CorrectionData:
    """Read a corrections folder; a malformed line is a ConfigError naming file and line."""
    if not folder.is_dir():
        raise ConfigError("corrections folder not found", str(folder))
    data = CorrectionData()
    for _, (damaged, correct, *_) in _rows(folder / "words.tsv", 2):
        data.words[damaged.lower()] = correct
    for _, (damaged, correct, *_) in _rows(folder / "phrases.tsv", 2):
        data.phrases[tuple(damaged.lower().split())] = tuple(correct.split())
    for number, cells in _rows(folder / "confusions.tsv", 3):
        try:
            weight = float(cells[2])
        except ValueError:
            raise ConfigError(
                f"line {number}: weight {cells[2]!r} is not a number",
                str(folder / "confusions.tsv"),
            ) from None
        where = cells[3] if len(cells) > 3 and cells[3] else "word"
        observed = "" if cells[0] == DROPPED else cells[0]
        data.confusions.append(Confusion(observed, cells[1], weight, where))
    for number, cells in _rows(folder / "lexicon.tsv", 1):
        try:
            value = float(cells[2]) if len(cells) > 2 and cells[2] else 4.0
        except ValueError:
            raise ConfigError(
                f"line {number}: zipf {cells[2]!r} is not a number", str(folder / "lexicon.tsv")
            ) from None
        data.lexicon.append(DomainEntry(cells[0], cells[1] if len(cells) > 1 else "", value))
    for _, (name, words, *_) in _rows(folder / "classes.tsv", 2):
        data.classes.setdefault(name.upper(), set()).update(words.lower().split())
    for number, cells in _rows(folder / "context.tsv", 5):
        try:
            weight = float(cells[4])
        except ValueError:
            raise ConfigError(
                f"line {number}: weight {cells[4]!r} is not a number", str(folder / "context.tsv")
            ) from None
        data.context.append(
            ContextRule(
                cells[0].lower(), cells[1].lower(), cells[2], tuple(cells[3].split("|")), weight
            )
        )
    return data


@dataclass
class _Candidate:
    word: str  # lower case unless the word is always capitalised
    logp: float
    rule: str


@dataclass
class _Change:
    line: int  # 0-based
    start: int
    end: int
    original: str
    corrected: str
    rule: str
    score: float
    applied: bool
    certain_key: str | None = None  # lower-cased damaged form, for consistency


@dataclass
class _Slot:
    """One word piece of a line; its neighbours are read from the line's current words,
    so context rules see neighbours as already corrected."""

    line: int
    start: int
    text: str
    row: list[str]  # the line's pieces, shared by its slots; updated with corrections
    index: int
    glued: bool = False  # written against the piece before it, no space between

    def _at(self, offset: int) -> str | None:
        i = self.index + offset
        return self.row[i] if 0 <= i < len(self.row) else None

    @property
    def prev(self) -> str | None:
        return self._at(-1)

    @property
    def next(self) -> str | None:
        return self._at(1)

    @property
    def prev2(self) -> str | None:
        return self._at(-2)

    @property
    def next2(self) -> str | None:
        return self._at(2)

    @property
    def first_in_line(self) -> bool:
        return self.index == 0

    def change(
        self, corrected: str, rule: str, score: float, applied: bool, key: str | None = None
    ) -> _Change:
        """A change of this whole slot to `corrected`."""
        end = self.start + len(self.text)
        return _Change(self.line, self.start, end, self.text, corrected, rule, score, applied, key)


class Corrector:
    """Corrects lines of OCR text; build once per process and reuse (look-ups are cached)."""

    def __init__(
        self,
        folder: str | Path | None = None,
        disabled: Collection[str] = (),
        threshold: float = DEFAULT_THRESHOLD,
        repair_threshold: float = REPAIR_THRESHOLD,
    ) -> None:
        unknown = set(disabled) - set(MECHANISMS)
        if unknown:
            raise ValueError(f"unknown mechanisms: {sorted(unknown)}")
        self.folder = corrections_dir(folder)
        self.data = load_data(self.folder)
        self.disabled = frozenset(disabled)
        self.threshold = threshold
        self.repair_threshold = repair_threshold
        self.lexicon = Lexicon(self.data.lexicon)
        self._word_conf = [c for c in self.data.confusions if c.where == "word"]
        self._sentence_marks = {
            c.observed: c.intended for c in self.data.confusions if c.where == "sentence-start"
        }
        self._section_marks = {
            c.observed for c in self.data.confusions if c.where == "before-number"
        }
        self._accent_weight: dict[tuple[str, str], float] = {}
        self._variant_conf: list[Confusion] = []
        self._dropped = [
            (c.intended, -_ln(c.weight))
            for c in self._word_conf
            if not c.observed and c.intended != DROPPED
        ]
        added = [c.weight for c in self._word_conf if c.observed == ANY and c.intended == DROPPED]
        self._added = -_ln(added[0]) if added else None
        for c in self._word_conf:
            if not c.observed or c.observed == ANY:
                continue
            if (
                len(c.observed) == 1
                and len(c.intended) == 1
                and fold(c.observed) == fold(c.intended)
            ):
                self._accent_weight[(c.observed, c.intended)] = c.weight
            else:
                self._variant_conf.append(c)
        self._rules: dict[tuple[str, str], list[ContextRule]] = {}
        self._ruled: dict[str, set[str]] = {}  # observed word -> its rules' candidates
        for rule in self.data.context:
            self._rules.setdefault((rule.observed, rule.candidate), []).append(rule)
            self._ruled.setdefault(rule.observed, set()).add(rule.candidate)
        self._tokenizer = _tokenizer()
        self._analysis: dict[str, tuple[bool, list[_Candidate]]] = {}
        self._case_votes: dict[str, tuple[int, int]] = {}  # of the document being corrected

    # --- public API -------------------------------------------------------------------

    def correct_text(self, text: str) -> tuple[str, list[Correction]]:
        """Correct a text; the output has exactly as many lines as the input."""
        lines = text.split("\n")
        fixed, records = self.correct_lines(lines)
        return "\n".join(fixed), records

    def correct_lines(self, lines: list[str]) -> tuple[list[str], list[Correction]]:
        """Correct lines of one document (consistency and accent-loss rate span all lines)."""
        changes = self._changes(lines)
        out = list(lines)
        by_line: dict[int, list[_Change]] = {}
        for change in changes:
            if change.applied:
                by_line.setdefault(change.line, []).append(change)
        for index, items in by_line.items():
            text = out[index]
            for change in sorted(items, key=lambda c: c.start, reverse=True):
                text = text[: change.start] + change.corrected + text[change.end :]
            out[index] = text
        records = [
            Correction(
                line=c.line + 1,
                start=c.start,
                original=c.original,
                corrected=c.corrected,
                rule=c.rule,  # type: ignore[arg-type]
                score=round(c.score, 3),
                applied=c.applied,
            )
            for c in sorted(changes, key=lambda c: (c.line, c.start))
        ]
        return out, records

    # --- the passes -----------------------------------------------------------------

    def _slots(self, lines: list[str]) -> list[list[_Slot]]:
        result: list[list[_Slot]] = []
        for number, line in enumerate(lines):
            pieces: list[tuple[int, str]] = []
            for token in self._tokenizer(line):
                if token.is_space:
                    continue
                if not any(ch.isalnum() or ch in "&$§" for ch in token.text):
                    pieces.append((token.idx, token.text))  # punctuation: context only
                    continue
                if token.text in self._section_marks or token.text == "§":
                    pieces.append((token.idx, token.text))
                    continue
                for match in _PIECE.finditer(token.text):
                    pieces.append((token.idx + match.start(), match.group()))
            row = [text for _, text in pieces]
            ends = [None] + [start + len(text) for start, text in pieces]
            result.append(
                [
                    _Slot(number, start, text, row, i, ends[i] == start)
                    for i, (start, text) in enumerate(pieces)
                ]
            )
        return result

    def changes(self, lines: list[str]) -> list[_Change]:
        """All changes and suggestions for the lines of one document (0-based lines)."""
        return self._changes(lines)

    def _changes(self, lines: list[str]) -> list[_Change]:
        slot_lines = self._slots(lines)
        flat = [s for line in slot_lines for s in line]
        p_drop = self._accent_loss(flat)
        self._case_votes = _case_votes(flat)
        changes: list[_Change] = []
        consumed: set[tuple[int, int]] = set()
        if "dictionary" not in self.disabled:
            for line in slot_lines:
                changes.extend(self._phrases(line, consumed))
        decided: dict[tuple[int, int], _Change] = {}
        for change in self._hyphenated(lines, slot_lines, consumed):
            decided[(change.line, change.start)] = change
        for slot in flat:
            if (slot.line, slot.start) in consumed:
                continue
            change = self._decide(slot, p_drop)
            if change is not None:
                decided[(slot.line, slot.start)] = change
        # second pass: real words and tokens with context rules decided again with their
        # neighbours corrected ("tva ar" -> "två ar" -> "två år")
        for slot in flat:
            change = decided.get((slot.line, slot.start))
            if change is not None and change.applied and " " not in change.corrected:
                slot.row[slot.index] = change.corrected
        for slot in flat:
            where = (slot.line, slot.start)
            low = slot.text.lower()
            if where in consumed or not (low in self._ruled or self._analyse(low)[0]):
                continue
            change = self._decide(slot, p_drop)
            if change is None:
                decided.pop(where, None)
            else:
                decided[where] = change
        changes.extend(decided.values())
        if "consistency" not in self.disabled:
            self._consistency(flat, changes, p_drop)
        return changes

    def _hyphenated(
        self, lines: list[str], slot_lines: list[list[_Slot]], consumed: set[tuple[int, int]]
    ) -> list[_Change]:
        """A word hyphenated over a line break ("syf-" / "tat") is judged whole, and each
        half gets its part of the correction, so lines keep their breaks."""
        changes: list[_Change] = []
        for i in range(len(slot_lines) - 1):
            if not slot_lines[i] or not slot_lines[i + 1]:
                continue
            head, tail = slot_lines[i][-1], slot_lines[i + 1][0]
            if not lines[i].rstrip().endswith(head.text + "-") or not tail.text[:1].islower():
                continue
            consumed.update({(head.line, head.start), (tail.line, tail.start)})
            whole = (head.text + tail.text).lower()
            known, candidates = self._analyse(whole)
            if known or not candidates or "lexicon" in self.disabled:
                continue
            best = candidates[0]
            if best.rule == "split" or len(best.word) != len(whole):
                continue
            total = sum(math.exp(c.logp - best.logp) for c in candidates)
            score = 1.0 / (total + math.exp(_NULL_LOGP - best.logp))
            cut = len(head.text)
            for slot, part in ((head, best.word[:cut]), (tail, best.word[cut:])):
                change = self._change(
                    slot, part, best.rule, score, score >= self.repair_threshold, None
                )
                if change is not None:
                    changes.append(change)
        return changes

    def _accent_loss(self, slots: list[_Slot]) -> float:
        """Share of accents the document has lost, from words that keep them vs words
        that are unknown but become known by restoring accents. Prior: one in three."""
        kept = lost = 0
        for slot in slots:
            text = slot.text
            if len(text) < 2 or not text.isalpha():
                if any(c in _JUNK_DIGITS for c in text) and any(c.isalpha() for c in text):
                    lost += 1
                continue
            if ACCENTED & set(text):
                if self.lexicon.trusted(text) or self.lexicon.valid(text, compound=False):
                    kept += 1
                continue
            known, candidates = self._analyse(text.lower())
            if not known and candidates and ACCENTED & set(candidates[0].word):
                lost += 1
        return (lost + 0.5) / (lost + kept + 1.5)

    def _decide(self, slot: _Slot, p_drop: float) -> _Change | None:
        text = slot.text
        if text == ".":
            return self._stray_stop(slot)
        low = text.lower()
        if "dictionary" not in self.disabled:
            section = self._section(slot) or self._sentence_mark(slot)
            if section is not None:
                return section
            if low in self.data.words:
                return self._change(slot, self.data.words[low], "dictionary", 0.99, True, low)
            glyphs = self._amount(slot) or self._capital_i(slot) or self._capital_slip(slot)
            if glyphs is not None:
                return glyphs
        if not any(c.isalpha() for c in text) or len(text) < 2 and low not in "&":
            return None
        if _CODE.match(text):
            return None  # road numbers and codes: E4, E20, SUP2013
        known, candidates = self._analyse(low)
        if known:
            return self._real_word(slot, p_drop) or self._case_slip(slot)
        if not candidates:
            return None
        fired = False
        if "context" not in self.disabled:
            adjusted = []
            for cand in candidates:
                weight, hit = self._context(slot, low, cand.word, unknown=True)
                fired |= hit
                adjusted.append(_Candidate(cand.word, cand.logp + weight, cand.rule))
            candidates = sorted(adjusted, key=lambda c: c.logp, reverse=True)
        best = candidates[0]
        total = sum(math.exp(c.logp - best.logp) for c in candidates)
        total += math.exp(_NULL_LOGP - best.logp)  # or a word no list knows (a name ...)
        score = 1.0 / total
        rule = "context" if fired and best.rule == "lexicon" else best.rule
        return self._change(slot, best.word, rule, score, score >= self.repair_threshold, low)

    def _change(
        self, slot: _Slot, word: str, rule: str, score: float, applied: bool, key: str | None
    ) -> _Change | None:
        corrected = _apply_case(slot.text, word, self.lexicon)
        first = slot.text[:1]
        if (
            corrected[:1].isupper()
            and (
                (corrected[:1] in "ÅÄÖ" and first in "AO")
                or fold(first) != fold(corrected[:1])  # a misread first letter: I6pande
            )
            and slot.prev is not None
            and slot.prev not in {".", ":", "!", "?", "-", "–", "—"}
            and not self._heading_number(slot)
            and word[:1].islower()
        ):  # English OCR reads a mid-sentence å/ä/ö as a capital A/O, l as I
            corrected = corrected[:1].lower() + corrected[1:]
        if corrected == slot.text:
            return None
        return slot.change(
            corrected, rule, score, applied, key if applied and score >= 0.95 else None
        )

    def _heading_number(self, slot: _Slot) -> bool:
        """Does the slot follow a heading number ("§ 5 Ändringar", "2 Ändamål")?"""
        prev2 = slot.prev2
        return bool(_NUMBER.match(slot.prev or "")) and (
            prev2 is None or prev2 == "§" or prev2 in self._section_marks
        )

    # --- dictionary: § and phrases ------------------------------------------------------

    def _section(self, slot: _Slot) -> _Change | None:
        if slot.text not in self._section_marks or slot.next is None:
            return None
        if not _NUMBER.match(slot.next):
            return None
        leading = slot.first_in_line or (slot.prev or "").lower() in {"i", "enligt", "och", "se"}
        follows = slot.next2 is None or slot.next2[:1].isupper() or slot.next2 in {"ovan", "nedan"}
        if not leading and not follows:
            return None
        score = 0.97 if leading and follows else 0.7
        return slot.change("§", "dictionary", score, score >= self.threshold)

    def _sentence_mark(self, slot: _Slot) -> _Change | None:
        """A mark OCR printed for a letter standing alone at the start of a sentence ("| år"
        for "I år"): before a lower-case word, and the only such mark in the line (a
        table's rules repeat)."""
        intended = self._sentence_marks.get(slot.text)
        after = slot.next or ""
        if intended is None or not (after.isalpha() and after.islower()):
            return None
        if slot.prev not in (None, ".", "!", "?", ":") or slot.row.count(slot.text) > 1:
            return None
        return slot.change(intended, "dictionary", 0.9, True)

    def _amount(self, slot: _Slot) -> _Change | None:
        """Digits of an amount read as letters ("Okr" -> "0kr", "lO 000 kr" -> "10 000 kr"):
        the unit attached, or after the amount's groups of three digits."""
        match = _AMOUNT_UNIT.fullmatch(slot.text)
        if match is None:
            return None
        after = 1
        while _GROUP.fullmatch(slot._at(after) or ""):
            after += 1
        if not (match[2] or _UNIT_TOKEN.fullmatch(slot._at(after) or "")):
            return None
        return slot.change(
            match[1].translate(_DIGIT_LETTERS) + (match[2] or ""), "dictionary", 0.97, True
        )

    def _capital_i(self, slot: _Slot) -> _Change | None:
        """A capital I read as l in an abbreviation the lexicon knows ("Al" -> "AI", "lT"
        -> "IT"). A capitalised word of one capital and l's ("Al", "All") is only taken for
        one mid-sentence and not before a capitalised word: at a sentence's start, or in a
        name ("Al Gore"), it is what it says; after a small word, "al" (the tree) would be
        in lower case."""
        text = slot.text
        if "l" not in text or not _CAPITALS_WITH_L.fullmatch(text):
            return None
        intended = text.replace("l", "I")
        if not self.lexicon.valid(intended.lower(), compound=False):
            return None
        if text[0] != "l" and not any(c.isupper() for c in text[1:]):
            prev, after = slot.prev or "", slot.next or ""
            if not (prev.isalpha() and prev.islower()) or after[:1].isupper():
                return None
        return slot.change(intended, "dictionary", 0.9, True)

    def _stray_stop(self, slot: _Slot) -> _Change | None:
        """A full stop glued to a word inside a sentence ("hålls. under", "löper. tills")
        is dust read as a stop: between two words the lexicon knows, in lower case, the
        first not an abbreviation ("resp.", "inkl.")."""
        prev, after = slot.prev or "", slot.next or ""
        if "context" in self.disabled or not slot.glued:
            return None
        if not (after.isalpha() and after.islower() and prev.isalpha() and prev.islower()):
            return None
        if len(prev) < 3 or prev in _ABBREVIATIONS or len(after) < 2:  # "utgång. i": a speck
            return None
        if not (self.lexicon.valid(prev, compound=True) and self.lexicon.valid(after)):
            return None
        return slot.change("", "context", 0.9, True)

    def _capital_slip(self, slot: _Slot) -> _Change | None:
        """The two short words a noisy scan reads in capitals: "i" between two lower-case
        words ("skillnaderna I hälsa"; not a numeral after "bilaga", "fas" ...) and "Vi"
        opening a sentence before a lower-case word ("VI säkrar")."""
        text, prev, after = slot.text, slot.prev, slot.next or ""
        if text not in ("I", "VI") or not (after.isalpha() and after.islower()):
            return None
        if text == "I" and prev is not None and prev.isalpha() and prev.islower():
            if len(prev) < 2 or prev in _NUMERAL_HEADS:
                return None
            return slot.change("i", "consistency", 0.9, True)
        if text == "VI" and prev in (None, ".", "!", "?", ":"):
            return slot.change("Vi", "consistency", 0.9, True)
        return None

    def _phrases(self, slots: list[_Slot], consumed: set[tuple[int, int]]) -> list[_Change]:
        changes: list[_Change] = []
        words = [s.text.lower() for s in slots]
        for phrase, replacement in self.data.phrases.items():
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if tuple(words[i : i + n]) != phrase:
                    continue
                for slot, new in zip(slots[i : i + n], replacement, strict=False):
                    consumed.add((slot.line, slot.start))
                    change = self._change(slot, new, "dictionary", 0.97, True, None)
                    if change is not None:
                        changes.append(change)
        return changes

    # --- unknown tokens: lexicon, compounds, splits -----------------------------------------

    def _analyse(self, low: str) -> tuple[bool, list[_Candidate]]:
        """(is it a known word, candidates best first) for a lower-cased token; cached."""
        hit = self._analysis.get(low)
        if hit is None:
            hit = self._analyse_uncached(low)
            self._analysis[low] = hit
        return hit

    def _analyse_uncached(self, low: str) -> tuple[bool, list[_Candidate]]:
        lex = self.lexicon
        if low.isalpha() and (low in lex.domain or lex.valid(low, compound=False)):
            return True, []
        if len(low) < 2:
            return False, []
        candidates: dict[str, _Candidate] = {}

        def offer(word: str, logp: float, rule: str) -> None:
            if word == low or rule in self.disabled:
                return
            old = candidates.get(word)
            if old is None or logp > old.logp:
                candidates[word] = _Candidate(word, logp, rule)

        def offer_words(readings: list[tuple[str, float]]) -> float:
            """Offer the known words each reading may stand for; the best score so far."""
            for variant, cost in readings:
                for word in lex.variants(fold(variant)):
                    if self._plausible(word):
                        channel = self._channel(variant, word)
                        offer(word, _ln(lex.frequency(word)) - cost - channel, "lexicon")
            return max((c.logp for c in candidates.values()), default=-99.0)

        variants = self._variants(low)
        best = offer_words(variants)
        if best < _ln(1e-7) and low.isalpha():
            # a letter OCR dropped ("gller", "tjnsten") or added ("samitliga")
            edits = [
                (low[:pos] + letter + low[pos:], cost)
                for pos, (letter, cost) in itertools.product(range(len(low) + 1), self._dropped)
            ]
            if self._added is not None and len(low) >= 6:
                edits += [(low[:pos] + low[pos + 1 :], self._added) for pos in range(len(low))]
            best = offer_words(edits)
        as_spelled = None  # the token itself read as a compound of known parts
        if best < _ln(1e-7) and len(low) >= 8:
            if low.isalpha() and lex.valid(low, compound=True):
                return True, []  # a compound hunspell accepts as it stands
            if "compound" not in self.disabled:
                found = self._compounds(variants[:12])
                if not found and not candidates:  # nothing else: parts hunspell never joins
                    found = self._compounds(variants[:12], loose=True)
                for word, logp in found:
                    offer(word, logp, "compound")
                    if word == low:
                        as_spelled = logp
        if "split" not in self.disabled and len(low) >= 4:
            for word, logp in self._splits(low):
                offer(word, logp, "split")
        ranked = sorted(candidates.values(), key=lambda c: c.logp, reverse=True)
        if as_spelled is not None and ACCENTED & set(low):
            if not ranked or as_spelled >= ranked[0].logp:  # accents kept, parts known
                return True, []  # likeliest as it stands: "dagsbesökare" is dags + besökare
        return False, ranked[:6]

    def _plausible(self, word: str) -> bool:
        lex = self.lexicon
        if lex.trusted(word):
            return True
        return word.isalpha() and lex.valid(word, compound=False)

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 - one corrector per process
    def _variants(self, low: str) -> list[tuple[str, float]]:
        """Readings of a token through the non-accent confusions (6->ö, é->ä, d->ö ...),
        each with its cost (-ln weight); at most three confusions, junk characters must go."""
        sites: list[tuple[int, int, str, float]] = []
        for conf in self._variant_conf:
            observed = conf.observed.lower() if conf.observed.isupper() else conf.observed
            start = low.find(observed)
            while start >= 0:
                sites.append((start, start + len(observed), conf.intended, -_ln(conf.weight)))
                start = low.find(observed, start + 1)
        sites.sort()
        junk = any(c in _JUNK_DIGITS for c in low)
        results: list[tuple[str, float]] = [(low, 0.0)] if low.isalpha() else []
        limit = 3 if junk else 2
        for size in range(1, limit + 1):
            for combo in itertools.combinations(sites[:24], size):
                if any(a[1] > b[0] for a, b in zip(combo, combo[1:], strict=False)):
                    continue  # overlapping sites
                parts, pos, cost = [], 0, 0.0
                for start, end, intended, c in combo:
                    parts.append(low[pos:start] + intended)
                    pos, cost = end, cost + c
                variant = "".join(parts) + low[pos:]
                if variant.isalpha():
                    results.append((variant, cost))
        results.sort(key=lambda r: r[1])
        return results[:60]

    def _channel(self, observed: str, word: str) -> float:
        """Cost of reading `word` as `observed` (same key: accents only differ)."""
        if len(observed) != len(word):
            return 6.0
        cost = 0.0
        for a, b in zip(observed, word, strict=True):
            if a != b:
                cost -= _ln(self._accent_weight.get((a, b), 0.005))
        return cost

    def _compound(
        self, variant: str, exact: bool = False
    ) -> tuple[str, float, tuple[str, ...]] | None:
        """Best split of the variant into known compound parts (not yet checked): by its
        accent-free key, each part the likeliest word with that key; or, `exact`, into
        parts spelled as they stand (to estimate how common an unlisted compound is).
        Returns (word, log-frequency estimate, parts)."""
        lex = self.lexicon
        text = variant if exact else fold(variant)
        n = len(text)

        def final(piece: str) -> str | None:
            if exact:
                return piece if lex.frequency(piece) > 0 else None
            words = [w for w in lex.variants(piece) if w.isalpha()]
            return words[0] if words else None

        def head_of(piece: str) -> str | None:
            if exact:
                return piece if lex.is_part(piece) else None
            return lex.part(piece)

        @functools.cache
        def best(i: int, parts: int) -> tuple[float, tuple[str, ...]] | None:
            found: tuple[float, tuple[str, ...]] | None = None
            if n - i >= 3:  # final part: any known word form
                word = final(text[i:])
                if word is not None:
                    found = (_ln(lex.frequency(word) or 1e-9), (word,))
            if parts >= 3:
                return found
            for j in range(i + 3, n - 2):
                head = head_of(text[i:j])
                if head is None:
                    continue
                for link in ("", "s"):
                    k = j + len(link)
                    if link and text[j:k] != link:
                        continue
                    tail = best(k, parts + 1)
                    if tail is None:
                        continue
                    score = min(_ln(lex.frequency(head) or 1e-9), tail[0]) - 1.5
                    if found is None or score > found[0]:
                        found = (score, (head + link, *tail[1]))
            return found

        result = best(0, 0)
        if result is None or len(result[1]) < 2:
            return None
        return "".join(result[1]), result[0], result[1]

    @functools.lru_cache(maxsize=100_000)  # noqa: B019 - one corrector per process
    def _estimate(self, word: str) -> float:
        """How common a word is: its listed frequency, else (a hunspell form no frequency
        list holds) an estimate from its stem ("kommunikatörerna" from "kommunikatör")
        or its compound parts ("ekonomidirektörerna" from "ekonomi" + "direktörerna")."""
        lex = self.lexicon
        freq = lex.frequency(word)
        if freq > 1e-9 or len(word) < 6:
            return freq
        best = freq
        for stem in lex.stems(word):  # an inflected form: its stem less a few letters
            if len(stem) >= max(4, len(word) - 4, 0.7 * len(word)):
                best = max(best, lex.frequency(stem) * 0.1)
        if len(word) >= 8:
            compound = self._compound(word, exact=True)
            if compound is not None:
                best = max(best, math.exp(compound[1]))
        # the frequency list holds every form above its floor, so an unlisted one is rarer
        # than that however common its parts ("genomfor" = genom + for < listed "genomför")
        return best * _LIST_FLOOR / (best + _LIST_FLOOR)

    def _compounds(
        self, variants: list[tuple[str, float]], loose: bool = False
    ) -> list[tuple[str, float]]:
        """Compound candidates for the cheapest readings. Hunspell-sv misses many real
        compounds ("lägesbildsarbete"), so one it rejects stays a candidate at a cost;
        `loose`: also one whose first part hunspell never lets begin a compound ("nöd" in
        nödvatten), at a further cost."""
        found: dict[str, float] = {}
        for variant, cost in variants:
            compound = self._compound(variant)
            if compound is None:
                continue
            word, logp, parts = compound
            logp -= cost + self._channel(variant, word)
            if not self.lexicon.valid(word, compound=True):
                logp -= _UNCHECKED_COMPOUND
                if not self.lexicon.compound_parts(parts):
                    if not loose or len(parts[-1]) < 5:  # a short tail fits too easily
                        continue
                    logp -= _LOOSE_COMPOUND
            found[word] = max(found.get(word, -999.0), logp)
        return sorted(found.items(), key=lambda x: x[1], reverse=True)[:3]

    def _splits(self, low: str) -> list[tuple[str, float]]:
        """Two known words run together: both halves must be frequent words."""
        out = []
        for i in range(1, len(low)):
            left, right = low[:i], low[i:]
            if (len(left) < 2 and left not in "iå") or (len(right) < 2 and right != "i"):
                continue
            a = self._best_word(left, short=True)
            b = self._best_word(right, short=False)
            if a is None or b is None:
                continue
            out.append((f"{a[0]} {b[0]}", a[1] + b[1] - 3.0))
        return sorted(out, key=lambda x: x[1], reverse=True)[:2]

    def _best_word(self, part: str, short: bool) -> tuple[str, float] | None:
        if not part.isalpha():
            return None
        if short and len(part) > 4:
            return None
        if not short and len(part) < 2:
            return None
        lex = self.lexicon
        best: tuple[str, float] | None = None
        for word in lex.variants(fold(part)):
            freq = lex.frequency(word)
            # the first word short and common ("Vi", "Ta"); the second a word of its own:
            # two letters only if common, so a cut-off "kommu" does not become "kom mu"
            floor = 1e-4 if short or len(word) < 3 else 1e-6
            if freq < floor or not self._plausible(word):
                continue
            logp = _ln(freq) - self._channel(part, word)
            if best is None or logp > best[1]:
                best = (word, logp)
        return best

    # --- real words: lexicon and context -----------------------------------------------

    def _real_word(self, slot: _Slot, p_drop: float) -> _Change | None:
        if "lexicon" in self.disabled and "context" in self.disabled:
            return None
        low = slot.text.lower()
        lex = self.lexicon
        if not low.isalpha() or len(low) < 2:
            return None
        base = self._estimate(low) or 1e-9
        best: tuple[float, str, bool] | None = None
        # accent variants, and what context rules say OCR may have made this word out of
        key = fold(low)
        candidates = [*lex.variants(key), *self._ruled.get(low, ())]
        if base <= 1e-7 and len(low) >= 8 and "compound" not in self.disabled:
            compound = self._compound(low)  # an unlisted compound: its likeliest spelling
            if compound is not None and lex.valid(compound[0]):
                candidates.append(compound[0])
        for word in dict.fromkeys(candidates):
            if word == low or not word.isalpha():
                continue
            if not (self._plausible(word) or (len(word) >= 8 and lex.valid(word))):
                continue
            dropped, added = _accent_edits(low, word)
            odds = _ln(self._estimate(word) / base) + dropped * _ln(p_drop) + added * _ln(0.02)
            odds -= 0.5  # changing a real word needs more than a tie
            context, fired = self._context(slot, low, word)
            if "context" in self.disabled:
                context, fired = 0.0, False
            if not fired and ("lexicon" in self.disabled or fold(word) != key):
                continue
            odds += context
            if best is None or odds > best[0]:
                best = (odds, word, fired)
        if best is None or best[0] <= 0:
            return None
        odds, word, fired = best
        score = 1 / (1 + math.exp(-odds))
        return self._change(
            slot, word, "context" if fired else "lexicon", score, score >= self.threshold, None
        )

    def _case_slip(self, slot: _Slot) -> _Change | None:
        """A common word capitalised mid-sentence by OCR ("till Kommunerna"): letters whose
        capital has the same shape (K, S, V ...) are read as capitals at times. Lowered where
        the document writes the word in lower case mid-sentence more often, or uses it only
        this once and it is a common word."""
        text = slot.text
        if "consistency" in self.disabled or not _mid_sentence_capital(slot):
            return None
        low = text.lower()
        lower, capital = self._case_votes.get(low, (0, 0))
        if self.lexicon.proper(low) or self.lexicon.frequency(low) < 1e-6:
            return None
        if (slot.next or "")[:1].isupper():
            return None  # it begins a name: "Samarbetskommittén Södertörn"
        # the document silent (this is its only mid-sentence use): a common word is lowered
        silent = (
            lower == 0
            and capital == 1
            and self.lexicon.frequency(low) >= 1e-5
            and low not in self.lexicon.domain
            and self._matches(low, "@NOUN")  # not "Stora torget", a name of common words
        )
        if lower <= capital and not silent:
            return None
        return slot.change(low, "consistency", 0.9, True)

    def _context(
        self, slot: _Slot, observed: str, candidate: str, unknown: bool = False
    ) -> tuple[float, bool]:
        """Log-odds the neighbours add for `candidate`. An unknown token with a junk
        character for a letter ("4r", "&r") has the rules of the accent-free form it stands
        for ("ar": år after "tre")."""
        rules = self._rules.get((observed, candidate))
        if not rules and unknown and _junk_reading(observed, fold(candidate)):
            rules = self._rules.get((fold(candidate), candidate))
        if not rules:
            return 0.0, False
        total, fired = 0.0, False
        for rule in rules:
            neighbour = getattr(slot, rule.side, None)
            if any(self._matches(neighbour, m) for m in rule.match):
                total += rule.weight
                fired = True
        return total, fired

    def _matches(self, word: str | None, pattern: str) -> bool:
        if not pattern.startswith("@"):
            return word is not None and word.lower() == pattern.lower()
        name = pattern[1:].upper()
        if name == "START":
            return word is None
        if name == "END":
            return word is None
        if word is None:
            return False
        low = word.lower()
        if name == "PUNCT":
            return not any(c.isalnum() for c in word)
        if name == "CAPITAL":
            return word[:1].isupper() and word[1:2].islower()
        if name == "NUM":
            return low.isdigit()
        if name == "YEAR":
            return bool(_YEAR.match(low))
        if name in ("PASSIVE", "DEFINITE"):
            endings = ("as",) if name == "PASSIVE" else ("en", "et", "na")
            return (
                len(low) >= 5 and low.endswith(endings) and low.isalpha() and not self._closed(low)
            )
        if name in ("NOUN", "PLURAL"):
            if not low.isalpha() or self._closed(low):
                return False
            endings = _NOUN_ENDINGS if name == "NOUN" else _PLURAL_ENDINGS
            if len(low) > 5 and low.endswith("a"):
                return True  # definite or plural adjective: "vår gemensamma ..."
            return len(low) > 3 and low.endswith(endings)
        return low in self.data.classes.get(name, ())

    def _closed(self, low: str) -> bool:
        return any(
            low in self.data.classes.get(name, ())
            for name in ("SUBJ", "PRON", "DET", "PREP", "CONJ", "MODAL", "VERB", "ADV", "ORDINAL")
        )

    # --- consistency -------------------------------------------------------------------

    def _consistency(self, slots: list[_Slot], changes: list[_Change], p_drop: float) -> None:
        """Forms corrected with certainty decide the same or near-identical forms elsewhere."""
        certain: dict[str, str] = {}
        vocab: Counter[str] = Counter()
        for change in changes:
            if change.certain_key and " " not in change.corrected:
                word = change.corrected.lower()  # the case comes from each occurrence
                certain.setdefault(change.certain_key, word)
                vocab[word] += 1
        if not certain:
            return
        by_key: dict[str, str] = {fold(w): w for w, _ in vocab.most_common()}
        at = {(c.line, c.start): i for i, c in enumerate(changes)}
        for slot in slots:
            low = slot.text.lower()
            index = at.get((slot.line, slot.start))
            existing = changes[index] if index is not None else None
            if existing is not None and existing.applied:
                continue
            target = certain.get(low)
            if target is None and len(low) >= 6 and low.isalpha():  # unchanged or suggested
                if self._analyse(low)[0]:
                    continue
                target = _near(fold(low), by_key)
            if target is None:
                continue
            change = self._change(slot, target, "consistency", 0.9, True, None)
            if change is None:
                continue
            if index is not None:
                changes[index] = change
            else:
                changes.append(change)


def _mid_sentence_capital(slot: _Slot) -> bool:
    """A capitalised word after a lower-case word, its capital shaped like its small letter."""
    text, prev = slot.text, slot.prev
    return (
        len(text) >= 3
        and text[0] in _SAME_SHAPE
        and text[1:].islower()
        and text.isalpha()
        and prev is not None
        and len(prev) >= 2
        and prev.isalpha()
        and prev.islower()
    )


def _case_votes(slots: list[_Slot]) -> dict[str, tuple[int, int]]:
    """Per word: how often the document writes it in lower case and how often capitalised
    after a lower-case word (mid-sentence)."""
    votes: dict[str, list[int]] = {}
    for slot in slots:
        prev = slot.prev
        if prev is None or len(prev) < 2 or not (prev.isalpha() and prev.islower()):
            continue
        text = slot.text
        if text.isalpha() and text.islower():
            votes.setdefault(text, [0, 0])[0] += 1
        elif _mid_sentence_capital(slot):
            votes.setdefault(text.lower(), [0, 0])[1] += 1
    return {word: (lower, capital) for word, (lower, capital) in votes.items()}


def _junk_reading(observed: str, key: str) -> bool:
    """Is `key` the token with its junk characters read as letters ("4r" -> "ar")?"""
    return (
        len(observed) == len(key)
        and any(c in _JUNK_DIGITS for c in observed)
        and all(a == b or a in _JUNK_DIGITS for a, b in zip(observed, key, strict=True))
    )


def _accent_edits(observed: str, word: str) -> tuple[int, int]:
    """(accented letters of `word` that `observed` lacks, accented letters of `observed`
    that `word` lacks): how many accents OCR must have dropped or added."""
    if len(observed) == len(word):
        pairs = [(a, b) for a, b in zip(observed, word, strict=True) if a != b]
        return sum(b in ACCENTED for _, b in pairs), sum(a in ACCENTED for a, _ in pairs)
    return (
        sum(c in ACCENTED for c in word) - sum(c in ACCENTED for c in observed),
        0,
    )


def _near(key: str, by_key: dict[str, str]) -> str | None:
    """A document word whose key is one edit from `key` (two for long words), same first
    letter: `Sadertorn` is the `Södertörn` corrected elsewhere in the document."""
    limit = 2 if len(key) >= 9 else 1
    best: tuple[int, str] | None = None
    for other, word in by_key.items():
        if other[0] != key[0] or abs(len(other) - len(key)) > limit:
            continue
        distance = Levenshtein.distance(other, key, score_cutoff=limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, word)
    return best[1] if best else None


def _apply_case(original: str, word: str, lexicon: Lexicon) -> str:
    """Give the correction the case pattern of the original token."""
    surface = word if any(c.isupper() for c in word[1:]) else lexicon.surface(word)
    if " " in surface:
        first, rest = surface.split(" ", 1)
        return _apply_case(original, first, lexicon) + " " + rest
    if len(original) > 1 and original.isupper() and original.isalpha():
        return surface.upper()
    if original[:1].isupper():
        return surface[:1].upper() + surface[1:]
    if surface[:1].isupper() and (word.lower() in lexicon.names or word != word.lower()):
        return surface
    return surface.lower() if not any(c.isupper() for c in surface[1:]) else surface


def _tokenizer():
    """spaCy's Swedish tokenizer, adapted so OCR-damaged words stay whole (`&r`, `6ver`,
    `S6dertorn`, `stadské&rnorna`) and table bars `|` split words."""
    import spacy
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    nlp = spacy.blank("sv")
    tokenizer = nlp.tokenizer
    prefixes = [p for p in nlp.Defaults.prefixes if p != "&"] + [r"\|", r"_"]
    suffixes = list(nlp.Defaults.suffixes) + [r"\|", r"_"]
    infixes = list(nlp.Defaults.infixes) + [r"\|", r"(?<=[a-zåäö])_(?=[a-zåäö])"]
    tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return tokenizer


# --- one corrector per process ---------------------------------------------------------------

_CACHE: dict[tuple, Corrector] = {}


def load_corrector(
    folder: str | Path | None = None,
    disabled: Collection[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> Corrector:
    """The corrector for a corrections folder, built once per process (start-up ~2 s)."""
    path = corrections_dir(folder).resolve()
    state = tuple(
        (f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(path.glob("*.tsv"))
    )  # an edited data file builds a new corrector
    key = (str(path), state, frozenset(disabled), threshold)
    corrector = _CACHE.get(key)
    if corrector is None:
        corrector = Corrector(path, disabled, threshold)
        _CACHE[key] = corrector
        # Its hundreds of thousands of objects live as long as the process: keep the cyclic
        # garbage collector from walking them again in every full collection of a run and
        # once more at exit (0.2 s of every `plandigit process`).
        gc.freeze()
    return corrector


# --- the document stage --------------------------------------------------------------------


def correct_stage(document: Document, settings: Settings) -> None:
    """Correct every page's lines in place: Word.text/raw, Line.text, Page.text and
    document.corrections (with page numbers). Runs first: extraction reads corrected words."""
    corrector = load_corrector(settings.corrections)
    refs: list[tuple[Page, int, Line]] = []
    texts: list[str] = []
    for page in document.pages:
        if page.status != "ok":
            continue
        for index, line in enumerate(page.lines):
            refs.append((page, index, line))
            texts.append(line.raw_text)
    if not texts:
        return
    changes = corrector.changes(texts)
    by_line: dict[int, list[_Change]] = {}
    for change in changes:
        by_line.setdefault(change.line, []).append(change)
    for number, items in by_line.items():
        page, index, line = refs[number]
        applied = [c for c in items if c.applied]
        if applied:
            _apply_to_words(line, applied)
        for change in items:
            document.corrections.append(
                Correction(
                    line=index + 1,
                    start=change.start,
                    original=change.original,
                    corrected=change.corrected,
                    rule=change.rule,  # type: ignore[arg-type]
                    score=round(change.score, 3),
                    applied=change.applied,
                    page=page.number,
                )
            )
    for page in document.pages:
        for line in page.lines:
            line.text = " ".join(w.text for w in line.words)
        page.text = compose_text(page.lines)


def _prepare(settings: Settings) -> None:
    """Build the corrector (~2 s) while the workers read the first pages
    (process.prepare_stages), not after them."""
    load_corrector(settings.corrections)


correct_stage.prepare = _prepare  # type: ignore[attr-defined]


def _apply_to_words(line: Line, changes: list[_Change]) -> None:
    """Put corrected tokens back on the words they came from (a line's text is its raw
    words joined by single spaces, so offsets map onto words)."""
    offset = 0
    spans = []
    for word in line.words:
        raw = word.raw if word.raw is not None else word.text
        spans.append((offset, offset + len(raw), word, raw))
        offset += len(raw) + 1
    for start, end, word, raw in spans:
        inside = [c for c in changes if start <= c.start and c.end <= end]
        if not inside:
            continue
        text = raw
        for change in sorted(inside, key=lambda c: c.start, reverse=True):
            text = text[: change.start - start] + change.corrected + text[change.end - start :]
        if text != raw:
            word.raw = raw
            word.text = text


# --- learning new entries from a corpus ------------------------------------------------------

PROPOSAL_COLUMNS = ("damaged", "correct", "note", "count", "alternatives", "example", "accept")
_ACCEPTED = {"yes", "y", "x", "1", "true", "ja", "j"}


@dataclass
class Proposal:
    damaged: str
    correct: str
    note: str
    count: int
    alternatives: str
    example: str
    accept: bool


def corpus_lines(paths: Iterable[str | Path]) -> Iterable[tuple[str, list[str]]]:
    """(name, lines) for every text file or document JSON under the given paths."""
    import json

    for path in map(Path, paths):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() == ".json":
                try:
                    data = json.loads(file.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise InputFileError(f"not a document JSON: {exc}", str(file)) from None
                if not isinstance(data, dict) or "pages" not in data:
                    continue
                document = Document.from_dict(data)
                lines = [line.raw_text for page in document.pages for line in page.lines]
                yield str(file), lines
            elif file.suffix.lower() in (".txt", ".text", ""):
                try:
                    yield str(file), file.read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError) as exc:
                    raise InputFileError(f"cannot read text: {exc}", str(file)) from None


def learn(corrector: Corrector, paths: Iterable[str | Path], min_count: int = 2) -> list[Proposal]:
    """Frequent damaged forms in a corpus, proposed as dictionary entries: what the corrector
    changed or suggested (without a dictionary entry) and unknown words it could not place."""
    seen: dict[str, Counter[str]] = {}
    examples: dict[str, str] = {}
    unknown: Counter[str] = Counter()
    for _, lines in corpus_lines(paths):
        for change in corrector.changes(lines):
            if change.rule == "dictionary" or " " in change.original:
                continue
            key = change.original
            seen.setdefault(key, Counter())[change.corrected] += 1
            examples.setdefault(key, lines[change.line])
        for number, slots in enumerate(corrector._slots(lines)):
            for slot in slots:
                low = slot.text.lower()
                if len(low) < 4 or low in corrector.data.words or not any(c.isalpha() for c in low):
                    continue
                known, candidates = corrector._analyse(low)
                if not known and not candidates:
                    unknown[slot.text] += 1
                    examples.setdefault(slot.text, lines[number])
    proposals = []
    for damaged, corrected in seen.items():
        count = sum(corrected.values())
        if count < min_count or damaged.lower() in corrector.data.words:
            continue
        best, best_count = corrected.most_common(1)[0]
        alternatives = ", ".join(w for w, _ in corrected.most_common()[1:4])
        proposals.append(
            Proposal(
                damaged,
                best,
                "learned",
                count,
                alternatives,
                examples[damaged],
                best_count == count and count >= 3,
            )
        )
    for damaged, count in unknown.items():
        if count >= min_count:
            proposals.append(
                Proposal(damaged, "", "unknown word", count, "", examples[damaged], False)
            )
    return sorted(proposals, key=lambda p: (-p.count, p.damaged))


def write_proposals(path: str | Path, proposals: list[Proposal]) -> None:
    """Proposals as TSV in the dictionary's own format plus review columns."""
    header = (
        "# Proposed corrections (plandigit corrections learn). Review each row: fill in or fix\n"
        "# `correct`, set `accept` to yes, then run: plandigit corrections merge FILE\n"
        "# Columns: damaged, correct, note (as in words.tsv), count (occurrences in the corpus),\n"
        "# alternatives (other corrections seen), example (a line where it occurs), accept.\n"
    )
    rows = ["\t".join(PROPOSAL_COLUMNS)]
    for p in proposals:
        cells = [
            p.damaged,
            p.correct,
            p.note,
            str(p.count),
            p.alternatives,
            p.example,
            "yes" if p.accept else "no",
        ]
        rows.append("\t".join(c.replace("\t", " ") for c in cells))
    atomic.write_text(path, header + "\n".join(rows) + "\n")


def merge(proposals_path: str | Path, folder: str | Path | None = None) -> int:
    """Add the accepted proposals to words.tsv of the corrections folder; returns how many."""
    source = Path(proposals_path)
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read proposals: {exc}", str(source)) from None
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    if not rows or tuple(rows[0][: len(PROPOSAL_COLUMNS)]) != PROPOSAL_COLUMNS:
        raise InputFileError(f"missing header {'/'.join(PROPOSAL_COLUMNS)}", str(source))
    target = corrections_dir(folder) / "words.tsv"
    existing = load_data(target.parent).words
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    added = []
    for cells in rows[1:]:
        cells += [""] * (len(PROPOSAL_COLUMNS) - len(cells))
        damaged, correct, note, accept = cells[0], cells[1], cells[2], cells[6]
        if accept.strip().lower() not in _ACCEPTED or not damaged or not correct:
            continue
        if existing.get(damaged.lower()) == correct:
            continue
        existing[damaged.lower()] = correct
        added.append(f"{damaged}\t{correct}\t{note or 'learned'}")
    if added:
        if text and not text.endswith("\n"):
            text += "\n"
        atomic.write_text(target, text + "\n".join(added) + "\n")
    return len(added)


def write_report(path: str | Path, records: list[Correction]) -> None:
    """Every change as JSON (a list of records) or TSV, chosen by the file's extension."""
    import json

    fields = ("line", "start", "original", "corrected", "rule", "score", "applied")
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        data = [{k: getattr(r, k) for k in fields} for r in records]
        atomic.write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif suffix == ".tsv":
        rows = ["\t".join(fields)]
        for r in records:
            cells = [str(getattr(r, k)) for k in fields]
            cells[-1] = cells[-1].lower()
            rows.append("\t".join(cells))
        atomic.write_text(path, "\n".join(rows) + "\n")
    else:
        raise BadArgsError(f"report must end in .json or .tsv, not {suffix!r}", str(path))


def read_text_input(path: str | None) -> str:
    """Text from a file (UTF-8) or, without a path, from standard input."""
    import sys

    if path is None:
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError("no such file", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read as UTF-8 text: {exc}", path) from None
