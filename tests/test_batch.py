"""Batch runs: mirrored outputs, manifest, resume without OCR, kill -9 safety, failures,
progress, bounded memory. Real PDFs (samples + broken ones made here), real tesseract.

OCR is the expensive part, so most folders hold the born-digital sample (text layer, no
OCR); one scanned page (dalig-skanning) is what the OCR counts are about.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from pipeline import ocr, schema
from pipeline.batch import (
    LOCK,
    LogProgress,
    Manifest,
    ManifestEntry,
    RichProgress,
    find_pdfs,
    remove_stale_temp_files,
    run_batch,
)
from pipeline.catalogue import search
from pipeline.cli import main
from pipeline.errors import ExitCode, PlandigitError
from pipeline.executors import LocalExecutor
from pipeline.process import Settings
from pipeline.resources import corrections_dir

BORN_DIGITAL = "verksamhetsplan-2024.pdf"  # 3 pages with a text layer
SCANNED = "dalig-skanning.pdf"  # 1 poor scanned page
CLI = [str(Path(sys.executable).with_name("plandigit"))]


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
    for name in [
        "b/plan.pdf",
        "a/plan.pdf",
        "a/x/Plan.PDF",
        "a/notes.txt",
        "top.pdf",
        "out/a/plan.pdf",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF-")
    found = find_pdfs(tmp_path, exclude=(tmp_path / "out").resolve())
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "top.pdf",
        "a/plan.pdf",
        "a/x/Plan.PDF",
        "b/plan.pdf",
    ]


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


# --- end to end -----------------------------------------------------------------------------


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def _encrypted(source: Path, target: Path) -> None:
    with pikepdf.open(source) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="ägare", user="hemligt"))


# Broken inputs and what the manifest must say about them: (error_kind, words in the error).
BROKEN = {
    "broken/truncated.pdf": ("input_file", "truncated"),
    "broken/not-a-pdf.pdf": ("input_file", "not a PDF"),
    "broken/empty.pdf": ("input_file", "empty"),
    "broken/encrypted.pdf": ("encrypted_pdf", "encrypted"),
    "broken/no-pages.pdf": ("empty_pdf", "no pages"),
    "a/plan.pdf": ("input_file", "collides with"),  # would overwrite a/Plan.pdf's outputs
}


def make_folder(root: Path, samples: Path, scanned: bool = True, broken: bool = True) -> Path:
    """Good PDFs, same-named ones in subfolders, an upper-case extension, and broken ones."""
    born = (samples / BORN_DIGITAL).read_bytes()
    files = {
        BORN_DIGITAL: born,
        "a/Plan.pdf": born,
        "b/plan.PDF": born,
        "b/readme.txt": b"not an input",
    }
    if scanned:
        files["b/c/skanning.pdf"] = (samples / SCANNED).read_bytes()
    if broken:
        files.update(
            {
                "broken/truncated.pdf": born[: len(born) // 2],
                "broken/not-a-pdf.pdf": "Det här är ingen PDF.\n".encode(),
                "broken/empty.pdf": b"",
                "a/plan.pdf": born,
            }
        )
    _write(root, files)
    if broken:
        _encrypted(samples / BORN_DIGITAL, root / "broken/encrypted.pdf")
        pikepdf.new().save(root / "broken/no-pages.pdf")
    return root


def batch_state(outdir: Path) -> dict:
    """Everything a batch leaves, minus what is specific to one run (timings, and whether
    a document was done in this run or an earlier one)."""
    files = {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.name not in ("manifest.jsonl", "catalogue.sqlite", LOCK)
    }
    manifest = {
        source: {
            **{k: v for k, v in vars(e).items() if k != "seconds"},
            "status": "done" if e.status in ("ok", "skipped") else e.status,
        }
        for source, e in Manifest(outdir / "manifest.jsonl").latest().items()
    }
    db = sqlite3.connect(outdir / "catalogue.sqlite")
    catalogue = {
        "documents": db.execute(
            "SELECT source, sha256, fingerprint, kind, title, year, page_count, failed_pages,"
            " json_path, text_path FROM documents ORDER BY source"
        ).fetchall(),
        "pages": db.execute(
            "SELECT d.source, p.number, p.status, p.text, p.raw_text FROM pages p"
            " JOIN documents d ON d.id = p.document_id ORDER BY d.source, p.number"
        ).fetchall(),
        **{
            table: db.execute(
                f"SELECT d.source, count(*) FROM {table} t JOIN documents d"
                " ON d.id = t.document_id GROUP BY d.source ORDER BY d.source"
            ).fetchall()
            for table in ("actions", "clauses", "corrections")
        },
        "fts": db.execute(
            "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'plan OR och'"
        ).fetchone(),
    }
    db.close()
    return {"files": files, "manifest": manifest, "catalogue": catalogue}


@pytest.fixture(scope="module")
def finished_batch(tmp_path_factory, samples_dir):
    """The folder of good and broken PDFs run once through the CLI (2 worker processes)."""
    root = tmp_path_factory.mktemp("batch")
    indir = make_folder(root / "in", samples_dir)
    outdir = root / "out"
    result = CliRunner().invoke(main, ["batch", str(indir), "-o", str(outdir), "-j", "2"])
    return indir, outdir, result


def test_good_documents_done_broken_ones_failed_with_reasons(finished_batch):
    indir, outdir, result = finished_batch
    assert result.exit_code == ExitCode.some_failed, result.output
    state = Manifest(outdir / "manifest.jsonl").latest()
    good = [BORN_DIGITAL, "a/Plan.pdf", "b/plan.PDF", "b/c/skanning.pdf"]
    assert sorted(state) == sorted(good + list(BROKEN))
    for source in good:
        entry = state[source]
        assert (entry.status, entry.error, entry.failed_pages) == ("ok", None, [])
        stem = source.rsplit(".", 1)[0]
        assert entry.outputs == [f"{stem}.json", f"{stem}.txt"]
        data = json.loads((outdir / entry.outputs[0]).read_text(encoding="utf-8"))
        assert schema.violations(data) == []
        assert data["source"]["sha256"] == entry.sha256
        assert entry.pages == data["source"]["page_count"]
    # same input in three places: three identical, separate outputs
    texts = {(outdir / s).with_suffix(".txt").read_text() for s in ("a/Plan", "b/plan")}
    assert texts == {(outdir / BORN_DIGITAL).with_suffix(".txt").read_text()}
    for source, (kind, words) in BROKEN.items():
        entry = state[source]
        assert entry.status == "failed" and entry.outputs == [], source
        assert entry.error_kind == kind and words in entry.error, (source, entry.error)
        assert "\n" not in entry.error
    assert "4 ok, 6 failed, 0 skipped" in result.output
    assert "pages/min" in result.output and str(outdir / "catalogue.sqlite") in result.output
    assert not list(outdir.rglob("*.tmp"))


def test_catalogue_is_searchable_from_the_cli(finished_batch, samples_dir):
    _, outdir, _ = finished_batch
    truth = json.loads((samples_dir / "truth" / "verksamhetsplan-2024.json").read_text())
    word = max(truth["pages"][0]["text"].split(), key=len).strip(".,:;()")
    result = CliRunner().invoke(main, ["search", word, "--catalogue", str(outdir), "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert {(h["source"], h["page"]) for h in hits} >= {
        (s, 1) for s in (BORN_DIGITAL, "a/Plan.pdf", "b/plan.PDF")
    }
    assert all(f"[{word}]".lower() in h["snippet"].lower() for h in hits if h["page"] == 1)
    text = CliRunner().invoke(main, ["search", word, "--catalogue", str(outdir)]).output
    assert f"{BORN_DIGITAL}  " in text and "  p. 1: " in text
    db = sqlite3.connect(outdir / "catalogue.sqlite")
    assert db.execute("SELECT count(*) FROM documents").fetchone() == (4,)


@pytest.fixture
def count_tesseract(monkeypatch):
    """Count tesseract runs in this process (the InlineExecutor runs pages here)."""
    calls = []
    real = ocr._Tesseract._run

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ocr._Tesseract, "_run", counted)
    return calls


def _statuses(outdir: Path) -> dict[str, str]:
    return {s: e.status for s, e in Manifest(outdir / "manifest.jsonl").latest().items()}


def test_rerun_redoes_nothing_but_changed_files_and_correction_data(
    tmp_path, samples_dir, count_tesseract
):
    indir = make_folder(tmp_path / "in", samples_dir, broken=False)
    outdir = tmp_path / "out"

    def run(settings: Settings | None = None):
        return run_batch(indir, outdir, settings or Settings(), InlineExecutor())

    first = run()
    assert (first.ok, first.failed, first.skipped) == (4, 0, 0)
    ocr_calls = len(count_tesseract)
    assert ocr_calls >= 1  # the scanned page
    stamps = {p: p.stat().st_mtime_ns for p in outdir.rglob("*.json")}

    count_tesseract.clear()
    again = run()
    assert (again.ok, again.skipped, again.pages) == (0, 4, 0)
    assert count_tesseract == []
    assert set(_statuses(outdir).values()) == {"skipped"}
    assert {p: p.stat().st_mtime_ns for p in outdir.rglob("*.json")} == stamps

    with open(indir / "a/Plan.pdf", "ab") as handle:  # same PDF, one more comment line
        handle.write(b"% changed\n")
    changed = run()
    assert (changed.ok, changed.skipped) == (1, 3) and count_tesseract == []
    assert _statuses(outdir)["a/Plan.pdf"] == "ok"

    # The same correction data in another folder redoes nothing; new content redoes all.
    corrections = shutil.copytree(corrections_dir(), tmp_path / "corrections")
    other = Settings(corrections=str(corrections))
    assert run(other).skipped == 4 and count_tesseract == []
    edited = next(p for p in sorted(corrections.rglob("*")) if p.is_file())
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run(other).ok == 4 and len(count_tesseract) == ocr_calls
    assert run(other).skipped == 4 and len(count_tesseract) == ocr_calls


def test_failed_rerun_removes_the_outputs_of_the_earlier_version(tmp_path, samples_dir):
    indir = make_folder(tmp_path / "in", samples_dir, scanned=False, broken=False)
    outdir = tmp_path / "out"
    run_batch(indir, outdir, Settings(), InlineExecutor())
    assert (outdir / "a/Plan.json").exists()
    (indir / "a/Plan.pdf").write_bytes(b"%PDF-1.7\n garbage")
    summary = run_batch(indir, outdir, Settings(), InlineExecutor())
    assert (summary.failed, summary.skipped) == (1, 2)
    assert not (outdir / "a/Plan.json").exists() and not (outdir / "a/Plan.txt").exists()
    assert all(h.source != "a/Plan.pdf" for h in search(outdir, "plan OR och", 100))


def test_timed_out_pages_fail_the_page_not_the_batch(tmp_path, samples_dir):
    indir = tmp_path / "in"
    indir.mkdir()
    with (
        pikepdf.open(samples_dir / BORN_DIGITAL) as text,
        pikepdf.open(samples_dir / SCANNED) as scan,
    ):
        text.pages.append(scan.pages[0])  # page 4 needs OCR
        text.save(indir / "mixed.pdf")
    (indir / "scan.pdf").write_bytes((samples_dir / SCANNED).read_bytes())
    settings = Settings(page_timeout=0.001)  # no page can be OCRed in a millisecond
    summary = run_batch(indir, tmp_path / "out", settings, InlineExecutor())
    state = Manifest(tmp_path / "out" / "manifest.jsonl").latest()
    assert (state["mixed.pdf"].status, state["mixed.pdf"].failed_pages) == ("ok", [4])
    data = json.loads((tmp_path / "out" / "mixed.json").read_text())
    assert "timeout" in data["pages"][3]["error"]
    assert state["scan.pdf"].status == "failed" and "timeout" in state["scan.pdf"].error
    assert (summary.ok, summary.failed) == (1, 1)


def test_one_batch_per_output_folder(tmp_path, samples_dir):
    indir = make_folder(tmp_path / "in", samples_dir, scanned=False, broken=False)
    outdir = tmp_path / "out"
    outdir.mkdir()
    with open(outdir / LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(PlandigitError, match="another plandigit batch"):
            run_batch(indir, outdir, Settings(), InlineExecutor())


def _wait_for(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _done_lines(outdir: Path) -> int:
    path = outdir / "manifest.jsonl"
    return path.read_bytes().count(b'"status": "ok"') if path.exists() else 0


def assert_same_state(got: Path, expected: Path) -> None:
    """Compare two batch output folders part by part (for readable failures)."""
    got_state, expected_state = batch_state(got), batch_state(expected)
    assert sorted(got_state["files"]) == sorted(expected_state["files"])
    for name, data in expected_state["files"].items():
        assert got_state["files"][name] == data, name
    for source, entry in expected_state["manifest"].items():
        assert got_state["manifest"].get(source) == entry, source
    assert got_state["manifest"].keys() == expected_state["manifest"].keys()
    for table, rows in expected_state["catalogue"].items():
        assert got_state["catalogue"][table] == rows, table


def test_kill_9_mid_run_then_rerun_equals_an_uninterrupted_run(tmp_path, samples_dir):
    indir = tmp_path / "in"
    born = (samples_dir / BORN_DIGITAL).read_bytes()
    _write(indir, {f"{d}/plan.pdf": born for d in "abcdefgh"} | {"bad.pdf": b"nope"})
    (indir / "h/plan.pdf").write_bytes(born + b"% another version\n")
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    corrections = shutil.copytree(corrections_dir(), tmp_path / "corrections")  # held still
    settings = Settings(corrections=str(corrections))
    assert run_batch(indir, reference, settings, InlineExecutor()).ok == 8

    command = [*CLI, "batch", str(indir), "--jobs", "1", "-o", str(killed)]
    command += ["--corrections", str(corrections)]
    run = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    _wait_for(lambda: _done_lines(killed) >= 1)
    assert run.poll() is None, "the batch finished before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)  # the batch and its workers, mid-run
    run.wait()
    assert 1 <= _done_lines(killed) < 8
    rerun = subprocess.run(command, capture_output=True, text=True)
    assert rerun.returncode == ExitCode.some_failed, rerun.stderr
    assert_same_state(killed, reference)
    assert not list(killed.rglob("*.tmp"))


def test_dask_cluster_gives_the_same_outputs_as_the_local_pool(tmp_path, samples_dir):
    import logging

    from distributed import LocalCluster

    indir = make_folder(tmp_path / "in", samples_dir)
    local, dask = tmp_path / "local", tmp_path / "dask"
    with LocalExecutor(2) as pool:
        assert run_batch(indir, local, Settings(), pool).failed == len(BROKEN)
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        command = [
            "batch",
            str(indir),
            "-o",
            str(dask),
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
        ]
        result = CliRunner().invoke(main, command)
        assert result.exit_code == ExitCode.some_failed, result.output
        assert_same_state(dask, local)
        rerun = CliRunner().invoke(main, command)
        assert "0 ok, 6 failed, 4 skipped" in rerun.output
    assert_same_state(dask, local)


def _scan_like_pdf(path: Path, pages: int) -> None:
    """`pages` A4 pages, each one 300-dpi greyscale image (one shared image object, so the
    file stays small while every page renders to 2480 x 3508 pixels)."""
    import zlib

    import numpy as np

    width, height = 2480, 3508
    pixels = np.full((height, width), 245, np.uint8)
    pixels[300:340, 200:2200] = 30
    pdf = pikepdf.new()
    image = pikepdf.Stream(
        pdf,
        zlib.compress(pixels.tobytes()),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=width,
        Height=height,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=8,
        Filter=pikepdf.Name.FlateDecode,
    )
    content = pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    for _ in range(pages):
        pdf.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=[0, 0, 595, 842],
                    Contents=content,
                    Resources=resources,
                )
            )
        )
    pdf.save(path)


@pytest.mark.slow
def test_a_500_page_pdf_is_streamed_in_bounded_memory(tmp_path):
    indir = tmp_path / "in"
    indir.mkdir()
    _scan_like_pdf(indir / "long.pdf", 500)
    # Run the batch under a small parent that reports the peak resident size of the
    # largest process below it (the batch itself or one of its workers).
    peak = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    outdir = tmp_path / "out"
    command = [*CLI, "batch", str(indir), "-o", str(outdir), "--ocr", "never", "--jobs", "2"]
    done = subprocess.run([sys.executable, "-c", peak, *command], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    peak_mib = int(done.stdout.split()[-1]) / 1024
    rendered_mib = 500 * 2480 * 3508 / 2**20  # 500 page images at 300 dpi, 8 bits
    assert peak_mib < 500 < rendered_mib / 8, f"peak {peak_mib:.0f} MiB"
    entry = Manifest(outdir / "manifest.jsonl").latest()["long.pdf"]
    assert (entry.status, entry.pages, entry.failed_pages) == ("ok", 500, [])


def test_a_crash_while_reading_one_file_fails_that_file_only(tmp_path, samples_dir, monkeypatch):
    from pipeline import pdf

    indir = make_folder(tmp_path / "in", samples_dir, scanned=False, broken=False)
    real = pdf.inspect_pdf

    def crashing(path, *args, **kwargs):  # injected fault: a parser bug on one file
        if path.name == "plan.PDF":
            raise RuntimeError("parser crashed")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pdf, "inspect_pdf", crashing)
    summary = run_batch(indir, tmp_path / "out", Settings(), InlineExecutor())
    entry = Manifest(tmp_path / "out" / "manifest.jsonl").latest()["b/plan.PDF"]
    assert (summary.ok, summary.failed) == (2, 1)
    assert entry.error == "cannot be read (RuntimeError: parser crashed)"


def test_package_per_document_mirrors_the_tree_and_resumes(tmp_path, samples_dir):
    from pipeline.package import verify

    indir = tmp_path / "in"
    _write(indir, {f"a/{BORN_DIGITAL}": (samples_dir / BORN_DIGITAL).read_bytes()})
    outdir = tmp_path / "out"
    config = samples_dir / "plandigit.example.toml"
    command = ["batch", str(indir), "-o", str(outdir), "--package", "--config", str(config)]
    assert CliRunner().invoke(main, command).exit_code == 0
    entry = Manifest(outdir / "manifest.jsonl").latest()[f"a/{BORN_DIGITAL}"]
    package = outdir / entry.package
    assert package.parent == outdir / "packages" / "a" and package.name.startswith("uuid-")
    assert entry.outputs[-1] == entry.package and verify(package) == []
    built = (package / "METS.xml").stat().st_mtime_ns

    rerun = CliRunner().invoke(main, command)
    assert "0 ok, 0 failed, 1 skipped" in rerun.output
    assert (package / "METS.xml").stat().st_mtime_ns == built  # not rebuilt

    other = tmp_path / "other.toml"
    other.write_text(config.read_text().replace("example = true", "example = false"))
    command[-1] = str(other)
    assert "0 ok, 0 failed, 1 skipped" in CliRunner().invoke(main, command).output
    assert (package / "METS.xml").stat().st_mtime_ns != built  # new metadata: rebuilt
    assert verify(package) == []
