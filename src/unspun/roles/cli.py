"""``unspun semeval25 predict|score --subtask 1``: entity framing of SemEval-2025 Task 10.

The lead mounts this Typer app under the main CLI.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="SemEval-2025 Task 10 subtask 1 (entity framing): predict and score.",
    no_args_is_help=True,
)


def _check(subtask: int) -> None:
    if subtask != 1:
        raise typer.BadParameter("only subtask 1 (entity framing) is supported here", param_hint="--subtask")


@app.command()
def predict(
    docs: Annotated[Path, typer.Argument(help="Directory of .txt documents.", exists=True, file_okay=False)],
    mentions: Annotated[
        Path,
        typer.Option(help="Entity mentions: file, entity, start, end (end inclusive).", exists=True, dir_okay=False),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="File to write (the mentions plus roles).")],
    subtask: Annotated[int, typer.Option(help="Subtask (only 1 is supported).")] = 1,
    model_dir: Annotated[Path | None, typer.Option(help="A model dir other than the shipped one.")] = None,
    parse: Annotated[
        bool, typer.Option(help="Parse the documents with spaCy (English) for the dependency features.")
    ] = True,
) -> None:
    """Write every mention again with its predicted main role and fine roles (the task's layout)."""
    from unspun.roles.semeval import predict_file

    _check(subtask)
    n = predict_file(docs, mentions, out, model_dir=model_dir, parse=parse)
    typer.echo(f"wrote {n} rows to {out}")


@app.command()
def score(
    gold: Annotated[Path, typer.Argument(help="Gold annotation file.", exists=True, dir_okay=False)],
    pred: Annotated[Path, typer.Argument(help="Predicted file.", exists=True, dir_okay=False)],
    subtask: Annotated[int, typer.Option(help="Subtask (only 1 is supported).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Exact match ratio of the fine roles (the task's measure) and main-role accuracy."""
    from unspun.roles.files import read_mentions
    from unspun.roles.scoring import score_roles

    _check(subtask)
    s = score_roles(read_mentions(gold), read_mentions(pred))
    if as_json:
        typer.echo(json.dumps(asdict(s), indent=1))
        return
    typer.echo(
        f"fine-role exact match {s.fine_exact_match:.5f}  main-role accuracy {s.main_accuracy:.5f}  "
        f"fine-role micro-F1 {s.fine_micro_f1:.5f}  mentions {s.mentions}  missing {s.missing}"
    )


__all__ = ["app"]
