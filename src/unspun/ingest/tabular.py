"""Corpora: one article per JSONL line or per CSV/TSV row, streamed.

A corpus can be far larger than memory and can hold bad records anywhere. Each record is
read within a limit (``max_line_bytes``, ``max_field_bytes``) and a bad one becomes an
InputError naming its line while the records after it are still read. The text field is
stored verbatim, like a plain-text file; the other named fields become metadata, and any
field not named goes to ``meta.extra`` unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from pydantic import JsonValue

from unspun.article import Article, ArticleMeta
from unspun.errors import InputError
from unspun.ingest.base import ReadItem, ReadOptions, read_warning, with_warnings
from unspun.ingest.dates import parse_date
from unspun.ingest.decode import CHUNK_BYTES, is_binary, iter_lines, replace_surrogates
from unspun.ingest.text import plain_article

# A JSON escape of a UTF-16 surrogate (paired or not): only such a line can hold a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _field_text(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    return None


def _is_json(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return not (isinstance(value, float) and math.isnan(value))


def record_article(
    values: Mapping[str, object], *, source: str, line: int, options: ReadOptions
) -> Article | InputError:
    """The article one corpus record describes, or E110 when it has no text."""
    text = values.get(options.text_field)
    if not isinstance(text, str) or not text.strip():
        what = "has no" if text is None else "has an empty or non-text"
        return InputError(
            "E110", f"record {what} {options.text_field!r} field", source=source, line=line
        )
    named = {
        options.text_field,
        options.title_field,
        options.id_field,
        options.url_field,
        options.author_field,
        options.date_field,
        options.outlet_field,
        options.language_field,
    }
    extra: dict[str, JsonValue] = {}
    for key, value in values.items():
        if key not in named and value not in (None, "") and _is_json(value):
            extra[key] = value  # type: ignore[assignment]  # _is_json checked it
    date_text = _field_text(values.get(options.date_field))
    published = parse_date(date_text) if date_text else None
    if date_text and published is None:
        extra[options.date_field] = date_text  # kept as given, since it is not a date we read
    meta = ArticleMeta(
        source=f"{source}:{line}",
        external_id=_field_text(values.get(options.id_field)),
        url=_field_text(values.get(options.url_field)),
        author=_field_text(values.get(options.author_field)),
        outlet=_field_text(values.get(options.outlet_field)),
        language=_field_text(values.get(options.language_field)),
        published=published,
        extra=extra,
    )
    return plain_article(text, meta=meta, title=_field_text(values.get(options.title_field)))


class JsonlReader:
    """Reads a JSON Lines corpus: one JSON object, one article, per line."""

    name: ClassVar[str] = "jsonl"
    suffixes: ClassVar[tuple[str, ...]] = (".jsonl", ".ndjson")
    #: the input holds many articles, so ``max_bytes`` does not bound it
    corpus: ClassVar[bool] = True

    def read(self, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
        encoding = options.encoding or "utf-8-sig"
        seen = False
        for lineno, raw in iter_lines(stream, options.max_line_bytes):
            if raw is None:
                seen = True
                yield InputError(
                    "E109",
                    f"line {lineno} is longer than {options.max_line_bytes} bytes",
                    source=source,
                    line=lineno,
                )
                continue
            if not raw.strip():
                continue
            if not seen and is_binary(raw[:4096]):
                yield InputError("E103", "holds too many control bytes to be text", source=source)
                return
            seen = True
            try:
                line = raw.decode(encoding if lineno == 1 else encoding.removesuffix("-sig"))
            except (UnicodeDecodeError, LookupError) as err:
                yield InputError(
                    "E105", f"line {lineno} is not valid {encoding}: {err}", source=source, line=lineno
                )
                continue
            try:
                value = json.loads(line)
            except (ValueError, RecursionError) as err:
                reason = err.msg if isinstance(err, json.JSONDecodeError) else type(err).__name__
                yield InputError(
                    "E107", f"line {lineno} is not valid JSON ({reason})", source=source, line=lineno
                )
                continue
            if not isinstance(value, dict):
                yield InputError(
                    "E107",
                    f"line {lineno} is a JSON {type(value).__name__}, not an object",
                    source=source,
                    line=lineno,
                )
                continue
            replaced = 0
            if _SURROGATE_ESCAPE.search(raw):
                fixed, replaced = replace_surrogates(value)
                value = fixed if isinstance(fixed, dict) else value
            item = record_article(value, source=source, line=lineno, options=options)
            if replaced and isinstance(item, Article):
                warning = read_warning(
                    "W102",
                    f"{replaced} lone surrogate(s) replaced by U+FFFD",
                    source=source,
                    line=lineno,
                )
                item = with_warnings(item, (warning,))
            yield item
        if not seen:
            yield InputError("E102", "the corpus holds no records", source=source)


@dataclass
class _RawRecord:
    line: int
    #: the record's bytes; ``None`` when it was longer than allowed and thrown away
    data: bytes | None
    #: the input ended inside a quoted field
    unterminated: bool = False
    #: a quoted field ran past the size limit over several lines; ``data`` holds those lines
    cut: bool = False


class _QuoteScanner:
    """Follows CSV quoting across chunks, to know where a record ends without parsing it.

    A quote opens a quoted field only at the start of a field; inside one, a doubled quote
    is a literal quote and a single one closes it. Line breaks inside quotes belong to the
    field. This is the csv module's own rule, applied with ``bytes.find`` over chunks so a
    record larger than the limit can be skipped without holding it.
    """

    def __init__(self, delimiter: bytes) -> None:
        self.delimiter = delimiter
        self.in_quotes = False
        self.at_field_start = True
        #: the last chunk ended on a quote inside quotes: a close, or half of a doubled quote
        self.pending_quote = False

    def feed(self, chunk: bytes) -> None:
        i, n = 0, len(chunk)
        if self.pending_quote:
            self.pending_quote = False
            if chunk.startswith(b'"'):
                i = 1
            else:
                self.in_quotes = False
                self.at_field_start = False
        while i < n:
            if self.in_quotes:
                j = chunk.find(b'"', i)
                if j < 0:
                    return
                if j + 1 == n:
                    self.pending_quote = True
                    return
                if chunk[j + 1 : j + 2] == b'"':
                    i = j + 2
                    continue
                self.in_quotes = False
                self.at_field_start = False
                i = j + 1
            elif self.at_field_start and chunk[i : i + 1] == b'"':
                self.in_quotes = True
                i += 1
            else:
                j = chunk.find(self.delimiter, i)
                if j < 0:
                    # The rest is one unquoted field; a chunk cut mid-line leaves us inside it.
                    self.at_field_start = chunk.endswith(b"\n")
                    return
                i = j + 1
                self.at_field_start = True

    @property
    def open(self) -> bool:
        return self.in_quotes and not self.pending_quote

    def end_of_input(self) -> None:
        if self.pending_quote:
            self.pending_quote = False
            self.in_quotes = False


def _lines(stream: BinaryIO, first: bytes = b"") -> Iterator[bytes]:
    """A stream's lines in pieces of at most CHUNK_BYTES, after ``first``."""
    if first:
        yield first
    yield from iter(lambda: stream.readline(CHUNK_BYTES), b"")


def _records(lines: Iterator[bytes], delimiter: bytes, cap: int, first_line: int = 1) -> Iterator[_RawRecord]:
    scanner = _QuoteScanner(delimiter)
    done: list[bytes] = []  # the record's complete lines
    line: list[bytes] = []  # the pieces of the line being read
    size = 0
    too_big = False
    lineno = first_line - 1
    start = first_line
    for chunk in lines:
        scanner.feed(chunk)
        size += len(chunk)
        if not too_big:
            line.append(chunk)
            if size > cap and done:
                # A quote left open has swallowed whole lines: hand them over (the reader
                # reads them again as rows) and go on from the start of this line.
                yield _RawRecord(start, b"".join(done), cut=True)
                scanner = _QuoteScanner(delimiter)
                for piece in line:
                    scanner.feed(piece)
                done, start, size = [], lineno + 1, sum(map(len, line))
            if size > cap:
                too_big = True
                line = []
        if chunk.endswith(b"\n"):
            lineno += 1
            if not too_big:
                done.append(b"".join(line))
                line = []
            if not scanner.open:
                yield _RawRecord(start, None if too_big else b"".join(done))
                done, line, size, too_big, start = [], [], 0, False, lineno + 1
    scanner.end_of_input()
    if size:
        if not too_big:
            done.append(b"".join(line))
        yield _RawRecord(start, None if too_big else b"".join(done), unterminated=scanner.open)


class _FieldLimit:
    """Sets the csv module's field size limit for one parse, then puts the old one back.

    The limit is process-wide; holding it only around each parse keeps two readers with
    different limits (or other code using csv) from seeing each other's.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.saved = 0

    def __enter__(self) -> None:
        self.saved = csv.field_size_limit(self.limit)

    def __exit__(self, *exc: object) -> None:
        csv.field_size_limit(self.saved)


class CsvReader:
    """Reads a CSV or TSV corpus with a header row: one article per row."""

    name: ClassVar[str] = "csv"
    suffixes: ClassVar[tuple[str, ...]] = (".csv", ".tsv")
    corpus: ClassVar[bool] = True

    def read(self, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
        first = stream.readline(CHUNK_BYTES)
        if not first.strip() and not stream.readline(1):
            yield InputError("E102", "the corpus holds no records", source=source)
            return
        if is_binary(first[:4096]):
            yield InputError("E103", "holds too many control bytes to be text", source=source)
            return
        header_line = first.split(b"\n", 1)[0]
        tabs = source.lower().endswith(".tsv") or header_line.count(b"\t") > header_line.count(b",")
        delimiter = "\t" if tabs else ","
        encoding = options.encoding or "utf-8"
        header: list[str] | None = None
        cap = max(options.max_line_bytes, options.max_field_bytes)
        # A row whose quoting is broken may have swallowed the rows after it; its first line
        # is the bad one, and the lines after it are read again as rows of their own.
        scans = [_records(_lines(stream, first), delimiter.encode(), cap)]
        while scans:
            raw = next(scans[-1], None)
            if raw is None:
                scans.pop()
                continue
            if raw.data is None:
                yield InputError(
                    "E109",
                    f"the row starting on line {raw.line} is longer than {cap} bytes",
                    source=source,
                    line=raw.line,
                )
                continue
            problem: str | None = None
            rows: list[list[str]] = []
            if raw.unterminated or raw.cut:
                problem = f"the quoted field opened on line {raw.line} is never closed"
            elif raw.data.strip():
                try:
                    text = raw.data.decode(encoding).removeprefix("\ufeff")
                except (UnicodeDecodeError, LookupError) as err:
                    yield InputError(
                        "E105",
                        f"the row on line {raw.line} is not valid {encoding}: {err}",
                        source=source,
                        line=raw.line,
                    )
                    continue
                try:
                    with _FieldLimit(options.max_field_bytes):
                        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
                except csv.Error as err:
                    if "field limit" in str(err):
                        yield InputError(
                            "E108",
                            f"a field of the row on line {raw.line} is larger than "
                            f"{options.max_field_bytes} bytes",
                            source=source,
                            line=raw.line,
                        )
                        continue
                    problem = f"the row on line {raw.line}: {err}"
            if problem is not None:
                _, newline, rest = raw.data.partition(b"\n")
                if newline and rest.strip():
                    problem += "; the lines after it were read as rows of their own"
                    scans.append(_records(_lines(io.BytesIO(rest)), delimiter.encode(), cap, raw.line + 1))
                yield InputError("E112", problem, source=source, line=raw.line)
                continue
            for row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = [name.strip() for name in row]
                    if options.text_field not in header:
                        yield InputError(
                            "E110",
                            f"the header has no {options.text_field!r} column "
                            f"(it has {', '.join(map(repr, header))})",
                            source=source,
                            line=raw.line,
                        )
                        return
                    continue
                if len(row) > len(header):
                    yield InputError(
                        "E112",
                        f"the row on line {raw.line} has {len(row)} fields, the header {len(header)}",
                        source=source,
                        line=raw.line,
                    )
                    continue
                values = dict(zip(header, row, strict=False))
                yield record_article(values, source=source, line=raw.line, options=options)
        if header is None:
            yield InputError("E102", "the corpus holds no header row", source=source)


__all__ = ["CsvReader", "JsonlReader", "record_article"]
