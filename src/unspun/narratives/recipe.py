"""Training the narrative model on SemEval-2025 Task 10 subtask 2 (English), with its card.

Run by ``scripts/train_article_models.py narratives``. The three parts are fitted with the
same settings; the three decision thresholds are chosen by 5-fold cross-validation on the
training documents only, maximising the mean of the narrative and subnarrative F1-samples.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspun.articlelevel.recipes import N_FOLDS, SEED, _provenance
from unspun.articlelevel.training import (
    EMBEDDING_C,
    EMBEDDING_WEIGHTS,
    Array,
    FitConfig,
    attach_embedding_head,
    embed_texts,
    embedding_out_of_fold,
    fit_linear,
    folds,
    mean_sd,
    out_of_fold,
)
from unspun.narratives.model import OTHER, NarrativeModel
from unspun.semeval25.files import read_annotations, read_documents
from unspun.semeval25.scoring import samples_f1

MIN_EXAMPLES = 3
GATE_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)
NARR_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
SUB_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
#: shares of a narrative's score taken from its best subnarrative, compared by nested CV
SUB_WEIGHTS = (0.0, 0.25, 0.5)


def _labels(path: Path) -> list[str]:
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _score(model: NarrativeModel, probs: tuple[Array, Array, Array], gold: list[Any], idx: Any) -> tuple[float, float]:
    gate, pn, ps = probs
    preds = [model.decode(float(gate[i, 0]), pn[i], ps[i]) for i in idx]
    coarse = samples_f1([frozenset(gold[i].narratives) for i in idx], [frozenset(p.narratives) for p in preds])
    fine = samples_f1([frozenset(gold[i].subnarratives) for i in idx], [frozenset(p.subnarratives) for p in preds])
    return coarse, fine


def _best(model: NarrativeModel, probs: tuple[Array, Array, Array], gold: list[Any], idx: Any) -> tuple[float, float, float]:
    best, best_t = -1.0, (0.5, 0.5, 0.5)
    for t in itertools.product(GATE_GRID, NARR_GRID, SUB_GRID):
        model.gate_threshold, model.narrative_threshold, model.sub_threshold = t
        c, f = _score(model, probs, gold, idx)
        if (c + f) / 2 > best + 1e-12:
            best, best_t = (c + f) / 2, t
    return best_t


def _nested(
    model: NarrativeModel, oof: dict[str, Array], gold: list[Any], splits: Any, y_gate: Any
) -> tuple[list[float], list[float], list[float]]:
    """Per fold: the three thresholds chosen on the other folds, then scored on this one."""
    probs = (oof["gate"], oof["narratives"], oof["subnarratives"])
    everyone = np.arange(len(gold))
    coarse, fine, gate_acc = [], [], []
    for _, te in splits:
        rest = np.setdiff1d(everyone, te)
        model.gate_threshold, model.narrative_threshold, model.sub_threshold = _best(model, probs, gold, rest)
        c, f = _score(model, probs, gold, te)
        coarse.append(c)
        fine.append(f)
        gate_acc.append(float(((oof["gate"][te, 0] >= model.gate_threshold) == (y_gate[te, 0] == 1)).mean()))
    return coarse, fine, gate_acc


def _cv_row(model: NarrativeModel, oof: dict[str, Array], gold: list[Any], splits: Any, y_gate: Any) -> dict[str, Any]:
    coarse, fine, gate_acc = _nested(model, oof, gold, splits, y_gate)
    return {"narratives_f1_samples": mean_sd(coarse), "subnarratives_f1_samples": mean_sd(fine),
            "gate_accuracy": mean_sd(gate_acc)}


def _best_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The row with the best mean of the two F1-samples (the task's two measures)."""
    return max(rows, key=lambda r: r["narratives_f1_samples"]["mean"] + r["subnarratives_f1_samples"]["mean"])


@dataclass
class NarrativeData:
    """One language's training documents with the label matrices of the model's three parts."""

    names: list[str]
    texts: list[str]
    gold: list[Any]
    #: per part (gate, narratives, subnarratives): its 0/1 matrix and its labels
    parts: dict[str, tuple[Any, list[str]]]
    splits: list[tuple[Any, Any]]

    @property
    def y_gate(self) -> Any:
        return self.parts["gate"][0]


def narrative_data(data_root: Path, lang: str = "EN") -> NarrativeData:
    root = data_root / "semeval2025"
    ann = read_annotations(root / lang / "train" / "subtask-2-annotations.txt")
    docs = read_documents(root / lang / "train" / "raw-documents")
    names = [n for n in docs if n in ann]
    texts = [docs[n] for n in names]
    gold = [ann[n] for n in names]
    narr_labels = [x for x in _labels(root / "taxonomy" / "subtask2_narratives.txt") if x != OTHER]
    # Subnarratives seen fewer than MIN_EXAMPLES times cannot be learnt (nor thresholded) from
    # this data; leaving them out keeps training to minutes on a shared machine.
    counts = Counter(s for g in gold for s in g.subnarratives)
    sub_labels = [
        x
        for x in _labels(root / "taxonomy" / "DERIVED_subnarratives_union.txt")
        if x != OTHER and not x.endswith(f": {OTHER}") and counts[x] >= MIN_EXAMPLES
    ]
    y_gate = np.array([[0 if g.narratives == (OTHER,) else 1] for g in gold], dtype=np.int64)
    y_narr = np.array([[1 if n in g.narratives else 0 for n in narr_labels] for g in gold], dtype=np.int64)
    y_sub = np.array([[1 if s in g.subnarratives else 0 for s in sub_labels] for g in gold], dtype=np.int64)
    # Stratify on the gate and the domain in the file name (climate, war), which every file has.
    strat = y_gate[:, 0] * 2 + np.array([1 if "_CC_" in n else 0 for n in names])
    parts: dict[str, tuple[Any, list[str]]] = {
        "gate": (y_gate, ["narrative"]),
        "narratives": (y_narr, narr_labels),
        "subnarratives": (y_sub, sub_labels),
    }
    return NarrativeData(names, texts, gold, parts, folds(strat, N_FOLDS, SEED))


def train_narratives(data_root: Path, out_dir: Path, *, quick: bool = False) -> NarrativeModel:
    data = narrative_data(data_root)
    texts, gold, parts, splits, y_gate = data.texts, data.gold, data.parts, data.splits, data.y_gate
    cfg = FitConfig(c=4.0 if quick else 8.0, balanced=True)
    oof = {
        k: out_of_fold(texts, y, labs, cfg, splits, multilabel=True, score=lambda m, t: m.proba(t))
        for k, (y, labs) in parts.items()
    }
    fitted = {
        k: fit_linear(k, texts, y, labs, cfg, multilabel=True, seed=SEED).model for k, (y, labs) in parts.items()
    }
    model = NarrativeModel(fitted["gate"], fitted["narratives"], fitted["subnarratives"], 0.5, 0.5, 0.5)
    # The embedding head: the same three parts over the article encoder's vector, mixed into
    # the word model's probabilities with a weight chosen by the same nested CV.
    emb = embed_texts(texts)
    emb_oof = {k: embedding_out_of_fold(emb, y, splits) for k, (y, _) in parts.items()}
    def mixed(w: float) -> dict[str, Array]:
        return {k: (1 - w) * oof[k] + w * emb_oof[k] for k in parts}

    by_weight = [{"weight": w, **_cv_row(model, mixed(w), gold, splits, y_gate)} for w in EMBEDDING_WEIGHTS]
    w = _best_row(by_weight)["weight"]
    for k, (y, _) in parts.items():
        attach_embedding_head(getattr(model, k), emb, y, w)
    mix = mixed(w)
    # Then how much a narrative's score leans on its best subnarrative's, the same way.
    by_sub_weight = []
    for a in SUB_WEIGHTS:
        model.sub_weight = a
        by_sub_weight.append({"sub_weight": a, **_cv_row(model, mix, gold, splits, y_gate)})
    chosen = _best_row(by_sub_weight)
    model.sub_weight = chosen["sub_weight"]
    probs = (mix["gate"], mix["narratives"], mix["subnarratives"])
    model.gate_threshold, model.narrative_threshold, model.sub_threshold = _best(
        model, probs, gold, np.arange(len(texts))
    )
    meta = {
        **_provenance("SemEval-2025 Task 10 subtask 2, English train split"),
        "documents": len(texts),
        "C": cfg.c,
        "thresholds": {"gate": model.gate_threshold, "narrative": model.narrative_threshold,
                       "subnarrative": model.sub_threshold},
        "embedding_weight": w,
        "embedding_c": EMBEDDING_C,
        "sub_weight": model.sub_weight,
        "cv": {k: v for k, v in chosen.items() if k != "sub_weight"},
        "cv_by_embedding_weight": by_weight,
        "cv_by_sub_weight": by_sub_weight,
        "other_share": round(float(1 - y_gate.mean()), 4),
    }
    for part in (model.gate, model.narratives, model.subnarratives):
        part.meta = meta
    model.save(out_dir)
    (out_dir / "MODEL_CARD.md").write_text(narratives_card(model, meta), encoding="utf-8")
    return model


def narratives_card(model: NarrativeModel, m: dict[str, Any]) -> str:
    cv = m["cv"]
    t = m["thresholds"]

    def ms(d: dict[str, float]) -> str:
        return f"{d['mean']:.3f} ± {d['sd']:.3f}"

    sizes = ", ".join(
        f"{name} {len(p.vocabulary)} terms x {p.coef.shape[0]} labels"
        for name, p in (("gate", model.gate), ("narratives", model.narratives), ("subnarratives", model.subnarratives))
    )
    weights = "\n".join(
        f"| {r['weight']} | {ms(r['narratives_f1_samples'])} | {ms(r['subnarratives_f1_samples'])} | "
        f"{ms(r['gate_accuracy'])} |"
        for r in m["cv_by_embedding_weight"]
    )
    sub_weights = "\n".join(
        f"| {r['sub_weight']} | {ms(r['narratives_f1_samples'])} | {ms(r['subnarratives_f1_samples'])} | "
        f"{ms(r['gate_accuracy'])} |"
        for r in m["cv_by_sub_weight"]
    )
    return f"""# Narrative model (SemEval-2025 Task 10 subtask 2)

Analyzer `narratives`, label tasks `narratives` and `subnarratives`. Written by
`scripts/train_article_models.py narratives` (`unspun.narratives.recipe.train_narratives`);
every figure below comes from that run.

## Model
Three sets of logistic regressions (scikit-learn, balanced class weights, C = {m['C']}) over
word unigram+bigram TF-IDF (sublinear tf, min_df 2, at most 20,000 terms): a gate (does the
document carry any narrative?), one per narrative and one per subnarrative. Decoding keeps
the hierarchy (see `unspun.narratives.model`): below the gate's threshold the document is
`Other`; otherwise every narrative over its threshold (at least the best one), and under
each the subnarratives over theirs, or `<narrative>: Other`.
Each part also has an *embedding head*: per label, a logistic regression (balanced, C =
{m['embedding_c']}) over the article encoder's vector (all-MiniLM-L6-v2 over the first 256
word pieces, see `resources/models/article_encoder`); its probability is mixed into the word
model's with weight {m['embedding_weight']} (chosen by the cross-validation below; 0 would
mean words alone). Evidence paragraphs come from the word model only.
A narrative's score is then (1 - a) x its own probability + a x its best subnarrative's, with
a = {m['sub_weight']} (chosen by the cross-validation below; 0 = its own model alone).
Thresholds: gate {t['gate']}, narrative {t['narrative']}, subnarrative {t['subnarrative']}.
Inference is numpy and ONNX Runtime (the encoder). Sizes: {sizes}.

## Data
The {m["documents"]} English training documents of SemEval-2025 Task 10 subtask 2 (research
licence; not redistributed): news on the war in Ukraine and on climate change; a share of
{m['other_share']} carries no narrative (`Other`). Subnarratives that never occur in these
documents, or fewer than 3 times, are not predicted.

## Cross-validation (5-fold, stratified on gate x domain, seed {m['seed']}; mean ± sd)
In each fold the three thresholds are chosen on the other folds' out-of-fold probabilities
(grid search maximising the mean of the two F1-samples), so the fold scored had no say.
The embedding weight and the share a below are picked on these same figures, which makes the
chosen row slightly optimistic.

- narratives F1-samples: {ms(cv['narratives_f1_samples'])}
- subnarratives F1-samples: {ms(cv['subnarratives_f1_samples'])}
- gate accuracy (any narrative or not): {ms(cv['gate_accuracy'])}

The same nested procedure for each weight of the embedding head:

| embedding weight | narratives F1-samples | subnarratives F1-samples | gate accuracy |
|---|---|---|---|
{weights}

And, at the chosen embedding weight, for each share a of a narrative's score taken from its
best subnarrative (the figures at the top are the chosen row):

| a | narratives F1-samples | subnarratives F1-samples | gate accuracy |
|---|---|---|---|
{sub_weights}

## Limits
- English only. Most subnarratives have a handful of examples or none; the subnarrative
  figure rests mostly on `Other` and on the frequent ones.
- The held-out documents are newer; narratives follow the news, so expect lower figures.
"""


__all__ = ["NarrativeData", "narrative_data", "train_narratives"]
