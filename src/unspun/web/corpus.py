"""The corpus as the web app reads it: filtered article lists with facet counts and keyset
paging, and the stored analyses that compare, outlet and report views are computed from.

Filters are plain query parameters, so every view of the corpus is a permalink. Paging is by
key (``after`` = the last row's ``seq``), never by offset, so a page costs the same deep in a
large corpus and does not shift when articles are added.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from unspun.article import Analysis
from unspun.corpus.analyses import TECHNIQUE_ANALYZER
from unspun.corpus.search import text_condition
from unspun.store import schema as t

if TYPE_CHECKING:
    from unspun.store import Store

#: The label tasks that are facets, by the name a URL gives them.
LABEL_FACETS = {"frame": "frames", "genre": "genre", "narrative": "narratives"}
ACTOR_ANALYZER = "actors"
FACET_SIZE = 25
MAX_PAGE = 200


@dataclass(frozen=True)
class Filters:
    """What a corpus view is narrowed to; each field is a query parameter of the same name."""

    q: str | None = None
    technique: tuple[str, ...] = ()
    frame: tuple[str, ...] = ()
    genre: tuple[str, ...] = ()
    narrative: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None

    def params(self) -> list[tuple[str, str]]:
        """The filters as query parameters (the permalink of this view)."""
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        for name in ("technique", "frame", "genre", "narrative", "actor", "outlet"):
            out += [(name, v) for v in getattr(self, name)]
        if self.since:
            out.append(("since", self.since.isoformat()))
        if self.until:
            out.append(("until", self.until.isoformat()))
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["since"] = self.since.isoformat() if self.since else None
        d["until"] = self.until.isoformat() if self.until else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


@dataclass
class ActorIndex:
    """Actor names per article, read from the actors analyzer's stored records (the store has
    no actor table), rebuilt when the store's results change."""

    generation: tuple[Any, ...] = ()
    by_article: dict[str, set[str]] = field(default_factory=dict)


class CorpusReader:
    """Reads one store for the web views; safe to share between request threads."""

    def __init__(self, store: Store, *, max_articles: int = 2000) -> None:
        self.store = store
        self.max_articles = max_articles
        self._lock = threading.Lock()
        self._actors = ActorIndex()
        self._cache: dict[Any, Any] = {}
        self._cache_generation: tuple[Any, ...] = ()

    # -- the store's generation: cached views are valid while it stays the same ---------

    def generation(self) -> tuple[Any, ...]:
        r = t.results
        with self.store.engine.connect() as conn:
            row = conn.execute(
                sa.select(sa.func.count(), sa.func.max(r.c.stored_at)).select_from(r)
            ).one()
            articles = conn.execute(sa.select(sa.func.max(t.articles.c.seq))).scalar()
        return (int(row[0]), str(row[1]), articles)

    def cached(self, key: Any, compute: Any) -> Any:
        """``compute()`` once per store generation and key (compare, profiles, charts)."""
        generation = self.generation()
        with self._lock:
            if generation != self._cache_generation:
                self._cache = {}
                self._cache_generation = generation
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            if self._cache_generation == generation:
                self._cache[key] = value
        return value

    def actor_index(self) -> dict[str, set[str]]:
        generation = self.generation()
        with self._lock:
            if self._actors.generation == generation:
                return self._actors.by_article
        r = t.results
        by_article: dict[str, set[str]] = {}
        latest: dict[str, tuple[str, str]] = {}
        query = sa.select(r.c.article_id, r.c.stored_at, r.c.output_json).where(r.c.analyzer == ACTOR_ANALYZER)
        with self.store.engine.connect() as conn:
            for article_id, stored_at, output in conn.execute(query):
                # Only each article's latest actors result counts, as in Store.analysis.
                if article_id in latest and latest[article_id][0] >= str(stored_at):
                    continue
                latest[article_id] = (str(stored_at), output)
        for article_id, (_, output) in latest.items():
            records = json.loads(output).get("records", [])
            by_article[article_id] = {
                str(rec["attrs"]["name"])
                for rec in records
                if rec.get("type") == "actor" and isinstance(rec.get("attrs", {}).get("name"), str)
            }
        with self._lock:
            self._actors = ActorIndex(generation, by_article)
        return by_article

    # -- filtering ----------------------------------------------------------------------

    def _conditions(self, f: Filters) -> list[sa.ColumnElement[bool]]:
        a = t.articles
        conds: list[sa.ColumnElement[bool]] = []
        if f.q and f.q.strip():
            conds.append(text_condition(self.store, f.q))
        for name in f.technique:
            s = t.spans
            conds.append(sa.exists().where(s.c.article_id == a.c.id, s.c.label == name))
        for facet, task in LABEL_FACETS.items():
            for value in getattr(f, facet):
                lb = t.labels
                conds.append(sa.exists().where(lb.c.article_id == a.c.id, lb.c.task == task, lb.c.label == value))
        if f.outlet:
            named = [o for o in f.outlet if o != "unknown"]
            either = [a.c.outlet.in_(named)] if named else []
            if "unknown" in f.outlet:
                either.append(a.c.outlet.is_(None))
            conds.append(sa.or_(*either))
        if f.since:
            conds.append(a.c.published >= f.since)
        if f.until:
            conds.append(a.c.published <= f.until)
        if f.actor:
            index = self.actor_index()
            ids = [i for i, names in index.items() if all(x in names for x in f.actor)]
            conds.append(a.c.id.in_(ids))
        return conds

    def ids(self, f: Filters, *, limit: int | None = None) -> list[str]:
        """Ids of the matching articles, newest ingested first."""
        a = t.articles
        query = sa.select(a.c.id).where(*self._conditions(f)).order_by(a.c.seq.desc())
        if limit is not None:
            query = query.limit(limit)
        with self.store.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def page(self, f: Filters, *, after: int | None = None, limit: int = 50) -> dict[str, Any]:
        """One page of matching articles (newest ingested first), the total, and the next key."""
        a = t.articles
        limit = max(1, min(limit, MAX_PAGE))
        conds = self._conditions(f)
        query = sa.select(a.c.seq, a.c.id, a.c.title, a.c.outlet, a.c.published, a.c.language, a.c.chars).where(*conds)
        if after is not None:
            query = query.where(a.c.seq < after)
        query = query.order_by(a.c.seq.desc()).limit(limit + 1)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).all()
            total = int(conn.execute(sa.select(sa.func.count()).select_from(a).where(*conds)).scalar_one())
        more = len(rows) > limit
        rows = rows[:limit]
        return {
            "total": total,
            "articles": [
                {
                    "id": r.id,
                    "title": r.title,
                    "outlet": r.outlet,
                    "published": r.published.isoformat() if r.published else None,
                    "language": r.language,
                    "chars": r.chars,
                }
                for r in rows
            ],
            "next_after": rows[-1].seq if more and rows else None,
        }

    def facets(self, f: Filters) -> dict[str, list[dict[str, Any]]]:
        """Counts of matching articles per value of each facet (the most frequent first)."""
        a = t.articles
        conds = self._conditions(f)
        base = sa.select(a.c.id).where(*conds).scalar_subquery()
        s, lb = t.spans, t.labels
        n = sa.func.count(sa.distinct(s.c.article_id)).label("n")
        out: dict[str, list[dict[str, Any]]] = {}
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(s.c.label, n)
                .where(s.c.analyzer == TECHNIQUE_ANALYZER, s.c.article_id.in_(base))
                .group_by(s.c.label)
                .order_by(n.desc(), s.c.label)
                .limit(FACET_SIZE)
            )
            out["technique"] = [{"value": v, "count": int(c)} for v, c in rows]
            for facet, task in LABEL_FACETS.items():
                m = sa.func.count(sa.distinct(lb.c.article_id)).label("n")
                rows = conn.execute(
                    sa.select(lb.c.label, m)
                    .where(lb.c.task == task, lb.c.article_id.in_(base))
                    .group_by(lb.c.label)
                    .order_by(m.desc(), lb.c.label)
                    .limit(FACET_SIZE)
                )
                out[facet] = [{"value": v, "count": int(c)} for v, c in rows]
            k = sa.func.count().label("n")
            rows = conn.execute(
                sa.select(a.c.outlet, k).where(a.c.id.in_(base)).group_by(a.c.outlet).order_by(k.desc()).limit(FACET_SIZE)
            )
            out["outlet"] = [{"value": v or "unknown", "count": int(c)} for v, c in rows]
            months = conn.execute(sa.select(a.c.published).where(a.c.id.in_(base), a.c.published.is_not(None)))
            by_month = Counter(d.strftime("%Y-%m") for (d,) in months)
            matching = set(conn.execute(sa.select(a.c.id).where(*conds)).scalars())
        out["month"] = [{"value": m, "count": c} for m, c in sorted(by_month.items())]
        actors: Counter[str] = Counter()
        for article_id, names in self.actor_index().items():
            if article_id in matching:
                actors.update(names)
        out["actor"] = [{"value": v, "count": c} for v, c in sorted(actors.items(), key=lambda x: (-x[1], x[0]))[:FACET_SIZE]]
        return out

    def analyses(self, ids: Sequence[str]) -> list[Analysis]:
        """Stored analyses (each analyzer's latest result) of the given articles."""
        return [self.store.analysis(i) for i in ids]


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date from a query parameter, or None for an empty one; ValueError otherwise."""
    if value is None or not value.strip():
        return None
    return dt.date.fromisoformat(value.strip())


__all__ = ["FACET_SIZE", "LABEL_FACETS", "CorpusReader", "Filters", "parse_date"]
