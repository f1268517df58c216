"""What a running server may do and how much it takes: one frozen record, set by `unspun serve`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB = "sqlite:///unspun.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def default_tokens_path() -> Path:
    """Where `unspun token create` keeps token hashes: beside the user's other settings, never
    in the store, so copying a corpus never copies the keys to it."""
    env = os.environ.get("UNSPUN_TOKENS")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "unspun" / "tokens.json"


@dataclass(frozen=True)
class WebSettings:
    """Everything `unspun serve` decides; the defaults are the safe ones (read-only, no fetch)."""

    db: str = DEFAULT_DB
    allow_writes: bool = False
    allow_fetch: bool = False
    tokens_path: Path = field(default_factory=default_tokens_path)
    #: Largest request body (uploads, forms, JSON), in bytes.
    max_upload_bytes: int = 20 * 1024 * 1024
    #: Largest text analysed synchronously (POST /api/analyze and the paste form).
    max_text_chars: int = 100_000
    #: Analyses (synchronous or jobs) one client may start per minute.
    rate_limit: int = 30
    #: Seconds a synchronous analysis or URL fetch may take.
    time_limit: float = 60.0
    #: Analyzer names (None: the installed defaults), as `unspun analyze --analyzers`.
    analyzers: tuple[str, ...] | None = None
    #: Signs the CSRF cookie; a new one each start, so a restart logs browsers out.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    #: Articles the corpus views (compare, outlets, report) read at most, newest first.
    max_corpus_articles: int = 2000


__all__ = ["DEFAULT_DB", "DEFAULT_HOST", "DEFAULT_PORT", "WebSettings", "default_tokens_path"]
