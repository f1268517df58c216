"""SemEval-2023 Task 3 subtask 3 (persuasion techniques): file formats, prediction, scoring.

The task's data may not be redistributed, so nothing here ships any of it: the readers take
the paths of a local copy.
"""

from __future__ import annotations

import typing as _typing

from unspun._lazy import lazy_exports as _lazy_exports

# Imported on first use: the CLI imports this package to register its commands.
_EXPORTS = {
    "GoldSpan": "unspun.semeval.data",
    "SemevalArticle": "unspun.semeval.data",
    "read_articles": "unspun.semeval.data",
    "read_paragraph_labels": "unspun.semeval.data",
    "read_spans": "unspun.semeval.data",
    "read_techniques": "unspun.semeval.data",
    "read_template": "unspun.semeval.data",
    "write_paragraph_labels": "unspun.semeval.data",
    "write_spans": "unspun.semeval.data",
    "ParagraphScores": "unspun.semeval.scoring",
    "SpanScores": "unspun.semeval.scoring",
    "score_paragraphs": "unspun.semeval.scoring",
    "score_spans": "unspun.semeval.scoring",
}

if _typing.TYPE_CHECKING:
    from unspun.semeval.data import (
        GoldSpan,
        SemevalArticle,
        read_articles,
        read_paragraph_labels,
        read_spans,
        read_techniques,
        read_template,
        write_paragraph_labels,
        write_spans,
    )
    from unspun.semeval.scoring import ParagraphScores, SpanScores, score_paragraphs, score_spans

__getattr__ = _lazy_exports(__name__, _EXPORTS)

__all__ = [
    "GoldSpan",
    "ParagraphScores",
    "SemevalArticle",
    "SpanScores",
    "read_articles",
    "read_paragraph_labels",
    "read_spans",
    "read_techniques",
    "read_template",
    "score_paragraphs",
    "score_spans",
    "write_paragraph_labels",
    "write_spans",
]
