"""The corpus tests' own fixtures; the stores they run against (SQLite and a real
PostgreSQL server) come from tests/conftest.py."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspun.pipeline import register_analyzer, unregister_analyzer

HERE = Path(__file__).resolve().parent


@pytest.fixture
def slow_analyzer(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test plugin's module name, importable here and in worker processes (which inherit
    PYTHONPATH), with its analyzer registered in this process."""
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    # Registered afresh for each test: importing a module twice runs it once, and an earlier
    # test may have replaced the registration.
    register_analyzer("slow", importlib.import_module("unspun_slow_plugin").SlowAnalyzer)
    yield "unspun_slow_plugin"
    unregister_analyzer("slow")
