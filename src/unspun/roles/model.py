"""The role model: a main role and fine roles for an entity mention, with numpy alone.

Weights are fitted with scikit-learn by :mod:`unspun.roles.training` and exported as a
vocabulary, idf, block weights and coefficients; nothing here imports scikit-learn and no
file is unpickled. ``model.json`` holds the vocabulary, labels and settings;
``weights.safetensors`` the arrays.

The main role is a softmax over three linear scores. Each fine role has its own sigmoid;
only the fine roles of the chosen main role compete, the likeliest is always given, and
another is added when its probability reaches ``fine_threshold`` (chosen by
cross-validation: a second fine role is rare, one mention in eleven in English).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspun.articlelevel.weights import load_tensors, save_tensors
from unspun.roles.features import BLOCKS, ArticleView, block_vector, mention_features
from unspun.roles.labels import FINE_ROLES, FINE_ROLES_OF, MAIN_ROLES

Array = npt.NDArray[np.float64]

FORMAT_VERSION = 1


def default_model_dir() -> Path:
    return Path(str(files("unspun") / "resources" / "models" / "roles"))


@dataclass(frozen=True)
class RolePrediction:
    """The roles given to one mention (or one actor), with the probabilities behind them."""

    main_role: str
    main_scores: dict[str, float]
    fine_roles: tuple[str, ...]
    fine_scores: dict[str, float]

    @property
    def score(self) -> float:
        return self.main_scores[self.main_role]


@dataclass
class RoleModel:
    """Linear scores over the features of :mod:`unspun.roles.features`."""

    vocabulary: tuple[str, ...]
    block_of: npt.NDArray[np.int64]
    idf: Array
    block_weights: Array
    main_coef: Array
    main_intercept: Array
    fine_coef: Array
    fine_intercept: Array
    fine_threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        v = len(self.vocabulary)
        if self.main_coef.shape != (len(MAIN_ROLES), v) or self.fine_coef.shape != (len(FINE_ROLES), v):
            raise ValueError(
                f"role model: coefficients {self.main_coef.shape} and {self.fine_coef.shape} "
                f"do not fit a vocabulary of {v}"
            )
        self._index = {f: i for i, f in enumerate(self.vocabulary)}
        self._idf = self.idf.tolist()
        self._block_of = self.block_of.tolist()
        self._weights = self.block_weights.tolist()

    # -- features -----------------------------------------------------------------------
    def vector(self, blocks: dict[str, Counter[str]]) -> Array:
        x = np.zeros(len(self.vocabulary))
        for j, value in block_vector(blocks, self._index, self._idf, self._block_of, self._weights).items():
            x[j] = value
        return x

    def vectors(self, view: ArticleView, spans: Sequence[tuple[int, int]]) -> Array:
        """One feature row per ``(start, end)`` mention of the article."""
        if not spans:
            return np.zeros((0, len(self.vocabulary)))
        return np.stack([self.vector(mention_features(view, s, e)) for s, e in spans])

    # -- scores -------------------------------------------------------------------------
    def main_proba(self, x: Array) -> Array:
        z = x @ self.main_coef.T + self.main_intercept
        z -= z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        out: Array = e / e.sum(axis=-1, keepdims=True)
        return out

    def fine_proba(self, x: Array) -> Array:
        out: Array = 1.0 / (1.0 + np.exp(-(x @ self.fine_coef.T + self.fine_intercept)))
        return out

    def decide(self, main: Array, fine: Array) -> RolePrediction:
        """Roles from one row of main-role and fine-role probabilities."""
        m = MAIN_ROLES[int(np.argmax(main))]
        allowed = FINE_ROLES_OF[m]
        scores = {f: float(fine[FINE_ROLES.index(f)]) for f in allowed}
        ranked = sorted(allowed, key=lambda f: (-scores[f], FINE_ROLES.index(f)))
        chosen = [ranked[0]] + [f for f in ranked[1:] if scores[f] >= self.fine_threshold]
        return RolePrediction(
            main_role=m,
            main_scores={r: float(p) for r, p in zip(MAIN_ROLES, main, strict=True)},
            fine_roles=tuple(chosen),
            fine_scores=scores,
        )

    def predict(self, view: ArticleView, spans: Sequence[tuple[int, int]]) -> list[RolePrediction]:
        """Roles for each mention of the article, one by one."""
        x = self.vectors(view, spans)
        main, fine = self.main_proba(x), self.fine_proba(x)
        return [self.decide(main[i], fine[i]) for i in range(len(spans))]

    def predict_joint(self, view: ArticleView, spans: Sequence[tuple[int, int]]) -> RolePrediction:
        """Roles for an entity from all its mentions: the mean of their probabilities."""
        x = self.vectors(view, spans)
        return self.decide(self.main_proba(x).mean(axis=0), self.fine_proba(x).mean(axis=0))

    # -- storage ------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        info = {
            "format_version": FORMAT_VERSION,
            "main_roles": list(MAIN_ROLES),
            "fine_roles": list(FINE_ROLES),
            "blocks": list(BLOCKS),
            "fine_threshold": self.fine_threshold,
            "meta": self.meta,
            "vocabulary": list(self.vocabulary),
        }
        (directory / "model.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        save_tensors(
            directory / "weights.safetensors",
            {
                "block_of": self.block_of.astype(np.int32),
                "idf": self.idf.astype(np.float32),
                "block_weights": self.block_weights.astype(np.float32),
                "main_coef": self.main_coef.astype(np.float32),
                "main_intercept": self.main_intercept.astype(np.float32),
                "fine_coef": self.fine_coef.astype(np.float32),
                "fine_intercept": self.fine_intercept.astype(np.float32),
            },
        )

    @classmethod
    def load(cls, directory: Path | None = None) -> RoleModel:
        directory = directory or default_model_dir()
        info = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if info.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{directory}: role model format {info.get('format_version')}, expected {FORMAT_VERSION}")
        if tuple(info["main_roles"]) != MAIN_ROLES or tuple(info["fine_roles"]) != FINE_ROLES:
            raise ValueError(f"{directory}: the model's roles differ from unspun.roles.labels")
        t = load_tensors(directory / "weights.safetensors")

        def f64(name: str) -> Array:
            return np.asarray(t[name], dtype=np.float64)

        return cls(
            vocabulary=tuple(info["vocabulary"]),
            block_of=np.asarray(t["block_of"], dtype=np.int64),
            idf=f64("idf"),
            block_weights=f64("block_weights"),
            main_coef=f64("main_coef"),
            main_intercept=f64("main_intercept"),
            fine_coef=f64("fine_coef"),
            fine_intercept=f64("fine_intercept"),
            fine_threshold=float(info["fine_threshold"]),
            meta=dict(info.get("meta", {})),
        )


@lru_cache(maxsize=4)
def load_model(directory: Path | None = None) -> RoleModel:
    """The model in ``directory`` (the shipped one by default), loaded once per process."""
    return RoleModel.load(directory)


__all__ = ["FORMAT_VERSION", "RoleModel", "RolePrediction", "default_model_dir", "load_model"]
