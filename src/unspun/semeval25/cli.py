"""``unspun semeval25 predict|score --subtask 2``: narratives of SemEval-2025 Task 10.

The lead mounts this Typer app under the main CLI.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="SemEval-2025 Task 10 subtask 2 (narratives): predict and score.", no_args_is_help=True)


def _check(subtask: int) -> None:
    if subtask != 2:
        raise typer.BadParameter("only subtask 2 (narratives) is supported", param_hint="--subtask")


@app.command()
def predict(
    docs: Annotated[Path, typer.Argument(help="Directory of .txt documents.", exists=True, file_okay=False)],
    out: Annotated[Path, typer.Option("-o", "--out", help="File to write (file, narratives, subnarratives).")],
    subtask: Annotated[int, typer.Option(help="Subtask (only 2 is supported).")] = 2,
    model_dir: Annotated[Path | None, typer.Option(help="A model dir other than the shipped one.")] = None,
) -> None:
    """Write ``file<TAB>narr;narr<TAB>sub;sub`` for every document (``Other`` when none)."""
    from unspun.semeval25.files import predict_narratives

    _check(subtask)
    n = predict_narratives(docs, out, model_dir=model_dir)
    typer.echo(f"wrote {n} rows to {out}")


@app.command()
def score(
    gold: Annotated[Path, typer.Argument(help="Gold annotation file.", exists=True, dir_okay=False)],
    pred: Annotated[Path, typer.Argument(help="Predicted file.", exists=True, dir_okay=False)],
    subtask: Annotated[int, typer.Option(help="Subtask (only 2 is supported).")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """F1-samples on narratives and on subnarratives, as the task defines them."""
    from unspun.semeval25.files import read_annotations
    from unspun.semeval25.scoring import score_narratives

    _check(subtask)
    s = score_narratives(read_annotations(gold), read_annotations(pred))
    if as_json:
        typer.echo(json.dumps(asdict(s), indent=1))
        return
    typer.echo(
        f"narratives F1-samples {s.narratives_f1:.5f}  subnarratives F1-samples "
        f"{s.subnarratives_f1:.5f}  documents {s.documents}"
    )


__all__ = ["app"]
