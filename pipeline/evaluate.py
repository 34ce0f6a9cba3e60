"""Quality metrics shared by the evaluation scripts and the tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

from .model import ActionRow, Clause, Document, SourceInfo

_SPACE = re.compile(r"\s+")


def fold_whitespace(text: str) -> str:
    """Collapse runs of white space (incl. line and page breaks) to one space."""
    return _SPACE.sub(" ", text).strip()


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate after whitespace folding: edits / reference length."""
    hyp, ref = fold_whitespace(hypothesis), fold_whitespace(reference)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(hyp, ref) / len(ref)


def wer(hypothesis: str, reference: str) -> float:
    """Word error rate: word-level edit distance / number of reference words."""
    hyp, ref = hypothesis.split(), reference.split()
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(hyp, ref) / len(ref)


def similarity(a: str, b: str) -> float:
    """1 - normalised edit distance after whitespace folding (1.0 = identical)."""
    return Levenshtein.normalized_similarity(fold_whitespace(a), fold_whitespace(b))


# --- extraction: action-plan cells and agreement clauses ----------------------------------

CELL_FIELDS = (
    "area",
    "goal",
    "subgoal",
    "activity",
    "responsible",
    "when",
    "budget_sek",
    "comment",
)


@dataclass
class CellScore:
    """Action-plan cells equal to the truth; rows matched by order and activity."""

    correct: int
    total: int  # cells of the truth rows
    invented: int  # extracted rows matching no truth row
    missing: int  # truth rows not found
    wrong: list[tuple[int, str, Any, Any]] = field(default_factory=list)  # (row, field, got, want)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return [fold_whitespace(str(v)) for v in value]
    return fold_whitespace(str(value)) if isinstance(value, str) else value


def align_rows(predicted: list[dict], truth: list[dict]) -> list[tuple[int, int]]:
    """Order-preserving pairs (predicted index, truth index) maximising the summed activity
    similarity; pairs less than half similar are not matched."""
    n, m = len(predicted), len(truth)
    sim = [
        [similarity(p.get("activity") or "", t.get("activity") or "") for t in truth]
        for p in predicted
    ]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= 0.5 else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if sim[i][j] >= 0.5 and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def cell_accuracy(predicted: list[dict], truth: list[dict]) -> CellScore:
    """Share of truth cells (CELL_FIELDS of each row) that the extraction got exactly,
    after whitespace folding; a missing row loses all its cells."""
    pairs = align_rows(predicted, truth)
    score = CellScore(0, len(truth) * len(CELL_FIELDS), len(predicted) - len(pairs), 0)
    score.missing = len(truth) - len(pairs)
    for i, j in pairs:
        for name in CELL_FIELDS:
            got, want = predicted[i].get(name), truth[j].get(name)
            if _cell(got) == _cell(want):
                score.correct += 1
            else:
                score.wrong.append((j, name, got, want))
    return score


@dataclass
class ClauseScore:
    """Clauses with the right number and title and text similar enough to the truth."""

    correct: int
    total: int
    numbers_titles: int  # clauses whose number and title are right
    similarities: list[float]
    extra: int  # extracted clauses whose number the truth does not have

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def clause_accuracy(
    predicted: list[dict], truth: list[dict], threshold: float = 0.97
) -> ClauseScore:
    """Compare clauses by number: title equal after whitespace folding, text similarity."""
    by_number = {c["number"]: c for c in predicted}
    score = ClauseScore(0, len(truth), 0, [], len(set(by_number) - {c["number"] for c in truth}))
    for want in truth:
        got = by_number.get(want["number"])
        if got is None:
            score.similarities.append(0.0)
            continue
        text = similarity(got["text"], want["text"])
        score.similarities.append(text)
        if fold_whitespace(got["title"]) == fold_whitespace(want["title"]):
            score.numbers_titles += 1
            if text >= threshold:
                score.correct += 1
    return score


# --- diff: the changes between two years' plans ----------------------------------------------


def truth_document(truth: dict) -> Document:
    """A Document holding exactly what the extractor should output (a samples/truth file),
    to tell the diff's own errors from those of reading the scans."""
    return Document(
        source=SourceInfo(truth["file"], "0" * 64, len(truth["pages"])),
        kind=truth["kind"],
        title=truth["title"],
        year=truth["year"],
        actions=[ActionRow(**a) for a in truth.get("actions", [])],
        clauses=[Clause(**c) for c in truth.get("clauses", [])],
        parties=truth.get("parties", []),
        signed=truth.get("signed"),
    )


def diff_summary(result: dict) -> dict:
    """A `diff.diff_documents` result in the shape of samples/truth/changes-*.json:
    activities whitespace-folded, lists sorted, budget totals per area."""
    actions = result["actions"]
    return {
        "added": sorted(fold_whitespace(a["activity"]) for a in actions["added"]),
        "removed": sorted(fold_whitespace(a["activity"]) for a in actions["removed"]),
        "changed": sorted(
            (
                {
                    "old_activity": fold_whitespace(c["old"]["activity"]),
                    "new_activity": fold_whitespace(c["new"]["activity"]),
                    "fields": c["fields"],
                }
                for c in actions["changed"]
            ),
            key=lambda c: c["old_activity"],
        ),
        "unchanged": actions["unchanged"],
        "budget": {
            "old_total": result["budget"]["old"]["total"],
            "new_total": result["budget"]["new"]["total"],
            "old_by_area": result["budget"]["old"]["by_area"],
            "new_by_area": result["budget"]["new"]["by_area"],
        },
    }


def expected_diff(changes: dict, field_order: tuple[str, ...]) -> dict:
    """A truth changes-*.json in `diff_summary`'s shape (fields in `field_order`)."""
    return {
        "added": sorted(changes["added"]),
        "removed": sorted(changes["removed"]),
        "changed": sorted(
            (
                {
                    "old_activity": c["old_activity"],
                    "new_activity": c["new_activity"],
                    "fields": [f for f in field_order if f in c["fields"]],
                }
                for c in changes["changed"]
            ),
            key=lambda c: c["old_activity"],
        ),
        "unchanged": changes["unchanged"],
        "budget": changes["budget"],
    }


@dataclass
class DiffScore:
    """Listed changes (added, removed, changed with exactly its fields) against the truth."""

    found: int  # truth items the diff lists exactly
    expected: int
    spurious: list[tuple] = field(default_factory=list)  # listed, not in the truth
    missed: list[tuple] = field(default_factory=list)  # in the truth, not listed
    budget_right: bool = True

    @property
    def exact(self) -> bool:
        return not self.spurious and not self.missed and self.budget_right


def _diff_items(summary: dict) -> set[tuple]:
    return (
        {("added", a) for a in summary["added"]}
        | {("removed", a) for a in summary["removed"]}
        | {
            ("changed", c["old_activity"], c["new_activity"], tuple(sorted(c["fields"])))
            for c in summary["changed"]
        }
    )


def diff_score(got: dict, want: dict) -> DiffScore:
    """Compare two summaries (`diff_summary`, `expected_diff`) item by item."""
    listed, truth = _diff_items(got), _diff_items(want)
    return DiffScore(
        found=len(listed & truth),
        expected=len(truth),
        spurious=sorted(listed - truth),
        missed=sorted(truth - listed),
        budget_right=got["budget"] == want["budget"],
    )
