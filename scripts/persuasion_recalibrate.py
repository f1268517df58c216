"""Re-score a persuasion training run's out-of-fold outputs under other calibration rules.

    .venv/bin/python scripts/persuasion_recalibrate.py RUN_DIR --data DIR [--folds 5] [--seed 13]
    .venv/bin/python scripts/persuasion_recalibrate.py RUN_DIR --data DIR --lexicons [--clean-weight W]
    .venv/bin/python scripts/persuasion_recalibrate.py RUN_DIR --data DIR --shift

RUN_DIR is the ``-o`` of ``unspun train persuasion`` (it holds ``oof.npz``); folds and seed
must be those of the run. For each F-beta and minimum-F rule it prints the nested
cross-validated micro/macro-F1 (thresholds fitted on the other folds), without retraining.
With ``--lexicons`` it scores the shipped rule once without and once with the hand-written
lexicons, decoded exactly as the analyzer decodes (token scores raised, the paragraph
decided at the lexicon score, also for techniques the model never reports). With
``--shift`` it prints micro-F1 when technique-free paragraphs are more common than in
training, for thresholds fitted with several ``--clean-weight`` values.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspun.persuasion.decode import DecodeConfig, decode_paragraph, paragraph_scores
from unspun.persuasion.model import read_lexicons
from unspun.semeval.scoring import score_paragraphs
from unspun.training.persuasion import (
    Paragraph,
    ParagraphOutput,
    TrainConfig,
    evaluate_cv,
    fit_thresholds,
    fold_of_articles,
    load_oof,
    load_paragraphs,
)


@dataclass(frozen=True)
class OutOfFold:
    """A training run's out-of-fold outputs with the paragraphs and folds they belong to."""

    args: argparse.Namespace
    techniques: list[str]
    paragraphs: list[Paragraph]
    fold_of: list[int]
    oof: dict[int, ParagraphOutput]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("run", type=Path)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--lexicons", action="store_true", help="compare with and without lexicons")
    ap.add_argument("--shift", action="store_true", help="micro-F1 when techniques are rarer")
    ap.add_argument("--clean-weight", type=float, default=1.0, help="the run's --clean-weight")
    args = ap.parse_args()
    techniques, paragraphs = load_paragraphs(args.data)
    fold_map = fold_of_articles([p.article_id for p in paragraphs], args.folds, args.seed)
    fold_of = [fold_map[p.article_id] for p in paragraphs]
    oof = load_oof(args.run / "oof.npz")
    if args.lexicons:
        compare_lexicons(OutOfFold(args, techniques, paragraphs, fold_of, oof))
        return
    if args.shift:
        shift_table(OutOfFold(args, techniques, paragraphs, fold_of, oof))
        return
    print("beta  min_score  mode       micro-F1        macro-F1  micro-P  micro-R  span-F1")
    for beta in (1.0, 0.7, 0.5):
        for min_score in (0.0, 0.1, 0.2):
            cfg = TrainConfig(
                data=args.data, out=args.run, beta=beta, min_score=min_score,
                clean_weight=args.clean_weight,
            )
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


def compare_lexicons(run: OutOfFold) -> None:
    """The shipped rule's nested thresholds, decoded as the analyzer decodes, with and
    without the lexicons: only the lexicons differ between the two rows."""
    args, techniques, paragraphs, fold_of, oof = run.args, run.techniques, run.paragraphs, run.fold_of, run.oof
    lexicons = read_lexicons()
    cfg = TrainConfig(
        data=args.data, out=args.run, folds=args.folds, seed=args.seed, clean_weight=args.clean_weight
    )
    cv = evaluate_cv(techniques, paragraphs, fold_of, oof, cfg)
    mode = cv["score_mode"]
    fold_thresholds = cv["modes"][mode]["fold_thresholds"]
    lexicon = tuple((techniques.index(t), w) for t, w in lexicons.items() if t in techniques)
    gold = {(p.article_id, p.line): p.gold for i, p in enumerate(paragraphs) if i in oof}
    names = " | ".join(f"{t} P / R / F1" for t in lexicons)
    print(f"| | micro-F1 (mean ± sd over folds) | pooled micro-F1 | macro-F1 | {names} |")
    print("|---|---|---|---|" + "---|" * len(lexicons))
    for name, lex in (("without lexicons", ()), ("with lexicons", lexicon)):
        pred: dict[tuple[str, int], list[str]] = {}
        for i, (tok, offs, para) in oof.items():
            p = paragraphs[i]
            dc = DecodeConfig(
                tuple(techniques), tuple(fold_thresholds[str(fold_of[i])]), mode,
                cv["span_threshold"], lexicon=lex,
            )
            pred[(p.article_id, p.line)] = [d.technique for d in decode_paragraph(p.text, tok, offs, para, dc)]
        per_fold = []
        for f in sorted(set(fold_of)):
            keys = {(p.article_id, p.line) for i, p in enumerate(paragraphs) if i in oof and fold_of[i] == f}
            per_fold.append(score_paragraphs({k: gold[k] for k in keys}, {k: pred[k] for k in keys}).micro_f1)
        pooled = score_paragraphs(gold, pred)
        per = " | ".join(
            (
                f"{v.precision:.3f} / {v.recall:.3f} / {v.f1:.3f}"
                if (v := pooled.per_technique.get(t)) is not None
                else "-"
            )
            for t in lexicons
        )
        print(
            f"| {name} | {np.mean(per_fold):.4f} ± {np.std(per_fold, ddof=1):.4f} | "
            f"{pooled.micro_f1:.4f} | {pooled.macro_f1:.4f} | {per} |"
        )


def shift_table(run: OutOfFold) -> None:
    """Micro-F1 when the held-out paragraphs carry techniques less often than training's.

    A technique-free held-out paragraph counts w times (w = 2: a quarter of the paragraphs
    carry a technique instead of 40 %); thresholds are fitted on the other folds with
    ``clean_weight`` set for one such w. Nested, in the run's score mode, F1 rule.
    """
    args, techniques, paragraphs, fold_of, oof = run.args, run.techniques, run.paragraphs, run.fold_of, run.oof
    mode = json.loads((args.run / "thresholds.json").read_text(encoding="utf-8"))["score_mode"]
    print(f"score mode {mode}")
    idx = sorted(oof)
    gold = np.zeros((len(idx), len(techniques)), dtype=np.float32)
    for r, i in enumerate(idx):
        for t in paragraphs[i].gold:
            if t in techniques:
                gold[r, techniques.index(t)] = 1.0
    scores = np.stack([paragraph_scores(oof[i][0], oof[i][2], mode) for i in idx])
    folds = np.array([fold_of[i] for i in idx])
    clean = gold.sum(axis=1) == 0
    weights = (1.0, 1.5, 2.0, 3.0)
    rates = [float((~clean).sum() / ((~clean).sum() + w * clean.sum())) for w in weights]
    head = " | ".join(f"w {w} ({r:.0%} with a technique)" for w, r in zip(weights, rates, strict=True))
    print(f"| thresholds fitted with clean weight | {head} |")
    print("|---|" + "---|" * len(weights))
    for fit_w in weights:
        row = []
        for eval_w in weights:
            f1s = []
            for f in sorted(set(folds.tolist())):
                tr, te = folds != f, folds == f
                thr = fit_thresholds(scores[tr], gold[tr], 1.0, 10, 0.2, fit_w)
                w = np.where(clean[te], eval_w, 1.0)
                tp = fp = fn = 0.0
                for k, th in enumerate(thr):
                    y = gold[te, k] > 0
                    p = scores[te, k] >= th if th is not None else np.zeros_like(y)
                    tp += float(w[p & y].sum())
                    fp += float(w[p & ~y].sum())
                    fn += float(w[~p & y].sum())
                f1s.append(2 * tp / (2 * tp + fp + fn))
            row.append(f"{np.mean(f1s):.4f}")
        print(f"| {fit_w} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
