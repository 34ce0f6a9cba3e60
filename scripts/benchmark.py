"""Wall time of `plandigit process` against raw `tesseract -l swe` on the same pages.

Both sides get the same number of parallel single-threaded workers (default: all cores;
OMP_THREAD_LIMIT=1). The raw side OCRs page images rendered beforehand (not timed) exactly
as plandigit renders them; plandigit's time is the whole command: start-up, triage,
rendering, OCR and every document stage, writing and validation. Two sets are timed:

* a clean scanned document of --pages pages (default 10), generated on the fly with
  samples/generate.py's render_clean_scan — the target is a ratio of at most 1.25;
* the committed samples (samples/*.pdf), for information (legacy, poor, rotated and
  born-digital pages need extra work, or none, by design).

    .venv/bin/python scripts/benchmark.py [--jobs N] [--pages 10] [--rounds 2] [--no-samples]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

from pipeline.pdf import inspect_pdf, render_page  # noqa: E402
from pipeline.process import Settings  # noqa: E402

PLANDIGIT = Path(sys.executable).with_name("plandigit")
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def render_all(pdfs: list[Path], folder: Path, dpi: int) -> list[Path]:
    """Every page as a PNG, rendered the way plandigit renders it (same scale)."""
    images = []
    for pdf in pdfs:
        for index in range(inspect_pdf(pdf).page_count):
            gray, scale = render_page(pdf, index, dpi)
            path = folder / f"{pdf.stem}-{index + 1:03d}.png"
            cv2.imwrite(str(path), gray)
            images.append(path)
    return images


def time_tesseract(images: list[Path], jobs: int, lang: str) -> float:
    def ocr(image: Path) -> None:
        subprocess.run(
            ["tesseract", str(image), str(image.with_suffix("")), "-l", lang],
            check=True,
            capture_output=True,
            env=ENV,
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(ocr, images))
    return time.perf_counter() - start


def time_plandigit(pdfs: list[Path], jobs: int, outdir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(PLANDIGIT), "process", *map(str, pdfs), "-o", str(outdir), "--jobs", str(jobs)],
        check=True,
        capture_output=True,
        env=ENV,
    )
    return time.perf_counter() - start


def compare(name: str, pdfs: list[Path], jobs: int, work: Path, rounds: int) -> float:
    """Best of `rounds` alternating runs of each side (other load on a shared machine
    only ever slows a run down, so the fastest run is the fairest)."""
    settings = Settings()
    folder = work / name
    folder.mkdir()
    images = render_all(pdfs, folder, settings.dpi)
    raw = ours = float("inf")
    for _ in range(rounds):
        raw = min(raw, time_tesseract(images, jobs, settings.lang))
        ours = min(ours, time_plandigit(pdfs, jobs, folder / "out"))
    ratio = ours / raw
    print(
        f"{name:<14} {len(images):>3} pages  tesseract {raw:6.1f} s  plandigit {ours:6.1f} s  "
        f"ratio {ratio:4.2f}  ({ours / len(images):.2f} s/page with {jobs} workers)"
    )
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pages", type=int, default=10, help="pages of the clean scan (>= 10)")
    parser.add_argument("--no-samples", action="store_true", help="time only the clean scan")
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs, best counts")
    args = parser.parse_args(argv)
    if shutil.which("tesseract") is None:
        print("tesseract is not installed (Debian: apt-get install tesseract-ocr)", file=sys.stderr)
        return 1
    from generate import render_clean_scan

    work = Path(tempfile.mkdtemp(prefix="plandigit-bench-"))
    try:
        clean = work / f"clean-scan-{args.pages}.pdf"
        render_clean_scan(clean, pages=args.pages)
        ratio = compare(f"clean-{args.pages}", [clean], args.jobs, work, args.rounds)
        if not args.no_samples:
            compare(
                "samples", sorted((ROOT / "samples").glob("*.pdf")), args.jobs, work, args.rounds
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    target = "within" if ratio <= 1.25 else "OVER"
    print(f"clean scan: plandigit / tesseract = {ratio:.2f} ({target} the 1.25 target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
