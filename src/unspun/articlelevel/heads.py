"""Article heads: small linear models over what the shared encoder and the persuasion model
already computed for an article (:mod:`unspun.articlelevel.shared`), run with numpy alone.

A head reads named feature blocks (``vector``: the article vector; ``persuasion``: the
persuasion profile; ``style``: the style measures of :mod:`unspun.articlelevel.features`).
A block may first be projected (a PCA fitted in training, stored as ``center`` and
``components``); the blocks are then standardised, clipped, and scored linearly. A
single-choice head (genre) adds its ``offsets`` and divides by its ``temperature`` before
the softmax, both fitted on the newer labelled articles; a multi-label head (frames) gives
independent sigmoids and keeps the labels over their ``thresholds``.

``model.json`` holds the labels, the blocks and the model card's figures;
``weights.safetensors`` the arrays. Nothing is unpickled, nothing needs scikit-learn.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspun.articlelevel.linear import resource_dir
from unspun.articlelevel.weights import load_tensors, save_tensors

Array = npt.NDArray[np.float64]

FORMAT_VERSION = 2
#: standardised features are clipped to this many standard deviations
CLIP = 5.0


@dataclass
class ArticleHead:
    name: str
    labels: tuple[str, ...]
    multilabel: bool
    #: (block name, input width) in the order the coefficients read them
    blocks: tuple[tuple[str, int], ...]
    coef: Array
    intercept: Array
    mean: Array
    scale: Array
    #: per block: (center, components) of its projection, when it has one
    projections: dict[str, tuple[Array, Array]] = field(default_factory=dict)
    offsets: Array = field(default_factory=lambda: np.zeros(0))
    temperature: float = 1.0
    thresholds: Array = field(default_factory=lambda: np.zeros(0))
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        k = len(self.labels)
        if self.offsets.size == 0:
            self.offsets = np.zeros(k)
        if self.thresholds.size == 0:
            self.thresholds = np.full(k, 0.5)
        width = sum(self.projections[b][1].shape[0] if b in self.projections else n for b, n in self.blocks)
        if self.coef.shape != (k, width):
            raise ValueError(f"{self.name}: coef has shape {self.coef.shape}, expected {(k, width)}")
        if not self.temperature > 0:
            raise ValueError(f"{self.name}: temperature must be positive, not {self.temperature}")

    @property
    def block_names(self) -> tuple[str, ...]:
        return tuple(b for b, _ in self.blocks)

    def design(self, features: Mapping[str, npt.NDArray[np.floating[Any]]]) -> Array:
        """The standardised, clipped design matrix of a batch (each block: rows of one width)."""
        parts: list[Array] = []
        for name, width in self.blocks:
            x = np.atleast_2d(np.asarray(features[name], dtype=np.float64))
            if x.shape[1] != width:
                raise ValueError(f"{self.name}: block {name!r} has width {x.shape[1]}, expected {width}")
            if name in self.projections:
                center, components = self.projections[name]
                x = (x - center) @ components.T
            parts.append(x)
        x = np.concatenate(parts, axis=1)
        return np.asarray(np.clip((x - self.mean) / self.scale, -CLIP, CLIP), dtype=np.float64)

    def decision(self, features: Mapping[str, npt.NDArray[np.floating[Any]]]) -> Array:
        """Raw linear scores, a row per article (before offsets and temperature)."""
        return np.asarray(self.design(features) @ self.coef.T + self.intercept, dtype=np.float64)

    def proba(self, features: Mapping[str, npt.NDArray[np.floating[Any]]]) -> Array:
        """Per-label probabilities, a row per article."""
        z = self.decision(features)
        if self.multilabel:
            return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)
        z = (z + self.offsets) / self.temperature
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)

    def predict(self, features: Mapping[str, npt.NDArray[np.floating[Any]]]) -> list[list[str]]:
        p = self.proba(features)
        if self.multilabel:
            return [[lab for lab, pi, t in zip(self.labels, row, self.thresholds, strict=True) if pi >= t] for row in p]
        return [[self.labels[int(row.argmax())]] for row in p]

    def paragraph_weights(
        self, features: Mapping[str, npt.NDArray[np.floating[Any]]], paragraphs: npt.NDArray[np.floating[Any]]
    ) -> Array:
        """How much each paragraph, read alone, pushes each label: the head's scores with the
        article vector replaced by the paragraph's own (its other blocks kept), a row per
        paragraph. For a single-choice head, relative to the mean over labels."""
        if len(paragraphs) == 0:
            return np.zeros((0, len(self.labels)))
        unit = paragraphs / np.maximum(np.linalg.norm(paragraphs, axis=1, keepdims=True), 1e-12)
        batch = {name: np.repeat(np.atleast_2d(features[name]), len(unit), axis=0) for name in self.block_names}
        batch["vector"] = np.concatenate([unit, unit], axis=1)
        z = self.decision(batch)
        if not self.multilabel:
            z = z - z.mean(axis=1, keepdims=True)
        return z

    # -- files --------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        doc = {
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "labels": list(self.labels),
            "multilabel": self.multilabel,
            "blocks": [[b, n] for b, n in self.blocks],
            "temperature": self.temperature,
            "meta": self.meta,
        }
        (directory / "model.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tensors: dict[str, npt.NDArray[np.generic]] = {
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float64),
            "mean": self.mean.astype(np.float64),
            "scale": self.scale.astype(np.float64),
            "offsets": self.offsets.astype(np.float64),
            "thresholds": self.thresholds.astype(np.float64),
        }
        for b, (center, components) in self.projections.items():
            tensors[f"{b}.center"] = center.astype(np.float32)
            tensors[f"{b}.components"] = components.astype(np.float32)
        save_tensors(directory / "weights.safetensors", tensors)

    @classmethod
    def load(cls, directory: Path) -> ArticleHead:
        doc = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if doc.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{directory}: article model format {doc.get('format_version')}, expected {FORMAT_VERSION}; "
                "retrain it with scripts/train_article_models.py"
            )
        t = load_tensors(directory / "weights.safetensors")

        def f64(name: str) -> Array:
            return np.asarray(t[name], dtype=np.float64)

        blocks = tuple((str(b), int(n)) for b, n in doc["blocks"])
        return cls(
            name=doc["name"],
            labels=tuple(doc["labels"]),
            multilabel=bool(doc["multilabel"]),
            blocks=blocks,
            coef=f64("coef"),
            intercept=f64("intercept"),
            mean=f64("mean"),
            scale=f64("scale"),
            projections={b: (f64(f"{b}.center"), f64(f"{b}.components")) for b, _ in blocks if f"{b}.center" in t},
            offsets=f64("offsets"),
            temperature=float(doc.get("temperature", 1.0)),
            thresholds=f64("thresholds"),
            meta=doc.get("meta", {}),
        )


@lru_cache(maxsize=8)
def _load(directory: Path) -> ArticleHead:
    return ArticleHead.load(directory)


def load_head(kind: str, directory: Path | None = None) -> ArticleHead:
    """The shipped head of ``kind`` (``genre``, ``frames``), or the one in ``directory``."""
    return _load((directory or resource_dir(kind)).resolve())


__all__ = ["CLIP", "FORMAT_VERSION", "ArticleHead", "load_head"]
