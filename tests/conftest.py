"""Shared test fixtures. ``shared/`` (licensed data and the sample articles) sits beside the repo
and is never copied into it; tests that need it skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("UNSPUN_SHARED", REPO.parent / "shared"))
SAMPLES = SHARED / "samples"
SEMEVAL23 = SHARED / "data" / "semeval2023"
SEMEVAL25 = SHARED / "data" / "semeval2025"


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is absent")
    return SAMPLES


@pytest.fixture
def semeval23_dir() -> Path:
    if not SEMEVAL23.is_dir():
        pytest.skip("../shared/data/semeval2023 is absent")
    return SEMEVAL23
