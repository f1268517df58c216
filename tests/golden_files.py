"""Golden files, as every test that keeps them does it: a missing one is written and the test
fails so that it is reviewed; ``UNSPUN_REGEN_GOLDEN=1`` rewrites them all after an intended
change; otherwise the output must equal the file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REGENERATE = os.environ.get("UNSPUN_REGEN_GOLDEN") == "1"


def not_blind(paths: list[Path], golden_of: Callable[[Path], Path]) -> list[Path]:
    """Gold files tests may write a golden file for: a blind split is scored once, by hand,
    and gets none before that (it would show its answers); one it already has is checked."""
    return [
        p
        for p in paths
        if golden_of(p).exists()
        or not str(json.loads(p.read_text(encoding="utf-8")).get("split", "")).startswith("blind")
    ]


def check_golden(got: Any, golden: Path, changed: str = "") -> None:
    """``got`` equals the golden file (``changed`` is the message when it does not)."""
    if REGENERATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not REGENERATE:
            pytest.fail(f"wrote missing golden file {golden.name}; review and commit it")
    assert got == json.loads(golden.read_text(encoding="utf-8")), changed
