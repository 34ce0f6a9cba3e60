"""The `plandigit process` and `plandigit validate` commands: exit codes, one-line errors
naming the file, nothing half-written. Run as a real subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

from pipeline.errors import ExitCode

PLANDIGIT = Path(sys.executable).with_name("plandigit")
BORN_DIGITAL = SAMPLES / "verksamhetsplan-2024.pdf"


def plandigit(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PLANDIGIT), *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="module")
def good_and_bad(bad_pdfs, tmp_path_factory):
    """One run over a good and an encrypted input (the born-digital sample: no OCR)."""
    out = tmp_path_factory.mktemp("cli") / "out"
    return out, plandigit("process", bad_pdfs["encrypted"], BORN_DIGITAL, "-o", out)


def test_good_inputs_are_written_when_another_fails(good_and_bad):
    out, run = good_and_bad
    assert run.returncode == ExitCode.encrypted_pdf
    assert "qpdf --decrypt" in run.stderr
    assert f"{BORN_DIGITAL}: 3 pages (0 OCR, 3 text layer)" in run.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "verksamhetsplan-2024.json",
        "verksamhetsplan-2024.txt",
    ]
    check = plandigit("validate", out / "verksamhetsplan-2024.json")
    assert check.returncode == 0, check.stdout


EXPECTED = {
    "not-a-pdf": ExitCode.input_file,
    "empty-file": ExitCode.input_file,
    "truncated": ExitCode.input_file,
    "corrupt": ExitCode.input_file,
    "encrypted": ExitCode.encrypted_pdf,
    "zero-pages": ExitCode.empty_pdf,
    "huge-page": ExitCode.image_too_large,
    "image-bomb": ExitCode.image_too_large,
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_bad_input_exit_code_message_and_no_output(bad_pdfs, tmp_path, kind):
    out = tmp_path / "out"
    run = plandigit("process", bad_pdfs[kind], "-o", out)
    assert run.returncode == EXPECTED[kind]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad_pdfs[kind]) in lines[0], run.stderr
    assert not out.exists() or not any(out.iterdir())


def test_same_stem_twice_is_refused(tmp_path):
    copy = tmp_path / "kopia" / BORN_DIGITAL.name
    copy.parent.mkdir()
    copy.write_bytes(BORN_DIGITAL.read_bytes())
    run = plandigit("process", BORN_DIGITAL, copy, "-o", tmp_path / "out")
    assert run.returncode == ExitCode.bad_args
    assert "share the name" in run.stderr
    assert not (tmp_path / "out").exists()


def test_missing_tesseract(tmp_path):
    python_only = tmp_path / "bin"
    python_only.mkdir()
    run = plandigit("process", BORN_DIGITAL, "-o", tmp_path / "out", env={"PATH": str(python_only)})
    assert run.returncode == ExitCode.missing_dependency
    assert "apt-get install tesseract-ocr" in run.stderr


def test_missing_swedish_data(tmp_path):
    run = plandigit(
        "process", BORN_DIGITAL, "-o", tmp_path / "out", env={"TESSDATA_PREFIX": str(tmp_path)}
    )
    assert run.returncode == ExitCode.missing_dependency
    assert "tesseract-ocr-swe" in run.stderr


def test_page_timeout_writes_document_with_failed_pages(tmp_path):
    out = tmp_path / "out"
    run = plandigit(
        "process", SAMPLES / "dalig-skanning.pdf", "-o", out, "--page-timeout", 0.3, "--jobs", 1
    )
    assert run.returncode == ExitCode.pages_failed, run.stderr
    assert "FAILED pages 1" in run.stderr
    data = json.loads((out / "dalig-skanning.json").read_text("utf-8"))
    assert data["pages"][0]["status"] == "failed" and "timeout" in data["pages"][0]["error"]


def test_validate_reports_violations_with_json_paths(good_and_bad, tmp_path):
    good = good_and_bad[0] / "verksamhetsplan-2024.json"
    data = json.loads(good.read_text("utf-8"))
    data["pages"][0]["lines"][0]["words"][0]["bbox"] = [1, 2, 3]
    del data["source"]["sha256"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), "utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    run = plandigit("validate", good, bad, broken)
    assert run.returncode == ExitCode.invalid_output
    assert "$.pages[0].lines[0].words[0].bbox" in run.stdout
    assert "$.source" in run.stdout and "sha256" in run.stdout
    assert f"{broken}: $: not a readable JSON file" in run.stdout
    assert str(good) not in run.stdout
