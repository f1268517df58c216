"""Rendered pages kept while the store stays the same.

A reader who is not signed in gets the same bytes for the same URL until the store changes
(a page then holds no CSRF token and nothing personal), so the app keeps each page's body,
keyed by URL and by the store's generation (:meth:`CorpusReader.generation`), in a cache
bounded by bytes and emptied of the least recently read pages first. An article page of a
long, heavily marked text takes 50-200 ms to build and render; served again it takes
about 1 ms.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any


@dataclass
class CachedPage:
    body: bytes
    media_type: str
    #: The body gzipped at its first reading from the cache (an article page shrinks about
    #: tenfold), for clients that accept it; a page built once and never read again is
    #: never compressed.
    gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


class PageCache:
    """Page bodies by key for one store generation, at most ``max_bytes`` of them."""

    def __init__(self, max_bytes: int = 64 * 2**20) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Hashable, CachedPage] = OrderedDict()
        self._bytes = 0
        self._generation: Any = None
        self._lock = threading.Lock()

    def get(self, key: Hashable, generation: Any) -> CachedPage | None:
        with self._lock:
            if generation != self._generation:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, generation: Any, page: CachedPage) -> None:
        if page.size > self.max_bytes // 4:
            return
        with self._lock:
            if generation != self._generation:
                # The store changed since: every page kept so far may be stale.
                self._pages.clear()
                self._bytes = 0
                self._generation = generation
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._pages[key] = page
            self._bytes += page.size
            self._trim()

    def gzipped(self, key: Hashable, page: CachedPage) -> bytes:
        """The page's body gzipped, compressed now if it is read for the first time."""
        if page.gzipped is not None:
            return page.gzipped
        packed = gzip.compress(page.body, compresslevel=6, mtime=0)
        with self._lock:
            if page.gzipped is None:
                page.gzipped = packed
                if self._pages.get(key) is page:
                    self._bytes += len(packed)
                    self._trim()
        return packed

    def _trim(self) -> None:
        while self._bytes > self.max_bytes and self._pages:
            _, dropped = self._pages.popitem(last=False)
            self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


__all__ = ["CachedPage", "PageCache"]
