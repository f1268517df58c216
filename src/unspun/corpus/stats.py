"""What `unspun stats` prints: the store's counts, as text or JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when a command opens one
    from unspun.store import StoreStats



def stats_json(stats: StoreStats) -> str:
    return json.dumps(stats.to_dict(), indent=2, sort_keys=True)


def stats_text(stats: StoreStats) -> str:
    lines = [
        f"articles  {stats.articles}",
        f"rejects   {stats.rejects}"
        + (
            "  (" + ", ".join(f"{code}: {n}" for code, n in stats.rejects_by_code.items()) + ")"
            if stats.rejects_by_code
            else ""
        ),
        f"spans     {stats.spans}",
        f"labels    {stats.labels}",
        "analyses" + ("" if stats.analyses else "  none yet (run `unspun batch`)"),
    ]
    for run, by_status in stats.analyses.items():
        detail = ", ".join(f"{status} {n}" for status, n in by_status.items())
        lines.append(f"  {run:<30} {sum(by_status.values()):>8}  ({detail})")
    return "\n".join(lines)


__all__ = ["stats_json", "stats_text"]
