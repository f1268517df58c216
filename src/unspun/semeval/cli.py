"""``unspun semeval ...``: SemEval-2023 Task 3 files, predicted and scored.

Subtask 1 is genre, 2 frames, 3 persuasion techniques per paragraph; ``score-spans`` scores
technique spans. The commands only translate arguments into calls of the task modules.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# The readers and scorers are imported by the command that runs (start-up of `unspun --help`).
if TYPE_CHECKING:
    from unspun.semeval.scoring import TechniqueScore

app = typer.Typer(
    help="SemEval-2023 Task 3: subtasks 1 (genre), 2 (frames) and 3 (techniques), predict and score.",
    no_args_is_help=True,
)


def _check(subtask: int) -> None:
    if subtask not in (1, 2, 3):
        raise typer.BadParameter("use 1 (genre), 2 (frames) or 3 (techniques)", param_hint="--subtask")


def _table(per: dict[str, TechniqueScore]) -> None:
    typer.echo(f"{'technique':36s} {'P':>6s} {'R':>6s} {'F1':>6s} {'support':>8s}")
    for name, s in sorted(per.items(), key=lambda kv: -kv[1].support):
        typer.echo(f"{name:36s} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:8d}")


@app.command()
def predict(
    articles: Annotated[
        Path,
        typer.Argument(help="Directory of article<ID>.txt files.", exists=True, file_okay=False),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Label file to write.")],
    subtask: Annotated[int, typer.Option(help="1: genre, 2: frames, 3: techniques per paragraph.")] = 3,
    template: Annotated[
        Path | None, typer.Option(help="Subtask 3: a .template file; write exactly its rows, in its order.")
    ] = None,
    spans_dir: Annotated[
        Path | None, typer.Option(help="Subtask 3: also write one span file per article here.")
    ] = None,
    model_dir: Annotated[
        Path | None, typer.Option(help="A model dir other than the shipped one.")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            help="The articles' language (ISO 639-1: en, fr, de, it, pl, ru), which picks the "
            "persuasion model's thresholds; detected per article when not given."
        ),
    ] = None,
) -> None:
    """Subtask 1: ``ID<TAB>genre``; 2: ``ID<TAB>frame,frame``; 3: ``ID<TAB>line<TAB>technique,...``
    for every non-empty line of every article."""
    _check(subtask)
    if subtask in (1, 2):
        from unspun.semeval.subtask12 import predict_article_level

        n = predict_article_level(subtask, articles, out, model_dir=model_dir, language=language)
        typer.echo(f"wrote {n} rows to {out}")
        return
    from unspun.persuasion.model import load_model
    from unspun.semeval.predict import predict_articles, write_prediction

    pred = predict_articles(articles, load_model(model_dir), language)
    n = write_prediction(pred, out, template=template, spans_dir=spans_dir)
    typer.echo(f"wrote {n} rows to {out}" + (f" and spans to {spans_dir}" if spans_dir else ""))


@app.command()
def score(
    gold: Annotated[Path, typer.Argument(help="Gold label file.", exists=True, dir_okay=False)],
    pred: Annotated[
        Path, typer.Argument(help="Predicted label file.", exists=True, dir_okay=False)
    ],
    subtask: Annotated[int, typer.Option(help="1: genre (macro-F1), 2: frames, 3: techniques (micro-F1).")] = 3,
    per_label: Annotated[bool, typer.Option(help="Also print P/R/F1 per label.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The official measures: macro-F1 for subtask 1, micro-F1 (and macro-F1) for 2 and 3."""
    _check(subtask)
    if subtask in (1, 2):
        from unspun.semeval.subtask12 import score_files

        article_level = score_files(subtask, gold, pred)
        if as_json:
            typer.echo(json.dumps(asdict(article_level), indent=1))
            return
        head = (
            f"macro-F1 {article_level.macro_f1:.5f}  micro-F1 {article_level.micro_f1:.5f}"
            if subtask == 1
            else f"micro-F1 {article_level.micro_f1:.5f} (P {article_level.micro_precision:.5f} "
            f"R {article_level.micro_recall:.5f})  macro-F1 {article_level.macro_f1:.5f}"
        )
        typer.echo(f"{head}  articles {article_level.articles}")
        if per_label:
            _table(article_level.per_label)
        return
    from unspun.semeval.data import read_paragraph_labels
    from unspun.semeval.scoring import score_paragraphs

    s = score_paragraphs(read_paragraph_labels(gold), read_paragraph_labels(pred))
    if as_json:
        typer.echo(json.dumps(asdict(s), indent=1))
        return
    typer.echo(
        f"micro-F1 {s.micro_f1:.5f} (P {s.micro_precision:.5f} R {s.micro_recall:.5f})  "
        f"macro-F1 {s.macro_f1:.5f}  paragraphs {s.paragraphs}"
    )
    if per_label:
        _table(s.per_technique)


@app.command("score-spans")
def score_spans_cmd(
    gold: Annotated[Path, typer.Argument(help="Gold span file or directory of them.", exists=True)],
    pred: Annotated[
        Path, typer.Argument(help="Predicted span file or directory of them.", exists=True)
    ],
    per_label: Annotated[bool, typer.Option(help="Also print P/R/F1 per technique.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Span-level P/R/F1 with partial-overlap credit (SemEval-2020 Task 11), per technique."""
    from unspun.semeval.data import read_spans
    from unspun.semeval.scoring import score_spans

    s = score_spans(read_spans(gold), read_spans(pred))
    if as_json:
        typer.echo(json.dumps(asdict(s), indent=1))
        return
    typer.echo(
        f"precision {s.precision:.5f}  recall {s.recall:.5f}  F1 {s.f1:.5f}  "
        f"gold spans {s.gold_spans}  predicted spans {s.pred_spans}"
    )
    if per_label:
        _table(s.per_technique)


__all__ = ["app"]
