"""Views of an analysis: the terminal view, the article view (HTML, shared by the
standalone page and the web app), JSON."""

from unspun.render.article_view import article_view_model
from unspun.render.html import render_html
from unspun.render.page import environment
from unspun.render.terminal import render_terminal

__all__ = ["article_view_model", "environment", "render_html", "render_terminal"]
