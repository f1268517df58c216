"""The narrative model: a gate, narratives and subnarratives, decoded into one consistent set.

Three linear models (numpy only, see :class:`~unspun.articlelevel.linear.LinearTextModel`):
``gate`` says whether the document carries any narrative at all; ``narratives`` and
``subnarratives`` score each label on its own. Decoding keeps the hierarchy: no narrative
passes unless the gate does (else the document is ``Other``), at least one narrative is
kept when it does, and a subnarrative is kept only under a kept narrative; a kept narrative
with no subnarrative of its own gets ``<narrative>: Other``, as the task's annotators wrote.
A narrative's score may also lean on its best subnarrative's (``sub_weight``): the two
models read the same text, and a confident subnarrative is evidence for its parent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from unspun.articlelevel.linear import LinearTextModel, resource_dir

OTHER = "Other"
Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class NarrativePrediction:
    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]
    gate: float
    scores: dict[str, float]


def parent_of(sub: str, narratives: tuple[str, ...]) -> str | None:
    """The narrative a subnarrative label belongs to (its longest matching prefix)."""
    found = [n for n in narratives if sub.startswith(n + ": ")]
    return max(found, key=len) if found else None


@dataclass
class NarrativeModel:
    gate: LinearTextModel
    narratives: LinearTextModel
    subnarratives: LinearTextModel
    gate_threshold: float
    narrative_threshold: float
    sub_threshold: float
    #: how much of a narrative's score is its best subnarrative's (0: its own model alone)
    sub_weight: float = 0.0

    @cached_property
    def _parents(self) -> list[str | None]:
        return [parent_of(s, self.narratives.labels) for s in self.subnarratives.labels]

    @cached_property
    def _children(self) -> list[npt.NDArray[np.int64]]:
        parents = self._parents
        return [
            np.array([j for j, p in enumerate(parents) if p == n], dtype=np.int64) for n in self.narratives.labels
        ]

    def narrative_scores(self, p_narr: Array, p_sub: Array) -> Array:
        """The narratives' scores after leaning ``sub_weight`` on their best subnarrative."""
        if not self.sub_weight:
            return p_narr
        best_child = np.array([float(p_sub[c].max()) if len(c) else 0.0 for c in self._children])
        return np.asarray((1 - self.sub_weight) * p_narr + self.sub_weight * best_child, dtype=np.float64)

    def decode(self, gate: float, p_narr: Array, p_sub: Array) -> NarrativePrediction:
        narr_labels = self.narratives.labels
        p_narr = self.narrative_scores(p_narr, p_sub)
        scores: dict[str, float] = {}
        if gate < self.gate_threshold:
            return NarrativePrediction((OTHER,), (OTHER,), gate, scores)
        chosen = [int(j) for j in np.argsort(-p_narr, kind="stable") if p_narr[j] >= self.narrative_threshold]
        if not chosen:
            chosen = [int(p_narr.argmax())]
        narratives = tuple(narr_labels[j] for j in chosen)
        for j in chosen:
            scores[narr_labels[j]] = float(p_narr[j])
        subs: list[str] = []
        for n in narratives:
            mine = [
                int(j)
                for j in np.argsort(-p_sub, kind="stable")
                if p_sub[j] >= self.sub_threshold and self._parents[j] == n
            ]
            if mine:
                for j in mine:
                    subs.append(self.subnarratives.labels[j])
                    scores[self.subnarratives.labels[j]] = float(p_sub[j])
            else:
                subs.append(f"{n}: {OTHER}")
        return NarrativePrediction(narratives, tuple(subs), gate, scores)

    @property
    def uses_embedding(self) -> bool:
        return any(p.uses_embedding for p in (self.gate, self.narratives, self.subnarratives))

    def probabilities(self, text: str, vector: Array | None = None) -> tuple[float, Array, Array]:
        """The three parts' probabilities; ``vector`` is the shared encoder's article vector
        of ``text`` (computed here when not given and an embedding head needs it)."""
        if vector is None and self.uses_embedding:
            from unspun.articlelevel.shared import text_vector

            vector = np.asarray(text_vector(text), dtype=np.float64)
        return (
            float(self.gate.proba(text, vector)[0]),
            self.narratives.proba(text, vector),
            self.subnarratives.proba(text, vector),
        )

    def predict(self, text: str, vector: Array | None = None) -> NarrativePrediction:
        return self.decode(*self.probabilities(text, vector))

    def save(self, directory: Path) -> None:
        for part in ("gate", "narratives", "subnarratives"):
            getattr(self, part).save(directory / part)
        (directory / "decoder.json").write_text(
            json.dumps(
                {
                    "gate_threshold": self.gate_threshold,
                    "narrative_threshold": self.narrative_threshold,
                    "sub_threshold": self.sub_threshold,
                    "sub_weight": self.sub_weight,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )

    @classmethod
    def load(cls, directory: Path) -> NarrativeModel:
        d = json.loads((directory / "decoder.json").read_text(encoding="utf-8"))
        return cls(
            gate=LinearTextModel.load(directory / "gate"),
            narratives=LinearTextModel.load(directory / "narratives"),
            subnarratives=LinearTextModel.load(directory / "subnarratives"),
            gate_threshold=float(d["gate_threshold"]),
            narrative_threshold=float(d["narrative_threshold"]),
            sub_threshold=float(d["sub_threshold"]),
            sub_weight=float(d.get("sub_weight", 0.0)),
        )


@lru_cache(maxsize=4)
def _load(directory: Path) -> NarrativeModel:
    return NarrativeModel.load(directory)


def load_narrative_model(directory: Path | None = None) -> NarrativeModel:
    """The shipped narrative model, or the one in ``directory``."""
    return _load((directory or resource_dir("narratives")).resolve())


__all__ = ["OTHER", "NarrativeModel", "NarrativePrediction", "load_narrative_model", "parent_of"]
