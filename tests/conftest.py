"""Shared fixtures: sample paths and ground truth. Expensive results (OCR of a sample)
are computed once per test session and shared by every test that needs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TRUTH = SAMPLES / "truth"

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


def load_truth(stem: str) -> dict:
    return json.loads((TRUTH / f"{stem}.json").read_text(encoding="utf-8"))


class ProcessedSamples:
    """Sample PDFs run through the whole pipeline (OCR, correction, extraction) once per
    test session: on first use every samples/*.pdf goes through one shared page pool (all
    cores; pages of all documents keep the workers busy). ``processed("legacy-ocr")`` or
    ``processed["legacy-ocr"]`` gives a Document; a sample that failed raises its error."""

    def __init__(self) -> None:
        self._results: dict | None = None

    def _all(self) -> dict:
        if self._results is None:
            from pipeline.executors import LocalExecutor
            from pipeline.process import Settings, run_documents

            with LocalExecutor() as executor:
                self._results = {
                    Path(r.path).stem: r
                    for r in run_documents(sorted(SAMPLES.glob("*.pdf")), Settings(), executor)
                }
        return self._results

    def __call__(self, stem: str):
        result = self._all()[stem]
        if result.error is not None:
            raise result.error
        return result.document

    __getitem__ = __call__

    def stems(self) -> list[str]:
        return sorted(self._all())


@pytest.fixture(scope="session")
def processed() -> ProcessedSamples:
    return ProcessedSamples()


def _write_bad_pdfs(folder: Path) -> dict[str, Path]:
    """One file per kind of bad input the triage must refuse."""
    import zlib

    import pikepdf

    good = SAMPLES / "verksamhetsplan-2024.pdf"
    files = {name: folder / f"{name}.pdf" for name in (
        "not-a-pdf", "empty-file", "truncated", "corrupt", "encrypted", "zero-pages",
        "huge-page", "image-bomb",
    )}
    files["not-a-pdf"].write_text("Verksamhetsplan 2024\nDet här är ingen PDF.\n", "utf-8")
    files["empty-file"].write_bytes(b"")
    data = good.read_bytes()
    files["truncated"].write_bytes(data[: len(data) // 2])
    files["corrupt"].write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pikepdf.open(good) as pdf:
        pdf.save(files["encrypted"], encryption=pikepdf.Encryption(user="hemligt", owner="ägare"))
    pikepdf.new().save(files["zero-pages"])
    huge = pikepdf.new()
    huge.add_blank_page(page_size=(14400, 14400))  # 200 x 200 inches: 3.7e9 pixels at 300 dpi
    huge.save(files["huge-page"])
    bomb = pikepdf.new()
    side = 40_000  # a 1-bit 40000 x 40000 image: 1.6e9 pixels from a ~200 KB stream
    image = pikepdf.Stream(bomb, zlib.compress(bytes(side * side // 8), 9))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width = image.Height = side
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 1
    image.Filter = pikepdf.Name.FlateDecode
    page = bomb.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = bomb.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    bomb.save(files["image-bomb"])
    return files


@pytest.fixture(scope="session")
def bad_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Bad inputs by kind: not-a-pdf, empty-file, truncated, corrupt, encrypted, zero-pages,
    huge-page, image-bomb (written once per session in a temporary folder)."""
    return _write_bad_pdfs(tmp_path_factory.mktemp("bad-pdfs"))
