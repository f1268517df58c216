"""Stores to test against: a SQLite file, and a database on a real PostgreSQL server that
this session starts in a temporary folder (skipped locally without PostgreSQL; a failure on
CI, where .ci/postgres.sh installs it)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspun.pipeline import register_analyzer, unregister_analyzer
from unspun.store.pgserver import TemporaryPostgres, find_bindir

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    if find_bindir() is None:
        message = "PostgreSQL is not installed (run .ci/postgres.sh)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    with TemporaryPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.db'}"
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


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
