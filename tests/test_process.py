"""The document engine (pipeline/process.py): triage, page pool, failures per document,
outputs written whole. Uses the born-digital sample (no OCR) and bad inputs, so it is fast;
the OCR itself is tested in test_ocr.py on the session's shared reading of the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES

from pipeline import errors, process, schema
from pipeline.executors import LocalExecutor
from pipeline.process import Settings

BORN_DIGITAL = SAMPLES / "verksamhetsplan-2024.pdf"


@pytest.fixture(scope="module")
def executor():
    with LocalExecutor(2) as pool:
        yield pool


def test_every_input_gets_a_result_and_bad_ones_do_not_stop_good_ones(executor, bad_pdfs):
    paths = [bad_pdfs["encrypted"], BORN_DIGITAL, bad_pdfs["not-a-pdf"], bad_pdfs["zero-pages"]]
    results = {Path(r.path).name: r for r in process.run_documents(paths, Settings(), executor)}
    assert set(results) == {p.name for p in paths}
    assert results[BORN_DIGITAL.name].ok
    assert isinstance(results["encrypted.pdf"].error, errors.EncryptedPdfError)
    assert isinstance(results["not-a-pdf.pdf"].error, errors.InputFileError)
    assert isinstance(results["zero-pages.pdf"].error, errors.EmptyPdfError)
    document = results[BORN_DIGITAL.name].document
    assert [p.number for p in document.pages] == [1, 2, 3]
    assert document.source.page_count == 3
    assert document.generator["settings"]["ocr"] == "auto"
    assert schema.violations(document.to_dict()) == []


def test_process_files_writes_good_documents_only(executor, bad_pdfs, tmp_path):
    results = list(
        process.process_files([BORN_DIGITAL, bad_pdfs["truncated"]], tmp_path, Settings(), executor)
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "verksamhetsplan-2024.json",
        "verksamhetsplan-2024.txt",
    ]
    data = json.loads((tmp_path / "verksamhetsplan-2024.json").read_text("utf-8"))
    assert schema.violations(data) == []
    text = (tmp_path / "verksamhetsplan-2024.txt").read_text("utf-8")
    assert text.count("\f") == 2  # three pages
    assert text.split("\f")[0].strip() == data["pages"][0]["text"].strip()
    assert process.exit_code(results) == errors.ExitCode.input_file
    [failed] = [r for r in results if not r.ok]
    line = process.summary(failed)
    assert line.startswith(str(bad_pdfs["truncated"])) and "truncated" in line


def test_same_stem_twice_is_refused_before_any_work(tmp_path):
    other = tmp_path / "kopia" / BORN_DIGITAL.name
    other.parent.mkdir()
    other.write_bytes(BORN_DIGITAL.read_bytes())
    with pytest.raises(errors.BadArgsError, match="verksamhetsplan-2024"):
        list(process.process_files([BORN_DIGITAL, other], tmp_path / "out", Settings(), None))
    assert not (tmp_path / "out").exists()


def test_image_cap_from_settings_fails_the_document(executor):
    [result] = process.run_documents([BORN_DIGITAL], Settings(max_image_pixels=1_000_000), executor)
    assert isinstance(result.error, errors.ImageTooLargeError)
    assert result.error.exit_code == errors.ExitCode.image_too_large


def test_timed_out_page_fails_alone(executor):
    """A page over its OCR time is marked failed; the document still comes out whole."""
    [result] = process.run_documents(
        [SAMPLES / "samarbetsavtal-2019.pdf"], Settings(page_timeout=0.3), executor
    )
    assert result.ok
    document = result.document
    assert document.failed_pages == [1, 2]
    assert all("timeout" in p.error for p in document.pages)
    assert process.exit_code([result]) == errors.ExitCode.pages_failed
    assert "FAILED pages 1, 2" in process.summary(result)


def test_missing_tesseract_stops_the_run(executor, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(errors.MissingDependencyError, match="tesseract-ocr"):
        list(process.run_documents([BORN_DIGITAL], Settings(), executor))
    # Without OCR, tesseract is not needed.
    [result] = process.run_documents([BORN_DIGITAL], Settings(ocr="never"), executor)
    assert result.ok


def test_fingerprint_changes_with_settings():
    assert Settings().fingerprint() == Settings().fingerprint()
    assert Settings().fingerprint() != Settings(ocr="always").fingerprint()


def test_prepare_stages_builds_the_corrector_ahead_of_the_documents(monkeypatch):
    """run_documents calls prepare_stages while the first pages are read: afterwards the
    correction stage finds its corrector built instead of building it itself."""
    from pipeline import correct

    monkeypatch.setattr(correct, "_CACHE", {})
    settings = Settings()
    process.prepare_stages(settings)
    assert len(correct._CACHE) == 1
    assert correct.load_corrector(settings.corrections) is next(iter(correct._CACHE.values()))
