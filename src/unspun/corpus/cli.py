"""The corpus commands (`ingest`, `batch`, `stats`, `search`, `compare`, `profile`,
`export`, `report`): thin layers over
:mod:`unspun.corpus` and :mod:`unspun.store`, added to the main app by :func:`register`."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import TYPE_CHECKING, Annotated

import typer

from unspun.corpus.views_cli import register_views
from unspun.errors import UnspunError
from unspun.ingest.cli_options import (
    Encoding,
    Exclude,
    FormatIn,
    IdField,
    Include,
    MaxChars,
    TextField,
    TitleField,
    read_options,
)

# rich and the store are imported by the command that runs, so that `unspun --help` and
# `unspun --version` stay fast.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

Db = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="UNSPUN_DB",
        help="The store: sqlite:///corpus.db (or a plain path) or postgresql://user@host/db.",
    ),
]


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _fail(err: Console, exc: UnspunError) -> typer.Exit:
    err.print(f"[red]{exc.code}[/red]: {exc.message}", highlight=False, soft_wrap=True)
    if exc.hint:
        err.print(f"[dim]{exc.hint}[/dim]", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _progress(err: Console, what: str, *, known_total: bool = True) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[ProgressColumn] = [TextColumn(what)]
    if known_total:
        columns += [BarColumn(), MofNCompleteColumn()]
    else:
        columns.append(TextColumn("{task.completed}"))
    columns.append(TextColumn("{task.fields[rate]}"))
    if known_total:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    columns.append(TimeElapsedColumn())
    return Progress(*columns, console=err, transient=False, disable=not err.is_terminal)


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to read; '-' reads standard input.")],
    db: Db,
    encoding: Encoding = None,
    format_in: FormatIn = None,
    include: Include = None,
    exclude: Exclude = None,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    id_field: IdField = "id",
    max_chars: MaxChars = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any input is rejected.")] = False,
) -> None:
    """Store articles (keyed by content hash) and rejected inputs; ingesting again adds nothing."""
    err = _stderr()
    options = read_options(
        encoding=encoding,
        format_in=format_in,
        include=include,
        exclude=exclude,
        text_field=text_field,
        title_field=title_field,
        id_field=id_field,
        max_chars=max_chars,
    )
    progress = _progress(err, "reading", known_total=False)
    task = progress.add_task("ingest", total=None, rate="")

    def tick(done: int) -> None:
        elapsed = progress.tasks[task].elapsed or 0.0
        progress.update(task, completed=done, rate=f"{done / elapsed:.0f} inputs/s" if elapsed else "")

    from unspun.corpus.batch import ingest as ingest_sources
    from unspun.store import open_store

    try:
        with open_store(db) as store, progress:
            counts = ingest_sources(store, paths, options, progress=tick)
    except UnspunError as exc:
        raise _fail(err, exc) from exc
    # Plain lines, never wrapped, so a log or grep sees one problem per line.
    for problem in counts.problems:
        typer.echo(f"  {problem.code} {problem.message}  -- {problem.hint}", err=True)
    listed = len(counts.problems)
    if listed < counts.rejected + counts.warned:
        typer.echo("  ... and more: `unspun stats` counts every reject by code", err=True)
    warned = f", {counts.warned} read with repairs (listed above)" if counts.warned else ""
    err.print(
        f"{counts.added} article(s) added, {counts.existing} already stored, "
        f"{counts.rejected} input(s) rejected{warned} (see `unspun stats`)",
        highlight=False,
        soft_wrap=True,
    )
    if strict and counts.rejected:
        raise typer.Exit(1)


def batch(
    db: Db,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Worker processes; 0 analyses in this process.")
    ] = 1,
    analyzers: Annotated[
        str | None,
        typer.Option("--analyzers", "-a", help="Comma-separated analyzer names (default: all installed defaults)."),
    ] = None,
    plugin: Annotated[
        list[str] | None,
        typer.Option(
            "--plugin",
            help="Module to import in every process first, for analyzers it registers (repeatable).",
        ),
    ] = None,
    chunk_size: Annotated[int, typer.Option(help="Articles sent to a worker at a time.")] = 16,
    dask: Annotated[
        str | None,
        typer.Option("--dask", help="Run on this Dask scheduler (tcp://host:port) instead of local workers."),
    ] = None,
) -> None:
    """Analyse every stored article that lacks a result for the current version of an analyzer.

    Resumable: stop it at any moment (even with kill -9) and run it again; every article ends analysed exactly once.
    """
    err = _stderr()
    progress = _progress(err, "analysing")
    task = progress.add_task("batch", total=None, rate="")

    started = time.monotonic()
    last_line = [started]

    def tick(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        per_s = done / elapsed if elapsed > 0 else 0.0
        rate = f"{per_s:.1f} articles/s" if done else ""
        progress.update(task, completed=done, total=total, rate=rate)
        # Without a terminal there is no live bar; a line now and then serves a log instead.
        if total and not err.is_terminal and (time.monotonic() - last_line[0] >= 10 or done == total):
            last_line[0] = time.monotonic()
            eta = f", ETA {dt.timedelta(seconds=round((total - done) / per_s))}" if per_s and done < total else ""
            err.print(f"analysing: {done}/{total}, {per_s:.1f} articles/s{eta}", highlight=False, soft_wrap=True)

    from unspun.corpus.batch import run_batch
    from unspun.store import open_store

    try:
        # Only `ingest` makes a store: a mistyped --db must not become an empty one.
        with open_store(db, create=False) as store, progress:
            report = run_batch(
                store,
                analyzers.split(",") if analyzers else None,
                workers=workers,
                plugins=plugin or (),
                chunk_size=chunk_size,
                dask=dask,
                progress=tick,
            )
    except UnspunError as exc:
        raise _fail(err, exc) from exc
    except KeyboardInterrupt:
        err.print("[yellow]stopped; what was stored is kept. Run the same command to resume.[/yellow]")
        raise typer.Exit(130) from None
    runs = ", ".join(f"{n}@{v}" for n, v in report.runs)
    if not report.pending:
        err.print(f"nothing to do: every stored article has results for {runs}", highlight=False, soft_wrap=True)
        return
    err.print(
        f"{report.analysed} article(s) analysed in {report.seconds:.1f} s "
        f"({report.rate:.1f}/s); {report.results_stored} result(s) stored for {runs}",
        highlight=False,
        soft_wrap=True,
    )
    if report.articles_with_errors:
        err.print(
            f"[yellow]{report.articles_with_errors} article(s) had analyzer errors "
            "(stored with the results).[/yellow]"
        )


def stats(
    db: Db,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count articles, analyses per analyzer@version, spans, labels and rejects."""
    from unspun.corpus.stats import stats_json, stats_text
    from unspun.store import open_store

    err = _stderr()
    try:
        with open_store(db, create=False) as store:
            found = store.stats()
    except UnspunError as exc:
        raise _fail(err, exc) from exc
    typer.echo(stats_json(found) if as_json else stats_text(found))


def search(
    db: Db,
    query: Annotated[
        str | None,
        typer.Argument(help='Words, "phrases", -excluded, OR between alternatives. Optional with filters.'),
    ] = None,
    technique: Annotated[
        list[str] | None, typer.Option("--technique", help="Keep articles with a span of this label (repeatable).")
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option("--label", help="Keep articles with this article label, as LABEL or TASK:LABEL (repeatable)."),
    ] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Keep articles from this outlet.")] = None,
    since: Annotated[
        dt.datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="Published on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        dt.datetime | None, typer.Option("--until", formats=["%Y-%m-%d"], help="Published on or before (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many results.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the stored articles' text, newest first, combined with filters."""
    from unspun.corpus.search import search as search_store
    from unspun.store import open_store

    err = _stderr()
    try:
        with open_store(db, create=False) as store:
            hits = search_store(
                store,
                query,
                technique=technique or (),
                label=label or (),
                outlet=outlet,
                since=since.date() if since else None,
                until=until.date() if until else None,
                limit=limit,
            )
    except UnspunError as exc:
        raise _fail(err, exc) from exc
    if as_json:
        typer.echo(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    for h in hits:
        when = h.published.isoformat() if h.published else "----------"
        typer.echo(f"{h.id}  {when}  {h.outlet or '-'}  {h.title or h.source or ''}")
    err.print(f"[dim]{len(hits)} result(s)[/dim]")


def register(app: typer.Typer) -> None:
    """Add the corpus commands to ``app``."""
    app.command()(ingest)
    app.command()(batch)
    app.command()(stats)
    app.command()(search)
    register_views(app)


__all__ = ["main", "register"]


def main() -> None:
    """Run the corpus commands on their own (``python -m unspun.corpus.cli``)."""
    app = typer.Typer(name="unspun", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
    register(app)
    app()


if __name__ == "__main__":
    main()
