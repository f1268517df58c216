"""Stored analyses as the corpus views read them: every article rebuilt with its latest
results, plus the small lookups (sentence of a span, techniques over a range) they share."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from unspun.article import Analysis, Span

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when a command opens one
    from unspun.store import Store

# The analyzer whose spans are persuasion techniques; the other analyzers' labels are not.
TECHNIQUE_ANALYZER = "persuasion"

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def stored_analyses(store: Store) -> Iterator[Analysis]:
    """Every stored article, in ingest order, with each analyzer's latest stored result."""
    for article in store.articles():
        yield store.analysis(article.id)


def outlet_of(analysis: Analysis) -> str:
    """The outlet as the views group by it: ``meta.outlet`` (from the input's metadata or the
    page's site name), else ``unknown``.

    One rule everywhere: `search` filters on the same ``meta.outlet``, so an outlet a view
    shows is one ``--outlet`` finds. A folder's name is not taken for an outlet.
    """
    return analysis.article.meta.outlet or "unknown"


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


class SpanIndex:
    """Sentences and techniques of one analysis, for looking up what surrounds a span."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.sentences = sorted(analysis.spans_by(label="sentence"), key=lambda s: s.start)
        self._starts = [s.start for s in self.sentences]
        self.techniques = [s for s in analysis.spans if s.analyzer == TECHNIQUE_ANALYZER]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The stored sentence holding ``start``; the span itself when no sentence covers it."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self.sentences[i].end >= end:
            return self.sentences[i].start, self.sentences[i].end
        return start, end

    def techniques_over(self, start: int, end: int) -> list[Span]:
        return [s for s in self.techniques if s.start < end and start < s.end]


__all__ = ["TECHNIQUE_ANALYZER", "SpanIndex", "outlet_of", "stored_analyses", "word_count"]
