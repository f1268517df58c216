"""Analysing for the web app: pasted text, uploaded files and fetched pages, each stored.

One pipeline per server, loaded at the first analysis and kept warm; analyses run one at a
time under a lock (the models use every core already, and a second run beside the first only
makes both slower).
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from unspun.article import Analysis, Article
from unspun.errors import InputError
from unspun.ingest.base import ReadOptions
from unspun.web.problems import WebError

if TYPE_CHECKING:
    from unspun.pipeline import Pipeline
    from unspun.store import Store
    from unspun.web.settings import WebSettings

_WARM_UP = (
    "Warm-up\n\nThe council met on Monday, officials said. \"We will decide soon,\" the mayor told "
    "reporters in the town of Varnholt, where 12 schools may close."
)

#: Suffixes an upload may have: the CLI's readers, chosen by suffix as for a file.
UPLOAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".csv")


class Analyst:
    """Reads, analyses and stores articles for one server."""

    def __init__(self, store: Store, settings: WebSettings, *, pipeline: Pipeline | None = None) -> None:
        self.store = store
        self.settings = settings
        self._pipeline = pipeline
        self._load_lock = threading.Lock()
        self.run_lock = threading.Lock()

    @property
    def pipeline(self) -> Pipeline:
        with self._load_lock:
            if self._pipeline is None:
                from unspun.pipeline import Pipeline

                names = list(self.settings.analyzers) if self.settings.analyzers else None
                self._pipeline = Pipeline.from_names(names)
            return self._pipeline

    def options(self) -> ReadOptions:
        return ReadOptions(max_chars=self.settings.max_text_chars)

    def article_from_text(self, text: str, title: str | None = None) -> Article:
        """An article from pasted text (E1xx when it cannot be one); a title goes first."""
        from unspun.ingest import read_text

        if len(text) > self.settings.max_text_chars:
            raise WebError(
                "E604",
                f"the text has {len(text)} characters; this server analyses at most "
                f"{self.settings.max_text_chars} at once (upload it as a file job instead)",
            )
        if title and title.strip():
            # The text reader takes a first line followed by a blank line as the title.
            text = " ".join(title.split()) + "\n\n" + text
        return read_text(text, options=self.options(), source="<pasted>")

    def warm(self) -> None:
        """Load the pipeline and run it once on a short invented text (not stored), so the
        first reader's analysis does not wait for the models to load."""
        from unspun.ingest import read_text

        article = read_text(_WARM_UP, options=self.options(), source="<warm-up>")
        with self.run_lock:
            self.pipeline(article)

    def analyse(self, article: Article, *, timings: dict[str, float] | None = None) -> Analysis:
        """Analyse the store's copy of the article and store the result; ``timings`` gets the
        seconds spent storing, waiting for the pipeline and in it (for Server-Timing)."""
        t0 = time.perf_counter()
        if not self.store.add_article(article):
            # Copies differing only in whitespace share an id; offsets must be the stored copy's.
            article = self.store.article(article.id)
        t1 = time.perf_counter()
        with self.run_lock:
            t2 = time.perf_counter()
            analysis = self.pipeline(article)
        t3 = time.perf_counter()
        self.store.save_analysis(analysis)
        t4 = time.perf_counter()
        if timings is not None:
            timings.update(store=(t1 - t0) + (t4 - t3), wait=t2 - t1, pipeline=t3 - t2)
        return analysis

    def read_upload(self, name: str, data: bytes) -> Iterator[Article | InputError]:
        """The articles (and coded rejects) in one uploaded file, read as the CLI reads it."""
        from pathlib import PurePath

        from unspun.ingest.sources import read_stream

        suffix = PurePath(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            yield InputError(
                "E111", f"cannot read a {suffix or 'suffix-less'} file; upload {', '.join(UPLOAD_SUFFIXES)}", source=name
            )
            return
        yield from read_stream(io.BytesIO(data), source=name, options=ReadOptions(), suffix=suffix, size=len(data))

    def fetch(self, url: str) -> Article:
        """The article at ``url`` (an HTML or text page), fetched once with the server's caps."""
        import httpx

        from unspun.ingest.sources import read_stream

        if not self.settings.allow_fetch:
            raise WebError("E607", "this server does not fetch URLs")
        if not url.lower().startswith(("http://", "https://")):
            raise WebError("E608", f"{url!r} is not an http(s) address")
        cap = self.settings.max_upload_bytes
        try:
            with (
                httpx.Client(timeout=min(self.settings.time_limit, 30.0), follow_redirects=True, max_redirects=5) as client,
                client.stream("GET", url, headers={"User-Agent": "unspun"}) as response,
            ):
                if response.status_code != 200:
                    raise WebError("E608", f"{url} answered {response.status_code}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > cap:
                        raise WebError("E608", f"{url} sent more than {cap} bytes")
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        except httpx.HTTPError as exc:
            raise WebError("E608", f"{url}: {exc}") from exc
        suffix = ".html" if "html" in kind or not kind else ".txt" if kind.startswith("text/") else ""
        if not suffix:
            raise WebError("E608", f"{url} sent {kind}, not an HTML or text page")
        items = list(read_stream(io.BytesIO(bytes(body)), source=url, options=self.options(), suffix=suffix))
        for item in items:
            if isinstance(item, InputError):
                raise item
            return item.model_copy(update={"meta": item.meta.model_copy(update={"url": url})})
        raise WebError("E608", f"{url} holds no article")


__all__ = ["UPLOAD_SUFFIXES", "Analyst"]
