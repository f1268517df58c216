"""SemEval-2023 Task 3 subtask 3 (persuasion techniques): file formats, prediction, scoring.

The task's data may not be redistributed, so nothing here ships any of it: the readers take
the paths of a local copy.
"""

from __future__ import annotations

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
