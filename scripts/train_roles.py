"""Train the entity-role model (SemEval-2025 Task 10 subtask 1) and write its model card.

    nice -n 19 .venv/bin/python scripts/train_roles.py --data ../shared/data/semeval2025

Needs the ``train`` extra (scikit-learn) and a local copy of the SemEval-2025 data, which is
never copied into the repository. Seeded: a rerun writes the same weights and the same card.
Every figure of the card comes from this run: a small grid of settings is cross-validated
(5 folds, English train only, whole articles in one fold), the best by fine-role exact match
is refitted on all of English train.
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy loads: the fits are small, and threads fighting over two
# busy cores made them several times slower.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from unspun.roles.files import check_offsets, read_documents, read_mentions  # noqa: E402
from unspun.roles.labels import FINE_ROLES, MAIN_ROLES  # noqa: E402
from unspun.roles.model import RoleModel, default_model_dir  # noqa: E402
from unspun.roles.training import (  # noqa: E402
    Config,
    CVResult,
    Example,
    Scores,
    cross_validate,
    fit,
    fold_ids,
    load_examples,
    score_rows,
    threshold_scores,
)

SEED = 13
FOLDS = 5
GRID = [
    *(Config(c_main=c, c_fine=c, balanced_main=b) for c in (1.0, 10.0) for b in (False, True)),
    Config(c_main=1.0, c_fine=1.0, fine_within_main=True),
]
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 1.01)


def _pm(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.3f} ± {pair[1]:.3f}"


def majority_baseline(examples: Sequence[Example], folds: np.ndarray) -> dict[str, tuple[float, float]]:
    """Per fold: the training folds' commonest main role and its commonest fine role."""
    acc, emr = [], []
    for k in range(FOLDS):
        train = [e for e, f in zip(examples, folds, strict=True) if f != k]
        test = [e for e, f in zip(examples, folds, strict=True) if f == k]
        main = Counter(e.main_role for e in train).most_common(1)[0][0]
        fine = Counter(f for e in train if e.main_role == main for f in e.fine_roles).most_common(1)[0][0]
        acc.append(np.mean([e.main_role == main for e in test]))
        emr.append(np.mean([set(e.fine_roles) == {fine} for e in test]))
    return {
        "main_accuracy": (float(np.mean(acc)), float(np.std(acc, ddof=1))),
        "fine_exact_match": (float(np.mean(emr)), float(np.std(emr, ddof=1))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2025",
    )
    parser.add_argument("--out", type=Path, default=None, help="write here instead of the package's resources")
    parser.add_argument("--quick", action="store_true", help="one setting, no grid (for smoke tests)")
    args = parser.parse_args()
    out: Path = args.out or default_model_dir()
    started = time.perf_counter()

    en = args.data / "EN"
    raw = read_mentions(en / "train" / "subtask-1-annotations.txt")
    off = check_offsets(raw, read_documents(en / "train" / "raw-documents"))
    from unspun.roles.parsing import parse_text

    examples = load_examples(en, "EN", parser=parse_text)
    folds = fold_ids(examples, FOLDS, SEED)
    print(f"{len(examples)} English mentions in {len({e.group for e in examples})} articles; "
          f"{len(off)} rows with offsets off by a few characters (realigned)")

    baselines = {"majority": majority_baseline(examples, folds)}
    window = cross_validate(examples, Config(c_main=10.0, c_fine=10.0, block_weights=(0, 1, 0, 0, 0, 0, 0)), folds, seed=SEED)
    baselines["context window only"] = {k: v for k, v in window.summary().items() if k != "fine_micro_f1"}

    grid = GRID[:1] if args.quick else GRID
    results: list[CVResult] = []
    for cfg in grid:
        r = cross_validate(examples, cfg, folds, seed=SEED)
        results.append(r)
        s = r.summary()
        print(f"C={cfg.c_main} balanced={cfg.balanced_main} within={cfg.fine_within_main}: main acc {_pm(s['main_accuracy'])}, "
              f"fine EMR {_pm(s['fine_exact_match'])}")
    best = max(results, key=lambda r: (round(r.summary()["fine_exact_match"][0], 4), r.summary()["main_accuracy"][0]))
    by_threshold = threshold_scores(examples, best, THRESHOLDS)
    # Ties go to the higher threshold: a second fine role is the rarer answer.
    threshold = max(THRESHOLDS, key=lambda t: (round(by_threshold[t][0], 4), t))
    chosen = Config(**{**best.config.__dict__, "fine_threshold": threshold})

    per_fold = []
    for k in range(FOLDS):
        idx = [i for i, f in enumerate(folds) if f == k]
        fold_scores, _ = score_rows(
            [examples[i] for i in idx], best.main_oof[idx], best.fine_oof[idx], threshold
        )
        per_fold.append((k, len(idx), fold_scores))
    pooled, decisions = score_rows(examples, best.main_oof, best.fine_oof, threshold)

    fitted = fit(examples, chosen, seed=SEED)
    model = fitted.model
    acc = [s.main_accuracy for _, _, s in per_fold]
    emr = [s.fine_exact_match for _, _, s in per_fold]
    model.meta.update(
        {
            "trained_on": "SemEval-2025 Task 10 subtask 1, English train (686 mentions)",
            "seed": SEED,
            "cv_main_accuracy": [float(np.mean(acc)), float(np.std(acc, ddof=1))],
            "cv_fine_exact_match": [float(np.mean(emr)), float(np.std(emr, ddof=1))],
        }
    )
    model.save(out)
    card = render_card(examples, off, baselines, results, best, chosen, by_threshold, per_fold, pooled, decisions, model)
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(json.dumps(model.meta, indent=1))
    print(f"wrote {out} in {time.perf_counter() - started:.0f} s")


def render_card(
    examples: Sequence[Example],
    off: list[str],
    baselines: dict[str, dict[str, tuple[float, float]]],
    results: list[CVResult],
    best: CVResult,
    chosen: Config,
    by_threshold: dict[float, tuple[float, float]],
    per_fold: list[tuple[int, int, Scores]],
    pooled: Scores,
    decisions: list[tuple[str, tuple[str, ...]]],
    model: RoleModel,
) -> str:
    mains = Counter(e.main_role for e in examples)
    fine_seen = Counter(f for e in examples for f in e.fine_roles)
    predicted_fine = Counter(f for d in decisions for f in d[1])
    majority_main = mains.most_common(1)[0][0]
    n = len(examples)
    cv = {
        "main_accuracy": (
            float(np.mean([s.main_accuracy for _, _, s in per_fold])),
            float(np.std([s.main_accuracy for _, _, s in per_fold], ddof=1)),
        ),
        "fine_exact_match": (
            float(np.mean([s.fine_exact_match for _, _, s in per_fold])),
            float(np.std([s.fine_exact_match for _, _, s in per_fold], ddof=1)),
        ),
    }
    lines = [
        "# Entity-role model (SemEval-2025 Task 10, subtask 1)",
        "",
        "Analyzer `roles`; SemEval interface `unspun semeval25 predict|score --subtask 1`.",
        "Written by `scripts/train_roles.py`; every figure below comes from that run (seed "
        f"{SEED}), and rerunning it rewrites this card and the weights.",
        "",
        "## Data and licence",
        "SemEval-2025 Task 10 (entity framing), English training split: "
        f"{n} mentions in {len({e.group for e in examples})} articles on the war in Ukraine and on "
        "climate change. Released for research use only, without the right to redistribute: "
        "no text or label of it is in this repository, only the fitted weights.",
        "Main roles in training: "
        + ", ".join(f"{m} {mains[m]} ({mains[m] / n:.1%})" for m in MAIN_ROLES)
        + f". {sum(len(e.fine_roles) > 1 for e in examples)} mentions have two fine roles.",
        f"{len(off)} rows give offsets a character or two off the entity string (after some "
        "character the file and the annotation count differently); training reads them at the "
        "nearest offsets that give the string (`unspun.roles.files.locate`).",
        "Training on the other languages of the task too (BG, HI, PT, RU, same features) was "
        "tried during development and did not raise the English CV scores; this script does not "
        "rerun that comparison, and the model is English only.",
        "",
        "## Model",
        "Features per mention (`unspun.roles.features`), in blocks, each block's "
        "`(1 + log tf) * idf` l2-normalised and weighted: the entity's words; the "
        "words within 8 tokens on each side and the one or two adjacent words; the words and "
        "word pairs of the mention's sentence; the words of the other sentences naming the "
        "same entity; the article's words; for English, the mention's dependency relation and "
        "the word it depends on (spaCy `en_core_web_sm`, the pipeline the analyzers share: "
        "`nsubj>attack`, `pobj>by>kill`) and adjectives on it; counts of English cue words (victims, aggression, "
        "protection, deceit, corruption, incompetence, peace) in the sentence and whether the "
        "mention is in the headline.",
        "Main role: multinomial logistic regression. Fine roles: one binary logistic regression "
        "per fine role (against all other mentions, or with `fine_within_main` against the "
        "other mentions of its main role only); only the fine roles of the chosen main role compete, the likeliest is "
        "always given and another is added when its probability reaches the threshold.",
        f"Vocabulary {len(model.vocabulary)} features (min document frequency "
        f"{chosen.min_df}); inference is numpy only, weights in `weights.safetensors`, "
        "vocabulary and settings in `model.json`.",
        "Chosen settings: " + json.dumps(chosen.describe()),
        "",
        "## Cross-validation (5 folds by article, English train; mean ± sd over folds)",
        "| setting | main-role accuracy | fine-role exact match |",
        "|---|---|---|",
    ]
    for name, s in baselines.items():
        lines.append(f"| baseline: {name} | {_pm(s['main_accuracy'])} | {_pm(s['fine_exact_match'])} |")
    for r in results:
        s = r.summary()
        lines.append(
            f"| C={r.config.c_main}, balanced main={r.config.balanced_main}, fine within main="
            f"{r.config.fine_within_main}, threshold 0.5 | "
            f"{_pm(s['main_accuracy'])} | {_pm(s['fine_exact_match'])} |"
        )
    lines += [
        "",
        f"Best setting: C={best.config.c_main}, balanced main={best.config.balanced_main}, "
        f"fine within main={best.config.fine_within_main}. "
        "Threshold for a second fine role, by the same out-of-fold probabilities "
        "(1.01 = never a second role):",
        "",
        "| threshold | fine-role exact match |",
        "|---|---|",
        *[f"| {t} | {_pm(v)} |" for t, v in by_threshold.items()],
        "",
        f"Per fold at threshold {chosen.fine_threshold}:",
        "",
        "| fold | mentions | main-role accuracy | fine-role exact match | fine-role micro-F1 |",
        "|---|---|---|---|---|",
        *[
            f"| {k} | {m} | {s.main_accuracy:.3f} | {s.fine_exact_match:.3f} | {s.fine_micro_f1:.3f} |"
            for k, m, s in per_fold
        ],
        f"| pooled | {n} | {pooled.main_accuracy:.3f} | {pooled.fine_exact_match:.3f} | {pooled.fine_micro_f1:.3f} |",
        "",
        "Predicted main roles, out of fold: "
        + ", ".join(f"{m} {c}" for m, c in Counter(d[0] for d in decisions).most_common())
        + ". Confusion (rows gold, columns predicted, order "
        + ", ".join(MAIN_ROLES)
        + "):",
        "",
        *[
            "    " + " ".join(
                f"{sum(e.main_role == g and d[0] == p for e, d in zip(examples, decisions, strict=True)):4d}"
                for p in MAIN_ROLES
            )
            for g in MAIN_ROLES
        ],
        "",
        "## What to expect, and failure modes",
        f"- The targets set for this model (main-role accuracy 0.94, fine-role exact match 0.50 on "
        f"the task's English dev set) are **not met**: by cross-validation the main-role accuracy "
        f"is {_pm(cv['main_accuracy'])} against {_pm(baselines['majority']['main_accuracy'])} for "
        f"always saying {majority_main}, and the fine-role exact match {_pm(cv['fine_exact_match'])} "
        f"against {_pm(baselines['majority']['fine_exact_match'])}. Words around a mention say little "
        "about its role with 686 examples to learn from; the stance that decides it is carried "
        "by the article as a whole and by what the reader knows of the actor, which a bag of "
        "words does not capture.",
        "- The held-out sets differ: the dev and test mentions were annotated later, and their "
        "mix of main roles and of topics need not match training. No held-out label was used "
        "here, so the shift cannot be measured; expect scores within the CV spread at best.",
        "- Protagonists and Innocents are mostly called Antagonists (see the confusion above). "
        "Fine roles given out of fold (gold count in brackets): "
        + ", ".join(f"{f} {predicted_fine[f]} ({fine_seen[f]})" for f in FINE_ROLES)
        + "; a role the model never gives can never be matched.",
        "- The cue lexicons are English; other languages get only the word features, learnt "
        "from English, i.e. next to nothing. The analyzer runs after `actors`, which is "
        "English only too.",
        "- In the analyzer an actor's roles are the mean over all its mentions, while the task "
        "labels single mentions; an actor the article never frames still gets a role, with a "
        "low score. Fine-role scores are per-role sigmoids and do not sum to one.",
        "",
    ]
    lines += [
        "## Fine roles in training",
        "",
        ", ".join(f"{f} {fine_seen[f]}" for f in FINE_ROLES),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
