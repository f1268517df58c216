"""Training the article-level models with scikit-learn, and exporting them for numpy.

Needs the ``train`` extra (scikit-learn). Every choice (regularisation, the strength of the
prior-shift correction, per-label thresholds) is made by cross-validation on the training
data only; the figures that end in the model cards come from here.
"""

from __future__ import annotations

import math
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


def best_thresholds(gold: IntArray, prob: Array, grid: Sequence[float] | None = None) -> Array:
    """For each label, the probability cut-off with the best F1 on out-of-fold scores."""
    cuts = list(grid) if grid is not None else [round(0.05 * i, 2) for i in range(1, 20)]
    out = np.full(prob.shape[1], 0.5)
    for j in range(prob.shape[1]):
        g = gold[:, j].astype(bool)
        best = -1.0
        for t in cuts:
            p = prob[:, j] >= t
            tp = float((g & p).sum())
            f = 2 * tp / (g.sum() + p.sum()) if g.sum() + p.sum() else 0.0
            if f > best + 1e-12:
                best, out[j] = f, t
    return out


def micro_thresholds(gold: IntArray, prob: Array, *, passes: int = 2) -> Array:
    """Per-label cut-offs that maximise micro-F1 over all labels together.

    Starts from the best single cut-off, then for each label in turn picks the cut-off that
    most improves micro-F1 given the others. Maximising each label's own F1 instead sets low
    cut-offs for rare labels, whose false positives then cost the pooled measure more than
    their hits bring.
    """
    cuts = [round(0.05 * i, 2) for i in range(1, 20)]

    def score(t: Array) -> float:
        return micro_f1(gold, (prob >= t).astype(np.int64))

    start = max(cuts, key=lambda c: score(np.full(prob.shape[1], c)))
    t = np.full(prob.shape[1], start, dtype=np.float64)
    for _ in range(passes):
        for j in range(prob.shape[1]):
            best, best_c = -1.0, t[j]
            for c in cuts:
                trial = t.copy()
                trial[j] = c
                f = score(trial)
                if f > best + 1e-12:
                    best, best_c = f, c
            t[j] = best_c
    return t


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


def embed_texts(texts: Sequence[str]) -> Array:
    """The shipped article encoder's vector of every text (rows)."""
    from unspun.articlelevel.encoder import load_encoder

    encoder = load_encoder()
    return np.stack([encoder.embed(t) for t in texts]).astype(np.float64)


def fit_embedding_head(x: Array, y: IntArray, c: float = EMBEDDING_C) -> tuple[Array, Array]:
    """Per label, a class-balanced logistic regression over article vectors: ``(coef, intercept)``
    with a row per label. A label without both classes in ``y`` gets a constant score."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((y.shape[1], x.shape[1]))
    intercept = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        col = y[:, j]
        if col.min() == col.max():
            intercept[j] = 10.0 if col[0] else -10.0
            continue
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, col)
        coef[j], intercept[j] = clf.coef_[0], clf.intercept_[0]
    return coef, intercept


def embedding_out_of_fold(
    x: Array, y: IntArray, splits: Sequence[tuple[IntArray, IntArray]], c: float = EMBEDDING_C
) -> Array:
    """The embedding head's probabilities for every text, from heads fitted without its fold."""
    out = np.zeros(y.shape, dtype=np.float64)
    for tr, te in splits:
        coef, intercept = fit_embedding_head(x[tr], y[tr], c)
        out[te] = 1.0 / (1.0 + np.exp(-(x[te] @ coef.T + intercept)))
    return out


def attach_embedding_head(model: LinearTextModel, x: Array, y: IntArray, weight: float, c: float = EMBEDDING_C) -> None:
    """Fit the embedding head on all of ``x`` and mix it into ``model`` with ``weight``."""
    if weight <= 0:
        return
    model.embedding_coef, model.embedding_intercept = fit_embedding_head(x, y, c)
    model.embedding_weight = weight


#: temperatures compared for a single-choice model's softmax (1 = the fitted scores as they are)
TEMPERATURES: tuple[float, ...] = tuple(float(t) for t in np.arange(1.0, 8.01, 0.25))


def log_softmax(scores: Array, temperature: float = 1.0) -> Array:
    """Row-wise log softmax(``scores`` / temperature)."""
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    return np.asarray(z - np.log(np.exp(z).sum(axis=1, keepdims=True)), dtype=np.float64)


def softmax_nll(scores: Array, y: IntArray, weight: Array | None = None, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of the labels ``y`` under softmax(``scores`` / temperature),
    rows weighted by ``weight``."""
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    logp = log_softmax(scores, temperature)
    return float(-(w * logp[np.arange(len(y)), y]).sum() / w.sum())


def fit_temperature(scores: Array, y: IntArray, weight: Array | None = None) -> float:
    """The temperature among :data:`TEMPERATURES` under which held-out ``scores`` (already
    shifted as in use) give their labels the highest likelihood; it never changes the argmax."""
    return min(TEMPERATURES, key=lambda t: softmax_nll(scores, y, weight, t))


def log_prior(prior: Sequence[float] | Array) -> Array:
    return np.array([math.log(float(p)) for p in prior], dtype=np.float64)


def match_prior(scores: Array, target: Array, weight: Array | None = None, *, steps: int = 300) -> Array:
    """Offsets to add to ``scores`` so that their argmax labels the rows in the ``target`` mix.

    This is how the genre model adapts to a sample of unlabeled articles from the period it
    will be used on: no label of that sample is read, only how the model would call it. The
    first label's offset stays 0. The offsets move by the log ratio of wanted to current share
    (damped); the closest mix met on the way wins, so a tie between rows cannot make it cycle.
    """
    w = np.ones(len(scores)) if weight is None else np.asarray(weight, dtype=np.float64)
    k = scores.shape[1]
    bias = np.zeros(k)
    best, best_gap = bias.copy(), math.inf
    for _ in range(steps):
        pred = (scores + bias).argmax(axis=1)
        share = np.bincount(pred, weights=w, minlength=k) / w.sum()
        gap = float(np.abs(share - target).sum())
        if gap < best_gap - 1e-12:
            best, best_gap = bias.copy(), gap
        if gap < 1e-3:
            break
        bias = bias + 0.1 * (np.log(target + 1e-3) - np.log(share + 1e-3))
        bias = bias - bias[0]
    return best


__all__ = [
    "TEMPERATURES",
    "FitConfig",
    "Fitted",
    "best_thresholds",
    "fit_linear",
    "fit_temperature",
    "folds",
    "log_prior",
    "log_softmax",
    "macro_f1",
    "match_prior",
    "mean_sd",
    "micro_f1",
    "micro_thresholds",
    "out_of_fold",
    "samples_f1",
    "softmax_nll",
]
