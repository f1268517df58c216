"""Golden files: the substance analyzers' output on the in-house gold articles.

Any change in what the analyzers find on these articles shows up as a diff of
``tests/substance/golden/<id>.json``. After an intended change, regenerate them with::

    UNSPUN_REGEN_GOLDEN=1 .venv/bin/pytest tests/substance/test_golden.py

and review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from unspun.article import Analysis, Article, ArticleMeta
from unspun.substance.actors import ActorAnalyzer
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.quotes import QuoteAnalyzer
from unspun.substance.sources import SourceAnalyzer

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "src" / "unspun" / "resources" / "gold" / "substance"
GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("UNSPUN_REGEN_GOLDEN") == "1"


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


def not_blind(paths: list[Path]) -> list[Path]:
    """Gold files tests may write a golden file for: a blind split is scored once, by hand,
    and gets none before that (it would show its answers); one it already has is checked."""
    return [
        p
        for p in paths
        if (GOLDEN / f"{p.stem}.json").exists()
        or not str(json.loads(p.read_text(encoding="utf-8")).get("split", "")).startswith("blind")
    ]


@pytest.mark.parametrize("path", not_blind(sorted(GOLD.glob("*.json"))), ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    analysis = Analysis(article=_article(path))
    for analyzer in (QuoteAnalyzer(), SourceAnalyzer(), ClaimAnalyzer(), ActorAnalyzer()):
        analyzer(analysis)
    got = summary(analysis)
    golden = GOLDEN / f"{path.stem}.json"
    if REGENERATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not REGENERATE:
            pytest.fail(f"wrote missing golden file {golden.name}; review and commit it")
    assert got == json.loads(golden.read_text(encoding="utf-8")), (
        f"output changed on {path.stem}; if intended, regenerate with UNSPUN_REGEN_GOLDEN=1"
    )
