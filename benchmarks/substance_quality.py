"""Precision and recall of the substance analyzers on the in-house gold set.

Run: ``.venv/bin/python benchmarks/substance_quality.py [--verbose]``

The gold set is ``src/unspun/resources/gold/substance/*.json``: short articles written for
unspun (fictional events), each with the quotes, sources and numeric claims a careful
reader would mark. What is scored:

* quotes: every quote record that is not a scare quote. A record is right when its
  content covers the gold quote's key words, its ``direct`` flag agrees, and its speaker
  agrees (same surname or the gold name contains the predicted one; ``None`` for
  unattributed claims, which must carry ``unattributed: true``).
* casualty figures: claim records of the categories killed, wounded, missing, displaced
  and detained; right when value, category and qualifier all agree.
* numbers: every claim record, on the articles that mark every number (their claims carry
  ``unit``: the ``num_*`` articles). ``numbers (value+unit)`` asks for the figure and its
  unit; ``numbers`` also for the category, the counted noun (the record's ``counted`` span
  or lemma), the qualifier and a range's upper figure. Each number type (casualties,
  people, weapons and vehicles, other counts, money, percent, measures, durations) is
  scored on its own: a record counts against the type it says, a gold figure against its
  own.

Scores are printed per split (``dev``, ``heldout``, ``heldout2``, ``blind``, ``blind3``) and language;
the ``blind`` articles were never used to tune the analyzers.
* sources: source names, as a set per article.
* scare quotes: the share of gold scare quotes marked ``scare_quote: true``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspun.article import Analysis, Article, ArticleMeta, Record
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.quotes import QuoteAnalyzer
from unspun.substance.sources import SourceAnalyzer

GOLD = Path(__file__).resolve().parents[1] / "src" / "unspun" / "resources" / "gold" / "substance"
CASUALTY = {"killed", "wounded", "missing", "displaced", "detained"}


def gold_articles() -> Iterator[tuple[dict[str, object], Article]]:
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
        article = Article.from_text(
            gold["text"],
            meta=ArticleMeta(
                published=published, external_id=gold["id"], language=gold.get("language", "en")
            ),
        )
        yield gold, article


def analyse(article: Article) -> Analysis:
    analysis = Analysis(article=article)
    for analyzer in (QuoteAnalyzer(), SourceAnalyzer(), ClaimAnalyzer()):
        analyzer(analysis)
    return analysis


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)
    # Expected items found, where that differs from the predictions that were right (one
    # prediction can cover several expected items, as in actor grouping); else ``tp``.
    found: int | None = None

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self._found / self.expected if self.expected else 1.0

    @property
    def _found(self) -> int:
        return self.tp if self.found is None else self.found

    def line(self, name: str, width: int = 18) -> str:
        return (
            f"{name:<{width}} P={self.precision:.2f} ({self.tp}/{self.predicted})  "
            f"R={self.recall:.2f} ({self._found}/{self.expected})"
        )


def _role_text(analysis: Analysis, record: Record, role: str) -> str:
    return " ".join(analysis.span_text(analysis.span(i)) for i in record.spans.get(role, ()))


def _same_speaker(expected: str | list[str] | None, predicted: object) -> bool:
    if isinstance(expected, list):
        return any(_same_speaker(e, predicted) for e in expected)
    if expected is None or predicted is None:
        return expected is None and predicted is None
    e, p = expected.lower().removeprefix("the "), str(predicted).lower().removeprefix("the ")
    return e == p or e.split()[-1] == p.split()[-1] or p in e or e in p


def _covers(content: str, gold: str) -> bool:
    return gold.lower() in content.lower() or content.lower().strip(" .,") in gold.lower()


def score_quotes(gold: dict[str, object], analysis: Analysis, score: Score, scare: Score) -> None:
    if "quotes" not in gold["expected"]:  # type: ignore[operator]
        return  # an article marked for numbers only
    expected = list(gold["expected"]["quotes"])  # type: ignore[index]
    records = [r for r in analysis.records if r.type == "quote"]
    scare_gold = list(gold["expected"]["scare"])  # type: ignore[index]
    for text in scare_gold:
        scare.expected += 1
        if any(
            # French sets guillemets off with spaces ("« charge »"): the content keeps them.
            r.attrs.get("scare_quote")
            and _role_text(analysis, r, "content").strip() == text.strip()
            for r in records
        ):
            scare.tp += 1
        else:
            scare.misses.append(f"{gold['id']}: scare quote {text!r} not marked")
    scare.predicted += sum(1 for r in records if r.attrs.get("scare_quote"))
    candidates = [r for r in records if not r.attrs.get("scare_quote")]
    score.predicted += len(candidates)
    score.expected += len(expected)
    unmatched = list(candidates)
    for quote in expected:
        hit = next(
            (
                r
                for r in unmatched
                if _covers(_role_text(analysis, r, "content"), quote["content"])
                and bool(r.attrs.get("direct")) == quote["direct"]
                and _same_speaker(quote["speaker"], r.attrs.get("speaker"))
                and bool(r.attrs.get("unattributed")) == bool(quote.get("unattributed", False))
            ),
            None,
        )
        if hit is None:
            score.misses.append(f"{gold['id']}: missed {quote}")
        else:
            score.tp += 1
            unmatched.remove(hit)
    for r in unmatched:
        score.misses.append(
            f"{gold['id']}: extra quote {_role_text(analysis, r, 'content')[:70]!r} "
            f"speaker={r.attrs.get('speaker')!r} direct={r.attrs.get('direct')}"
        )


def score_claims(gold: dict[str, object], analysis: Analysis, score: Score) -> None:
    expected = [c for c in gold["expected"]["claims"] if c["category"] in CASUALTY]  # type: ignore[index]
    records = [r for r in analysis.records if r.type == "claim" and r.attrs["category"] in CASUALTY]
    score.predicted += len(records)
    score.expected += len(expected)
    unmatched = list(records)
    for claim in expected:
        hit = next(
            (
                r
                for r in unmatched
                if r.attrs["value"] == claim["value"]
                and r.attrs["category"] == claim["category"]
                and r.attrs["qualifier"] == claim["qualifier"]
            ),
            None,
        )
        if hit is None:
            score.misses.append(f"{gold['id']}: missed claim {claim}")
        else:
            score.tp += 1
            unmatched.remove(hit)
    for r in unmatched:
        score.misses.append(
            f"{gold['id']}: extra claim {_role_text(analysis, r, 'value')!r} "
            f"{ {k: r.attrs[k] for k in ('value', 'qualifier', 'category')} }"
        )


# Number types as the benchmark reports them: the record's category to its type.
NUMBER_TYPES = {
    **{c: "casualties" for c in CASUALTY},
    "people": "people, fighters",
    "fighters": "people, fighters",
    "weapons": "weapons, vehicles",
    "vehicles": "weapons, vehicles",
    "count": "other counts",
    "money": "money",
    "percent": "percent",
    "distance": "measures",
    "area": "measures",
    "weight": "measures",
    "volume": "measures",
    "duration": "durations",
}


def marks_every_number(gold: dict[str, Any]) -> bool:
    claims = gold["expected"].get("claims", [])
    return bool(claims) and all("unit" in c for c in claims)


def _same_value(a: object, b: object) -> bool:
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _number_matches(analysis: Analysis, record: Record, claim: dict[str, Any], full: bool) -> bool:
    attrs = record.attrs
    if not (_same_value(attrs["value"], claim["value"]) and attrs.get("unit") == claim["unit"]):
        return False
    if not full:
        return True
    counted = _role_text(analysis, record, "counted").lower() or None
    gold_counted = claim["counted"].lower() if claim["counted"] else None
    return (
        attrs["category"] == claim["category"]
        and attrs["qualifier"] == claim["qualifier"]
        and (counted == gold_counted or attrs.get("counted") == gold_counted)
        and ("high" not in claim or _same_value(attrs["high"], claim["high"]))
    )


def score_numbers(
    gold: dict[str, Any], analysis: Analysis, scores: dict[str, Score], *, full: bool
) -> None:
    """Every claim against every gold figure; per type under each type's name, all under ""."""
    expected = list(gold["expected"]["claims"])
    records = [r for r in analysis.records if r.type == "claim"]
    unmatched = list(records)
    for claim in expected:
        kind = NUMBER_TYPES.get(claim["category"], claim["category"])
        hit = next((r for r in unmatched if _number_matches(analysis, r, claim, full)), None)
        for key in ("", kind):
            scores.setdefault(key, Score()).expected += 1
        if hit is None:
            scores[""].misses.append(f"{gold['id']}: missed {claim}")
            continue
        unmatched.remove(hit)
        for key in ("", kind):
            scores[key].tp += 1
    for r in records:
        kind = NUMBER_TYPES.get(str(r.attrs["category"]), str(r.attrs["category"]))
        for key in ("", kind):
            scores.setdefault(key, Score()).predicted += 1
    for r in unmatched:
        fields = ("value", "unit", "category", "counted", "qualifier", "high")
        scores[""].misses.append(
            f"{gold['id']}: extra {_role_text(analysis, r, 'value')!r} "
            f"counted={_role_text(analysis, r, 'counted')!r} "
            f"{ {k: r.attrs.get(k) for k in fields} }"
        )


def score_sources(gold: dict[str, object], analysis: Analysis, score: Score) -> None:
    if "sources" not in gold["expected"]:  # type: ignore[operator]
        return
    expected = set(gold["expected"]["sources"])  # type: ignore[index]
    predicted = {str(r.attrs["name"]) for r in analysis.records if r.type == "source"}
    score.expected += len(expected)
    score.predicted += len(predicted)
    score.tp += len(expected & predicted)
    for name in sorted(expected - predicted):
        score.misses.append(f"{gold['id']}: missed source {name!r}")
    for name in sorted(predicted - expected):
        score.misses.append(f"{gold['id']}: extra source {name!r}")


@dataclass
class Scores:
    """The scores of one split and language."""

    articles: int = 0
    quotes: Score = field(default_factory=Score)
    scare: Score = field(default_factory=Score)
    casualties: Score = field(default_factory=Score)
    sources: Score = field(default_factory=Score)
    values: dict[str, Score] = field(default_factory=dict)
    numbers: dict[str, Score] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        if self.quotes.expected or self.quotes.predicted:
            out.append(self.quotes.line("quotes+speaker"))
            out.append(self.sources.line("sources"))
            out.append(self.scare.line("scare quotes"))
        if self.casualties.expected or self.casualties.predicted:
            out.append(self.casualties.line("casualty figures"))
        if "" in self.numbers:
            out.append(self.values[""].line("numbers (value+unit)"))
            out.append(self.numbers[""].line("numbers"))
            for kind in sorted(set(NUMBER_TYPES.values())):
                if kind in self.numbers:
                    out.append(self.numbers[kind].line(f"  {kind}"))
        return out


SPLITS = ("dev", "heldout", "heldout2", "blind", "blind3")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    parser.add_argument(
        "--split",
        action="append",
        help="score only articles of this split (repeatable); a blind set is left out this way",
    )
    parser.add_argument("--language", help="score only articles in this language (fr, en)")
    args = parser.parse_args(argv)
    table: dict[tuple[str, str], Scores] = {}
    for gold, article in gold_articles():
        split, language = str(gold.get("split", "dev")), str(gold.get("language", "en"))
        if (args.split and split not in args.split) or (args.language not in {None, language}):
            continue
        analysis = analyse(article)
        for key in ((split, language), ("all", language)):
            scores = table.setdefault(key, Scores())
            scores.articles += 1
            score_quotes(gold, analysis, scores.quotes, scores.scare)
            score_sources(gold, analysis, scores.sources)
            score_claims(gold, analysis, scores.casualties)
            if marks_every_number(gold):
                score_numbers(gold, analysis, scores.values, full=False)
                score_numbers(gold, analysis, scores.numbers, full=True)
    for split in (*SPLITS, "all"):
        for language in sorted({lang for _, lang in table}):
            found = table.get((split, language))
            if found is None:
                continue
            print(f"== {split}, {language}: {found.articles} articles")
            for line in found.lines():
                print(line)
    # Actor grouping and event links have their own gold (actors/, links/) and script.
    if not (args.split or args.language):
        print(_links_report())
    if args.verbose:
        for (split, language), scores in sorted(table.items()):
            if split == "all":
                continue
            for s in (scores.quotes, scores.casualties, scores.sources, scores.scare):
                for miss in s.misses:
                    print(f"  [{split} {language}]", miss)
            if "" in scores.numbers:
                for miss in scores.numbers[""].misses:
                    print(f"  [{split} {language}] number:", miss)
    return 0


def _links_report() -> str:
    import contextlib
    import io

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import substance_links

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        substance_links.main([])
    return out.getvalue().rstrip()


if __name__ == "__main__":
    sys.exit(main())
