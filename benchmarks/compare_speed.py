"""How `unspun compare` scales: seconds to compare N synthetic analyses (no store, no models).

Usage::

    .venv/bin/python benchmarks/compare_speed.py [--articles 200,1000,4000] [--places 300]

Each synthetic article names a few places drawn from a pool of ``--places`` (one place is in
most articles, as a country is in a corpus about one war), with claims and events at them
and a handful of actors. Prints a table and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time

from unspun.article import Analysis, AnalyzerRun, Article, ArticleMeta
from unspun.corpus.compare import compare


def synthetic(n: int, places: int, seed: int = 0) -> list[Analysis]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        where = ["Mainland"] + [f"Town{rng.randrange(places)}" for _ in range(3)]
        text = " ".join(
            f"In {w} {rng.randint(1, 90)} people were killed on day {i}." for w in where
        )
        article = Article.from_text(
            f"Article {i}\n\n{text}",
            meta=ArticleMeta(
                outlet=f"outlet{i % 7}",
                published=dt.date(2030, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            ),
        )
        a = Analysis(
            article=article, runs=[AnalyzerRun(name="claims", version="bench", status="ok")]
        )
        pos = article.text.index("In ")
        for w in where:
            start = article.text.index(w, pos)
            span = a.add_span(start, start + len(w), "claim.place", analyzer="claims")
            a.add_record(
                "claim",
                analyzer="claims",
                spans={"place": (span.id,)},
                attrs={"category": "killed", "place": w, "value": 1},
            )
            pos = start
        for k in range(5):
            name = f"Person{rng.randrange(places)} Surname{k}"
            span = a.add_span(0, 7, "PERSON", analyzer="actors")
            a.add_record(
                "actor",
                analyzer="actors",
                spans={"mention": (span.id,)},
                attrs={"name": name, "type": "PERSON"},
            )
        out.append(a)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="200,1000,4000")
    parser.add_argument("--places", type=int, default=300)
    args = parser.parse_args()
    results = []
    for n in (int(x) for x in args.articles.split(",")):
        analyses = synthetic(n, args.places)
        started = time.perf_counter()
        found = compare(analyses)
        seconds = time.perf_counter() - started
        results.append(
            {"articles": n, "seconds": round(seconds, 3), "groups": len(found["groups"])}
        )
        print(f"{n:>7} articles  {seconds:8.2f} s  {len(found['groups']):>6} groups", flush=True)
    print(json.dumps({"benchmark": "compare_speed", "places": args.places, "results": results}))


if __name__ == "__main__":
    main()
