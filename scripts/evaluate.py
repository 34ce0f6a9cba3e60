"""Every quality number of the project in one run (`make eval`).

Processes the committed samples once with the full pipeline (`plandigit process`), then
prints from those outputs: OCR character error rate per page (evaluate_ocr), action-plan
cell and clause accuracy (evaluate_extraction), the year-to-year diff against the known
changes (evaluate_diff); and diacritic repair on the dev set, clean text and fresh
English-model OCR of held-out text (evaluate_correction, without its ablation table).
Each part is also a script of its own with more options.

    .venv/bin/python scripts/evaluate.py [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import evaluate_diff  # noqa: E402
import evaluate_extraction  # noqa: E402
import evaluate_ocr  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--keep", type=Path, help="write the processed samples here, not to a temp folder"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="plandigit-eval-") as temp:
        outdir = args.keep or Path(temp)
        pdfs = sorted(str(p) for p in (ROOT / "samples").glob("*.pdf"))
        plandigit = Path(sys.executable).with_name("plandigit")
        subprocess.run(
            [str(plandigit), "process", *pdfs, "-o", str(outdir), "--jobs", str(args.jobs)],
            check=True,
        )
        parts = [
            ("OCR: character error rate per page", evaluate_ocr.main, ["--outputs", str(outdir)]),
            (
                "Extraction: action-plan cells and clauses",
                evaluate_extraction.main,
                ["--from", str(outdir)],
            ),
            ("Diff: known changes between years", evaluate_diff.main, ["--from", str(outdir)]),
        ]
        for title, run, part_args in parts:
            print(f"\n== {title}")
            sys.stdout.flush()
            run(part_args)
    print("\n== Diacritic repair")
    sys.stdout.flush()
    script = ROOT / "scripts" / "evaluate_correction.py"
    return subprocess.run([sys.executable, str(script), "--no-ablation"], check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
