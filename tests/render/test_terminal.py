"""The terminal view is safe to print whatever an article holds."""

from __future__ import annotations

import io

from rich.console import Console

from unspun.article import Analysis, Article
from unspun.render.terminal import render_terminal, visible

HOSTILE = (
    "Title \x1b]0;owned window\x07 here\n\n"
    "Some \x1b[31mred\x1b[0m text, a carriage\rreturn, a C1 \x9b2J and markup [/] [link=http://x]y[/link] [bold]z.\n"
)


def test_escape_sequences_and_markup_in_an_article_reach_the_terminal_as_text() -> None:
    article = Article.from_text(HOSTILE, title="Title \x1b]0;owned window\x07 here")
    analysis = Analysis(article=article)
    analysis.add_span(0, len(HOSTILE) - 1, "Loaded_Language", analyzer="persuasion", score=0.9)
    analysis.add_label("genre", "opinion \x1b[2J", 0.8, analyzer="genre")
    out = io.StringIO()
    # A real terminal: rich writes its own styles, and must write nothing of the article's.
    # The summary, then the full view with the text.
    render_terminal(analysis, Console(file=out, force_terminal=True, width=100))
    render_terminal(analysis, Console(file=out, force_terminal=True, width=100), spans=True)
    printed = out.getvalue()
    for raw in ("\x1b]0;", "\x07", "\x1b[31m", "\x1b[2J", "\x9b", "\r"):
        assert raw not in printed, repr(raw)
    assert "␛]0;owned window" in printed
    assert "[link=http://x]y[/link]" in printed and "[/]" in printed


def test_visible_keeps_offsets() -> None:
    assert len(visible(HOSTILE)) == len(HOSTILE)
    assert visible("a\tb\nc") == "a\tb\nc"
