"""Corpus work over a store: ingest, batch analysis, counts and search."""

from __future__ import annotations

from unspun.corpus.batch import BatchReport, import_plugins, ingest, run_batch
from unspun.corpus.search import SearchHit, parse_query, search

__all__ = ["BatchReport", "SearchHit", "import_plugins", "ingest", "parse_query", "run_batch", "search"]
