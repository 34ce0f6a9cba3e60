"""Quality metrics shared by the evaluation scripts and the tests."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

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
