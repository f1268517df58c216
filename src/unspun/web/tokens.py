"""Write tokens for the web app: made by `unspun token create`, kept only as SHA-256 hashes.

The file is JSON (never pickle), readable by its owner only. A server reads it on each check,
so a token revoked by editing the file stops working at once, without a restart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

_PREFIX = "unspun_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    tokens = data.get("tokens") if isinstance(data, dict) else None
    return [t for t in tokens if isinstance(t, dict)] if isinstance(tokens, list) else []


def create_token(path: Path, name: str = "default") -> str:
    """Make a new token, add its hash to ``path`` and return the token (shown once)."""
    token = _PREFIX + secrets.token_urlsafe(32)
    entries = _load(path)
    entries.append(
        {"name": name, "sha256": token_hash(token), "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    # Created owner-only before anything is written into it.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"tokens": entries}, f, indent=2)
    os.replace(tmp, path)
    return token


def list_tokens(path: Path) -> list[dict[str, str]]:
    """Name and creation time of each token (never the hash)."""
    return [{"name": str(t.get("name", "")), "created": str(t.get("created", ""))} for t in _load(path)]


def check_token(path: Path, token: str | None) -> str | None:
    """The hash of ``token`` when it is a known token, else None (constant time per entry)."""
    if not token:
        return None
    digest = token_hash(token)
    found = False
    for entry in _load(path):
        found |= hmac.compare_digest(str(entry.get("sha256", "")), digest)
    return digest if found else None


def known_digest(path: Path, digest: str) -> bool:
    """Whether a token hash (held by a browser session) is still in the file."""
    found = False
    for entry in _load(path):
        found |= hmac.compare_digest(str(entry.get("sha256", "")), digest)
    return found


__all__ = ["check_token", "create_token", "known_digest", "list_tokens", "token_hash"]
