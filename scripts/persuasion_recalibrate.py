"""Re-score a persuasion training run's out-of-fold outputs under other calibration rules.

    .venv/bin/python scripts/persuasion_recalibrate.py RUN_DIR --data DIR [--folds 5] [--seed 13]

RUN_DIR is the ``-o`` of ``unspun train persuasion`` (it holds ``oof.npz``); folds and seed
must be those of the run. For each F-beta and minimum-F rule it prints the nested
cross-validated micro/macro-F1 (thresholds fitted on the other folds), without retraining.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from unspun.training.persuasion import (
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
    args = ap.parse_args()
    techniques, paragraphs = load_paragraphs(args.data)
    fold_map = fold_of_articles([p.article_id for p in paragraphs], args.folds, args.seed)
    fold_of = [fold_map[p.article_id] for p in paragraphs]
    oof = load_oof(args.run / "oof.npz")
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


if __name__ == "__main__":
    main()
