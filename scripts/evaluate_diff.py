"""Measure the year-to-year diff of the sample plans against the known changes.

Usage:
    python scripts/evaluate_diff.py [--plans DIR] [--from DIR] [--truth] [--jobs N]

For each pair of consecutive plans with a truth/changes-<old>-<new>.json (in samples/, or
in DIR given by --plans, which holds <name>-<year>.pdf and truth/ like samples/), diffs the
plans as the full pipeline reads them (processed now, or DIR/<stem>.json from an earlier
`plandigit process`) and prints how many of the known changes (added, removed, changed
with exactly its fields) the diff lists, what it lists that is not a change (spurious),
what it misses, and whether the budget totals per area agree. With --truth the plans'
ground truth is diffed instead of their scans: what remains wrong is the diff's own error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import diff  # noqa: E402
from pipeline.evaluate import (  # noqa: E402
    diff_score,
    diff_summary,
    expected_diff,
    truth_document,
)
from pipeline.model import Document  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from evaluate_ocr import documents as processed  # noqa: E402

SAMPLES = ROOT / "samples"
_CHANGES = re.compile(r"changes-(\d{4})-(\d{4})\.json")


def pairs(folder: Path) -> list[tuple[str, str, Path]]:
    """(old stem, new stem, changes file) for every changes-*.json whose plans exist
    (one <name>-<year>.pdf per year)."""
    found = []
    for path in sorted((folder / "truth").glob("changes-*.json")):
        match = _CHANGES.fullmatch(path.name)
        if match:
            plans = [sorted(folder.glob(f"*-{year}.pdf")) for year in match.groups()]
            if all(len(p) == 1 for p in plans):
                found.append((plans[0][0].stem, plans[1][0].stem, path))
    return found


def documents(
    folder: Path, stems: list[str], source: Path | None, truth: bool, jobs: int
) -> dict[str, Document]:
    if truth:
        return {
            s: truth_document(json.loads((folder / "truth" / f"{s}.json").read_text("utf-8")))
            for s in stems
        }
    return processed([folder / f"{s}.pdf" for s in stems], source, jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=SAMPLES, help="folder of plans + truth/")
    parser.add_argument("--from", dest="source", type=Path, help="folder of processed JSON")
    parser.add_argument("--truth", action="store_true", help="diff the ground truth instead")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    todo = pairs(args.plans)
    stems = sorted({s for old, new, _ in todo for s in (old, new)})
    docs = documents(args.plans, stems, args.source, args.truth, args.jobs)
    found = expected = spurious = 0
    for old, new, path in todo:
        want = expected_diff(json.loads(path.read_text(encoding="utf-8")), diff.ACTION_FIELDS)
        score = diff_score(diff_summary(diff.diff_documents(docs[old], docs[new])), want)
        found, expected = found + score.found, expected + score.expected
        spurious += len(score.spurious)
        print(
            f"{old} -> {new}: changes listed {score.found}/{score.expected}"
            f"  spurious {len(score.spurious)}  missed {len(score.missed)}"
            f"  budget {'right' if score.budget_right else 'WRONG'}"
            f"  {'exact' if score.exact else 'NOT exact'}"
        )
        for item in score.spurious:
            print(f"    spurious: {item}")
        for item in score.missed:
            print(f"    missed:   {item}")
    if expected:
        print(f"overall diff: {found}/{expected} changes listed, {spurious} spurious")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
