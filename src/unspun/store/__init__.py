"""The corpus store: SQLite by default, PostgreSQL for a shared corpus; same schema on both."""

from __future__ import annotations

from unspun.store.database import (
    Claim,
    IngestCounts,
    RunKey,
    Store,
    StoreStats,
    engine_url,
    open_store,
)
from unspun.store.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "Claim",
    "IngestCounts",
    "RunKey",
    "Store",
    "StoreStats",
    "engine_url",
    "open_store",
]
