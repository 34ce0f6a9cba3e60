"""Batch runs: mirrored outputs, manifest, resume without OCR, kill -9 safety, failures,
progress, bounded memory. Real PDFs (samples + broken ones made here), real tesseract."""

from __future__ import annotations

import io
import json
import shutil
from concurrent.futures import Future

import pytest

from pipeline.batch import (
    LogProgress,
    Manifest,
    ManifestEntry,
    RichProgress,
    find_pdfs,
    remove_stale_temp_files,
)


def _entry(source: str, status: str = "ok") -> ManifestEntry:
    return ManifestEntry(source, "0" * 64, status, None, 1, [], 0.5, [f"{source}.json"], "f")


class InlineExecutor:
    """Runs each page job at once in this process, so a test can count tesseract calls."""

    jobs = 1

    def submit(self, fn, /, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def wait_any(self, futures) -> set:
        return {f for f in futures if f.done()}


# --- pieces ---------------------------------------------------------------------------------


def test_find_pdfs_recurses_in_order_any_case_and_skips_the_output_folder(tmp_path):
    for name in ["b/plan.pdf", "a/plan.pdf", "a/x/Plan.PDF", "a/notes.txt", "top.pdf",
                 "out/a/plan.pdf"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF-")
    found = find_pdfs(tmp_path, exclude=(tmp_path / "out").resolve())
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "top.pdf", "a/plan.pdf", "a/x/Plan.PDF", "b/plan.pdf"]


def test_manifest_latest_line_wins_and_a_torn_line_is_cut(tmp_path):
    path = tmp_path / "manifest.jsonl"
    with Manifest(path) as manifest:
        manifest.append(_entry("a.pdf", "failed"))
        manifest.append(_entry("b.pdf"))
        manifest.append(_entry("a.pdf"))
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"source": "c.pdf", "sha2')  # a crash mid-write
    state = Manifest(path).latest()
    assert {s: e.status for s, e in state.items()} == {"a.pdf": "ok", "b.pdf": "ok"}
    with Manifest(path) as manifest:  # opening for append cuts the torn tail first
        manifest.append(_entry("c.pdf"))
    assert path.read_bytes() == whole + json.dumps(vars(_entry("c.pdf"))).encode() + b"\n"
    assert set(Manifest(path).latest()) == {"a.pdf", "b.pdf", "c.pdf"}


def test_unparsable_lines_are_skipped(tmp_path):
    path = tmp_path / "manifest.jsonl"
    line = json.dumps(vars(_entry("a.pdf")))
    path.write_text("garbage\n" + line + "\n" + '{"source": "b.pdf", "status": "odd"}\n')
    assert list(Manifest(path).latest()) == ["a.pdf"]


def test_stale_temp_files_of_atomic_writes_are_removed(tmp_path):
    (tmp_path / "a").mkdir()
    stale = [tmp_path / ".plan.json.k3j4.tmp", tmp_path / "a" / ".plan.txt.x9.tmp"]
    for path in stale:
        path.write_text("half")
    keep = tmp_path / "a" / "plan.json"
    keep.write_text("{}")
    assert remove_stale_temp_files(tmp_path) == 2
    assert not any(p.exists() for p in stale) and keep.exists()


def test_log_progress_lines_count_documents_pages_and_eta():
    stream = io.StringIO()
    progress = LogProgress(stream, interval=0)
    progress.start(documents=3, skipped=1, pages=4)
    progress.page_done()
    progress.document_done(_entry("a.pdf"))
    failed = _entry("b.pdf", "failed")
    failed.error = "not a PDF (no %PDF- header)"
    progress.document_done(failed)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "plandigit batch: 3 documents (1 already done), 4 pages to read"
    assert "1/3 documents, 1/4 pages" in lines[1] and "ETA" in lines[1]
    assert "plandigit batch: failed: b.pdf: not a PDF (no %PDF- header)" in lines
    assert lines[-1].startswith("plandigit batch: 3/3 documents, 1/4 pages")


def test_rich_progress_draws_documents_and_pages():
    stream = io.StringIO()
    progress = RichProgress(stream)
    progress.start(documents=2, skipped=0, pages=3)
    for _ in range(3):
        progress.page_done()
    progress.document_done(_entry("a.pdf"))
    failed = _entry("b.pdf", "failed")
    failed.error = "encrypted PDF"
    progress.document_done(failed)
    progress.close()
    out = stream.getvalue()
    assert "documents" in out and "2/2" in out and "3/3" in out
    assert "failed: b.pdf: encrypted PDF" in out


_ = shutil  # used by the end-to-end tests below
