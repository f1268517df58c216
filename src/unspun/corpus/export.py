"""Flat tables of what a store holds, as CSV or Parquet, for analysis in other tools.

Each table has a fixed column list with types, so a CSV and a Parquet file of the same
store hold the same columns in the same order, whatever rows happen to be empty. Offsets
are character offsets into the stored article text, as everywhere in unspun.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from unspun.article import Analysis, Record
from unspun.corpus.analyses import SpanIndex, stored_analyses, word_count

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when a command opens one
    from unspun.store import Store

Kind = Literal["str", "int", "float", "bool", "date"]
Row = dict[str, Any]

TABLES: dict[str, list[tuple[str, Kind]]] = {
    "articles": [
        ("article_id", "str"), ("title", "str"), ("outlet", "str"), ("published", "date"),
        ("language", "str"), ("source", "str"), ("external_id", "str"), ("chars", "int"),
        ("words", "int"),
    ],
    "spans": [
        ("article_id", "str"), ("span_id", "str"), ("analyzer", "str"), ("label", "str"),
        ("start", "int"), ("end", "int"), ("score", "float"), ("text", "str"),
    ],
    "quotes": [
        ("article_id", "str"), ("record_id", "str"), ("speaker", "str"), ("direct", "bool"),
        ("anonymous", "bool"), ("score", "float"), ("start", "int"), ("end", "int"),
        ("text", "str"),
    ],
    "claims": [
        ("article_id", "str"), ("record_id", "str"), ("as_written", "str"), ("value", "float"),
        ("low", "float"), ("high", "float"), ("qualifier", "str"), ("category", "str"),
        ("counted", "str"), ("vague", "bool"), ("place", "str"), ("date", "str"),
        ("unit", "str"), ("metric_value", "float"), ("metric_unit", "str"),
        ("asserted_by", "str"), ("language", "str"), ("date_resolved", "str"),
        ("start", "int"), ("end", "int"), ("sentence_start", "int"), ("sentence_end", "int"),
    ],
    "events": [
        ("article_id", "str"), ("record_id", "str"), ("type", "str"), ("trigger", "str"),
        ("actor", "str"), ("target", "str"), ("place", "str"), ("date", "date"),
        ("date_text", "str"), ("killed", "float"), ("wounded", "float"), ("start", "int"),
        ("end", "int"),
    ],
}  # fmt: skip

FORMATS = ("csv", "parquet")


class ParquetUnavailable(ImportError):
    """pyarrow is not installed; CSV export still works."""


def _role(analysis: Analysis, record: Record, role: str) -> tuple[int, int, str] | None:
    ids = record.spans.get(role, ())
    if not ids:
        return None
    span = analysis.span(ids[0])
    return span.start, span.end, analysis.span_text(span)


def _article_rows(a: Analysis) -> Iterator[Row]:
    meta = a.article.meta
    yield {
        "article_id": a.article.id, "title": a.article.title, "outlet": a.article.meta.outlet,
        "published": meta.published, "language": meta.language, "source": meta.source,
        "external_id": meta.external_id, "chars": len(a.text), "words": word_count(a.text),
    }  # fmt: skip


def _span_rows(a: Analysis) -> Iterator[Row]:
    for s in a.spans:
        yield {
            "article_id": a.article.id, "span_id": s.id, "analyzer": s.analyzer, "label": s.label,
            "start": s.start, "end": s.end, "score": s.score, "text": a.span_text(s),
        }  # fmt: skip


def _quote_rows(a: Analysis) -> Iterator[Row]:
    for r in a.records:
        if r.type != "quote":
            continue
        content = _role(a, r, "content")
        yield {
            "article_id": a.article.id, "record_id": r.id, "speaker": r.attrs.get("speaker"),
            "direct": r.attrs.get("direct"), "anonymous": bool(r.attrs.get("anonymous", False)),
            "score": r.score, "start": content[0] if content else None,
            "end": content[1] if content else None, "text": content[2] if content else None,
        }  # fmt: skip


def _claim_rows(a: Analysis) -> Iterator[Row]:
    index = SpanIndex(a)
    for r in a.records:
        if r.type != "claim":
            continue
        value = _role(a, r, "value")
        sentence = index.sentence(value[0], value[1]) if value else None
        yield {
            "article_id": a.article.id, "record_id": r.id,
            "as_written": value[2] if value else None,
            **{k: r.attrs.get(k) for k in ("value", "low", "high", "qualifier", "category", "counted", "vague", "place", "date", "unit", "metric_value", "metric_unit", "asserted_by", "language", "date_resolved")},
            "start": value[0] if value else None, "end": value[1] if value else None,
            "sentence_start": sentence[0] if sentence else None,
            "sentence_end": sentence[1] if sentence else None,
        }  # fmt: skip


def _event_rows(a: Analysis) -> Iterator[Row]:
    for r in a.records:
        if r.type != "event":
            continue
        trigger = _role(a, r, "trigger")
        yield {
            "article_id": a.article.id, "record_id": r.id, "type": r.attrs.get("type"),
            "trigger": trigger[2] if trigger else None,
            **{k: r.attrs.get(k) for k in ("actor", "target", "place", "date_text", "killed", "wounded")},
            "date": r.attrs.get("date"),
            "start": trigger[0] if trigger else None, "end": trigger[1] if trigger else None,
        }  # fmt: skip


_ROWS: dict[str, Callable[[Analysis], Iterator[Row]]] = {
    "articles": _article_rows,
    "spans": _span_rows,
    "quotes": _quote_rows,
    "claims": _claim_rows,
    "events": _event_rows,
}


def _typed(value: Any, kind: Kind) -> Any:
    if value is None:
        return None
    if kind == "str":
        return str(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def rows(analyses: Iterable[Analysis], what: str) -> Iterator[Row]:
    """The rows of one table, typed by its column list."""
    if what not in TABLES:
        raise ValueError(f"cannot export {what!r}; choose one of {', '.join(TABLES)}")
    columns = TABLES[what]
    for a in analyses:
        for row in _ROWS[what](a):
            yield {name: _typed(row.get(name), kind) for name, kind in columns}


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): a title such as =HYPERLINK(...) would run on opening the export.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, quoted with a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(table: Iterable[Row], what: str, path: Path, *, raw: bool = False) -> int:
    """Write the rows as CSV; text cells that would run as formulas are neutralised unless
    ``raw``."""
    columns = [name for name, _ in TABLES[what]]
    n = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in table:
            cells = {k: ("" if v is None else v) for k, v in row.items()}
            writer.writerow(cells if raw else {k: spreadsheet_safe(v) for k, v in cells.items()})
            n += 1
    return n


def write_parquet(table: Iterable[Row], what: str, path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ParquetUnavailable("Parquet export needs pyarrow: pip install 'unspun[parquet]', or use --format csv") from exc
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
    schema = pa.schema([(name, types[kind]) for name, kind in TABLES[what]])
    data = list(table)
    pq.write_table(pa.Table.from_pylist(data, schema=schema), path)
    return len(data)


def export(store: Store, what: str, fmt: str, path: Path, *, raw: bool = False) -> int:
    """Write one table of the store to ``path``; returns the number of rows.

    CSV cells that a spreadsheet would run as formulas get a leading ``'`` unless ``raw``;
    Parquet holds values, never formulas, and is written as stored.
    """
    if fmt not in FORMATS:
        raise ValueError(f"cannot write {fmt!r}; choose csv or parquet")
    table = rows(stored_analyses(store), what)
    return write_csv(table, what, path, raw=raw) if fmt == "csv" else write_parquet(table, what, path)


__all__ = ["FORMATS", "TABLES", "ParquetUnavailable", "export", "rows", "spreadsheet_safe", "write_csv", "write_parquet"]
