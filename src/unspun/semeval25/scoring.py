"""The subtask-2 measure, written in-house after the published definition: F1 averaged over
documents ("samples"), computed once on narratives and once on subnarratives, with
``Other`` counted as a label like any other.

A document of the gold missing from the prediction counts as predicted empty; predictions
for documents not in the gold are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from unspun.semeval25.files import NarrativeRow


def samples_f1(gold: Iterable[frozenset[str]], pred: Iterable[frozenset[str]]) -> float:
    """Mean over documents of the F1 between the gold and predicted label sets.

    A document with both sets empty scores 0, as in scikit-learn's ``average="samples"``;
    with ``Other`` as a label this never happens on well-formed files.
    """
    scores = []
    for g, p in zip(gold, pred, strict=True):
        denom = len(g) + len(p)
        scores.append(2 * len(g & p) / denom if denom else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


@dataclass(frozen=True)
class NarrativeScores:
    narratives_f1: float
    subnarratives_f1: float
    documents: int


def score_narratives(gold: Mapping[str, NarrativeRow], pred: Mapping[str, NarrativeRow]) -> NarrativeScores:
    keys = list(gold)
    empty = NarrativeRow("", (), ())
    p = [pred.get(k, empty) for k in keys]
    coarse = samples_f1([frozenset(gold[k].narratives) for k in keys], [frozenset(r.narratives) for r in p])
    fine = samples_f1([frozenset(gold[k].subnarratives) for k in keys], [frozenset(r.subnarratives) for r in p])
    return NarrativeScores(coarse, fine, len(keys))


__all__ = ["NarrativeScores", "samples_f1", "score_narratives"]
