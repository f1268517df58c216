"""Outlet profiles: how each outlet in a store writes, in counts that compare across outlets.

Techniques are counted per 1,000 words, so a long-form outlet is not made to look more
manipulative by its length. Frames and genres count the articles that carry each label;
actors are unified across an outlet's articles as in :mod:`unspun.corpus.compare`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from unspun.article import Analysis
from unspun.corpus.analyses import TECHNIQUE_ANALYZER, outlet_of, word_count
from unspun.corpus.compare import name_key

TOP_ACTORS = 10
TOP_PORTRAYALS = 8


@dataclass
class _Tally:
    articles: int = 0
    words: int = 0
    quotes: int = 0
    techniques: Counter[str] = field(default_factory=Counter)
    frames: Counter[str] = field(default_factory=Counter)
    genres: Counter[str] = field(default_factory=Counter)
    actor_mentions: Counter[str] = field(default_factory=Counter)
    actor_names: dict[str, str] = field(default_factory=dict)
    portrayals: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def _add(tally: _Tally, a: Analysis) -> None:
    tally.articles += 1
    tally.words += word_count(a.text)
    tally.techniques.update(s.label for s in a.spans if s.analyzer == TECHNIQUE_ANALYZER)
    tally.frames.update({lb.label for lb in a.labels if lb.task == "frames"})
    tally.genres.update({lb.label for lb in a.labels if lb.task == "genre"})
    for r in a.records:
        if r.type == "quote":
            tally.quotes += 1
        if r.type != "actor" or not isinstance(r.attrs.get("name"), str):
            continue
        name = str(r.attrs["name"])
        key = name_key(name, str(r.attrs.get("type") or ""))
        if not key:
            continue
        tally.actor_mentions[key] += len(r.spans.get("mention", ()))
        if len(name) > len(tally.actor_names.get(key, "")):
            tally.actor_names[key] = name
        tally.portrayals[key].update(a.span_text(a.span(i)) for i in r.spans.get("portrayal", ()))


def profiles(analyses: Iterable[Analysis], *, outlet: str | None = None) -> list[dict[str, Any]]:
    """One profile per outlet (or only ``outlet``), most articles first."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for a in analyses:
        name = outlet_of(a)
        if outlet is None or name.casefold() == outlet.casefold():
            _add(tallies[name], a)
    out: list[dict[str, Any]] = []
    for name, t in tallies.items():
        per_k = 1000 / t.words if t.words else 0.0
        out.append(
            {
                "outlet": name,
                "articles": t.articles,
                "words": t.words,
                "techniques_per_1000_words": round(sum(t.techniques.values()) * per_k, 3),
                "techniques": {k: round(n * per_k, 3) for k, n in t.techniques.most_common()},
                "frames": dict(t.frames.most_common()),
                "genres": dict(t.genres.most_common()),
                "quotes_per_article": round(t.quotes / t.articles, 3),
                "top_actors": [
                    {
                        "name": t.actor_names[key],
                        "mentions": n,
                        "portrayal": [w for w, _ in t.portrayals[key].most_common(TOP_PORTRAYALS)],
                    }
                    for key, n in t.actor_mentions.most_common(TOP_ACTORS)
                ],
            }
        )
    out.sort(key=lambda p: (-p["articles"], p["outlet"]))
    return out


def profiles_text(found: list[dict[str, Any]]) -> str:
    """Profiles as plain text, for a terminal."""
    lines: list[str] = []
    for p in found:
        lines.append(f"== {p['outlet']}: {p['articles']} article(s), {p['words']} words, "
                     f"{p['quotes_per_article']} quotes/article")  # fmt: skip
        lines.append(f"   techniques per 1,000 words: {p['techniques_per_1000_words']}")
        for label, rate in p["techniques"].items():
            lines.append(f"     {label:<40} {rate}")
        for task in ("frames", "genres"):
            if p[task]:
                lines.append(f"   {task}: " + ", ".join(f"{k} ({n})" for k, n in p[task].items()))
        for actor in p["top_actors"]:
            words = ", ".join(actor["portrayal"]) or "-"
            lines.append(f"   {actor['name']} ({actor['mentions']}): {words}")
    return "\n".join(lines) if lines else "no articles"


__all__ = ["profiles", "profiles_text"]
