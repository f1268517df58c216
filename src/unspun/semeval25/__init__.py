"""SemEval-2025 Task 10 subtask 2 (narratives and subnarratives): files, prediction, scoring.

The task's data may not be redistributed; nothing here ships any of it.
"""

from __future__ import annotations

import typing as _typing

from unspun._lazy import lazy_exports as _lazy_exports

# Imported on first use: the CLI imports this package to register its commands.
_EXPORTS = {
    "NarrativeRow": "unspun.semeval25.files",
    "predict_narratives": "unspun.semeval25.files",
    "read_annotations": "unspun.semeval25.files",
    "read_documents": "unspun.semeval25.files",
    "write_annotations": "unspun.semeval25.files",
    "NarrativeScores": "unspun.semeval25.scoring",
    "samples_f1": "unspun.semeval25.scoring",
    "score_narratives": "unspun.semeval25.scoring",
}

if _typing.TYPE_CHECKING:
    from unspun.semeval25.files import (
        NarrativeRow,
        predict_narratives,
        read_annotations,
        read_documents,
        write_annotations,
    )
    from unspun.semeval25.scoring import NarrativeScores, samples_f1, score_narratives

__getattr__ = _lazy_exports(__name__, _EXPORTS)

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
