"""``unspun semeval predict|score --subtask 1|2``: genre and frames (SemEval-2023 Task 3).

The lead mounts these beside the subtask-3 commands; a merged ``predict`` can dispatch
``--subtask 1|2`` to :func:`unspun.semeval.subtask12.predict_article_level`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="SemEval-2023 Task 3 subtasks 1 (genre) and 2 (frames).", no_args_is_help=True)


def _check(subtask: int) -> None:
    if subtask not in (1, 2):
        raise typer.BadParameter("use 1 (genre) or 2 (frames)", param_hint="--subtask")


@app.command()
def predict(
    articles: Annotated[Path, typer.Argument(help="Directory of article<ID>.txt files.", exists=True, file_okay=False)],
    out: Annotated[Path, typer.Option("-o", "--out", help="Label file to write (ID, labels).")],
    subtask: Annotated[int, typer.Option(help="1: genre, 2: frames.")],
    model_dir: Annotated[Path | None, typer.Option(help="A model dir other than the shipped one.")] = None,
) -> None:
    """Write ``ID<TAB>genre`` (subtask 1) or ``ID<TAB>frame,frame`` (subtask 2) per article."""
    from unspun.semeval.subtask12 import predict_article_level

    _check(subtask)
    n = predict_article_level(subtask, articles, out, model_dir=model_dir)
    typer.echo(f"wrote {n} rows to {out}")


@app.command()
def score(
    gold: Annotated[Path, typer.Argument(help="Gold label file.", exists=True, dir_okay=False)],
    pred: Annotated[Path, typer.Argument(help="Predicted label file.", exists=True, dir_okay=False)],
    subtask: Annotated[int, typer.Option(help="1: genre (macro-F1), 2: frames (micro-F1).")],
    per_label: Annotated[bool, typer.Option(help="Also print P/R/F1 per label.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The official measure: macro-F1 for subtask 1, micro-F1 for subtask 2."""
    from unspun.semeval.subtask12 import score_files

    _check(subtask)
    s = score_files(subtask, gold, pred)
    if as_json:
        typer.echo(json.dumps(asdict(s), indent=1))
        return
    head = f"macro-F1 {s.macro_f1:.5f}  micro-F1 {s.micro_f1:.5f}" if subtask == 1 else (
        f"micro-F1 {s.micro_f1:.5f} (P {s.micro_precision:.5f} R {s.micro_recall:.5f})  macro-F1 {s.macro_f1:.5f}"
    )
    typer.echo(f"{head}  articles {s.articles}")
    if per_label:
        typer.echo(f"{'label':46s} {'P':>6s} {'R':>6s} {'F1':>6s} {'support':>8s}")
        for name, ls in sorted(s.per_label.items(), key=lambda kv: -kv[1].support):
            typer.echo(f"{name:46s} {ls.precision:6.3f} {ls.recall:6.3f} {ls.f1:6.3f} {ls.support:8d}")


__all__ = ["app"]
