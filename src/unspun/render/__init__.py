"""Views of an analysis: the terminal view, the self-contained HTML page, JSON."""

from unspun.render.html import render_html
from unspun.render.terminal import render_terminal

__all__ = ["render_html", "render_terminal"]
