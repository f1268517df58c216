"""The one Jinja environment every HTML view renders through, and the static assets.

The web app links ``/static/unspun.css`` and ``/static/unspun.js`` (it sends a CSP without
``'unsafe-inline'``); a standalone file inlines them and pins each by its SHA-256 in a CSP
``<meta>``, so no script an article smuggles into the page can run even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

STATIC_FILES = ("unspun.css", "unspun.js")


@dataclass(frozen=True)
class InlineAssets:
    """The stylesheet and script as text, with the CSP source that allows each."""

    css: str
    js: str

    @property
    def css_hash(self) -> str:
        return _csp_hash(self.css)

    @property
    def js_hash(self) -> str:
        return _csp_hash(self.js)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def static_text(name: str) -> str:
    """One of :data:`STATIC_FILES`, as shipped in the package."""
    if name not in STATIC_FILES:
        raise KeyError(f"no static file {name!r}; known: {', '.join(STATIC_FILES)}")
    return resources.files("unspun.render").joinpath("static", name).read_text(encoding="utf-8")


@cache
def inline_assets() -> InlineAssets:
    return InlineAssets(css=static_text("unspun.css"), js=static_text("unspun.js"))


@cache
def environment() -> Environment:
    """The shared environment (autoescape on) over ``unspun/render/templates``.

    The web app may put it behind a ``ChoiceLoader`` with its own templates; base.html.j2
    reads ``asset_mode`` ("linked" or "inline") to decide how CSS and JS reach the page.
    """
    env = Environment(
        loader=PackageLoader("unspun.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["inline_assets"] = inline_assets
    return env


__all__ = ["STATIC_FILES", "InlineAssets", "environment", "inline_assets", "static_text"]
