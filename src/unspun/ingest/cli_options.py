"""The command-line options that say how inputs are read, shared by every command that reads
(``analyze``, ``ingest``), so each option has one spelling and one help text."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from unspun.ingest.base import ReadOptions

Encoding = Annotated[
    str | None, typer.Option("--encoding", help="Read inputs in this encoding instead of detecting it.")
]
FormatIn = Annotated[
    str | None,
    typer.Option("--format-in", help="Force the input format: text, markdown, html, jsonl or csv."),
]
Include = Annotated[
    list[str] | None, typer.Option("--include", help="Glob of files to take from directories (repeatable).")
]
Exclude = Annotated[
    list[str] | None, typer.Option("--exclude", help="Glob of files to skip in directories (repeatable).")
]
TextField = Annotated[str, typer.Option(help="JSONL/CSV field holding the article text.")]
TitleField = Annotated[str, typer.Option(help="JSONL/CSV field holding the title.")]
IdField = Annotated[str, typer.Option(help="JSONL/CSV field holding the article's own id.")]
MaxChars = Annotated[
    int | None,
    typer.Option(
        "--max-chars",
        min=1,
        help="Longest article analysed, in characters (default 1,000,000, UNSPUN_MAX_CHARS); "
        "a longer one is rejected (E114).",
    ),
]


def read_options(
    *,
    encoding: str | None,
    format_in: str | None,
    include: list[str] | None,
    exclude: list[str] | None,
    text_field: str,
    title_field: str,
    id_field: str,
    max_chars: int | None = None,
) -> ReadOptions:
    # Imported here so that a command's --help does not load the data model.
    from unspun.ingest.base import ReadOptions

    options = ReadOptions(
        encoding=encoding,
        format=format_in,
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        text_field=text_field,
        title_field=title_field,
        id_field=id_field,
    )
    return replace(options, max_chars=max_chars) if max_chars else options
