"""Re-score a persuasion training run's out-of-fold outputs under other calibration rules.

    .venv/bin/python scripts/persuasion_recalibrate.py RUN_DIR --data DIR [--folds 5] [--seed 13]
    .venv/bin/python scripts/persuasion_recalibrate.py RUN_DIR --data DIR --lexicons

RUN_DIR is the ``-o`` of ``unspun train persuasion`` (it holds ``oof.npz``); folds and seed
must be those of the run. For each F-beta and minimum-F rule it prints the nested
cross-validated micro/macro-F1 (thresholds fitted on the other folds), without retraining.
With ``--lexicons`` it scores the shipped rule once without and once with the hand-written
lexicons, applied exactly as the analyzer applies them (token scores raised, the paragraph
decided at the lexicon score).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from unspun.persuasion.decode import DecodeConfig, apply_lexicon
from unspun.persuasion.model import read_lexicons
from unspun.training.persuasion import (
    Paragraph,
    ParagraphOutput,
    TrainConfig,
    evaluate_cv,
    fold_of_articles,
    load_oof,
    load_paragraphs,
)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("run", type=Path)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--lexicons", action="store_true", help="compare with and without lexicons")
    args = ap.parse_args()
    techniques, paragraphs = load_paragraphs(args.data)
    fold_map = fold_of_articles([p.article_id for p in paragraphs], args.folds, args.seed)
    fold_of = [fold_map[p.article_id] for p in paragraphs]
    oof = load_oof(args.run / "oof.npz")
    if args.lexicons:
        compare_lexicons(args, techniques, paragraphs, fold_of, oof)
        return
    print("beta  min_score  mode       micro-F1        macro-F1  micro-P  micro-R  span-F1")
    for beta in (1.0, 0.7, 0.5):
        for min_score in (0.0, 0.1, 0.2):
            cfg = TrainConfig(data=args.data, out=args.run, beta=beta, min_score=min_score)
            cv = evaluate_cv(techniques, paragraphs, fold_of, oof, cfg)
            m = cv["modes"][cv["score_mode"]]
            folds = m["folds"]
            p = sum(f["micro_precision"] for f in folds) / len(folds)
            r = sum(f["micro_recall"] for f in folds) / len(folds)
            span = cv["spans"][str(cv["span_threshold"])]["f1"]
            print(
                f"{beta:4.1f}  {min_score:9.1f}  {cv['score_mode']:9s}  "
                f"{m['micro_f1']['mean']:.3f} ± {m['micro_f1']['sd']:.3f}  "
                f"{m['macro_f1']['mean']:8.3f}  {p:7.3f}  {r:7.3f}  {span:7.3f}",
                flush=True,
            )


def compare_lexicons(
    args: argparse.Namespace,
    techniques: list[str],
    paragraphs: list[Paragraph],
    fold_of: list[int],
    oof: dict[int, ParagraphOutput],
) -> None:
    lexicons = read_lexicons()
    decode = DecodeConfig(
        tuple(techniques),
        (None,) * len(techniques),
        lexicon=tuple((techniques.index(t), w) for t, w in lexicons.items() if t in techniques),
    )
    boosted: dict[int, ParagraphOutput] = {}
    raised = 0
    for i, (tok, offs, para) in oof.items():
        lex = apply_lexicon(paragraphs[i].text, tok, offs, decode)
        if lex is not tok:
            hit = (lex > tok).any(axis=0)
            raised += int(hit.sum())
            para = np.where(hit, np.maximum(para, decode.lexicon_score), para).astype(np.float32)
        boosted[i] = (lex, offs, para)
    print(f"technique decisions a lexicon word raised: {raised}")
    names = " | ".join(f"{t} F1" for t in lexicons)
    print(f"| | micro-F1 | macro-F1 | {names} | span F1 (best) |")
    print("|---|---|---|" + "---|" * len(lexicons) + "---|")
    cfg = TrainConfig(data=args.data, out=args.run, folds=args.folds, seed=args.seed)
    for name, outputs in (("without lexicons", oof), ("with lexicons", boosted)):
        cv = evaluate_cv(techniques, paragraphs, fold_of, outputs, cfg)
        m = cv["modes"][cv["score_mode"]]
        per = " | ".join(f"{m['per_technique'][t]['f1']:.3f}" for t in lexicons)
        span = max(r["f1"] for r in cv["spans"].values())
        print(
            f"| {name} | {m['micro_f1']['mean']:.4f} ± {m['micro_f1']['sd']:.4f} | "
            f"{m['macro_f1']['mean']:.4f} | {per} | {span:.3f} |"
        )


if __name__ == "__main__":
    main()
