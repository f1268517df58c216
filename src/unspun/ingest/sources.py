"""Where articles come from: paths, directories walked, standard input and pasted text.

:func:`iter_read` never raises for a bad input. Each input it cannot read (missing,
unreadable, binary, too large ...) comes through as an InputError in its place and the
run goes on, so one bad file in a directory of ten thousand costs one error line.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import BinaryIO

from unspun.article import Article, ArticleMeta, Problem
from unspun.errors import InputError
from unspun.ingest.base import Reader, ReadItem, ReadOptions, read_warning, with_warnings
from unspun.ingest.decode import HEAD_BYTES, read_bounded, replace_surrogates
from unspun.ingest.formats import (
    format_for_suffix,
    get_reader,
    is_corpus,
    refine_text_format,
    sniff_format,
)
from unspun.ingest.html import html_article
from unspun.ingest.markdown import looks_like_markdown, markdown_article
from unspun.ingest.text import plain_article

STDIN = "-"


class _Prefixed(io.RawIOBase):
    """A stream that gives back bytes already read from it before the rest.

    Standard input cannot seek, yet its format is chosen from its first bytes; they are
    read once and replayed to the reader.
    """

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        read_some = getattr(self._rest, "read1", self._rest.read)
        data: bytes = read_some(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _with_head(stream: BinaryIO) -> tuple[bytes, BinaryIO]:
    """The first bytes of a stream, and a stream that still starts at its beginning."""
    if stream.seekable():
        # Back to where the stream was, not to 0: stdin redirected from a file may have
        # been read from before.
        start = stream.tell()
        head = read_bounded(stream, HEAD_BYTES - 1)
        stream.seek(start)
        return head, stream
    head = read_bounded(stream, HEAD_BYTES - 1)
    return head, io.BufferedReader(_Prefixed(head, stream))


def _too_long(article: Article, *, source: str, options: ReadOptions) -> InputError | None:
    """E114 for an article longer than the models read (spaCy stops at 1,000,000 characters,
    and before that needs gigabytes): refused here, before any analyzer has started on it."""
    if len(article.text) <= options.max_chars:
        return None
    # A corpus row's source is "file:line".
    row = (article.meta.source or "").removeprefix(f"{source}:")
    return InputError(
        "E114",
        f"the article has {len(article.text):,} characters, over the limit of "
        f"{options.max_chars:,}",
        source=source,
        line=int(row) if row.isdigit() else None,
    )


def _guarded(reader: Reader, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
    # A reader (a plugin's too) may raise where it should yield; the run goes on all the same.
    try:
        for item in reader.read(stream, source=source, options=options):
            if isinstance(item, Article):
                yield _too_long(item, source=source, options=options) or item
            else:
                yield item
    except InputError as err:
        yield err
    except UnicodeDecodeError as err:
        yield InputError("E105", f"cannot decode: {err}", source=source)
    except OSError as err:
        yield InputError("E101", f"read failed: {err.strerror or err}", source=source)


def read_stream(
    stream: BinaryIO,
    *,
    source: str,
    options: ReadOptions,
    suffix: str = "",
    size: int | None = None,
) -> Iterator[ReadItem]:
    """Choose the reader for one input stream and read it.

    ``size``, when known (a regular file), lets an oversized single-article input be
    refused before any of it is read.
    """
    try:
        fmt = options.format or format_for_suffix(suffix)
        if fmt is None or (fmt == "text" and options.format is None):
            head, stream = _with_head(stream)
            if fmt is None:
                fmt = sniff_format(head, encoding=options.encoding, source=source)
            else:
                fmt = refine_text_format(head, encoding=options.encoding)
        reader = get_reader(fmt, source=source)
        # Refused on its size alone: a 100 MB single-line file costs a stat call and the
        # head read above, never the whole file.
        if size is not None and size > options.max_bytes and not is_corpus(reader):
            raise InputError(
                "E104",
                f"{size} bytes, over the limit of {options.max_bytes} bytes for one article",
                source=source,
            )
    except InputError as err:
        yield err
        return
    except OSError as err:
        yield InputError("E101", f"read failed: {err.strerror or err}", source=source)
        return
    yield from _guarded(reader, stream, source=source, options=options)


def read_file(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    """Read one file, choosing its reader by ``options.format``, suffix or content."""
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as err:
        yield InputError("E101", f"cannot open: {err.strerror or err}", source=source)
        return
    with handle:
        info = os.fstat(handle.fileno())
        size = info.st_size if stat.S_ISREG(info.st_mode) else None
        yield from read_stream(handle, source=source, options=options, suffix=path.suffix, size=size)


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if fnmatchcase(rel, pattern) or fnmatchcase(name, pattern):
            return True
        if pattern.startswith("**/") and fnmatchcase(rel, pattern[3:]):
            return True
    return False


def walk(directory: Path, options: ReadOptions) -> Iterator[Path | InputError]:
    """The files under a directory, in sorted order, filtered by include and exclude globs.

    Patterns match the path relative to the directory (``sub/a.txt``) or the bare name.
    Hidden files and directories are skipped, and symbolic links to directories are not
    followed, so a link loop cannot make the walk endless.
    """

    def visit(folder: Path, prefix: str) -> Iterator[Path | InputError]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            yield InputError("E101", f"cannot list the directory: {err.strerror or err}", source=str(folder))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{prefix}{entry.name}"
            try:
                real_dir = entry.is_dir(follow_symlinks=False)
                linked_dir = not real_dir and entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                real_dir, linked_dir, is_file = False, False, True  # opening it will say why
            if real_dir:
                if options.recursive and not _matches(rel, entry.name, options.exclude):
                    yield from visit(Path(entry.path), f"{rel}/")
                continue
            if linked_dir:
                continue
            if options.include and not _matches(rel, entry.name, options.include):
                continue
            if _matches(rel, entry.name, options.exclude):
                continue
            if is_file:
                yield Path(entry.path)
            elif entry.is_symlink():
                yield InputError("E101", "broken symbolic link", source=entry.path)
            else:
                # Opening a FIFO or a device found by walking could block for ever.
                yield InputError("E101", "not a regular file", source=entry.path)

    yield from visit(directory, "")


def iter_read(
    sources: Iterable[str | Path], options: ReadOptions | None = None
) -> Iterator[Article | InputError]:
    """Every article in the sources: files, directories (walked) and ``-`` for stdin.

    Never raises for a bad input: an InputError comes through in its place.
    """
    opts = options or ReadOptions()
    for src in sources:
        if isinstance(src, str) and src == STDIN:
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                yield InputError("E101", "there is no standard input to read", source=STDIN)
            else:
                yield from read_stream(stdin, source=STDIN, options=opts)
            continue
        if not str(src):
            # Path("") is the current directory; an empty argument is a mistake, not a walk.
            yield InputError("E101", "the path is empty", source="''")
            continue
        path = Path(src)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as err:
            yield InputError("E101", f"cannot reach: {err.strerror or err}", source=str(path))
            continue
        if not exists:
            yield InputError("E101", "no such file or directory", source=str(path))
        elif is_dir:
            for found in walk(path, opts):
                if isinstance(found, InputError):
                    yield found
                else:
                    yield from read_file(found, opts)
        else:
            yield from read_file(path, opts)


def read(source: str | Path, options: ReadOptions | None = None) -> list[Article]:
    """The articles in a file, directory or ``-``; raises the first InputError."""
    articles: list[Article] = []
    for item in iter_read([source], options):
        if isinstance(item, InputError):
            raise item
        articles.append(item)
    return articles


def read_text(text: str, *, options: ReadOptions | None = None, source: str = "<text>") -> Article:
    """One article from text in memory (pasted, posted): Markdown when it looks like it."""
    opts = options or ReadOptions()
    if len(text) > opts.max_bytes:
        raise InputError(
            "E104", f"{len(text)} characters, over the limit of {opts.max_bytes}", source=source
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("E102", "the text is empty or holds only whitespace", source=source)
    fixed, replaced = replace_surrogates(text)
    warnings: tuple[Problem, ...] = ()
    if replaced:
        text = str(fixed)
        message = f"{replaced} lone surrogate(s) replaced by U+FFFD"
        warnings = (read_warning("W102", message, source=source),)
    meta = ArticleMeta(source=source)
    fmt = opts.format or ("markdown" if looks_like_markdown(text) else "text")
    built: Article | None = None
    if fmt == "text":
        built = plain_article(text, meta=meta)
    elif fmt == "markdown":
        built = markdown_article(text, meta=meta)
    elif fmt == "html":
        built = html_article(text, meta=meta)
    if built is not None:
        too_long = _too_long(built, source=source, options=opts)
        if too_long is not None:
            raise too_long
        return with_warnings(built, warnings)
    reader = get_reader(fmt, source=source)
    stream = io.BytesIO(text.encode("utf-8"))
    for item in _guarded(reader, stream, source=source, options=replace(opts, encoding="utf-8")):
        if isinstance(item, InputError):
            raise item
        return item
    raise InputError("E102", "the text holds no article", source=source)


__all__ = ["STDIN", "iter_read", "read", "read_file", "read_stream", "read_text", "walk"]
