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


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    media_type: str
    #: The body gzipped once when kept (an article page shrinks about tenfold), for clients
    #: that accept it: fewer bytes to send and to read on every later request.
    gzipped: bytes = b""

    @classmethod
    def of(cls, body: bytes, media_type: str) -> CachedPage:
        return cls(body, media_type, gzip.compress(body, compresslevel=6, mtime=0))


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
        if len(page.body) + len(page.gzipped) > self.max_bytes // 4:
            return
        with self._lock:
            if generation != self._generation:
                # The store changed since: every page kept so far may be stale.
                self._pages.clear()
                self._bytes = 0
                self._generation = generation
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body) + len(old.gzipped)
            self._pages[key] = page
            self._bytes += len(page.body) + len(page.gzipped)
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped.body) + len(dropped.gzipped)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


__all__ = ["CachedPage", "PageCache"]
