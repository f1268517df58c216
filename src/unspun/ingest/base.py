"""The reader contract and the settings every reader shares.

A reader turns bytes from one input (a file, stdin, a corpus file) into articles. It yields
each :class:`~unspun.article.Article` it can build and an :class:`~unspun.errors.InputError`
for each part it cannot (a malformed JSONL line, an oversized CSV field), so one bad record
never hides the rest. Readers register through the ``unspun.readers`` entry-point group.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar, Protocol

from unspun.article import Article, Problem
from unspun.errors import CODES, InputError

MiB = 1024 * 1024


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw and raw.isdigit() else default


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read. Every limit is a setting; the defaults suit news articles."""

    #: force this encoding instead of detecting one (for example ``latin-1``)
    encoding: str | None = None
    #: force this reader (``text``, ``markdown``, ``html``, ``jsonl``, ``csv``) instead of
    #: choosing by file suffix and content
    format: str | None = None
    #: largest single-article file (text, Markdown, HTML) read, in bytes
    max_bytes: int = field(default_factory=lambda: _env_int("UNSPUN_MAX_BYTES", 20 * MiB))
    #: longest line of a JSONL corpus, in bytes; longer lines are rejected, unread
    max_line_bytes: int = field(default_factory=lambda: _env_int("UNSPUN_MAX_LINE_BYTES", 8 * MiB))
    #: longest article analysed, in characters; a longer one is refused (E114), since the
    #: language models would need gigabytes for it
    max_chars: int = field(default_factory=lambda: _env_int("UNSPUN_MAX_CHARS", 1_000_000))
    #: largest CSV field, in bytes
    max_field_bytes: int = field(
        default_factory=lambda: _env_int("UNSPUN_MAX_FIELD_BYTES", 512 * 1024)
    )
    #: corpus field names (JSONL keys, CSV header names)
    text_field: str = "text"
    title_field: str = "title"
    id_field: str = "id"
    url_field: str = "url"
    author_field: str = "author"
    date_field: str = "date"
    outlet_field: str = "outlet"
    language_field: str = "language"
    #: directory walking: glob patterns matched against the path relative to the directory
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    recursive: bool = True


ReadItem = Article | InputError


def read_warning(code: str, message: str, *, source: str, line: int | None = None) -> Problem:
    """A W-coded warning for an input that was read all the same, with its hint."""
    where = f"{source}:{line}" if line is not None else source
    return Problem(code=code, message=f"{where}: {message}", hint=CODES[code].hint, source=source, line=line)


def with_warnings(article: Article, warnings: tuple[Problem, ...]) -> Article:
    """The article with these reading warnings added to its own."""
    if not warnings:
        return article
    return article.model_copy(update={"warnings": article.warnings + warnings})


class Reader(Protocol):
    """The contract every reader follows."""

    name: ClassVar[str]
    #: file suffixes (lower case, with the dot) this reader takes by default
    suffixes: ClassVar[tuple[str, ...]]

    def read(self, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
        """Yield articles and per-record errors from one input stream."""
        ...


__all__ = ["MiB", "ReadItem", "ReadOptions", "Reader", "read_warning", "with_warnings"]
