"""Helpers for the substance tests: run analyzers on a text, read records back."""

from __future__ import annotations

from collections.abc import Sequence

from unspun.article import Analysis, Article, Record
from unspun.pipeline import Analyzer


def run(text: str, analyzers: Sequence[Analyzer]) -> Analysis:
    analysis = Analysis(article=Article.from_text(text))
    for analyzer in analyzers:
        analyzer(analysis)
    return analysis


def role(analysis: Analysis, record: Record, name: str) -> str | None:
    """The text of the spans filling ``name`` in the record, or ``None``."""
    ids = record.spans.get(name)
    if not ids:
        return None
    return " ".join(analysis.span_text(analysis.span(i)) for i in ids)


def records(analysis: Analysis, type_: str) -> list[Record]:
    return [r for r in analysis.records if r.type == type_]
