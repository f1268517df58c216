"""The corpus report: one self-contained HTML page (no scripts, styles, fonts or images from
elsewhere) with charts drawn here as inline SVG, so it opens offline and can be mailed.

Its sections are the partial ``_corpus.html.j2``, which the web app's compare and outlet
pages render too, through the same shared environment."""

from __future__ import annotations

import colorsys
from collections import Counter, defaultdict
from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from unspun.article import Analysis
from unspun.corpus.analyses import TECHNIQUE_ANALYZER, word_count
from unspun.corpus.compare import DEFAULT_WINDOW_DAYS, compare
from unspun.corpus.profiles import profiles
from unspun.render.page import environment

OUTLET_CHART = "Persuasion technique spans per 1,000 words, by outlet"
MONTH_CHART = "Persuasion technique spans per 1,000 words, by month of publication"
_BAR = 18
_LABEL_W = 170
_CHART_W = 520


def palette(labels: Sequence[str]) -> dict[str, str]:
    """A distinct colour per label, spread round the hue circle in a fixed order."""
    out = {}
    for i, label in enumerate(sorted(labels)):
        r, g, b = colorsys.hls_to_rgb((i * 0.618034) % 1.0, 0.55, 0.55)
        out[label] = f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
    return out


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, float]]], colours: dict[str, str], unit: str, *, label: str = "chart"
) -> Markup:
    """Horizontal stacked bars, one per row, each segment titled with its label and value;
    ``label`` names the chart for screen readers (an image without one is an axe violation)."""
    top = max((sum(parts.values()) for _, parts in rows), default=0.0) or 1.0
    height = len(rows) * (_BAR + 8) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_LABEL_W + _CHART_W + 60}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">'
    ]
    for n, (name, parts) in enumerate(rows):
        y = 8 + n * (_BAR + 8)
        out.append(f'<text x="{_LABEL_W - 6}" y="{y + 13}" text-anchor="end" font-size="12">{escape(name)}</text>')
        x = float(_LABEL_W)
        for label, value in parts.items():
            w = _CHART_W * value / top
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{_BAR}" fill="{colours.get(label, "#999")}">'
                f"<title>{escape(label)}: {value:g} {escape(unit)}</title></rect>"
            )
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="11">{sum(parts.values()):.1f}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def techniques_by_month(analyses: Sequence[Analysis]) -> list[tuple[str, dict[str, float]]]:
    """Techniques per 1,000 words in each month of publication (undated articles left out)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    words: Counter[str] = Counter()
    for a in analyses:
        published = a.article.meta.published
        if published is None:
            continue
        month = published.strftime("%Y-%m")
        words[month] += word_count(a.text)
        counts[month].update(s.label for s in a.spans if s.analyzer == TECHNIQUE_ANALYZER)
    return [
        (month, {k: round(n * 1000 / words[month], 3) for k, n in counts[month].most_common()} if words[month] else {})
        for month in sorted(words)
    ]


def compare_html(result: dict[str, Any]) -> str:
    """The page for `unspun compare --format html`."""
    return environment().get_template("corpus.html.j2").render(title="unspun compare", compare=result, sections={"compare"})


def report_html(analyses: Sequence[Analysis], *, window_days: int = DEFAULT_WINDOW_DAYS) -> str:
    """The page for `unspun report`."""
    found = profiles(analyses)
    by_month = techniques_by_month(analyses)
    labels = {k for p in found for k in p["techniques"]} | {k for _, parts in by_month for k in parts}
    colours = palette(sorted(labels))
    undated = sum(1 for a in analyses if a.article.meta.published is None)
    return environment().get_template("corpus.html.j2").render(
        title="unspun corpus report",
        sections={"outlets", "months", "actors", "compare"},
        articles=len(analyses),
        undated=undated,
        profiles=found,
        legend=sorted(colours.items()),
        outlet_chart=stacked_bars(
            [(p["outlet"], p["techniques"]) for p in found], colours, "per 1,000 words", label=OUTLET_CHART
        ),
        month_chart=stacked_bars(by_month, colours, "per 1,000 words", label=MONTH_CHART),
        months=len(by_month),
        compare=compare(analyses, window_days=window_days),
    )


__all__ = ["MONTH_CHART", "OUTLET_CHART", "compare_html", "palette", "report_html", "stacked_bars", "techniques_by_month"]
