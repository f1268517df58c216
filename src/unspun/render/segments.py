"""What the views share: which spans to highlight, their colours in the terminal, labels."""

from __future__ import annotations

from unspun.article import Analysis, Span
from unspun.taxonomy import CATEGORIES, TECHNIQUES

# Spans that structure the text rather than say something about it: every character is in
# one, so highlighting them would hide everything else.
STRUCTURAL_LABELS = frozenset({"sentence"})

CATEGORY_COLOURS: dict[str, str] = dict(
    zip(CATEGORIES, ["#e15759", "#f28e2b", "#edc948", "#76b7b2", "#b07aa1", "#ff9da7"], strict=True)
)
OTHER_COLOUR = "#9ecae9"


def findings(analysis: Analysis) -> list[Span]:
    """The spans a reader should see, in text order."""
    return sorted(
        (s for s in analysis.spans if s.label not in STRUCTURAL_LABELS),
        key=lambda s: (s.start, -s.end, s.label),
    )


def colour(span: Span) -> str:
    category = span.attrs.get("category")
    if isinstance(category, str) and category in CATEGORY_COLOURS:
        return CATEGORY_COLOURS[category]
    technique = TECHNIQUES.get(span.label)
    return CATEGORY_COLOURS[technique.category] if technique else OTHER_COLOUR


def explanation(span: Span) -> str:
    """One line a reader can hover over: label, score, category and definition."""
    parts = [f"{span.label} ({span.score:.2f}, {span.analyzer})"]
    technique = TECHNIQUES.get(span.label)
    definition = span.attrs.get("definition") or (technique.definition if technique else None)
    category = span.attrs.get("category") or (technique.category if technique else None)
    if category:
        parts.append(str(category))
    if definition:
        parts.append(str(definition))
    return " — ".join(parts)


def record_summary(analysis: Analysis) -> list[tuple[str, str, str]]:
    """(type, what, evidence text) for every record, for tables."""
    rows: list[tuple[str, str, str]] = []
    for r in analysis.records:
        attrs = ", ".join(
            f"{k}={v}" for k, v in r.attrs.items() if v is not False and v not in (None, "", [], {}) and k != "definition"
        )
        evidence = " | ".join(
            f"{role}: {analysis.span_text(analysis.span(i))}" for role, ids in r.spans.items() for i in ids[:1]
        )
        rows.append((r.type, attrs, evidence))
    return rows
