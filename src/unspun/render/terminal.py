"""The terminal view: a one-screen summary; on request the text with highlighted spans and
every finding.

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
from unspun.render.summary import summary

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


def highlighted_text(analysis: Analysis) -> Text:
    text = Text(analysis.article.text)
    for span in findings(analysis):
        text.stylize(f"on {colour(span)} black", span.start, span.end)
    return text


def _span_list(analysis: Analysis) -> RenderableType | None:
    """Every span, one a row: offsets, then label, score and text, wrapping under them; a
    technique's definition the first time it comes (a table squeezed its text to "…")."""
    spans = findings(analysis)
    if not spans:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim", justify="right")
    grid.add_column(ratio=1)
    explained: set[str] = set()
    for s in spans:
        quote = analysis.span_text(s)
        if len(quote) > 120:
            quote = quote[:117] + "..."
        line = Text(s.label, style=f"bold {colour(s)}")
        line.append(f" {s.score:.2f} ", style="dim")
        line.append(f"“{quote}”")
        if s.label not in explained:
            explained.add(s.label)
            why = explanation(s).split(" — ", 1)
            if len(why) > 1:
                line.append(f"  {why[1]}", style="dim")
        grid.add_row(Text(f"{s.start}-{s.end}"), line)
    return Group(Text("Spans", style="bold underline"), grid)


def _label_list(analysis: Analysis) -> RenderableType | None:
    if not analysis.labels:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for label in analysis.labels:
        line = Text(label.label)
        line.append(f" {label.score:.2f} {label.analyzer}", style="dim")
        grid.add_row(Text(label.task), line)
    return Group(Text("Article labels", style="bold underline"), grid)


def _record_list(analysis: Analysis) -> RenderableType | None:
    rows = record_summary(analysis)
    if not rows:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for kind, attrs, evidence in rows:
        line = Text(attrs)
        if evidence:
            line.append(f"  {evidence}", style="dim")
        grid.add_row(Text(kind), line)
    return Group(Text("Records", style="bold underline"), grid)


def _error_table(analysis: Analysis) -> Table | None:
    if not analysis.errors:
        return None
    table = Table(title="Errors on this article", style="red", expand=True)
    table.add_column("code")
    table.add_column("message")
    for e in analysis.errors:
        table.add_row(*_cells(e.code, e.message))
    return table


def renderable(analysis: Analysis, *, spans: bool = False) -> RenderableType:
    """The summary; with ``spans``, then the highlighted text and every label, span and record."""
    analysis = displayable(analysis)
    parts: list[RenderableType] = [summary(analysis, all_spans=len(findings(analysis)))]
    if spans:
        parts.append(Panel(highlighted_text(analysis)))
        for part in (_label_list(analysis), _span_list(analysis), _record_list(analysis), _error_table(analysis)):
            if part is not None:
                parts.append(part)
    return Group(*parts)


def render_terminal(analysis: Analysis, console: Console | None = None, *, spans: bool = False) -> None:
    """Print the analysis to the terminal (or to the given console): a one-screen summary,
    and with ``spans`` the highlighted text and every finding after it."""
    (console or Console()).print(renderable(analysis, spans=spans))
