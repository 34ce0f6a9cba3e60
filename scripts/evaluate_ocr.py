"""Character error rate of every sample page against its ground truth.

Runs the whole pipeline (the same engine as `plandigit process`) over the samples that
have truth in samples/truth/, or reads the JSON outputs of an earlier run (--outputs),
and prints one row per page: how it was read (text layer or OCR, rotation, clean-up),
CER of the raw OCR text and of the corrected text.

    .venv/bin/python scripts/evaluate_ocr.py [--outputs out/] [--jobs N] [PDF...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import cer  # noqa: E402
from pipeline.executors import LocalExecutor  # noqa: E402
from pipeline.model import Document  # noqa: E402
from pipeline.process import Settings, run_documents  # noqa: E402

SAMPLES = ROOT / "samples"


def documents(pdfs: list[Path], outputs: Path | None, jobs: int | None) -> dict[str, Document]:
    """Documents by stem: read from `outputs` when given, else processed now."""
    if outputs is not None:
        return {
            p.stem: Document.from_dict(json.loads((outputs / f"{p.stem}.json").read_text("utf-8")))
            for p in pdfs
        }
    found: dict[str, Document] = {}
    with LocalExecutor(jobs) as executor:
        for result in run_documents(pdfs, Settings(), executor):
            if result.document is None:
                print(f"{result.path}: {result.error}", file=sys.stderr)
            else:
                found[Path(result.path).stem] = result.document
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="sample PDFs (default: all with truth)")
    parser.add_argument("--outputs", type=Path, help="folder of plandigit process outputs")
    parser.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
    args = parser.parse_args(argv)
    pdfs = args.pdfs or sorted(
        p for p in SAMPLES.glob("*.pdf") if (SAMPLES / "truth" / f"{p.stem}.json").exists()
    )
    docs = documents(pdfs, args.outputs, args.jobs)
    header = (
        f"{'sample':<24} {'page':>4} {'condition':<12} {'layout':<13} {'source':<10} "
        f"{'rot':>3} {'clean':>5} {'conf':>5} {'CER raw':>8} {'CER':>8}"
    )
    print(header)
    print("-" * len(header))
    by_condition: dict[str, list[float]] = {}
    for pdf in pdfs:
        truth = json.loads((SAMPLES / "truth" / f"{pdf.stem}.json").read_text("utf-8"))
        document = docs.get(pdf.stem)
        if document is None:
            continue
        for expected, page in zip(truth["pages"], document.pages, strict=True):
            raw, corrected = cer(page.raw_text, expected["text"]), cer(page.text, expected["text"])
            condition = expected.get("condition", "?")
            if expected.get("layout") in ("narrative", "agreement"):
                by_condition.setdefault(condition, []).append(corrected)
            conf = f"{page.mean_confidence:5.1f}" if page.mean_confidence is not None else "    -"
            layout = expected.get("layout", "?")
            cleaned = any(step.startswith("poor scan") for step in page.preprocessing)
            print(
                f"{pdf.stem:<24} {page.number:>4} {condition:<12} {layout:<13} "
                f"{page.source:<10} {page.rotation:>3} {'yes' if cleaned else 'no':>5} "
                f"{conf} {raw:8.2%} {corrected:8.2%}"
                + (f"  FAILED: {page.error}" if page.status == "failed" else "")
            )
    print()
    print("Corrected CER of text pages (narrative, agreement) by condition:")
    for condition, values in sorted(by_condition.items()):
        print(
            f"  {condition:<12} pages {len(values):>2}  mean {statistics.fmean(values):6.2%}  "
            f"worst {max(values):6.2%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
