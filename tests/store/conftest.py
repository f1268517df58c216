"""Stores to test against: a SQLite file, and a database on a real PostgreSQL server that
this session starts in a temporary folder (skipped locally without PostgreSQL; a failure on
CI, where .ci/postgres.sh installs it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspun.store.pgserver import TemporaryPostgres, find_bindir


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
