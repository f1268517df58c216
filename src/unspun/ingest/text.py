"""Plain-text articles: the file's text, kept verbatim, one paragraph per non-empty line.

The stored text is the decoded file exactly (only a byte-order mark is dropped), so an
offset into the article is an offset into the file, as SemEval's span annotations expect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from unspun.article import Article, ArticleMeta, paragraphs_from_lines
from unspun.errors import InputError
from unspun.ingest.base import ReadItem, ReadOptions, with_warnings
from unspun.ingest.decode import read_decoded


def title_line(text: str) -> str | None:
    """The first non-empty line when a blank line follows it: a headline, as SemEval has it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip():
            if i + 1 < len(lines) and not lines[i + 1].strip():
                return line.strip()
            return None
    return None


def first_line(text: str) -> str | None:
    return next((line.strip() for line in text.splitlines() if line.strip()), None)


def plain_article(text: str, *, meta: ArticleMeta, title: str | None = None) -> Article:
    """An article over ``text`` as it is; ``title`` when the input named one apart from it.

    Without a given title, a first line set off by a blank line is the title. With one, the
    first line is marked as the title only when it is that title.
    """
    if title is None:
        title = title_line(text)
        title_first = title is not None
    else:
        title_first = first_line(text) == title.strip()
    paragraphs = paragraphs_from_lines(text, title_first=title_first)
    return Article.from_text(text, title=title, paragraphs=paragraphs, meta=meta)


class TextReader:
    """Reads a plain-text file as one article."""

    name: ClassVar[str] = "text"
    suffixes: ClassVar[tuple[str, ...]] = (".txt", ".text")

    def read(self, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
        try:
            decoded = read_decoded(stream, source=source, options=options)
        except InputError as err:
            yield err
            return
        yield with_warnings(plain_article(decoded.text, meta=ArticleMeta(source=source)), decoded.warnings)


__all__ = ["TextReader", "first_line", "plain_article", "title_line"]
