"""A linear model over article features, run with numpy alone.

Weights are trained with scikit-learn (see :mod:`unspun.articlelevel.training`) and exported
as a vocabulary, idf, style scaling and coefficients; nothing here imports scikit-learn, and
no file is unpickled. ``model.json`` holds the labels, the vocabulary and the model card's
figures; ``weights.safetensors`` the arrays.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspun.articlelevel.features import (
    STYLE_CLIP,
    STYLE_FEATURES,
    scale_style,
    style_vector,
    tfidf_vector,
    vocabulary_index,
)
from unspun.articlelevel.weights import load_tensors, save_tensors

Array = npt.NDArray[np.float64]

FORMAT_VERSION = 1
# Headline features mean nothing for a lone paragraph, so they are left out of its evidence.
_TITLE_FEATURES = np.array([name.startswith("title_") for name in STYLE_FEATURES])


@dataclass
class LinearTextModel:
    """TF-IDF (and optionally style) features, then one linear score per label.

    ``multilabel`` models score each label on its own (sigmoid, a threshold per label); the
    others pick one label (softmax), after adding ``prior_shift`` to the scores, which moves
    the decision from the prior the model was fitted under to the one expected in use, and
    dividing them by ``temperature``, which makes the probabilities honest (a model fitted
    with weak regularisation is far surer of itself than it is right) without changing
    which label wins.

    A multilabel model may also have an *embedding head*: per label, a logistic regression
    over the shared encoder's article vector (:mod:`unspun.articlelevel.shared`). Its probability
    is mixed in with weight ``embedding_weight``; evidence (:meth:`contributions`) still
    comes from the words alone, since the vector cannot be split by paragraph.
    """

    name: str
    labels: tuple[str, ...]
    multilabel: bool
    vocabulary: tuple[str, ...]
    idf: Array
    coef: Array
    intercept: Array
    use_style: bool = False
    style_mean: Array = field(default_factory=lambda: np.zeros(0))
    style_scale: Array = field(default_factory=lambda: np.ones(0))
    tfidf_weight: float = 1.0
    prior_shift: Array = field(default_factory=lambda: np.zeros(0))
    thresholds: Array = field(default_factory=lambda: np.zeros(0))
    meta: dict[str, Any] = field(default_factory=dict)
    embedding_weight: float = 0.0
    embedding_coef: Array = field(default_factory=lambda: np.zeros((0, 0)))
    embedding_intercept: Array = field(default_factory=lambda: np.zeros(0))
    temperature: float = 1.0

    def __post_init__(self) -> None:
        self._index = vocabulary_index(self.vocabulary)
        k = len(self.labels)
        if self.prior_shift.size == 0:
            self.prior_shift = np.zeros(k)
        if self.thresholds.size == 0:
            self.thresholds = np.full(k, 0.5)
        width = len(self.vocabulary) + (len(STYLE_FEATURES) if self.use_style else 0)
        if self.coef.shape != (k, width):
            raise ValueError(f"{self.name}: coef has shape {self.coef.shape}, expected {(k, width)}")
        if self.embedding_weight and (not self.multilabel or self.embedding_coef.shape[0] != k):
            raise ValueError(f"{self.name}: an embedding head needs a multilabel model and a row per label")
        if not self.temperature > 0:
            raise ValueError(f"{self.name}: temperature must be positive, not {self.temperature}")

    # -- features -----------------------------------------------------------------------
    def _tfidf(self, text: str) -> Array:
        if not self.vocabulary:
            return np.zeros(0)
        return tfidf_vector(text, self._index, self.idf) * self.tfidf_weight

    def features(self, text: str) -> Array:
        """The feature vector of an article whose first line is its headline."""
        tfidf = self._tfidf(text)
        if not self.use_style:
            return tfidf
        style = scale_style(style_vector(text), self.style_mean, self.style_scale)
        return np.concatenate([tfidf, style])

    def _piece_features(self, text: str) -> Array:
        tfidf = self._tfidf(text)
        if not self.use_style:
            return tfidf
        # Unshifted by the mean: a paragraph with no quotes should add nothing, not a debit.
        raw = np.clip(style_vector(text) / self.style_scale, -STYLE_CLIP, STYLE_CLIP)
        style = np.where(_TITLE_FEATURES, 0.0, raw)
        return np.concatenate([tfidf, style])

    # -- scores -------------------------------------------------------------------------
    def decision(self, text: str) -> Array:
        """Raw linear scores, one per label (before any prior shift)."""
        return np.asarray(self.coef @ self.features(text) + self.intercept, dtype=np.float64)

    @property
    def uses_embedding(self) -> bool:
        return self.embedding_weight > 0

    def proba(self, text: str, embedding: npt.NDArray[np.floating[Any]] | None = None) -> Array:
        """Per-label probabilities: independent sigmoids, or a softmax after the prior shift.

        With an embedding head, the head's probabilities over the shared encoder's article
        vector (``embedding``; computed from ``text`` when not given) are mixed in.
        """
        z = self.decision(text)
        if self.multilabel:
            p = 1.0 / (1.0 + np.exp(-z))
            if self.uses_embedding:
                if embedding is None:
                    from unspun.articlelevel.shared import text_vector

                    embedding = text_vector(text)
                p = (1 - self.embedding_weight) * p + self.embedding_weight * self.embedding_proba(embedding)
            return np.asarray(p, dtype=np.float64)
        z = (z + self.prior_shift) / self.temperature
        e = np.exp(z - z.max())
        return np.asarray(e / e.sum(), dtype=np.float64)

    def embedding_proba(self, embedding: npt.NDArray[np.floating[Any]]) -> Array:
        """The embedding head's own per-label probabilities."""
        z = self.embedding_coef @ np.asarray(embedding, dtype=np.float64) + self.embedding_intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def predict(self, text: str) -> list[str]:
        p = self.proba(text)
        if self.multilabel:
            return [lab for lab, pi, t in zip(self.labels, p, self.thresholds, strict=True) if pi >= t]
        return [self.labels[int(p.argmax())]]

    def contributions(self, pieces: Sequence[str]) -> Array:
        """How much each piece of text (paragraph, sentence) pushes each label: a
        ``len(pieces) x len(labels)`` matrix of feature . coefficient products.

        For a single-choice model only the differences between labels' scores matter, so
        each label's coefficients are taken relative to the mean over labels.
        """
        coef = self.coef if self.multilabel else self.coef - self.coef.mean(axis=0, keepdims=True)
        if not pieces:
            return np.zeros((0, len(self.labels)))
        x = np.stack([self._piece_features(p) for p in pieces])
        return np.asarray(x @ coef.T, dtype=np.float64)

    # -- files --------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        doc = {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "labels": list(self.labels),
            "multilabel": self.multilabel,
            "use_style": self.use_style,
            "style_features": list(STYLE_FEATURES) if self.use_style else [],
            "tfidf_weight": self.tfidf_weight,
            "embedding_weight": self.embedding_weight,
            "temperature": self.temperature,
            "meta": self.meta,
            "vocabulary": list(self.vocabulary),
        }
        (directory / "model.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        tensors: dict[str, npt.NDArray[np.generic]] = {
            "idf": self.idf.astype(np.float32),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float64),
            "prior_shift": self.prior_shift.astype(np.float64),
            "thresholds": self.thresholds.astype(np.float64),
        }
        if self.use_style:
            tensors["style_mean"] = self.style_mean.astype(np.float64)
            tensors["style_scale"] = self.style_scale.astype(np.float64)
        if self.uses_embedding:
            tensors["embedding_coef"] = self.embedding_coef.astype(np.float32)
            tensors["embedding_intercept"] = self.embedding_intercept.astype(np.float64)
        save_tensors(directory / "weights.safetensors", tensors)

    @classmethod
    def load(cls, directory: Path) -> LinearTextModel:
        doc = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if doc.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{directory}: model format {doc.get('format_version')}, expected {FORMAT_VERSION}")
        if doc["use_style"] and tuple(doc["style_features"]) != STYLE_FEATURES:
            raise ValueError(f"{directory}: the model's style features differ from this unspun's")
        t = load_tensors(directory / "weights.safetensors")

        def f64(name: str) -> Array:
            return np.asarray(t[name], dtype=np.float64)

        return cls(
            name=doc["name"],
            labels=tuple(doc["labels"]),
            multilabel=bool(doc["multilabel"]),
            vocabulary=tuple(doc["vocabulary"]),
            idf=f64("idf"),
            coef=f64("coef"),
            intercept=f64("intercept"),
            use_style=bool(doc["use_style"]),
            style_mean=f64("style_mean") if "style_mean" in t else np.zeros(0),
            style_scale=f64("style_scale") if "style_scale" in t else np.ones(0),
            tfidf_weight=float(doc["tfidf_weight"]),
            prior_shift=f64("prior_shift"),
            thresholds=f64("thresholds"),
            meta=doc.get("meta", {}),
            embedding_weight=float(doc.get("embedding_weight", 0.0)),
            embedding_coef=f64("embedding_coef") if "embedding_coef" in t else np.zeros((0, 0)),
            embedding_intercept=f64("embedding_intercept") if "embedding_intercept" in t else np.zeros(0),
            temperature=float(doc.get("temperature", 1.0)),
        )


def resource_dir(kind: str) -> Path:
    """Where the shipped weights of ``kind`` (genre, frames, narratives) live."""
    return Path(__file__).resolve().parents[1] / "resources" / "models" / kind


__all__ = ["FORMAT_VERSION", "LinearTextModel", "resource_dir"]
