"""The Python API that the CLI and the HTTP API are thin layers over."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from unspun.article import Analysis, Article
from unspun.errors import InputError
from unspun.ingest import iter_read, read_text
from unspun.ingest import read as _read
from unspun.ingest.base import ReadOptions
from unspun.pipeline import Pipeline


def read(source: str | Path, options: ReadOptions | None = None) -> list[Article]:
    """Read the articles in a file, directory or ``-`` (stdin); raise the first InputError."""
    return _read(source, options)


def analyze(
    text_or_path: str | Path | Article,
    *,
    analyzers: Sequence[str] | None = None,
    pipeline: Pipeline | None = None,
    options: ReadOptions | None = None,
) -> Analysis:
    """Analyse one article given as text, as a path to a single-article file, or as an Article.

    A :class:`~pathlib.Path` is always read as a file; a string is read as a file when it
    names one and has no line break, and is taken as the article's text otherwise.
    """
    pipe = pipeline or Pipeline.from_names(analyzers)
    if isinstance(text_or_path, Article):
        article = text_or_path
    elif isinstance(text_or_path, Path) or (
        "\n" not in text_or_path and len(text_or_path) < 4096 and Path(text_or_path).is_file()
    ):
        articles = _read(text_or_path, options)
        if len(articles) != 1:
            raise ValueError(
                f"{text_or_path} holds {len(articles)} articles; use analyze_many for corpora"
            )
        article = articles[0]
    else:
        article = read_text(text_or_path, options=options)
    return pipe(article)


def analyze_many(
    sources: Iterable[str | Path],
    *,
    analyzers: Sequence[str] | None = None,
    pipeline: Pipeline | None = None,
    options: ReadOptions | None = None,
    batch_size: int = 16,
) -> Iterator[Analysis | InputError]:
    """Analyse every article in the sources; rejected inputs come through as InputErrors.

    Results come in input order; articles are analysed ``batch_size`` at a time
    (:meth:`Pipeline.run`), which lets the models batch across articles.
    """
    pipe = pipeline or Pipeline.from_names(analyzers)
    batch: list[Article] = []
    for item in iter_read(sources, options):
        if isinstance(item, InputError):
            yield from pipe.run(batch)
            batch = []
            yield item
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield from pipe.run(batch)
            batch = []
    yield from pipe.run(batch)
