"""Which reader reads an input: the registry of readers and the choice among them.

Readers come from the ``unspun.readers`` entry-point group, unspun's own as well as any
plugin's. The choice, in order: the format the caller names; the file's suffix; the content.
"""

from __future__ import annotations

import json
import warnings
from functools import lru_cache
from importlib.metadata import entry_points
from typing import cast

from unspun.errors import InputError
from unspun.ingest.base import Reader
from unspun.ingest.decode import bom_encoding, is_binary
from unspun.ingest.html import HtmlReader, looks_like_html
from unspun.ingest.markdown import MarkdownReader, looks_like_markdown
from unspun.ingest.tabular import CsvReader, JsonlReader
from unspun.ingest.text import TextReader

ENTRY_POINT_GROUP = "unspun.readers"

_BUILTIN: tuple[type[Reader], ...] = (TextReader, MarkdownReader, HtmlReader, JsonlReader, CsvReader)


@lru_cache(maxsize=1)
def reader_classes() -> dict[str, type[Reader]]:
    """Every installed reader by name, as the ``unspun.readers`` entry points register them.

    unspun's own entry points are taken first, so a plugin cannot shadow a built-in format;
    the built-in classes also stand in when the package runs uninstalled (from a checkout).
    """
    found: dict[str, type[Reader]] = {}
    eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: not ep.value.startswith("unspun."))
    for ep in eps:
        if ep.name in found:
            continue
        try:
            found[ep.name] = cast(type[Reader], ep.load())
        except Exception as err:  # a broken plugin must not stop reading with the others
            warnings.warn(f"reader {ep.name!r} ({ep.value}) failed to load: {err}", stacklevel=2)
    for cls in _BUILTIN:
        found.setdefault(cls.name, cls)
    return found


def reader_names() -> list[str]:
    return sorted(reader_classes())


def get_reader(name: str, *, source: str) -> Reader:
    """The reader named ``name``, or E111."""
    cls = reader_classes().get(name)
    if cls is None:
        raise InputError(
            "E111",
            f"no reader for format {name!r}; known formats: {', '.join(reader_names())}",
            source=source,
        )
    return cls()


def format_for_suffix(suffix: str) -> str | None:
    suffix = suffix.lower()
    for name, cls in reader_classes().items():
        if suffix in getattr(cls, "suffixes", ()):
            return name
    return None


def _head_text(head: bytes, encoding: str | None) -> str:
    bom = bom_encoding(head)
    if encoding is None and bom is not None:
        encoding, head = bom[0], head[bom[1] :]
    try:
        return head.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        return head.decode("utf-8", errors="replace")


def _is_jsonl(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "").strip()
    if not first.startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        # The head may cut a long first record; an opening key is evidence enough.
        return first.startswith('{"') and len(first) >= 1024


def sniff_format(head: bytes, *, encoding: str | None, source: str) -> str:
    """The format the first bytes of an input look like, or E103/E111."""
    if is_binary(head):
        raise InputError("E103", "looks like a binary file", source=source)
    text = _head_text(head, encoding)
    stripped = text.lstrip()
    if _is_jsonl(text):
        return "jsonl"
    if looks_like_html(text):
        return "html"
    if stripped.startswith(("<", "{", "[")):
        raise InputError(
            "E111",
            "starts like XML or JSON but is neither HTML nor JSON Lines",
            source=source,
        )
    return "markdown" if looks_like_markdown(text) else "text"


def refine_text_format(head: bytes, *, encoding: str | None) -> str:
    """``markdown`` for a .txt file that holds Markdown, else ``text``."""
    return "markdown" if looks_like_markdown(_head_text(head, encoding)) else "text"


def is_corpus(reader: Reader) -> bool:
    """Whether a reader streams many records, so that ``max_bytes`` does not bound its input."""
    return bool(getattr(reader, "corpus", False))


__all__ = [
    "ENTRY_POINT_GROUP",
    "format_for_suffix",
    "get_reader",
    "is_corpus",
    "reader_classes",
    "reader_names",
    "refine_text_format",
    "sniff_format",
]
