"""Fine-tuned against frozen encoder on one cross-validation fold (the model card's figure).

    .venv/bin/python scripts/persuasion_finetune_check.py FROZEN_RUN --data DIR [--epochs 3]

FROZEN_RUN is the ``-o`` of a frozen ``unspun train persuasion --layers 2`` run (its
``oof.npz`` gives the frozen model's fold-1 scores; folds and seed must match). This trains
the same 2-layer encoder with its heads end to end on folds 2-5 (about 8 minutes on 2 cores)
and prints, for both models on fold 1, the micro average precision and the micro-F1 at the
best single threshold, so the comparison does not depend on per-technique calibration.
Needs the ``train`` extra.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from unspun.persuasion.decode import paragraph_scores
from unspun.persuasion.encoding import encode_paragraphs, load_tokenizer, special_ids
from unspun.training import persuasion as tp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("frozen_run", type=Path)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    cfg = tp.TrainConfig(
        data=args.data, out=Path("unused"), layers=2, epochs=args.epochs, finetune=True,
        lr=args.lr, head_lr=args.head_lr, seed=args.seed,
    )
    encoder = tp.resolve_encoder(cfg.encoder)
    tokenizer = load_tokenizer(str(Path(encoder) / "tokenizer.json"))
    special = special_ids(tokenizer)
    techniques, paragraphs = tp.load_paragraphs(cfg.data)
    chunks = encode_paragraphs(tokenizer, [p.text for p in paragraphs], cfg.max_tokens)
    examples = tp.build_examples(chunks, paragraphs, len(techniques))
    fold_map = tp.fold_of_articles([p.article_id for p in paragraphs], cfg.folds, cfg.seed)
    fold_of = [fold_map[p.article_id] for p in paragraphs]
    train = [e for e in examples if fold_of[e.paragraph] != 0]
    test = [e for e in examples if fold_of[e.paragraph] == 0]
    start = time.time()
    model = tp.train_model(cfg, encoder, train, len(techniques), special, cfg.seed, "fine-tune, fold 1")
    print(f"fine-tuning took {(time.time() - start) / 60:.1f} min")
    tuned = tp.predict_examples(tp.torch_predictor(model), test, special)
    frozen = {i: v for i, v in tp.load_oof(args.frozen_run / "oof.npz").items() if fold_of[i] == 0}
    for name, outputs in (("frozen", frozen), ("fine-tuned", tuned)):
        ap_score, (f1, threshold) = _evaluate(outputs, paragraphs, techniques)
        print(f"{name:10s} fold 1: micro-AP {ap_score:.4f}  best single-threshold micro-F1 {f1:.4f} at {threshold:.3f}")


def _evaluate(
    outputs: dict[int, tp.ParagraphOutput], paragraphs: list[tp.Paragraph], techniques: list[str]
) -> tuple[float, tuple[float, float]]:
    from sklearn.metrics import average_precision_score

    idx = sorted(outputs)
    scores = np.stack([paragraph_scores(outputs[i][0], outputs[i][2], "mean") for i in idx])
    gold = np.zeros_like(scores)
    for r, i in enumerate(idx):
        for t in paragraphs[i].gold:
            if t in techniques:
                gold[r, techniques.index(t)] = 1
    ap_score = float(average_precision_score(gold.ravel(), scores.ravel()))
    best = max(
        (2 * float(((scores >= t) & (gold == 1)).sum()) / max(1.0, float((scores >= t).sum() + gold.sum())), float(t))
        for t in np.arange(0.2, 0.9, 0.025)
    )
    return ap_score, best


if __name__ == "__main__":
    main()
