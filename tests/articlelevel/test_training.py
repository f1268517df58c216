"""Training on in-house texts: the numpy export scores exactly as scikit-learn does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspun.articlelevel.linear import LinearTextModel
from unspun.articlelevel.training import (
    FitConfig,
    fit_linear,
    macro_f1,
    micro_f1,
    samples_f1,
)

from ._texts import ALL, OPINION, REPORTING, SATIRE

pytestmark = pytest.mark.usefixtures("train_extra")

_PROBES = [
    "A new, unseen text about the harbour council and its ferry route, officials said.",
    "You must be furious: the whole plan is a disgrace! Why do we let them?",
    "Nothing here matches anything",
    "",
]


def _corpus() -> tuple[list[str], np.ndarray]:  # type: ignore[type-arg]
    texts = REPORTING * 3 + OPINION * 3 + SATIRE * 3
    y = np.array([1] * (2 * 3) + [0] * (2 * 3) + [2] * 3, dtype=np.int64)
    return texts, y


@pytest.mark.parametrize(("use_style", "tfidf_weight"), [(False, 1.0), (True, 1.0), (True, 0.0)])
def test_numpy_inference_equals_sklearn_single_label(use_style: bool, tfidf_weight: float, tmp_path: Path) -> None:
    texts, y = _corpus()
    cfg = FitConfig(c=1.0, use_style=use_style, tfidf_weight=tfidf_weight, min_df=1)
    fitted = fit_linear("genre", texts, y, ["opinion", "reporting", "satire"], cfg)
    assert bool(fitted.model.vocabulary) == (tfidf_weight > 0)
    fitted.model.save(tmp_path / "m")
    loaded = LinearTextModel.load(tmp_path / "m")
    probe = ALL + _PROBES
    ours = np.stack([loaded.decision(t) for t in probe])
    np.testing.assert_allclose(ours, fitted.sklearn_decision(probe), rtol=1e-4, atol=1e-5)
    proba = np.stack([fitted.model.proba(t) for t in probe])
    np.testing.assert_allclose(proba, fitted.classifiers[0].predict_proba(_design(fitted, probe)), atol=1e-6)


def _design(fitted, texts):  # type: ignore[no-untyped-def]
    from unspun.articlelevel.training import _design as design

    return design(fitted.vectorizer, texts, fitted.model)


def test_numpy_inference_equals_sklearn_multilabel(tmp_path: Path) -> None:
    texts, y1 = _corpus()
    y = np.stack([(y1 == 0), (y1 == 1), np.zeros(len(y1), dtype=bool)], axis=1).astype(np.int64)
    fitted = fit_linear("frames", texts, y, ["a", "b", "never"], FitConfig(c=2.0, min_df=1), multilabel=True)
    fitted.model.save(tmp_path / "m")
    loaded = LinearTextModel.load(tmp_path / "m")
    probe = ALL + _PROBES
    ours = np.stack([loaded.decision(t) for t in probe])
    np.testing.assert_allclose(ours, fitted.sklearn_decision(probe), rtol=1e-4, atol=1e-5)
    assert all("never" not in loaded.predict(t) for t in probe)


def _sampled(scale: float, n: int = 3000) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[type-arg]
    """Labels drawn from softmax(true logits); the scores handed over are ``scale`` times
    those logits, i.e. ``scale`` times too sure of themselves."""
    rng = np.random.default_rng(5)
    logits = rng.normal(scale=1.5, size=(n, 3))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(3, p=row) for row in p], dtype=np.int64)
    return logits * scale, y




def test_metrics_on_hand_made_cases() -> None:
    gold = np.array([0, 0, 1, 2])
    pred = np.array([0, 1, 1, 1])
    assert macro_f1(gold, pred, 3) == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    g = np.array([[1, 0], [1, 1]])
    p = np.array([[1, 1], [0, 1]])
    assert micro_f1(g, p) == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    # Row weights count a row's cells that many times: the second row alone, then doubled.
    assert micro_f1(g, p, np.array([0.0, 1.0])) == pytest.approx(2 * 1 / (2 * 1 + 0 + 1))
    assert micro_f1(g, p, np.array([1.0, 2.0])) == pytest.approx(2 * 3 / (2 * 3 + 1 + 2))
    assert samples_f1(g, p) == pytest.approx((2 / 3 + 2 / 3) / 2)


def test_embedding_head_learns_a_separable_label_and_stays_out_of_fold() -> None:
    from unspun.articlelevel.training import embedding_out_of_fold, fit_embedding_head, folds

    rng = np.random.default_rng(0)
    # Vectors on very different scales: the head standardises them and folds that back in.
    x = rng.normal(size=(60, 8)) * np.array([0.01, 1, 1, 1, 1, 1, 1, 100.0]) + 3.0
    y = np.stack([(x[:, 0] > 3.0), np.zeros(60, dtype=bool)], axis=1).astype(np.int64)
    coef, intercept = fit_embedding_head(x, y, 1.0)
    p = 1 / (1 + np.exp(-(x @ coef[0] + intercept[0])))
    assert ((p >= 0.5) == (y[:, 0] == 1)).mean() > 0.9
    # a label that never occurs gets a constant, near-zero probability
    assert not coef[1].any() and intercept[1] < -5
    splits = folds(y[:, 0], 3, 0)
    oof = embedding_out_of_fold(x, y, splits, 1.0)
    assert ((oof[:, 0] >= 0.5) == (y[:, 0] == 1)).mean() > 0.85
    # each row was scored by a head that never saw it: refitting without its fold gives it
    tr, te = splits[0]
    c, b = fit_embedding_head(x[tr], y[tr], 1.0)
    np.testing.assert_allclose(oof[te, 0], 1 / (1 + np.exp(-(x[te] @ c[0] + b[0]))), rtol=1e-9)
    # extra rows (other languages) join every fold's training but are never scored
    extra = (x[:10] + 0.0, y[:10])
    with_extra = embedding_out_of_fold(x, y, splits, 1.0, extra)
    assert with_extra.shape == oof.shape and not np.allclose(with_extra, oof)
