"""The terminal view: the text with highlighted spans, then tables of findings.

Articles are untrusted: their text may hold terminal escape sequences (a window title set
by ``ESC]0;``, colours, a cursor sent back by a carriage return) and what looks like rich
markup (``[link=...]``, ``[/]``). Every control character is shown as its Unicode control
picture (ESC as ␛), one character for one, so offsets still match; and no string from an
article is read as markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from unspun.article import Analysis
from unspun.render.segments import colour, explanation, findings, record_summary

# C0 controls but tab and line feed, DEL, and the C1 controls (CSI is one byte there).
_CONTROLS = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_CONTROLS[0x7F] = 0x2421
_CONTROLS.update({c: 0xFFFD for c in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible one (same length)."""
    return text.translate(_CONTROLS)


def _visible_data(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [_visible_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _visible_data(v) for k, v in value.items()}
    return value


def displayable(analysis: Analysis) -> Analysis:
    """The analysis with every string made safe to print (offsets unchanged)."""
    return Analysis.model_validate(_visible_data(analysis.model_dump(mode="json")))


def _cells(*values: str | Text) -> list[Text]:
    # A str given to a rich table is parsed as markup; a Text never is.
    return [v if isinstance(v, Text) else Text(v) for v in values]


def _header(analysis: Analysis) -> Text:
    a = analysis.article
    meta = a.meta
    bits = [b for b in (meta.outlet, meta.author, meta.published and meta.published.isoformat()) if b]
    head = Text(a.title or "(untitled)", style="bold")
    head.append(f"\nid {a.id}", style="dim")
    if bits:
        head.append("  ·  " + " · ".join(str(b) for b in bits), style="dim")
    if meta.source:
        head.append(f"  ·  {meta.source}", style="dim")
    runs = ", ".join(f"{r.name}@{r.version}" + ("" if r.status == "ok" else f" ({r.status})") for r in analysis.runs)
    head.append(f"\nanalyzers: {runs or 'none'}", style="dim")
    return head


def highlighted_text(analysis: Analysis) -> Text:
    text = Text(analysis.article.text)
    for span in findings(analysis):
        text.stylize(f"on {colour(span)} black", span.start, span.end)
    return text


def _span_table(analysis: Analysis) -> Table | None:
    spans = findings(analysis)
    if not spans:
        return None
    table = Table(title="Spans", show_lines=False, expand=True)
    table.add_column("where", no_wrap=True, style="dim")
    table.add_column("label")
    table.add_column("text", ratio=2)
    table.add_column("score", justify="right")
    table.add_column("why", ratio=3, style="dim")
    for s in spans:
        quote = analysis.span_text(s)
        if len(quote) > 120:
            quote = quote[:117] + "..."
        table.add_row(
            *_cells(
                f"{s.start}-{s.end}",
                Text(s.label, style=f"bold {colour(s)}"),
                quote,
                f"{s.score:.2f}",
                explanation(s).split(" — ", 1)[-1],
            )
        )
    return table


def _label_table(analysis: Analysis) -> Table | None:
    if not analysis.labels:
        return None
    table = Table(title="Article labels", expand=True)
    for col in ("task", "label", "score", "analyzer"):
        table.add_column(col)
    for label in analysis.labels:
        table.add_row(*_cells(label.task, label.label, f"{label.score:.2f}", label.analyzer))
    return table


def _record_table(analysis: Analysis) -> Table | None:
    rows = record_summary(analysis)
    if not rows:
        return None
    table = Table(title="Records", expand=True)
    table.add_column("type")
    table.add_column("attributes", ratio=2)
    table.add_column("evidence", ratio=3)
    for row in rows:
        table.add_row(*_cells(*row))
    return table


def _error_table(analysis: Analysis) -> Table | None:
    if not analysis.errors:
        return None
    table = Table(title="Errors on this article", style="red", expand=True)
    table.add_column("code")
    table.add_column("message")
    for e in analysis.errors:
        table.add_row(*_cells(e.code, e.message))
    return table


def renderable(analysis: Analysis) -> RenderableType:
    analysis = displayable(analysis)
    parts: list[RenderableType] = [_header(analysis), Panel(highlighted_text(analysis))]
    for table in (_label_table(analysis), _span_table(analysis), _record_table(analysis), _error_table(analysis)):
        if table is not None:
            parts.append(table)
    return Group(*parts)


def render_terminal(analysis: Analysis, console: Console | None = None) -> None:
    """Print the analysis to the terminal (or to the given console)."""
    (console or Console()).print(renderable(analysis))
