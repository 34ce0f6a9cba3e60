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
