"""One self-contained HTML page per run: no external CSS, scripts, fonts or images."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from unspun.article import Analysis, Problem
from unspun.render.segments import (
    CATEGORY_COLOURS,
    colour,
    explanation,
    findings,
    record_summary,
    segments,
)

_ENV = Environment(
    loader=PackageLoader("unspun.render", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class _Piece:
    text: str
    span_ids: str
    title: str
    style: str


def _pieces(analysis: Analysis) -> list[_Piece]:
    spans = findings(analysis)
    text = analysis.article.text
    out: list[_Piece] = []
    for seg in segments(text, spans):
        chunk = text[seg.start : seg.end]
        if not seg.spans:
            out.append(_Piece(chunk, "", "", ""))
            continue
        # The innermost (shortest) span decides the colour; all are listed on hover.
        inner = min(seg.spans, key=lambda s: s.end - s.start)
        depth = min(len(seg.spans), 3)
        out.append(
            _Piece(
                chunk,
                " ".join(s.id for s in seg.spans),
                "\n".join(explanation(s) for s in seg.spans),
                f"background:{colour(inner)}; border-bottom:{depth}px solid #333",
            )
        )
    return out


def render_html(analyses: Sequence[Analysis], rejects: Sequence[Problem] = ()) -> str:
    """The page for one or more analyses, with any rejected inputs listed at the end."""
    template = _ENV.get_template("report.html.j2")
    docs = [
        {
            "a": a,
            "pieces": _pieces(a),
            "spans": [(s, a.span_text(s), explanation(s)) for s in findings(a)],
            "records": record_summary(a),
        }
        for a in analyses
    ]
    return template.render(docs=docs, rejects=rejects, legend=CATEGORY_COLOURS)
