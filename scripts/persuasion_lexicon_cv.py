"""Cross-validated effect of the hand-written lexicons on a persuasion training run.

    .venv/bin/python scripts/persuasion_lexicon_cv.py RUN_DIR --data DIR [--folds 5] [--seed 13]

RUN_DIR is the ``-o`` of ``unspun train persuasion`` (it holds ``oof.npz``); folds and seed
must be those of the run. The out-of-fold outputs are scored as the run scored them, then
again with the lexicons applied exactly as the analyzer applies them (token scores raised,
the paragraph decided at the lexicon score), thresholds refitted in the same nested way.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from unspun.persuasion.decode import DecodeConfig, apply_lexicon
from unspun.persuasion.model import read_lexicons
from unspun.training.persuasion import (
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
    args = ap.parse_args()

    cfg = TrainConfig(data=args.data, out=args.run, folds=args.folds, seed=args.seed)
    techniques, paragraphs = load_paragraphs(args.data)
    fold_map = fold_of_articles([p.article_id for p in paragraphs], args.folds, args.seed)
    fold_of = [fold_map[p.article_id] for p in paragraphs]
    oof = load_oof(args.run / "oof.npz")
    lexicon = tuple(
        (techniques.index(t), words) for t, words in read_lexicons().items() if t in techniques
    )
    decode = DecodeConfig(tuple(techniques), (None,) * len(techniques), lexicon=lexicon)
    boosted: dict[int, ParagraphOutput] = {}
    hits = 0
    for i, (tok, offs, para) in oof.items():
        lex = apply_lexicon(paragraphs[i].text, tok, offs, decode)
        if lex is not tok:
            hit = (lex > tok).any(axis=0)
            hits += int(hit.sum())
            para = np.where(hit, np.maximum(para, decode.lexicon_score), para).astype(np.float32)
        boosted[i] = (lex, offs, para)
    print(f"paragraphs where a lexicon word raised a technique: {hits}")
    print("| | micro-F1 | macro-F1 | " + " | ".join(f"{t} F1" for t, _ in read_lexicons().items()) + " | span F1 (best) |")
    print("|---|---|---|" + "---|" * len(read_lexicons()) + "---|")
    for name, outputs in (("without lexicons", oof), ("with lexicons", boosted)):
        cv = evaluate_cv(techniques, paragraphs, fold_of, outputs, cfg)
        m = cv["modes"][cv["score_mode"]]
        per = " | ".join(f"{m['per_technique'][t]['f1']:.3f}" for t in read_lexicons())
        span = max(r["f1"] for r in cv["spans"].values())
        print(
            f"| {name} | {m['micro_f1']['mean']:.4f} ± {m['micro_f1']['sd']:.4f} | "
            f"{m['macro_f1']['mean']:.4f} | {per} | {span:.3f} |"
        )


if __name__ == "__main__":
    main()
