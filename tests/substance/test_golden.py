"""Golden files: the substance analyzers' output on the in-house gold articles.

Any change in what the analyzers find on these articles shows up as a diff of
``tests/substance/golden/<id>.json``. After an intended change, regenerate them with::

    UNSPUN_REGEN_GOLDEN=1 .venv/bin/pytest tests/substance/test_golden.py

and review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from golden_files import check_golden, not_blind
from unspun.article import Analysis, Article, ArticleMeta
from unspun.substance.actors import ActorAnalyzer
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.quotes import QuoteAnalyzer
from unspun.substance.sources import SourceAnalyzer

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "src" / "unspun" / "resources" / "gold" / "substance"
GOLDEN = Path(__file__).resolve().parent / "golden"


def _article(path: Path) -> Article:
    gold = json.loads(path.read_text(encoding="utf-8"))
    return Article.from_text(
        gold["text"],
        meta=ArticleMeta(
            published=dt.date.fromisoformat(gold["published"]),
            external_id=gold["id"],
            # The French articles are read by the French pipeline, as a detected language would.
            language=gold.get("language", "en"),
        ),
    )


def summary(analysis: Analysis) -> list[dict[str, Any]]:
    """Records with their spans as [start, end, text]: stable, readable in a diff."""
    out = []
    for record in analysis.records:
        spans = {
            role: [[s.start, s.end, analysis.span_text(s)] for s in map(analysis.span, ids)]
            for role, ids in sorted(record.spans.items())
        }
        out.append({"type": record.type, "attrs": record.attrs, "spans": spans})
    return out


@pytest.mark.parametrize("path", not_blind(sorted(GOLD.glob("*.json")), lambda p: GOLDEN / f"{p.stem}.json"), ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    analysis = Analysis(article=_article(path))
    for analyzer in (QuoteAnalyzer(), SourceAnalyzer(), ClaimAnalyzer(), ActorAnalyzer()):
        analyzer(analysis)
    got = summary(analysis)
    check_golden(
        got,
        GOLDEN / f"{path.stem}.json",
        f"output changed on {path.stem}; if intended, regenerate with UNSPUN_REGEN_GOLDEN=1",
    )
