"""Markdown articles: parsed with markdown-it, stored as plain paragraphs without the syntax.

Markdown's syntax is not part of what an article says, so the stored text is rebuilt from
the parsed blocks: the title, a blank line, then each paragraph, blank-line separated, with
emphasis, links, images, code backticks and hard breaks gone and soft-wrapped lines joined.
List items and code lines stay one per line. Offsets are counted while the text is built, so
each paragraph slices it exactly. Reading that stored text back as plain text gives the
same paragraphs.

News pages saved as Markdown open with a byline and a date under the headline and close
with the outlet's contact and subscription lines; the first become metadata and the last
are dropped, so neither is taken for the article's prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar, Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from unspun.article import Article, ArticleMeta, Paragraph
from unspun.errors import InputError
from unspun.ingest.base import ReadItem, ReadOptions, with_warnings
from unspun.ingest.dates import parse_date
from unspun.ingest.decode import read_decoded

_WS = re.compile(r"\s+")
_ATX_HEADING = re.compile(r"#{1,6}[ \t]+\S")
_LINK = re.compile(r"\[[^\]\n]+\]\((?:https?://|www\.|/)[^)\s]*\)")
_BOLD_LINE = re.compile(r"^[ \t]*\*\*[^*\n]+\*\*[ \t]*$", re.MULTILINE)

# Lines outlets append to every article; only ever dropped from the end of the text.
_BOILERPLATE = re.compile(
    r"(?:to contact|contact us|subscribe|follow us|follow \S+ on|sign up|share this|share on"
    r"|read more|click here|support (?:us|our)|donate|all rights reserved|copyright|©)",
    re.IGNORECASE,
)

# Lower-case words a personal name may hold ("Bill Van Auken", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "da", "di", "du", "del", "la", "le", "bin", "al", "ibn", "and", "&"}
)
_BYLINE_PREFIX = re.compile(r"(?:by|from)\s+", re.IGNORECASE)


def looks_like_markdown(text: str) -> bool:
    """Whether text (a .txt file or pasted text) is Markdown rather than plain prose."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(
        _ATX_HEADING.match(first.lstrip()) or _LINK.search(text) or _BOLD_LINE.search(text)
    )


@dataclass
class _Block:
    """One paragraph of the stored text, as rendered from the Markdown."""

    lines: list[str]
    line: int | None
    heading: int = 0
    #: joined to the block before by one line break: list items and code lines
    tight: bool = False
    #: nothing but links (and emphasis): a footer's "**[site.org/contact](...)**"
    link_only: bool = False
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = _WS.sub(" ", " ".join(self.lines)).strip()


def _render_inline(children: Sequence[Token]) -> tuple[list[str], bool]:
    """The lines of an inline run (split at soft and hard breaks), and whether it is all links."""
    lines: list[list[str]] = [[]]
    link_depth = 0
    links = 0
    text_outside_links = False
    for tok in children:
        if tok.type in ("softbreak", "hardbreak"):
            lines.append([])
        elif tok.type in ("text", "code_inline"):
            lines[-1].append(tok.content)
            if link_depth == 0 and tok.content.strip():
                text_outside_links = True
        elif tok.type == "link_open":
            link_depth += 1
            links += 1
        elif tok.type == "link_close":
            link_depth -= 1
        # Images, raw inline HTML and emphasis markers carry no prose of their own.
    rendered = [_WS.sub(" ", "".join(parts)).strip() for parts in lines]
    return [line for line in rendered if line], links > 0 and not text_outside_links


def _source_line(tok: Token) -> int | None:
    return tok.map[0] + 1 if tok.map else None


def _blocks(tokens: Sequence[Token]) -> list[_Block]:
    blocks: list[_Block] = []
    list_depth = 0
    in_list_first = False
    marker: str | None = None
    heading = 0
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            if list_depth == 0:
                in_list_first = True
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif tok.type == "list_item_open":
            marker = f"{tok.info}{tok.markup}" if tok.info else tok.markup
        elif tok.type == "heading_open":
            heading = int(tok.tag[1:])
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type == "inline":
            lines, link_only = _render_inline(tok.children or [])
            if not lines:
                continue
            tight = False
            if list_depth:
                if marker is not None:
                    lines[0] = f"{marker} {lines[0]}"
                    marker = None
                tight = not in_list_first
                in_list_first = False
            blocks.append(
                _Block(lines, _source_line(tok), heading=heading, tight=tight, link_only=link_only)
            )
        elif tok.type in ("fence", "code_block"):
            first = True
            for offset, raw in enumerate(tok.content.splitlines()):
                if raw.strip():
                    line = _source_line(tok)
                    start = None if line is None else line + offset + (tok.type == "fence")
                    blocks.append(_Block([raw], start, tight=not first))
                    first = False
        # html_block (scripts, embeds) and hr hold no prose.
    return blocks


def _is_name(line: str) -> bool:
    words = line.replace(",", " ").split()
    if not 1 <= len(words) <= 7 or len(line) > 60 or not words[0][:1].isupper():
        return False
    for word in words:
        if word.lower() in _NAME_PARTICLES:
            continue
        if not word[:1].isupper() or any(ch.isdigit() for ch in word):
            return False
        if word[-1] in ".:!?;" and not (len(word) == 2 and word[0].isalpha()):
            return False
    return True


def _byline(blocks: list[_Block]) -> tuple[int, str | None, str | None]:
    """How many blocks after the title are a byline, and the author and date they give."""
    author: str | None = None
    date: str | None = None
    taken = 0
    prefixed = False
    for block in blocks[:2]:
        if block.heading or block.tight or block.link_only or len(block.lines) > 3:
            break
        found_author, found_date = author, date
        for line in block.lines:
            if found_date is None and len(line) <= 40 and parse_date(line) is not None:
                found_date = line
                continue
            name = _BYLINE_PREFIX.sub("", line, count=1)
            if found_author is None and _is_name(name):
                prefixed = prefixed or name != line
                found_author = name
                continue
            return _accept(taken, author, date, prefixed)
        author, date = found_author, found_date
        taken += 1
    return _accept(taken, author, date, prefixed)


def _accept(
    taken: int, author: str | None, date: str | None, prefixed: bool
) -> tuple[int, str | None, str | None]:
    # A short capitalised line alone could be the first sentence of the story; a date next
    # to it, or a "By", is what makes it a byline.
    if taken and (date is not None or prefixed):
        return taken, author, date
    return 0, None, None


def _strip_footer(blocks: list[_Block]) -> list[_Block]:
    end = len(blocks)
    while end and (blocks[end - 1].link_only or _BOILERPLATE.match(blocks[end - 1].text)):
        end -= 1
    return blocks[:end]


def markdown_article(markdown: str, *, meta: ArticleMeta) -> Article:
    """An article from Markdown source; raises E102 when no prose is left."""
    source = meta.source or "<text>"
    blocks = _blocks(MarkdownIt("commonmark").parse(markdown))
    title: _Block | None = None
    if blocks and blocks[0].heading:
        title, blocks = blocks[0], blocks[1:]
        taken, author, date = _byline(blocks)
        blocks = blocks[taken:]
        if author is not None and meta.author is None:
            meta = meta.model_copy(update={"author": author})
        if date is not None and meta.published is None:
            meta = meta.model_copy(update={"published": parse_date(date)})
    blocks = _strip_footer(blocks)
    if title is None and not blocks:
        raise InputError("E102", "the Markdown holds no text", source=source)

    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    entries: list[tuple[_Block, Literal["title", "body"]]] = [(b, "body") for b in blocks]
    if title is not None:
        entries.insert(0, (title, "title"))
    for i, (block, kind) in enumerate(entries):
        if i:
            sep = "\n" if block.tight and entries[i - 1][1] == "body" else "\n\n"
            parts.append(sep)
            pos += len(sep)
        parts.append(block.text)
        paragraphs.append(Paragraph(start=pos, end=pos + len(block.text), kind=kind, line=block.line))
        pos += len(block.text)
    return Article.from_text(
        "".join(parts),
        title=title.text if title is not None else None,
        paragraphs=tuple(paragraphs),
        meta=meta,
    )


class MarkdownReader:
    """Reads a Markdown file (or a .txt file holding Markdown) as one article."""

    name: ClassVar[str] = "markdown"
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".markdown")

    def read(self, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
        try:
            decoded = read_decoded(stream, source=source, options=options)
            article = markdown_article(decoded.text, meta=ArticleMeta(source=source))
            yield with_warnings(article, decoded.warnings)
        except InputError as err:
            yield err


__all__ = ["MarkdownReader", "looks_like_markdown", "markdown_article"]
