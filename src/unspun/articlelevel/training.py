"""Training the article-level models with scikit-learn, and exporting them for numpy.

Needs the ``train`` extra (scikit-learn). Every choice (regularisation, the strength of the
prior-shift correction, per-label thresholds) is made by cross-validation on the training
data only; the figures that end in the model cards come from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from unspun.articlelevel.features import scale_style, style_vector, terms
from unspun.articlelevel.linear import LinearTextModel

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FitConfig:
    """How one linear model is fitted."""

    c: float = 1.0
    use_style: bool = False
    #: 0 leaves TF-IDF out (style measures only)
    tfidf_weight: float = 1.0
    min_df: int = 2
    max_features: int = 20000
    balanced: bool = True


@dataclass
class Fitted:
    """A fitted model in both forms: the numpy export and the scikit-learn objects."""

    model: LinearTextModel
    vectorizer: Any
    classifiers: list[Any]

    def sklearn_decision(self, texts: Sequence[str]) -> Array:
        """Scores computed by scikit-learn itself (the reference the export must match)."""
        x = _design(self.vectorizer, texts, self.model)
        if self.model.multilabel:
            cols = [np.asarray(c.decision_function(x), dtype=np.float64) for c in self.classifiers]
            return np.stack(cols, axis=1)
        return np.asarray(self.classifiers[0].decision_function(x), dtype=np.float64)


def _design(vectorizer: Any, texts: Sequence[str], model: LinearTextModel) -> Any:
    import scipy.sparse as sp

    if vectorizer is None:
        x = sp.csr_matrix((len(texts), 0))
    else:
        x = vectorizer.transform(list(texts)) * model.tfidf_weight
    if not model.use_style:
        return x.tocsr()
    style = scale_style(np.stack([style_vector(t) for t in texts]), model.style_mean, model.style_scale)
    return sp.hstack([x, sp.csr_matrix(style)]).tocsr()


def fit_linear(
    name: str,
    texts: Sequence[str],
    y: npt.NDArray[np.int64],
    labels: Sequence[str],
    config: FitConfig,
    *,
    multilabel: bool = False,
    style: Array | None = None,
    seed: int = 0,
) -> Fitted:
    """Fit on ``texts``; ``y`` is a label index per text, or a 0/1 matrix when ``multilabel``.

    ``style`` may pass precomputed :func:`style_vector` rows to save recomputing them.
    """
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec: Any = None
    vocab: list[str] = []
    idf = np.zeros(0)
    if config.tfidf_weight > 0:
        vec = TfidfVectorizer(
            analyzer=terms, sublinear_tf=True, min_df=config.min_df, max_features=config.max_features
        )
        x = vec.fit_transform(list(texts)) * config.tfidf_weight
        vocab = [""] * len(vec.vocabulary_)
        for term, i in vec.vocabulary_.items():
            vocab[i] = term
        idf = np.asarray(vec.idf_, dtype=np.float64)
    else:
        # Style alone: no vocabulary at all, so the model does not depend on topic words.
        x = sp.csr_matrix((len(texts), 0))
    k = len(labels)
    mean = np.zeros(0)
    scale = np.ones(0)
    if config.use_style:
        s = style if style is not None else np.stack([style_vector(t) for t in texts])
        mean = s.mean(axis=0)
        scale = s.std(axis=0) + 1e-6
        x = sp.hstack([x, sp.csr_matrix(scale_style(s, mean, scale))]).tocsr()
    weight = "balanced" if config.balanced else None
    classifiers: list[Any] = []
    if multilabel:
        coef = np.zeros((k, x.shape[1]))
        intercept = np.zeros(k)
        for j in range(k):
            yj = y[:, j]
            if yj.min() == yj.max():
                # A label never (or always) seen: a constant score says so honestly.
                intercept[j] = 10.0 if yj.max() == 1 else -10.0
                classifiers.append(_Constant(float(intercept[j])))
                continue
            # liblinear solves these small binary problems several times faster than lbfgs.
            clf = LogisticRegression(
                C=config.c, class_weight=weight, solver="liblinear", max_iter=3000, random_state=seed
            )
            clf.fit(x, yj)
            coef[j] = clf.coef_[0]
            intercept[j] = clf.intercept_[0]
            classifiers.append(clf)
    else:
        clf = LogisticRegression(C=config.c, class_weight=weight, max_iter=3000, random_state=seed)
        clf.fit(x, y)
        coef = np.asarray(clf.coef_, dtype=np.float64)
        intercept = np.asarray(clf.intercept_, dtype=np.float64)
        classifiers.append(clf)
    model = LinearTextModel(
        name=name,
        labels=tuple(labels),
        multilabel=multilabel,
        vocabulary=tuple(vocab),
        idf=idf,
        coef=coef,
        intercept=intercept,
        use_style=config.use_style,
        style_mean=mean,
        style_scale=scale,
        tfidf_weight=config.tfidf_weight,
    )
    return Fitted(model=model, vectorizer=vec, classifiers=classifiers)


class _Constant:
    """Stands in for a classifier of a label with one class only in the training data."""

    def __init__(self, value: float) -> None:
        self.value = value

    def decision_function(self, x: Any) -> Array:
        return np.full(x.shape[0], self.value)


# -- metrics ---------------------------------------------------------------------------------
def macro_f1(gold: IntArray, pred: IntArray, k: int, weight: Array | None = None) -> float:
    """Macro-F1 over the labels present in gold or prediction (scikit-learn's default)."""
    w = np.ones(len(gold)) if weight is None else weight
    scores = []
    for c in range(k):
        g, p = gold == c, pred == c
        if not (g.any() or p.any()):
            continue
        tp = float(w[g & p].sum())
        fp = float(w[~g & p].sum())
        fn = float(w[g & ~p].sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def micro_f1(gold: IntArray, pred: IntArray, weight: Array | None = None) -> float:
    """Micro-F1 over all (row, label) cells, each row's cells counted ``weight`` times."""
    w = np.ones((len(gold), 1)) if weight is None else np.asarray(weight, dtype=np.float64)[:, None]
    g, p = gold.astype(bool), pred.astype(bool)
    tp = float((w * (g & p)).sum())
    fp = float((w * (~g & p)).sum())
    fn = float((w * (g & ~p)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def samples_f1(gold: IntArray, pred: IntArray) -> float:
    """Mean over documents of the F1 of their label sets (scikit-learn's ``samples``)."""
    out = []
    for g, p in zip(gold.astype(bool), pred.astype(bool), strict=True):
        tp = float((g & p).sum())
        d = float(g.sum() + p.sum())
        out.append(2 * tp / d if d else 0.0)
    return float(np.mean(out)) if out else 0.0


def folds(y_strat: IntArray, n: int, seed: int) -> list[tuple[IntArray, IntArray]]:
    from sklearn.model_selection import StratifiedKFold

    skf = StratifiedKFold(n_splits=n, shuffle=True, random_state=seed)
    return [(np.asarray(a), np.asarray(b)) for a, b in skf.split(np.zeros(len(y_strat)), y_strat)]


def mean_sd(values: Sequence[float]) -> dict[str, float]:
    return {"mean": round(float(np.mean(values)), 4), "sd": round(float(np.std(values)), 4)}


def out_of_fold(
    texts: Sequence[str],
    y: Any,
    labels: Sequence[str],
    config: FitConfig,
    splits: Sequence[tuple[IntArray, IntArray]],
    *,
    multilabel: bool,
    style: Array | None = None,
    score: Callable[[LinearTextModel, str], Array] | None = None,
) -> Array:
    """Scores of every text from the model fitted on the folds that leave it out."""
    out = np.zeros((len(texts), len(labels)))
    for tr, te in splits:
        fitted = fit_linear(
            "cv",
            [texts[i] for i in tr],
            y[tr],
            labels,
            config,
            multilabel=multilabel,
            style=None if style is None else style[tr],
        )
        get = score or (lambda m, t: m.decision(t))
        out[te] = np.stack([get(fitted.model, texts[i]) for i in te])
    return out


# -- the embedding head ------------------------------------------------------------------
#: mixing weights of the embedding head compared by cross-validation (0 = words alone)
EMBEDDING_WEIGHTS = (0.0, 0.3, 0.5)
#: inverse regularisation of the embedding head's logistic regressions
EMBEDDING_C = 4.0


def fit_embedding_head(
    x: Array, y: IntArray, c: float = EMBEDDING_C, weight: Array | None = None
) -> tuple[Array, Array]:
    """Per label, a class-balanced logistic regression over standardised article vectors:
    ``(coef, intercept)`` with a row per label, the standardisation folded into them (so
    inference dots the raw vector). A label without both classes in ``y`` gets a constant score."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = (x - mean) / scale
    coef = np.zeros((y.shape[1], x.shape[1]))
    intercept = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        col = y[:, j]
        if col.min() == col.max():
            intercept[j] = 10.0 if col[0] else -10.0
            continue
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(xs, col, sample_weight=weight)
        coef[j] = clf.coef_[0] / scale
        intercept[j] = clf.intercept_[0] - float(coef[j] @ mean)
    return coef, intercept


def embedding_out_of_fold(
    x: Array,
    y: IntArray,
    splits: Sequence[tuple[IntArray, IntArray]],
    c: float = EMBEDDING_C,
    extra: tuple[Array, IntArray] | None = None,
) -> Array:
    """The embedding head's probabilities for every text, from heads fitted without its fold
    (plus, in every fold, the ``extra`` rows: documents of other languages)."""
    out = np.zeros(y.shape, dtype=np.float64)
    for tr, te in splits:
        xt, yt = x[tr], y[tr]
        if extra is not None:
            xt, yt = np.concatenate([xt, extra[0]]), np.concatenate([yt, extra[1]])
        coef, intercept = fit_embedding_head(xt, yt, c)
        out[te] = 1.0 / (1.0 + np.exp(-(x[te] @ coef.T + intercept)))
    return out


__all__ = [
    "FitConfig",
    "Fitted",
    "fit_linear",
    "folds",
    "macro_f1",
    "mean_sd",
    "micro_f1",
    "out_of_fold",
    "samples_f1",
]
