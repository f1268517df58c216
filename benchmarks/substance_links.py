"""Actor grouping and event links on the in-house gold, by split.

Run: ``.venv/bin/python benchmarks/substance_links.py [--verbose] [--links rules|scored]
[--sweep]`` (``--sweep``: event links at each threshold of the scored design)

Gold: ``src/unspun/resources/gold/substance/actors/*.json`` (articles with every actor
mention marked) and ``links/*.json`` (article pairs with the incidents both report, or none);
their README says how they were written. What is scored:

* **actor grouping**: pairs of mentions. Each predicted mention is matched to the gold
  mention it overlaps (one to one). A predicted pair (two mentions of one ``actor`` record,
  at least one of them matched) is right when both are matched to mentions of one gold
  actor; a gold pair is found when its two mentions are matched to mentions of one
  predicted actor. Precision over predicted pairs, recall over gold pairs.
* **actors**: predicted ``actor`` records against gold actors. A record is right when most
  of its mentions match one gold actor's and its type is that actor's; a record none of
  whose mentions matches a gold mention ("Varnian" alone, a nationality adjective) is wrong.
* **event links**: ``unspun.corpus.compare.compare`` on each pair alone. Each linked event
  it reports across the two articles is a predicted link, right when its places share a key
  with a gold link's place (each gold link counted once); a pair that must not link has no
  gold links, so anything linked there is wrong.
* **disagreement flags**: for each gold link with figures in both articles, whether the
  linked event says the figures disagree exactly when the gold does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Iterator, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from unspun.article import Analysis, Article, ArticleMeta
from unspun.corpus.compare import DEFAULT_LINKS, LINK_DESIGNS, LINK_THRESHOLD, compare, place_keys
from unspun.substance.actors import ActorAnalyzer
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.events import EventAnalyzer

# The benchmarks are scripts, not a package: the scorer is shared through their folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from substance_quality import Score

GOLD = Path(__file__).resolve().parents[1] / "src" / "unspun" / "resources" / "gold" / "substance"
SPLITS = ("dev", "heldout", "blind", "blind3", "blind4", "blind5")


def _load(folder: str) -> Iterator[dict[str, Any]]:
    for path in sorted((GOLD / folder).glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))


def _article(text: str, published: str | None, language: str, external_id: str) -> Article:
    day = dt.date.fromisoformat(published) if published else None
    return Article.from_text(
        text, meta=ArticleMeta(published=day, language=language, external_id=external_id)
    )


def analyse_actors(gold: dict[str, Any]) -> Analysis:
    analysis = Analysis(
        article=_article(gold["text"], gold.get("published"), gold["language"], gold["id"])
    )
    ActorAnalyzer()(analysis)
    return analysis


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_actors(gold: dict[str, Any], analysis: Analysis, grouping: Score, actors: Score) -> None:
    gold_mentions = [
        ((int(s), int(e)), g["key"]) for g in gold["expected"]["actors"] for s, e, _ in g["mentions"]
    ]
    types = {g["key"]: g["type"] for g in gold["expected"]["actors"]}
    predicted: list[tuple[tuple[int, int], int]] = []
    records = [r for r in analysis.records if r.type == "actor"]
    for n, r in enumerate(records):
        for i in r.spans.get("mention", ()):
            span = analysis.span(i)
            predicted.append(((span.start, span.end), n))
    # One to one, the largest overlaps first.
    candidates = sorted(
        (
            (_overlap(p, g), pi, gi)
            for pi, (p, _) in enumerate(predicted)
            for gi, (g, _) in enumerate(gold_mentions)
            if _overlap(p, g) > 0
        ),
        reverse=True,
    )
    to_gold: dict[int, int] = {}
    taken: set[int] = set()
    for _, pi, gi in candidates:
        if pi not in to_gold and gi not in taken:
            to_gold[pi] = gi
            taken.add(gi)
    gold_of = {pi: gold_mentions[gi][1] for pi, gi in to_gold.items()}
    to_pred = {gi: pi for pi, gi in to_gold.items()}
    name = gold["id"]
    text = analysis.text
    for x, y in combinations(range(len(predicted)), 2):
        if predicted[x][1] != predicted[y][1] or (x not in gold_of and y not in gold_of):
            continue
        grouping.predicted += 1
        if gold_of.get(x) is not None and gold_of.get(x) == gold_of.get(y):
            grouping.tp += 1
        else:
            (a, _), (b, _) = predicted[x], predicted[y]
            grouping.misses.append(f"{name}: joined {text[a[0]:a[1]]!r}@{a[0]} and {text[b[0]:b[1]]!r}@{b[0]}")
    for x, y in combinations(range(len(gold_mentions)), 2):
        if gold_mentions[x][1] != gold_mentions[y][1]:
            continue
        grouping.expected += 1
        px, py = to_pred.get(x), to_pred.get(y)
        if px is not None and py is not None and predicted[px][1] == predicted[py][1]:
            grouping.found += 1
        else:
            (a, _), (b, _) = gold_mentions[x], gold_mentions[y]
            grouping.misses.append(f"{name}: apart {text[a[0]:a[1]]!r}@{a[0]} and {text[b[0]:b[1]]!r}@{b[0]}")
    matched_gold: set[str] = set()
    for n, r in enumerate(records):
        actors.predicted += 1
        keys = [gold_of[pi] for pi, (_, rn) in enumerate(predicted) if rn == n and pi in gold_of]
        best = max(set(keys), key=keys.count) if keys else None
        right = best is not None and keys.count(best) * 2 > len(keys) and r.attrs.get("type") == types[best]
        if right and best not in matched_gold:
            actors.tp += 1
            matched_gold.add(str(best))
        else:
            actors.misses.append(
                f"{name}: actor {r.attrs.get('name')!r} {r.attrs.get('type')} (gold {best} {types.get(best or '')})"
            )
    actors.expected += len(types)
    actors.found += len(matched_gold)
    for key in sorted(set(types) - matched_gold):
        actors.misses.append(f"{name}: gold actor {key} ({types[key]}) not found")


def analyse_pair(gold: dict[str, Any]) -> list[Analysis]:
    out = []
    for art in gold["articles"]:
        analysis = Analysis(
            article=_article(art["text"], art.get("published"), gold["language"], f"{gold['id']}/{art['id']}")
        )
        for analyzer in (ClaimAnalyzer(), ActorAnalyzer(), EventAnalyzer()):
            analyzer(analysis)
        out.append(analysis)
    return out


def predicted_links(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The events ``compare`` reports across articles (``events``); before it reported
    events, each anchor place of a group of articles stood for one."""
    if "events" not in result:
        return [
            {"articles": [{"id": a["id"], "place": anchor} for a in g["articles"]], "types": []}
            for g in result["groups"]
            for anchor in g["anchors"]
        ]
    return [e for e in result.get("events", []) if len({a["id"] for a in e["articles"]}) > 1]


def _keys(places: Sequence[str]) -> set[str]:
    return {k for p in places for k in place_keys(p)}


def score_links(
    gold: dict[str, Any],
    analyses: list[Analysis],
    links: Score,
    flags: Score,
    design: str = DEFAULT_LINKS,
    threshold: float = LINK_THRESHOLD,
) -> None:
    result = compare(analyses, links=design, link_threshold=threshold)
    ids = {a.article.id: art["id"] for a, art in zip(analyses, gold["articles"], strict=True)}
    expected = list(gold["expected"]["links"])
    links.expected += len(expected)
    unmatched = list(range(len(expected)))
    for event in predicted_links(result):
        links.predicted += 1
        places = {k for a in event["articles"] for k in place_keys(a["place"])}
        hit = next((i for i in unmatched if _keys(expected[i]["place"]) & places), None)
        if hit is None:
            links.misses.append(f"{gold['id']}: extra link at {sorted(places)} {event.get('types')}")
            continue
        unmatched.remove(hit)
        links.tp += 1
        links.found += 1
        want = expected[hit]
        if "figures" in want and all(want["figures"][k] for k in ("a", "b")):
            flags.expected += 1
            flags.predicted += 1
            said = bool(event.get("disagree"))
            if said == bool(want["disagree"]):
                flags.tp += 1
                flags.found += 1
            else:
                got = {ids.get(a["id"], a["id"]): a.get("figures") for a in event["articles"]}
                flags.misses.append(f"{gold['id']}: disagree={said}, gold {want['disagree']}: {got}")
    for i in unmatched:
        links.misses.append(f"{gold['id']}: missed link at {expected[i]['place']} {expected[i]['type']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss (dev and heldout splits only)")
    parser.add_argument("--blind-misses", action="store_true", help="also list the blind split's misses")
    parser.add_argument("--split", choices=SPLITS, help="score this split only")
    parser.add_argument("--links", choices=LINK_DESIGNS, default=DEFAULT_LINKS, help="how compare links events")
    parser.add_argument("--threshold", type=float, default=LINK_THRESHOLD, help="the scored links' threshold")
    parser.add_argument(
        "--sweep", action="store_true", help="event links of the scored design at thresholds 0.5-3.0 (dev and heldout only)"
    )
    args = parser.parse_args(argv)
    if args.sweep:
        return sweep(args.split)
    scores: dict[str, dict[str, Score]] = {}
    n: dict[str, list[int]] = {}
    started = time.process_time()
    for gold in _load("actors"):
        split = str(gold.get("split", "dev"))
        if split not in SPLITS or (args.split and split != args.split):
            # A split not listed (a blind set being written) is never scored.
            continue
        s = scores.setdefault(split, {k: Score(found=0) for k in ("grouping", "actors", "links", "flags")})
        score_actors(gold, analyse_actors(gold), s["grouping"], s["actors"])
        n.setdefault(split, [0, 0])[0] += 1
    for gold in _load("links"):
        split = str(gold.get("split", "dev"))
        if split not in SPLITS or (args.split and split != args.split):
            # A split not listed (a blind set being written) is never scored.
            continue
        s = scores.setdefault(split, {k: Score(found=0) for k in ("grouping", "actors", "links", "flags")})
        score_links(gold, analyse_pair(gold), s["links"], s["flags"], args.links, args.threshold)
        n.setdefault(split, [0, 0])[1] += 1
    for split in SPLITS:
        if split not in scores:
            continue
        s = scores[split]
        print(f"== {split}: {n[split][0]} actor articles, {n[split][1]} article pairs")
        print(s["grouping"].line("actor grouping", 20))
        print(s["actors"].line("actors (with type)", 20))
        print(s["links"].line("event links", 20))
        print(s["flags"].line("disagreement flags", 20))
    print(f"(links: {args.links}, threshold {args.threshold}; {time.process_time() - started:.1f} s CPU, model loads included)")
    for split in SPLITS:
        if split not in scores or not (args.verbose and (not split.startswith("blind") or args.blind_misses)):
            continue
        for key in ("grouping", "actors", "links", "flags"):
            for miss in scores[split][key].misses:
                print(f"   [{split} {key}] {miss}")
    return 0


def sweep(split: str | None) -> int:
    """The scored design's event links at each threshold, on dev and heldout (never a blind
    split: its pairs are scored once, at the chosen threshold)."""
    splits = [split] if split else ["dev", "heldout"]
    if any(s.startswith("blind") for s in splits):
        print("--sweep reads dev and heldout only", file=sys.stderr)
        return 2
    pairs = [(g, analyse_pair(g)) for g in _load("links") if str(g.get("split", "dev")) in splits]
    print(f"scored event links on {', '.join(splits)} ({len(pairs)} pairs)")
    print("threshold  P               R               flags")
    for step in range(5, 31):
        threshold = step / 10
        links, flags = Score(found=0), Score(found=0)
        for gold, analyses in pairs:
            score_links(gold, analyses, links, flags, "scored", threshold)
        print(
            f"{threshold:>9.1f}  {links.precision:.2f} ({links.tp}/{links.predicted})".ljust(27)
            + f"{links.recall:.2f} ({links.found}/{links.expected})".ljust(16)
            + f"{flags.tp}/{flags.expected}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
