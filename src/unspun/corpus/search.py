"""Full-text search over a store, combined with filters on findings and metadata.

The query language is small and the same on both engines: words, ``"quoted phrases"``,
``-word`` to exclude, ``AND`` (implied between words) and ``OR``. It is parsed here, so a
malformed query is a coded error (E404) whatever the engine, and the engine only ever sees
the user's words as bound parameters: SQLite FTS5 gets each word as a quoted string, and
PostgreSQL builds its tsquery with ``phraseto_tsquery`` from each word.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from unspun.errors import StoreError

if TYPE_CHECKING:
    import sqlalchemy as sa

    from unspun.store import Store

# SQLAlchemy and the store's tables are imported where a search runs: `unspun --help`, and
# every command that searches nothing, start without them.


@dataclass(frozen=True)
class Term:
    """A word or phrase; ``exclude`` for ``-word``."""

    text: str
    exclude: bool = False


#: OR of groups; each group is an AND of terms.
Query = tuple[tuple[Term, ...], ...]

_TOKEN = re.compile(r'\s*(-?)("([^"]*)("?)|[^\s"]+)')
_WORD = re.compile(r"\w")


def parse_query(query: str) -> Query:
    """Parse a search query, or raise StoreError E404 saying what is wrong with it."""
    groups: list[list[Term]] = [[]]
    last: str | None = None  # "term", "AND", "OR" or None at the start
    pos = 0
    stripped = query.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if m is None:  # only a lone '"' can fail to match
            raise StoreError("E404", f"unbalanced quote at character {pos + 1} of {query!r}")
        pos = m.end()
        minus, token, phrase, closing = m.group(1), m.group(2), m.group(3), m.group(4)
        if phrase is not None and closing != '"':
            raise StoreError("E404", f"unbalanced quote at character {m.start(2) + 1} of {query!r}")
        if phrase is None and not minus and token in ("AND", "OR"):
            if last in (None, "AND", "OR"):
                where = "at the start" if last is None else f"after {last}"
                raise StoreError("E404", f"{token} {where} in {query!r}; it goes between words")
            last = token
            if token == "OR":
                groups.append([])
            continue
        text = phrase if phrase is not None else token
        last = "term"
        if not _WORD.search(text):
            # Punctuation alone matches nothing in either engine's index; leave it out.
            continue
        groups[-1].append(Term(" ".join(text.split()), exclude=bool(minus)))
    if last in ("AND", "OR"):
        raise StoreError("E404", f"{last} at the end of {query!r}; it goes between words")
    result = tuple(tuple(g) for g in groups if g)
    if not result:
        raise StoreError("E404", f"{query!r} has no words to search for")
    for group in result:
        if all(term.exclude for term in group):
            raise StoreError(
                "E404", f"{query!r}: a part of the query only excludes words; say what to find too"
            )
    return result


def _fts5(query: Query) -> str:
    """The FTS5 MATCH expression: every term a quoted string, so none of it is syntax."""

    def quoted(term: Term) -> str:
        return '"' + term.text.replace('"', '""') + '"'

    parts = []
    for group in query:
        expr = " AND ".join(quoted(x) for x in group if not x.exclude)
        expr = f"({expr})"
        for x in group:
            if x.exclude:
                expr = f"({expr} NOT {quoted(x)})"
        parts.append(expr)
    return " OR ".join(parts)


def _tsquery(query: Query) -> sa.ColumnElement[Any]:
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql as pg

    def term(x: Term) -> sa.ColumnElement[Any]:
        # Lower-cased as the indexed text was (see Store._add_article).
        text = sa.literal(x.text.lower())
        return sa.func.phraseto_tsquery(sa.cast(sa.literal("simple"), pg.REGCONFIG), text)

    ors: sa.ColumnElement[Any] | None = None
    for group in query:
        expr: sa.ColumnElement[Any] | None = None
        for x in group:
            part = sa.func.tsquery_not(term(x)) if x.exclude else term(x)
            expr = part if expr is None else sa.func.tsquery_and(expr, part)
        assert expr is not None
        ors = expr if ors is None else sa.func.tsquery_or(ors, expr)
    assert ors is not None
    return ors


def _unknown(kind: str, name: str, known: Sequence[str]) -> StoreError:
    if not known:
        return StoreError("E408", f"no {kind} {name!r}: the store holds none yet (run `unspun batch`)")
    close = difflib.get_close_matches(name, known, n=5, cutoff=0.5)
    if not close:
        folded = name.casefold()
        close = [k for k in known if folded in k.casefold()][:5]
    tail = f"; closest: {', '.join(map(repr, close))}" if close else ""
    return StoreError("E408", f"no {kind} {name!r} in the store{tail}")


def _techniques(store: Store, names: Sequence[str]) -> list[str]:
    """The span labels asked for, each checked against those the store holds (E408)."""
    if not names:
        return []
    import sqlalchemy as sa

    from unspun.store import schema as t

    with store.engine.connect() as conn:
        known = sorted(conn.execute(sa.select(t.spans.c.label).distinct()).scalars())
    for name in names:
        if name not in known:
            raise _unknown("technique", name, known)
    return list(names)


def _labels(store: Store, items: Sequence[str]) -> list[tuple[str | None, str]]:
    """(task or None, label) for each ``LABEL`` or ``TASK:LABEL`` asked for.

    Labels hold colons themselves ("URW: Discrediting Ukraine"), so a name is first taken
    whole; else split at its first colon when what comes before is a task the store knows;
    else refused with the closest names (E408).
    """
    if not items:
        return []
    import sqlalchemy as sa

    from unspun.store import schema as t

    with store.engine.connect() as conn:
        pairs = [tuple(row) for row in conn.execute(sa.select(t.labels.c.task, t.labels.c.label).distinct())]
    labels = {label for _, label in pairs}
    out: list[tuple[str | None, str]] = []
    for item in items:
        if item in labels:
            out.append((None, item))
            continue
        task, sep, value = item.partition(":")
        value = value.strip()
        if sep and (task, value) in pairs:
            out.append((task, value))
            continue
        known = sorted(labels | {f"{task}:{label}" for task, label in pairs})
        raise _unknown("label", item, known)
    return out


def text_condition(store: Store, query: str) -> sa.ColumnElement[bool]:
    """The WHERE condition on ``articles`` that keeps the articles matching ``query`` (E404
    when it is malformed), for views that combine search with filters of their own."""
    import sqlalchemy as sa

    from unspun.store import schema as t

    parsed = parse_query(query)
    if store.dialect == "sqlite":
        matching = sa.text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q").bindparams(
            q=_fts5(parsed)
        )
        return t.articles.c.seq.in_(matching.columns(sa.column("rowid", sa.Integer)))
    return sa.column("fts").op("@@")(_tsquery(parsed))


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    source: str | None
    chars: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "chars": self.chars,
        }


def search(
    store: Store,
    query: str | None = None,
    *,
    technique: Sequence[str] = (),
    label: Sequence[str] = (),
    outlet: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Articles matching the query and every filter, newest first.

    ``technique`` keeps articles with a span of that label; ``label`` keeps articles with
    an article-level label, given as ``LABEL`` or ``TASK:LABEL``.
    """
    import sqlalchemy as sa

    from unspun.store import schema as t

    a = t.articles
    conditions: list[sa.ColumnElement[bool]] = []
    if query is not None and query.strip():
        conditions.append(text_condition(store, query))
    for name in _techniques(store, technique):
        s = t.spans
        conditions.append(sa.exists().where(s.c.article_id == a.c.id, s.c.label == name))
    for task, value in _labels(store, label):
        lb = t.labels
        cond = [lb.c.article_id == a.c.id, lb.c.label == value]
        if task:
            cond.append(lb.c.task == task)
        conditions.append(sa.exists().where(*cond))
    if outlet:
        conditions.append(sa.func.lower(a.c.outlet) == outlet.lower())
    if since:
        conditions.append(a.c.published >= since)
    if until:
        conditions.append(a.c.published <= until)
    select = (
        sa.select(a.c.id, a.c.title, a.c.outlet, a.c.published, a.c.source, a.c.chars)
        .select_from(a)
        .where(*conditions)
        .order_by(a.c.published.desc().nulls_last(), a.c.seq)
        .limit(max(0, limit))
    )
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(select).all()
    except (sa.exc.OperationalError, sa.exc.ProgrammingError) as exc:
        # The parser should leave the engine nothing to reject; if it does, say so with a
        # code rather than a traceback.
        raise StoreError("E404", f"the search engine rejected {query!r}: {exc.orig or exc}") from exc
    return [
        SearchHit(
            id=row.id,
            title=row.title,
            outlet=row.outlet,
            published=row.published,
            source=row.source,
            chars=row.chars,
        )
        for row in rows
    ]


__all__ = ["Query", "SearchHit", "Term", "parse_query", "search", "text_condition"]
