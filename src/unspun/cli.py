"""The command line: a thin layer that turns arguments into calls of unspun's Python API."""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import sys
from contextlib import ExitStack
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from unspun import __version__
from unspun.corpus.cli import register as register_corpus_commands
from unspun.errors import CODES, InputError, UnspunError
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
from unspun.semeval.cli import app as semeval_app
from unspun.semeval25.cli import app as semeval25_app
from unspun.training.cli import app as train_app
from unspun.web.cli import register as register_web_commands

# Everything else (the data model, the pipeline, rich, the renderers) is imported by the
# command that uses it: `unspun --version` and `--help` must start in well under 0.3 s.
if TYPE_CHECKING:
    from rich.console import Console

    from unspun.article import Analysis, Problem
    from unspun.ingest.base import ReadOptions
    from unspun.pipeline import Pipeline

app = typer.Typer(
    name="unspun",
    help="Read the news for what it is: persuasion and substance, tied to the exact text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: typer's rich formatting imports rich's markdown stack,
    # a third of the start-up budget, for boxes around the same text.
    rich_markup_mode=None,
)


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    html = "html"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"unspun {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """unspun: persuasion techniques, frames and genre beside actors, quotes, claims and events."""


def _problem(err: InputError) -> Problem:
    from unspun.article import Problem

    return Problem(code=err.code, message=err.message, hint=err.hint, source=err.source, line=err.line)


@app.command()
def analyze(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or directories to analyse; '-' reads standard input.", show_default=False),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (terminal view), json (a list of analyses, even of one), jsonl (one "
            "analysis a line) or html (one self-contained page).",
        ),
    ] = OutputFormat.table,
    example: Annotated[
        bool, typer.Option("--example", help="Analyse the bundled example article (fictional).")
    ] = False,
    analyzers: Annotated[
        str | None,
        typer.Option("--analyzers", "-a", help="Comma-separated analyzer names (default: all installed defaults)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any input is rejected or any analyzer fails.")
    ] = False,
    spans: Annotated[
        bool,
        typer.Option(
            "--spans",
            help="In the terminal view, show the highlighted text and list every span and record "
            "after the summary.",
        ),
    ] = False,
    encoding: Encoding = None,
    format_in: FormatIn = None,
    include: Include = None,
    exclude: Exclude = None,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    id_field: IdField = "id",
    max_chars: MaxChars = None,
    max_bytes: Annotated[
        int | None, typer.Option(help="Largest single-article file read, in bytes.")
    ] = None,
    persuasion_model: Annotated[
        str | None,
        typer.Option(
            help="Persuasion model: 'fast' (the default), 'accurate' (8 encoder layers: "
            "more accurate, about half the speed) or a model dir (UNSPUN_PERSUASION_MODEL)."
        ),
    ] = None,
) -> None:
    """Analyse articles and show every finding tied to the exact text."""
    from rich.console import Console

    from unspun.pipeline import Pipeline
    from unspun.render.output import check_output, output_error

    if persuasion_model:
        # The analyzer reads the choice where `unspun batch` workers read it too.
        os.environ["UNSPUN_PERSUASION_MODEL"] = persuasion_model
    if example and paths:
        raise typer.BadParameter("give either --example or paths, not both")
    if not example and not paths:
        raise typer.BadParameter("give one or more paths, '-' for standard input, or --example")
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
    if max_bytes:
        options = dataclasses.replace(options, max_bytes=max_bytes)
    err = Console(stderr=True)
    try:
        if output:
            check_output(output)
        pipeline = Pipeline.from_names(analyzers.split(",") if analyzers else None)
    except UnspunError as exc:
        err.print(f"[red]{exc}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc

    try:
        with ExitStack() as stack:
            if example:
                sources: list[str] = [str(stack.enter_context(as_file(files("unspun") / "resources" / "example.md")))]
            else:
                sources = list(paths or [])
            out: TextIO = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
            sink = _Sink(out, fmt, spans=spans)
            show_progress = len(sources) > 1 or any(Path(p).is_dir() for p in sources)
            rejects = _run(pipeline, sources, options, err, sink, show_progress=show_progress)
            sink.close(rejects)
            out.flush()
    except OSError as exc:
        # Reading never raises (a bad input is a reject), so this is the output failing.
        failed = output_error(output or "standard output", exc)
        err.print(f"[red]{failed}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc

    if rejects:
        # Plain lines, never wrapped, so a log or grep sees one reject per line.
        typer.echo(typer.style(f"\n{len(rejects)} input(s) rejected:", fg="red", bold=True), err=True)
        for r in rejects:
            typer.echo(f"  {r.code} {r.message}  -- {r.hint}" if r.hint else f"  {r.code} {r.message}", err=True)
    if sink.warnings:
        typer.echo(typer.style(f"\n{len(sink.warnings)} input(s) read with repairs:", fg="yellow"), err=True)
        for w in sink.warnings:
            typer.echo(f"  {w.code} {w.message}  -- {w.hint}", err=True)
    if sink.failures:
        err.print(f"[yellow]{sink.failures} article(s) had analyzer errors (listed on each article).[/yellow]")
    if output:
        err.print(f"[dim]{sink.count} article(s) analysed; wrote {output}[/dim]")
    if strict and (rejects or sink.failures):
        raise typer.Exit(1)


class _Sink:
    """Writes analyses as they come: jsonl and the terminal view stream, so memory stays
    flat on a large corpus; json and html need every analysis before they can be written."""

    def __init__(self, out: TextIO, fmt: OutputFormat, *, spans: bool = False) -> None:
        from rich.console import Console

        self.out, self.fmt, self.spans = out, fmt, spans
        self.kept: list[Analysis] = []
        self.count = 0
        self.failures = 0
        self.warnings: list[Problem] = []
        self.console = Console(file=out) if out is not sys.stdout else Console()

    def add(self, analysis: Analysis) -> None:
        self.count += 1
        self.failures += bool(analysis.errors)
        self.warnings.extend(analysis.article.warnings)
        if self.fmt is OutputFormat.jsonl:
            self.out.write(analysis.to_json(indent=None) + "\n")
        elif self.fmt is OutputFormat.table:
            from unspun.render.terminal import render_terminal

            render_terminal(analysis, self.console, spans=self.spans)
        else:
            self.kept.append(analysis)

    def close(self, rejects: list[Problem]) -> None:
        if self.fmt is OutputFormat.json:
            # Always a list, one analysis or none alike, so a reader never checks the shape.
            payload = [json.loads(a.to_json(indent=None)) for a in self.kept]
            self.out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        elif self.fmt is OutputFormat.html:
            from unspun.render.html import render_html

            self.out.write(render_html(self.kept, rejects))


def _run(
    pipeline: Pipeline,
    sources: list[str],
    options: ReadOptions,
    err: Console,
    sink: _Sink,
    *,
    show_progress: bool,
) -> list[Problem]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from unspun._api import analyze_many

    rejects: list[Problem] = []
    progress = Progress(
        SpinnerColumn(),
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not show_progress or not err.is_terminal,
    )
    with progress:
        task = progress.add_task("analyse", total=None, rate="")
        for item in analyze_many(sources, pipeline=pipeline, options=options):
            if isinstance(item, InputError):
                rejects.append(_problem(item))
            else:
                sink.add(item)
            done = sink.count + len(rejects)
            elapsed = progress.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:.1f} articles/s" if elapsed > 0 else ""
            progress.update(task, completed=done, rate=rate)
    return rejects


@app.command("analyzers")
def list_analyzers() -> None:
    """List the installed analyzers with what they need and add."""
    from rich.console import Console
    from rich.table import Table

    from unspun.pipeline import available_analyzers, default_analyzer_names

    defaults = set(default_analyzer_names())
    console = Console()

    table = Table()
    for col in ("name", "version", "default", "requires", "assigns"):
        table.add_column(col)
    for name, factory in sorted(available_analyzers().items()):
        a = factory()
        table.add_row(name, a.version, "yes" if name in defaults else "no", ", ".join(a.requires), ", ".join(a.assigns))
    console.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of unspun's output (one analysis)."""
    from unspun.article import Analysis

    typer.echo(json.dumps(Analysis.model_json_schema(), indent=2))


@app.command()
def errors() -> None:
    """List every error code with what it means and what to do."""
    for code in CODES.values():
        typer.echo(f"{code.code}  {code.title}\n       {code.hint}")


# The corpus commands (ingest, batch, stats, search ...) live with the store they drive;
# the shared-task file formats live with their tasks.
register_corpus_commands(app)
register_web_commands(app)
app.add_typer(semeval_app, name="semeval")
app.add_typer(semeval25_app, name="semeval25")
app.add_typer(train_app, name="train")


def _help_without_parsing(argv: list[str]) -> bool:
    """Print ``unspun [group ...] [command] --help`` as typer would, without parsing.

    Parsing makes typer build a pydantic adapter for every option of the command, 0.15 s
    (half the start-up budget of a help page) that the help never uses. Any other form of
    command line goes through typer; a test holds the two outputs equal for every command.
    """
    if not argv or argv[-1] != "--help" or any(a.startswith("-") for a in argv[:-1]):
        return False
    from typer.main import get_command

    command = get_command(app)
    ctx = command.context_class(command, info_name=command.name or "unspun")
    for name in argv[:-1]:
        lookup = getattr(command, "get_command", None)
        sub = lookup(ctx, name) if lookup else None
        if sub is None:
            return False  # typer says what is wrong with the name
        command, ctx = sub, sub.context_class(sub, info_name=name, parent=ctx)
    typer.echo(command.get_help(ctx), color=ctx.color)
    return True


def main() -> None:
    if _help_without_parsing(sys.argv[1:]):
        return
    app()


if __name__ == "__main__":
    main()
