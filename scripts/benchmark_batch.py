"""Wall time of `plandigit batch` on a folder of scanned plans against raw `tesseract -l swe`
on the same pages, with the same number of single-threaded workers (default: all cores).

The folder holds --documents clean scanned plans of --pages pages each (seeded, generated
with samples/generate.py's render_clean_scan), in subfolders, same file names in
different folders — many short files, where a pool per document would leave cores idle.
The raw side and the timing helpers are those of scripts/benchmark.py. plandigit's time
is the whole command: start-up, walking the folder, hashing, triage, rendering, OCR, the
document stages, writing, catalogue and manifest. A rerun (everything skipped) is timed
too. The target is a ratio of at most 1.25. The two sides alternate for --rounds rounds
(the machine may be shared; alternating spreads other load over both sides).

    .venv/bin/python scripts/benchmark_batch.py [--jobs N] [--documents 6] [--pages 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "samples"))

from benchmark import ENV, PLANDIGIT, render_all, time_tesseract  # noqa: E402

from pipeline.process import Settings  # noqa: E402


def time_batch(indir: Path, outdir: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(PLANDIGIT), "batch", str(indir), "-o", str(outdir), "--jobs", str(jobs)],
        check=True,
        capture_output=True,
        env=ENV,
    )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--documents", type=int, default=6, help="scanned plans in the folder")
    parser.add_argument("--pages", type=int, default=2, help="pages per plan")
    parser.add_argument("--rounds", type=int, default=2, help="alternating timing rounds")
    args = parser.parse_args(argv)
    if shutil.which("tesseract") is None:
        print("tesseract is not installed (Debian: apt-get install tesseract-ocr)", file=sys.stderr)
        return 1
    from generate import render_clean_scan

    work = Path(tempfile.mkdtemp(prefix="plandigit-bench-batch-"))
    try:
        indir = work / "plans"
        pdfs = []
        for number in range(args.documents):
            pdf = indir / f"kommun-{number // 2}" / f"plan-{number % 2}.pdf"
            pdf.parent.mkdir(parents=True, exist_ok=True)
            render_clean_scan(pdf, pages=args.pages, seed=number)
            pdfs.append(pdf)
        images_dir = work / "images"
        images_dir.mkdir()
        settings = Settings()
        images = []
        for pdf in pdfs:  # distinct image names per document
            folder = images_dir / f"{pdf.parent.name}-{pdf.stem}"
            folder.mkdir()
            images += render_all([pdf], folder, settings.dpi)
        raw = ours = 0.0
        for round_ in range(1, args.rounds + 1):
            shutil.rmtree(work / "out", ignore_errors=True)
            raw_round = time_tesseract(images, args.jobs, settings.lang)
            ours_round = time_batch(indir, work / "out", args.jobs)
            raw, ours = raw + raw_round, ours + ours_round
            print(
                f"round {round_}: tesseract {raw_round:.1f} s, plandigit batch {ours_round:.1f} s"
                f" (ratio {ours_round / raw_round:.2f})"
            )
        again = time_batch(indir, work / "out", args.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = ours / raw
    print(
        f"{args.documents} plans, {len(images)} pages, {args.jobs} workers; "
        f"rerun with everything skipped: {again:.1f} s"
    )
    target = "within" if ratio <= 1.25 else "OVER"
    print(f"batch / tesseract = {ratio:.2f} ({target} the 1.25 target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
