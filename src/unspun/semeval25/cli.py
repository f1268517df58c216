"""``unspun semeval25 predict|score --subtask 1|2``: SemEval-2025 Task 10 files.

Subtask 1 is entity framing (the ``roles`` model), subtask 2 narratives. The commands only
translate arguments; the work is in :mod:`unspun.roles.semeval` and
:mod:`unspun.semeval25.files`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="SemEval-2025 Task 10: subtask 1 (entity framing) and 2 (narratives), predict and score.",
    no_args_is_help=True,
)


def _check(subtask: int) -> None:
    if subtask not in (1, 2):
        raise typer.BadParameter("use 1 (entity framing) or 2 (narratives)", param_hint="--subtask")


@app.command()
def predict(
    docs: Annotated[Path, typer.Argument(help="Directory of .txt documents.", exists=True, file_okay=False)],
    out: Annotated[Path, typer.Option("-o", "--out", help="File to write.")],
    subtask: Annotated[int, typer.Option(help="1: entity framing (needs --mentions), 2: narratives.")],
    mentions: Annotated[
        Path | None,
        typer.Option(help="Subtask 1: entity mentions, file<TAB>entity<TAB>start<TAB>end (end inclusive).",
                     exists=True, dir_okay=False),
    ] = None,
    model_dir: Annotated[Path | None, typer.Option(help="A model dir other than the shipped one.")] = None,
    parse: Annotated[
        bool, typer.Option(help="Subtask 1: parse documents with spaCy for the dependency features.")
    ] = True,
) -> None:
    """Subtask 1: every mention with its main and fine roles. Subtask 2:
    ``file<TAB>narr;narr<TAB>sub;sub`` per document (``Other`` when none)."""
    _check(subtask)
    if subtask == 1:
        from unspun.roles.semeval import predict_file

        if mentions is None:
            raise typer.BadParameter("subtask 1 needs the entity-mention file", param_hint="--mentions")
        n = predict_file(docs, mentions, out, model_dir=model_dir, parse=parse)
    else:
        from unspun.semeval25.files import predict_narratives

        n = predict_narratives(docs, out, model_dir=model_dir)
    typer.echo(f"wrote {n} rows to {out}")


@app.command()
def score(
    gold: Annotated[Path, typer.Argument(help="Gold annotation file.", exists=True, dir_okay=False)],
    pred: Annotated[Path, typer.Argument(help="Predicted file.", exists=True, dir_okay=False)],
    subtask: Annotated[int, typer.Option(help="1: entity framing, 2: narratives.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Subtask 1: fine-role exact match and main-role accuracy. Subtask 2: F1-samples on
    narratives and subnarratives."""
    _check(subtask)
    if subtask == 1:
        from unspun.roles.files import read_mentions
        from unspun.roles.scoring import score_roles

        roles = score_roles(read_mentions(gold), read_mentions(pred))
        if as_json:
            typer.echo(json.dumps(asdict(roles), indent=1))
            return
        typer.echo(
            f"fine-role exact match {roles.fine_exact_match:.5f}  main-role accuracy {roles.main_accuracy:.5f}  "
            f"fine-role micro-F1 {roles.fine_micro_f1:.5f}  mentions {roles.mentions}  missing {roles.missing}"
        )
        return
    from unspun.semeval25.files import read_annotations
    from unspun.semeval25.scoring import score_narratives

    narr = score_narratives(read_annotations(gold), read_annotations(pred))
    if as_json:
        typer.echo(json.dumps(asdict(narr), indent=1))
        return
    typer.echo(
        f"narratives F1-samples {narr.narratives_f1:.5f}  subnarratives F1-samples "
        f"{narr.subnarratives_f1:.5f}  documents {narr.documents}"
    )


__all__ = ["app"]
