"""Reading inputs into articles: files, directories, stdin and pasted text.

``iter_read`` streams articles and per-input errors from any mix of sources; ``read`` is
its strict form; ``read_text`` reads one article from text in memory. The readers for each
format register under the ``unspun.readers`` entry-point group.
"""

from __future__ import annotations

import typing as _typing

from unspun._lazy import lazy_exports as _lazy_exports

# Imported on first use, as in the top-level package: the CLI's option types live in this
# package, and a command's --help must not load every reader.
_EXPORTS = {
    "Reader": "unspun.ingest.base",
    "ReadItem": "unspun.ingest.base",
    "ReadOptions": "unspun.ingest.base",
    "reader_classes": "unspun.ingest.formats",
    "reader_names": "unspun.ingest.formats",
    "iter_read": "unspun.ingest.sources",
    "read": "unspun.ingest.sources",
    "read_text": "unspun.ingest.sources",
}

if _typing.TYPE_CHECKING:
    from unspun.ingest.base import Reader, ReadItem, ReadOptions
    from unspun.ingest.formats import reader_classes, reader_names
    from unspun.ingest.sources import iter_read, read, read_text


__getattr__ = _lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ReadItem",
    "ReadOptions",
    "Reader",
    "iter_read",
    "read",
    "read_text",
    "reader_classes",
    "reader_names",
]
