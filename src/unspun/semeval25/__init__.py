"""SemEval-2025 Task 10 subtask 2 (narratives and subnarratives): files, prediction, scoring.

The task's data may not be redistributed; nothing here ships any of it.
"""

from __future__ import annotations

from unspun.semeval25.files import (
    NarrativeRow,
    predict_narratives,
    read_annotations,
    read_documents,
    write_annotations,
)
from unspun.semeval25.scoring import NarrativeScores, samples_f1, score_narratives

__all__ = [
    "NarrativeRow",
    "NarrativeScores",
    "predict_narratives",
    "read_annotations",
    "read_documents",
    "samples_f1",
    "score_narratives",
    "write_annotations",
]
