"""Measure action-plan and clause extraction against the samples' ground truth.

Usage:
    python scripts/evaluate_extraction.py [STEM ...] [--from DIR] [--pdf-dir DIR]
        [--truth-dir DIR] [--jobs N] [-v]

Processes samples/<STEM>.pdf (all samples whose truth has actions or clauses when no stem
is given) through the full pipeline, or reads DIR/<STEM>.json written earlier by
`plandigit process` (--from), and prints per sample and overall: action-plan cell accuracy
(cells equal to the truth after whitespace folding), invented and missing rows, and clause
accuracy (right number and title, text >= 97% similar) with the text similarities.
--pdf-dir and --truth-dir score other documents (e.g. a held-out set made with
samples/generate.py's machinery) with truth files in the same format.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.evaluate import cell_accuracy, clause_accuracy
from pipeline.executors import LocalExecutor
from pipeline.process import Settings, run_documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def _truths(stems: list[str], folder: Path) -> dict[str, dict]:
    paths = [folder / f"{s}.json" for s in stems] or sorted(folder.glob("*.json"))
    truths = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "pages" in data and (data.get("actions") or data.get("clauses") or stems):
            truths[path.stem] = data
    return truths


def _documents(stems: list[str], source: Path | None, pdf_dir: Path, jobs: int) -> dict[str, dict]:
    if source is not None:
        return {s: json.loads((source / f"{s}.json").read_text(encoding="utf-8")) for s in stems}
    out = {}
    with LocalExecutor(jobs) as executor:
        paths = [pdf_dir / f"{s}.pdf" for s in stems]
        for result in run_documents(paths, Settings(), executor):
            if result.document is None:
                print(f"{result.path}: FAILED {result.error}", file=sys.stderr)
                continue
            out[Path(result.path).stem] = result.document.to_dict()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stems", nargs="*")
    parser.add_argument("--from", dest="source", type=Path, help="folder of processed JSON")
    parser.add_argument("--pdf-dir", type=Path, default=SAMPLES, help="folder of the PDFs")
    parser.add_argument(
        "--truth-dir", type=Path, help="folder of truth JSON [default: PDF folder/truth]"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong cell")
    args = parser.parse_args(argv)
    truths = _truths(args.stems, args.truth_dir or args.pdf_dir / "truth")
    documents = _documents(list(truths), args.source, args.pdf_dir, args.jobs)
    cells = [0, 0, 0, 0]  # correct, total, invented, missing
    clauses = [0, 0, 0]  # correct, numbers+titles right, total
    for stem, truth in truths.items():
        document = documents.get(stem)
        if document is None:
            print(f"{stem}: no result")
            continue
        print(
            f"{stem}: kind={document['kind']} title={document['title']!r} year={document['year']}"
        )
        if truth["actions"] or document["actions"]:
            score = cell_accuracy(document["actions"], truth["actions"])
            cells = [
                cells[0] + score.correct,
                cells[1] + score.total,
                cells[2] + score.invented,
                cells[3] + score.missing,
            ]
            print(
                f"  cells {score.correct}/{score.total} = {score.accuracy:.1%}"
                f"  rows {len(document['actions'])}/{len(truth['actions'])}"
                f"  invented {score.invented}  missing {score.missing}"
            )
            if args.verbose:
                for row, name, got, want in score.wrong:
                    print(f"    row {row + 1} {name}: got {got!r}, want {want!r}")
        if truth["clauses"]:
            score = clause_accuracy(document["clauses"], truth["clauses"])
            clauses = [
                clauses[0] + score.correct,
                clauses[1] + score.numbers_titles,
                clauses[2] + score.total,
            ]
            sims = ", ".join(f"{s:.3f}" for s in score.similarities)
            print(
                f"  clauses {score.correct}/{score.total} = {score.accuracy:.1%}"
                f"  number+title {score.numbers_titles}/{score.total}  extra {score.extra}"
                f"  text similarity [{sims}]"
            )
            print(f"  parties {document.get('parties')}  signed {document.get('signed')}")
    if cells[1]:
        print(
            f"overall cells {cells[0]}/{cells[1]} = {cells[0] / cells[1]:.1%}"
            f"  invented {cells[2]}  missing {cells[3]}"
        )
    if clauses[2]:
        print(
            f"overall clauses {clauses[0]}/{clauses[2]} = {clauses[0] / clauses[2]:.1%}"
            f"  number+title {clauses[1]}/{clauses[2]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
