"""``unspun analyze --format html``: one self-contained page (CSS and JS inlined, nothing
fetched) with the same article view the web app shows."""

from __future__ import annotations

from collections.abc import Sequence

from unspun.article import Analysis, Problem
from unspun.render.article_view import article_view_model
from unspun.render.page import environment


def render_html(analyses: Sequence[Analysis], rejects: Sequence[Problem] = ()) -> str:
    """The page for one or more analyses, with any rejected inputs listed at the end."""
    # Numbered keys: the same article twice in one run must not share element ids.
    views = [article_view_model(a, key=f"a{i}") for i, a in enumerate(analyses)]
    template = environment().get_template("_article_page.html.j2")
    return template.render(views=views, rejects=rejects, asset_mode="inline")
