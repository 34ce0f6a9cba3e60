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
    """Sample PDFs run through the whole pipeline (OCR, correction, extraction), each
    once per test session on first use: ``processed("verksamhetsplan-2022")``."""

    def __init__(self) -> None:
        self._documents: dict = {}

    def __call__(self, stem: str):
        if stem not in self._documents:
            from pipeline.executors import LocalExecutor
            from pipeline.process import Settings, run_documents

            with LocalExecutor(2) as executor:
                [result] = run_documents([SAMPLES / f"{stem}.pdf"], Settings(), executor)
            if result.error is not None:
                raise result.error
            self._documents[stem] = result.document
        return self._documents[stem]


@pytest.fixture(scope="session")
def processed() -> ProcessedSamples:
    return ProcessedSamples()
