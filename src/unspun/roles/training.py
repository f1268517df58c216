"""Fitting the role model with scikit-learn, and cross-validating it by article.

Only training needs scikit-learn (the ``train`` extra); it is imported inside the functions
so that importing this module costs nothing. The fitted model is a plain
:class:`~unspun.roles.model.RoleModel` that runs on numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspun.roles.features import BLOCKS, ArticleView, ParsedToken, block_vector, mention_features
from unspun.roles.files import locate, read_documents, read_mentions
from unspun.roles.labels import FINE_ROLES, FINE_ROLES_OF, MAIN_ROLE_OF, MAIN_ROLES
from unspun.roles.model import RoleModel

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    """One labelled mention, its features computed once."""

    blocks: dict[str, Counter[str]]
    main_role: str
    fine_roles: tuple[str, ...]
    group: str
    language: str


@dataclass(frozen=True)
class Config:
    """Everything the fit depends on; the model card lists the chosen values."""

    c_main: float = 1.0
    c_fine: float = 1.0
    balanced_main: bool = False
    min_df: int = 2
    block_weights: tuple[float, ...] = (1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 0.5)
    # How much an example of another language counts beside an English one.
    other_language_weight: float = 0.0
    fine_threshold: float = 0.5
    # Fit each fine role against the other fine roles of its main role only, the choice it
    # has to make once the main role is chosen, instead of against every other mention.
    fine_within_main: bool = False

    def describe(self) -> dict[str, Any]:
        return {
            "c_main": self.c_main,
            "c_fine": self.c_fine,
            "balanced_main": self.balanced_main,
            "min_df": self.min_df,
            "block_weights": dict(zip(BLOCKS, self.block_weights, strict=True)),
            "other_language_weight": self.other_language_weight,
            "fine_threshold": self.fine_threshold,
            "fine_within_main": self.fine_within_main,
        }


def load_examples(
    language_dir: Path,
    language: str,
    parser: Callable[[str], Sequence[ParsedToken]] | None = None,
) -> list[Example]:
    """The labelled mentions of one language's ``train/`` folder of SemEval-2025 Task 10.

    ``parser`` gives each document's dependency parse (English only); without it the
    ``dep`` block stays empty.
    """
    docs = read_documents(language_dir / "train" / "raw-documents")
    views: dict[str, ArticleView] = {}
    out: list[Example] = []
    for m in read_mentions(language_dir / "train" / "subtask-1-annotations.txt"):
        text = docs[m.file]
        if m.file not in views:
            views[m.file] = ArticleView.of(text, parser(text) if parser else ())
        view = views[m.file]
        start, end = locate(text, m)
        out.append(
            Example(
                blocks=mention_features(view, start, end),
                main_role=m.main_role or "",
                fine_roles=m.fine_roles,
                group=f"{language}/{m.file}",
                language=language,
            )
        )
    return out


@dataclass
class Vocabulary:
    features: tuple[str, ...]
    block_of: npt.NDArray[np.int64]
    idf: Array
    index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fit(cls, examples: Sequence[Example], min_df: int) -> Vocabulary:
        df: Counter[tuple[int, str]] = Counter()
        for ex in examples:
            for b, name in enumerate(BLOCKS):
                df.update((b, f) for f in ex.blocks.get(name, {}))
        kept = sorted((f, b, n) for (b, f), n in df.items() if n >= min_df)
        n_docs = len(examples)
        return cls(
            features=tuple(f for f, _, _ in kept),
            block_of=np.array([b for _, b, _ in kept], dtype=np.int64),
            idf=np.array([math.log((1 + n_docs) / (1 + n)) + 1.0 for _, _, n in kept]),
            index={f: i for i, (f, _, _) in enumerate(kept)},
        )

    def transform(self, examples: Sequence[Example], weights: Sequence[float]) -> Any:
        from scipy.sparse import csr_matrix

        idf, block_of = self.idf.tolist(), self.block_of.tolist()
        rows, cols, vals = [], [], []
        for i, ex in enumerate(examples):
            for j, v in block_vector(ex.blocks, self.index, idf, block_of, weights).items():
                rows.append(i)
                cols.append(j)
                vals.append(v)
        return csr_matrix((vals, (rows, cols)), shape=(len(examples), len(self.features)))


@dataclass
class Fitted:
    """The exported model and the scikit-learn estimators it came from (for the parity test)."""

    model: RoleModel
    main_estimator: Any
    fine_estimators: list[Any]
    vocabulary: Vocabulary


def fit(examples: Sequence[Example], config: Config, *, seed: int = 13) -> Fitted:
    """Fit the main-role and fine-role classifiers on ``examples``."""
    from sklearn.linear_model import LogisticRegression

    vocab = Vocabulary.fit(examples, config.min_df)
    x = vocab.transform(examples, config.block_weights)
    weight = np.array([1.0 if ex.language == "EN" else config.other_language_weight for ex in examples])
    keep = weight > 0
    x, weight = x[keep], weight[keep]
    kept = [ex for ex, k in zip(examples, keep, strict=True) if k]
    y = np.array([MAIN_ROLES.index(ex.main_role) for ex in kept])
    main = LogisticRegression(
        C=config.c_main,
        class_weight="balanced" if config.balanced_main else None,
        max_iter=3000,
        random_state=seed,
    )
    main.fit(x, y, sample_weight=weight)
    main_coef = np.zeros((len(MAIN_ROLES), x.shape[1]))
    main_intercept = np.full(len(MAIN_ROLES), -30.0)
    if len(main.classes_) == 2:
        # A binary fit scores only the second class; softmax over (0, z) is its sigmoid.
        main_intercept[main.classes_] = 0.0
        main_coef[main.classes_[1]] = main.coef_[0]
        main_intercept[main.classes_[1]] = main.intercept_[0]
    else:
        main_coef[main.classes_] = main.coef_
        main_intercept[main.classes_] = main.intercept_
    fine_coef = np.zeros((len(FINE_ROLES), x.shape[1]))
    fine_intercept = np.full(len(FINE_ROLES), -30.0)
    fine_estimators: list[Any] = []
    for k, role in enumerate(FINE_ROLES):
        rows = np.arange(len(kept))
        if config.fine_within_main:
            rows = np.array([i for i, ex in enumerate(kept) if ex.main_role == MAIN_ROLE_OF[role]], dtype=int)
        t = np.array([role in kept[i].fine_roles for i in rows], dtype=int)
        if t.sum() == 0 or t.sum() == len(t):
            # A role the fold never shows cannot be learnt; it is never chosen over one seen.
            fine_estimators.append(None)
            continue
        est = LogisticRegression(C=config.c_fine, max_iter=3000, random_state=seed)
        est.fit(x[rows], t, sample_weight=weight[rows])
        fine_coef[k] = est.coef_[0]
        fine_intercept[k] = est.intercept_[0]
        fine_estimators.append(est)
    model = RoleModel(
        vocabulary=vocab.features,
        block_of=vocab.block_of,
        idf=vocab.idf,
        block_weights=np.array(config.block_weights, dtype=np.float64),
        main_coef=main_coef,
        main_intercept=main_intercept,
        fine_coef=fine_coef,
        fine_intercept=fine_intercept,
        fine_threshold=config.fine_threshold,
        meta={"config": config.describe()},
    )
    return Fitted(model, main, fine_estimators, vocab)


def predict_rows(fitted: Fitted, examples: Sequence[Example], config: Config) -> tuple[Array, Array]:
    """Main-role and fine-role probabilities of ``examples``, computed as the model does."""
    x = fitted.vocabulary.transform(examples, config.block_weights).toarray()
    return fitted.model.main_proba(x), fitted.model.fine_proba(x)


@dataclass(frozen=True)
class Scores:
    main_accuracy: float
    fine_exact_match: float
    fine_micro_f1: float


def score_rows(
    examples: Sequence[Example], main: Array, fine: Array, threshold: float
) -> tuple[Scores, list[tuple[str, tuple[str, ...]]]]:
    """Scores of out-of-fold probabilities at one fine-role threshold, and the decisions."""
    decisions: list[tuple[str, tuple[str, ...]]] = []
    for i in range(len(examples)):
        m = MAIN_ROLES[int(np.argmax(main[i]))]
        allowed = FINE_ROLES_OF[m]
        ranked = sorted(allowed, key=lambda f: (-fine[i, FINE_ROLES.index(f)], FINE_ROLES.index(f)))
        chosen = [ranked[0]] + [f for f in ranked[1:] if fine[i, FINE_ROLES.index(f)] >= threshold]
        decisions.append((m, tuple(chosen)))
    return _scores(examples, decisions), decisions


def _scores(examples: Sequence[Example], decisions: Sequence[tuple[str, tuple[str, ...]]]) -> Scores:
    n = len(examples)
    acc = sum(ex.main_role == d[0] for ex, d in zip(examples, decisions, strict=True)) / n
    emr = sum(set(ex.fine_roles) == set(d[1]) for ex, d in zip(examples, decisions, strict=True)) / n
    tp = sum(len(set(ex.fine_roles) & set(d[1])) for ex, d in zip(examples, decisions, strict=True))
    n_pred = sum(len(d[1]) for d in decisions)
    n_gold = sum(len(ex.fine_roles) for ex in examples)
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    return Scores(acc, emr, f1)


@dataclass
class CVResult:
    config: Config
    folds: list[Scores]
    main_oof: Array
    fine_oof: Array
    fold_of: npt.NDArray[np.int64]

    def summary(self) -> dict[str, tuple[float, float]]:
        out = {}
        for name in ("main_accuracy", "fine_exact_match", "fine_micro_f1"):
            v = np.array([getattr(s, name) for s in self.folds])
            out[name] = (float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0)
        return out


def fold_ids(examples: Sequence[Example], n_folds: int, seed: int) -> npt.NDArray[np.int64]:
    """A fold per English example, whole articles in one fold, main roles spread evenly.

    Examples of other languages get -1: they are always in training, never scored.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    en = [i for i, ex in enumerate(examples) if ex.language == "EN"]
    out = np.full(len(examples), -1, dtype=np.int64)
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    y = [examples[i].main_role for i in en]
    groups = [examples[i].group for i in en]
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(en)), y, groups)):
        for t in test:
            out[en[t]] = k
    return out


def cross_validate(
    examples: Sequence[Example], config: Config, folds: npt.NDArray[np.int64], *, seed: int = 13
) -> CVResult:
    """Fit on all folds but one, score the English mentions of the held-out one, for each fold."""
    n = len(examples)
    main_oof = np.zeros((n, len(MAIN_ROLES)))
    fine_oof = np.zeros((n, len(FINE_ROLES)))
    scores: list[Scores] = []
    for k in sorted(set(folds.tolist()) - {-1}):
        train = [ex for ex, f in zip(examples, folds, strict=True) if f != k]
        test_idx = [i for i, f in enumerate(folds) if f == k]
        test = [examples[i] for i in test_idx]
        fitted = fit(train, config, seed=seed)
        main, fine = predict_rows(fitted, test, config)
        main_oof[test_idx], fine_oof[test_idx] = main, fine
        scores.append(score_rows(test, main, fine, config.fine_threshold)[0])
    return CVResult(config, scores, main_oof, fine_oof, folds)


def threshold_scores(
    examples: Sequence[Example], result: CVResult, thresholds: Iterable[float]
) -> dict[float, tuple[float, float]]:
    """Fine-role exact match (mean, sd over folds) of out-of-fold probabilities per threshold."""
    out: dict[float, tuple[float, float]] = {}
    for t in thresholds:
        per_fold = []
        for k in sorted(set(result.fold_of.tolist()) - {-1}):
            idx = [i for i, f in enumerate(result.fold_of) if f == k]
            s, _ = score_rows([examples[i] for i in idx], result.main_oof[idx], result.fine_oof[idx], t)
            per_fold.append(s.fine_exact_match)
        v = np.array(per_fold)
        out[t] = (float(v.mean()), float(v.std(ddof=1)))
    return out


__all__ = [
    "CVResult",
    "Config",
    "Example",
    "Fitted",
    "Scores",
    "Vocabulary",
    "cross_validate",
    "fit",
    "fold_ids",
    "load_examples",
    "predict_rows",
    "score_rows",
    "threshold_scores",
]
