"""One pipeline, one seeded store and one token file for the web tests; apps are cheap, so
each test module builds the app (read-only, or with writes) that it needs over them."""

from __future__ import annotations

import socket
import threading
import time
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest

from unspun.article import Article
from unspun.pipeline import Pipeline
from unspun.store import open_store

#: An article whose title and text try every way to run script in a page.
HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
HOSTILE_TEXT = (
    HOSTILE_TITLE
    + "\n\nThe corrupt regime and its puppets <script>window.__pwned=3</script> burned 40 homes."
    + '\n\n"><svg onload="window.__pwned=4"> <img src=x onerror=window.__pwned=5> '
    + "javascript:window.__pwned=6 They are traitors and liars, every one of them."
)

#: A short invented article, pasted through the form and the API.
PASTED = (
    "The reckless clique of warmongers has betrayed every family in the valley, and only "
    "cowards would stay silent now. At least 12 people were killed in Kessel on Monday, the "
    "health office said.\n\nEither we stop them today or we lose everything we love."
)


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline.from_names(None)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> str:
    """A store with the bundled example and the hostile article, analysed by the real pipeline."""
    from unspun.ingest import read

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    with as_file(files("unspun") / "resources" / "example.md") as path:
        example = read(path)[0]
    hostile = Article.from_text(HOSTILE_TEXT, title=HOSTILE_TITLE)
    with open_store(url) as store:
        for article in (example, hostile):
            store.add_article(article)
            store.save_analysis(pipeline(article))
    return url


@pytest.fixture(scope="session")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from unspun.web.tokens import create_token

    path = tmp_path_factory.mktemp("tokens") / "tokens.json"
    return path, create_token(path, "tests")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A real uvicorn on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
