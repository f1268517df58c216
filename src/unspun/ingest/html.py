"""HTML articles: the page's main text and metadata, extracted by trafilatura.

A saved news page is mostly not the article: navigation, scripts, comments, share buttons.
trafilatura keeps the main content; scripts, styles and attributes never reach the text.
The stored text is the title, a blank line, then each extracted paragraph, blank-line
separated, so that reading it back as plain text gives the same paragraphs.

Pages are untrusted input. Whatever the extractor does with a hostile one (deep nesting,
entity expansion, malformed markup) ends as E113 for that page, never as a crash of the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO, ClassVar, Literal

from unspun.article import Article, ArticleMeta, Paragraph, Problem
from unspun.errors import InputError
from unspun.ingest.base import ReadItem, ReadOptions, read_warning, with_warnings
from unspun.ingest.dates import parse_date
from unspun.ingest.decode import decode, read_single

_WS = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.IGNORECASE)
# lxml refuses a str that still carries its XML encoding declaration.
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
# An internal DTD subset is where entity bombs live; HTML has no use for one, and lxml's
# HTML parser would show its "]>" as text.
_DTD_SUBSET = re.compile(r"\A\s*<!doctype[^\[>]*\[[^\]]*\]\s*>", re.IGNORECASE)
# trafilatura's fallback takes the whole body when it finds no article, so a page of only
# menus would give the menus; these never hold the article's prose and go before it looks.
_NEVER_PROSE = (
    "//nav|//script|//style|//noscript|//template|//iframe|//svg|//button|//select"
    "|//*[@role='navigation']|//*[@aria-hidden='true']"
)
#: more tags than any article page has; extraction time grows faster than the page, so a
#: page past this is refused rather than left to run for minutes
MAX_TAGS = 150_000
#: how deep elements nest before wrappers are dropped, and before any element is: libxml2's
#: HTML parser stops at 256 levels and loses everything inside
_SOFT_DEPTH = 100
_MAX_DEPTH = 200
# Comments and raw-text elements are one token each: a "<div>" in a script is no element.
_TAG = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"
    }
)
# Elements that only wrap others and say nothing of the text's structure.
_WRAPPERS = frozenset(
    {
        "div", "span", "section", "article", "main", "aside", "header", "footer", "font",
        "center", "b", "i", "u", "em", "strong", "small", "big", "sub", "sup", "a", "abbr",
        "cite", "q", "s", "strike", "tt", "ins", "del", "mark", "label", "nobr"
    }
)
# An open <p> (<li>, <td> ...) is closed by the next one, as the HTML parser does.
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})


def _flatten_deep(html: str) -> tuple[str, int]:
    """The page with the tags that nest past what the parser follows dropped, their text
    kept, and how many were dropped; the page unchanged when it nests no deeper than that.

    Wrappers (``div``, ``span`` ...) go first, from ``_SOFT_DEPTH`` on; any element past
    ``_MAX_DEPTH``.
    """
    if html.count("<") < _SOFT_DEPTH:
        return html, 0
    deepest = 0
    names: list[str] = []
    for m in _TAG.finditer(html):
        name = (m.group(3) or "").lower()
        if not name or name in _VOID or m.group(0).endswith("/>"):
            continue
        if m.group(2):
            if name in names:
                while names.pop() != name:
                    pass
            continue
        if names and name in _SELF_CLOSING_SIBLINGS and names[-1] == name:
            names.pop()
        names.append(name)
        deepest = max(deepest, len(names))
    if deepest <= _MAX_DEPTH:
        return html, 0

    out: list[str] = []
    pos = dropped = 0
    stack: list[tuple[str, bool]] = []  # (name, kept)
    depth = 0
    for m in _TAG.finditer(html):
        name = (m.group(3) or "").lower()
        if not name or name in _VOID or m.group(0).endswith("/>"):
            continue
        if m.group(2):
            if any(n == name for n, _ in stack):
                while True:
                    top, kept = stack.pop()
                    depth -= kept
                    if top == name:
                        break
                if not kept:
                    out.append(html[pos : m.start()])
                    pos = m.end()
            continue
        if stack and name in _SELF_CLOSING_SIBLINGS and stack[-1][0] == name:
            depth -= stack.pop()[1]
        keep = depth < _MAX_DEPTH and not (depth >= _SOFT_DEPTH and name in _WRAPPERS)
        stack.append((name, keep))
        depth += keep
        if not keep:
            dropped += 1
            out.append(html[pos : m.start()])
            pos = m.end()
    out.append(html[pos:])
    return "".join(out), dropped


_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<meta\b|<title\b"
    r"|<\?xml[^>]*\?>\s*(?:<!doctype\s+html|<html\b))",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(text: str) -> bool:
    """Whether the start of a document is that of an HTML page."""
    return bool(_HTML_START.match(text[:4096]))


def _declared_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _extract(html: str) -> Any:
    # Imported here: they take a while to load, and only HTML needs them.
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None
    for node in tree.xpath(_NEVER_PROSE):
        if node.getparent() is not None:
            node.drop_tree()
    return trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )


def _attr(doc: Any, name: str) -> str | None:
    value = getattr(doc, name, None)
    if value is None and isinstance(doc, dict):
        value = doc.get(name)
    if not isinstance(value, str):
        return None
    return _WS.sub(" ", value).strip() or None


def html_article(html: str, *, meta: ArticleMeta) -> Article:
    """An article from an HTML page; raises E113 when nothing can be extracted."""
    source = meta.source or "<text>"
    html = _DTD_SUBSET.sub("", _XML_DECLARATION.sub("", html, count=1), count=1)
    if html.count("<") > MAX_TAGS:
        raise InputError(
            "E113",
            f"the page has more than {MAX_TAGS} tags, more than any article page",
            source=source,
            hint="Save the article's own text (or a page of just the article) and read that.",
        )
    html, flattened = _flatten_deep(html)
    warnings: tuple[Problem, ...] = ()
    if flattened:
        message = f"{flattened} element(s) nested past {_MAX_DEPTH} levels were dropped, their text kept"
        warnings = (read_warning("W103", message, source=source),)
    try:
        doc = _extract(html)
    except Exception as err:  # the extractor's failures are the page's fault, not the run's
        raise InputError(
            "E113", f"the HTML extractor failed ({type(err).__name__})", source=source
        ) from err
    body = _attr(doc, "text") if doc is not None else None
    if doc is None or body is None:
        raise InputError("E113", "no main text found in the page", source=source)
    raw_text = getattr(doc, "text", None) or ""
    title = _attr(doc, "title")
    lines = [_WS.sub(" ", line).strip() for line in raw_text.splitlines()]
    lines = [line for line in lines if line]
    if title is not None and lines and lines[0].casefold() == title.casefold():
        lines = lines[1:]
    if not lines:
        raise InputError("E113", "no main text found in the page", source=source)

    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    entries: list[tuple[str, Literal["title", "body"]]] = [(line, "body") for line in lines]
    if title is not None:
        entries.insert(0, (title, "title"))
    for i, (line, kind) in enumerate(entries):
        if i:
            parts.append("\n\n")
            pos += 2
        parts.append(line)
        paragraphs.append(Paragraph(start=pos, end=pos + len(line), kind=kind))
        pos += len(line)

    date = _attr(doc, "date")
    language = _attr(doc, "language")
    if language is None:
        found = _HTML_LANG.search(html[:8192])
        language = found.group(1) if found else None
    updates = {
        "author": meta.author or _attr(doc, "author"),
        "outlet": meta.outlet or _attr(doc, "sitename"),
        "url": meta.url or _attr(doc, "url"),
        "published": meta.published or (parse_date(date) if date else None),
        "language": meta.language or (language.lower()[:2] if language else None),
    }
    return Article.from_text(
        "".join(parts),
        title=title,
        paragraphs=tuple(paragraphs),
        meta=meta.model_copy(update=updates),
        warnings=warnings,
    )


class HtmlReader:
    """Reads a saved HTML page as one article."""

    name: ClassVar[str] = "html"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm", ".xhtml")

    def read(self, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
        try:
            data = read_single(stream, source=source, options=options)
            decoded = decode(
                data, source=source, encoding=options.encoding, declared=_declared_charset(data)
            )
            article = html_article(decoded.text, meta=ArticleMeta(source=source))
            yield with_warnings(article, decoded.warnings)
        except InputError as err:
            yield err


__all__ = ["HtmlReader", "html_article", "looks_like_html"]
