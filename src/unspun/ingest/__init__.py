"""Reading inputs into articles: files, directories, stdin and pasted text.

``iter_read`` streams articles and per-input errors from any mix of sources; ``read`` is
its strict form; ``read_text`` reads one article from text in memory. The readers for each
format register under the ``unspun.readers`` entry-point group.
"""

from __future__ import annotations

from unspun.ingest.base import Reader, ReadItem, ReadOptions
from unspun.ingest.formats import reader_classes, reader_names
from unspun.ingest.sources import iter_read, read, read_text

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
