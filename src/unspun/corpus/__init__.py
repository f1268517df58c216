"""Corpus work over a store: ingest, batch analysis, counts and search."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from unspun.corpus.search import SearchHit, parse_query, search

if TYPE_CHECKING:
    from unspun.corpus.batch import BatchReport, import_plugins, ingest, run_batch

# Loaded on first use: batch work brings in the store (SQLAlchemy) and the pipeline, which
# `unspun --help` and every command that never opens a store would otherwise pay for.
_BATCH = ("BatchReport", "import_plugins", "ingest", "run_batch")


def __getattr__(name: str) -> Any:
    if name in _BATCH:
        return getattr(importlib.import_module("unspun.corpus.batch"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["BatchReport", "SearchHit", "import_plugins", "ingest", "parse_query", "run_batch", "search"]
