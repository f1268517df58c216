"""The commands that read a whole store (`compare`, `profile`, `export`, `report`): thin
layers over :mod:`unspun.corpus.compare`, ``profiles``, ``export`` and ``report``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from unspun.corpus.defaults import DEFAULT_MIN_SCORE, DEFAULT_WINDOW_DAYS
from unspun.errors import UnspunError

# The store, the views and rich are imported by the command that runs: registering these
# commands must not slow down `unspun --help`.
if TYPE_CHECKING:
    from rich.console import Console

Db = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="UNSPUN_DB",
        help="The store: sqlite:///corpus.db (or a plain path) or postgresql://user@host/db.",
    ),
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
]


class CompareFormat(StrEnum):
    json = "json"
    table = "table"
    html = "html"


class ProfileFormat(StrEnum):
    json = "json"
    table = "table"


class Table(StrEnum):
    articles = "articles"
    spans = "spans"
    quotes = "quotes"
    claims = "claims"
    events = "events"


class ExportFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _fail(err: Console, message: str, hint: str = "") -> typer.Exit:
    err.print(f"[red]{message}[/red]", highlight=False, soft_wrap=True)
    if hint:
        err.print(f"[dim]{hint}[/dim]", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _write(err: Console, text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text)
        return
    try:
        from unspun.render.output import write_output

        write_output(output, text + "\n")
    except UnspunError as exc:
        raise _fail(err, f"{exc.code}: {exc.message}", exc.hint) from exc


def _check(err: Console, output: Path | None) -> None:
    # Before the store is read: a mistyped -o costs nothing.
    if output is None:
        return
    from unspun.render.output import check_output

    try:
        check_output(output)
    except UnspunError as exc:
        raise _fail(err, f"{exc.code}: {exc.message}", exc.hint) from exc


def _load(err: Console, db: str, output: Path | None = None) -> list[Any]:
    from unspun.corpus.analyses import stored_analyses
    from unspun.store import open_store

    _check(err, output)
    try:
        with open_store(db, create=False) as store:
            return list(stored_analyses(store))
    except UnspunError as exc:
        raise _fail(err, f"{exc.code}: {exc.message}", exc.hint) from exc


def compare(
    db: Db,
    format_: Annotated[CompareFormat, typer.Option("--format", "-f", help="json, table or html.")] = CompareFormat.table,
    output: Output = None,
    window_days: Annotated[
        int, typer.Option("--window-days", min=0, help="Compare articles published at most this many days apart.")
    ] = DEFAULT_WINDOW_DAYS,
    min_score: Annotated[
        float, typer.Option("--min-score", help="Keep pairs scoring at least this (Jaccard + category bonus).")
    ] = DEFAULT_MIN_SCORE,
    actors: Annotated[int, typer.Option("--actors", min=0, help="Compare at most this many actors.")] = 20,
) -> None:
    """Group stored articles that report the same event and show how each tells it."""
    from unspun.corpus.compare import compare as compare_analyses
    from unspun.corpus.compare import compare_text
    from unspun.corpus.report import compare_html

    err = _stderr()
    result = compare_analyses(_load(err, db, output), window_days=window_days, min_score=min_score, max_actors=actors)
    if format_ is CompareFormat.json:
        _write(err, json.dumps(result, indent=2, ensure_ascii=False, default=str), output)
    elif format_ is CompareFormat.html:
        _write(err, compare_html(result), output)
    else:
        _write(err, compare_text(result), output)


def profile(
    db: Db,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only this outlet.")] = None,
    format_: Annotated[ProfileFormat, typer.Option("--format", "-f", help="json or table.")] = ProfileFormat.table,
    output: Output = None,
) -> None:
    """Per outlet: articles, words, techniques per 1,000 words, frames, genres, actors, quotes."""
    from unspun.corpus.profiles import profiles, profiles_text

    err = _stderr()
    found = profiles(_load(err, db, output), outlet=outlet)
    if format_ is ProfileFormat.json:
        _write(err, json.dumps(found, indent=2, ensure_ascii=False), output)
    else:
        _write(err, profiles_text(found), output)


def export(
    db: Db,
    what: Annotated[Table, typer.Option("--what", help="articles, spans, quotes, claims or events.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    format_: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv or parquet.")] = ExportFormat.csv,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="Write CSV cells as stored, even those a spreadsheet would run as a formula "
            "(by default a cell starting with =, +, -, @, tab or CR gets a leading ').",
        ),
    ] = False,
) -> None:
    """Write one table of the store (one row per article, span, quote, claim or event)."""
    from unspun.corpus.export import ParquetUnavailable
    from unspun.corpus.export import export as export_table
    from unspun.render.output import output_error
    from unspun.store import open_store

    err = _stderr()
    _check(err, output)
    try:
        with open_store(db, create=False) as store:
            n = export_table(store, what.value, format_.value, output, raw=raw)
    except UnspunError as exc:
        raise _fail(err, f"{exc.code}: {exc.message}", exc.hint) from exc
    except ParquetUnavailable as exc:
        raise _fail(err, str(exc)) from exc
    except OSError as exc:
        failed = output_error(output, exc)
        raise _fail(err, f"{failed.code}: {failed.message}", failed.hint) from exc
    err.print(f"{n} row(s) written to {output}", highlight=False, soft_wrap=True)


def report(
    db: Db,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    window_days: Annotated[
        int, typer.Option("--window-days", min=0, help="As for `unspun compare`.")
    ] = DEFAULT_WINDOW_DAYS,
) -> None:
    """One self-contained HTML page: techniques by outlet and month, actors, compare groups."""
    from unspun.corpus.report import report_html

    err = _stderr()
    analyses = _load(err, db, output)
    _write(err, report_html(analyses, window_days=window_days), output)
    err.print(f"report of {len(analyses)} article(s) written to {output}", highlight=False, soft_wrap=True)


def register_views(app: typer.Typer) -> None:
    """Add the commands that read a whole store to ``app``."""
    app.command()(compare)
    app.command()(profile)
    app.command()(export)
    app.command()(report)


__all__ = ["register_views"]
