"""The corpus store: articles by content hash, results by (article, analyzer, version).

One class, :class:`Store`, over SQLAlchemy Core, for SQLite (the default: a file, WAL, one
writer and many readers) and PostgreSQL. Every write is an idempotent upsert, and all that
one analyzer made on one article is written in one transaction, so a process killed at any
moment leaves either the whole result or none of it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite

from unspun.article import Analysis, AnalyzerRun, Article, Label, Problem, Record, Span
from unspun.errors import InputError, StoreError
from unspun.store import schema as t
from unspun.store.migrations import current_version, migrate

#: (analyzer name, version)
RunKey = tuple[str, str]

# SQLite caps bound parameters per statement; chunked IN (...) lists stay well below it.
_IN_CHUNK = 500


def engine_url(url: str) -> sa.URL:
    """Turn what a user gives as ``--db`` into a SQLAlchemy URL, or raise E401.

    A bare path means a SQLite file; ``postgresql://`` uses the psycopg (3) driver.
    """
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError("E401", f"cannot parse store URL {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError("E401", f"{url!r} names no file; a store must outlive the process")
        return parsed
    if backend in ("postgresql", "postgres"):
        if parsed.drivername in ("postgresql", "postgres"):
            # SQLAlchemy's default PostgreSQL driver is psycopg2; unspun depends on psycopg 3.
            return parsed.set(drivername="postgresql+psycopg")
        return parsed
    raise StoreError("E401", f"{url!r}: unsupported kind of store {backend!r}")


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    path = Path(url.database or "")
    if not path.parent.is_dir():
        raise StoreError("E402", f"{path}: the folder {path.parent} does not exist")
    engine = sa.create_engine(url)

    # The driver's own transaction handling defers BEGIN and ignores DDL; take it over so a
    # transaction means exactly what SQLAlchemy says (https://docs.sqlalchemy.org, pysqlite
    # "serializable isolation" recipe).
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process (not a power cut) and far faster.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A writer takes the write lock at BEGIN, so two writers queue instead of deadlocking
        # when both upgrade from a read lock.
        write = conn.get_execution_options().get("unspun_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# Serialises claims on PostgreSQL as SQLite's write lock does (any constant will do).
_LEASE_LOCK = 0x6C65617365


@dataclass(frozen=True)
class Claim:
    """What :meth:`Store.claim` found among its candidates."""

    #: now leased to the claimer, in the candidates' order
    claimed: tuple[str, ...]
    #: leased to another owner that is still at work
    held: tuple[str, ...]
    #: no longer lacking a result (or not stored)
    done: tuple[str, ...]


#: how many rejects and warnings an ingest keeps to list; the store keeps every reject
LISTED_PROBLEMS = 100


@dataclass
class IngestCounts:
    """What one ingest added."""

    added: int = 0
    existing: int = 0
    rejected: int = 0
    #: articles stored with reading warnings (bytes replaced ...)
    warned: int = 0
    #: the first LISTED_PROBLEMS rejects and warnings, in input order
    problems: list[Problem] = field(default_factory=list)

    def note(self, problem: Problem) -> None:
        if len(self.problems) < LISTED_PROBLEMS:
            self.problems.append(problem)


@dataclass
class StoreStats:
    """Counts that describe a store; equal on SQLite and PostgreSQL for the same corpus."""

    articles: int
    rejects: int
    rejects_by_code: dict[str, int]
    #: "name@version" -> status -> count
    analyses: dict[str, dict[str, int]]
    spans: int
    labels: int
    schema_version: int = t.SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "articles": self.articles,
            "analyses": self.analyses,
            "spans": self.spans,
            "labels": self.labels,
            "rejects": self.rejects,
            "rejects_by_code": self.rejects_by_code,
        }


def _result_rows(
    analysis: Mapping[str, Any],
    results: list[dict[str, Any]],
    spans: list[dict[str, Any]],
    labels: list[dict[str, Any]],
) -> None:
    """The rows of the results, spans and labels of each analyzer's output on the article.

    ``analysis`` is an :class:`Analysis` in its JSON form (``model_dump(mode="json")``, or
    the parsed JSON a batch worker sends), so a batch stores what workers send without
    building the objects again.
    """
    article_id = analysis["article"]["id"]
    stored_at = _now()
    for position, run in enumerate(analysis["runs"]):
        name, version = run["name"], run["version"]
        output = {
            part: [item for item in analysis[part] if item["analyzer"] == name]
            for part in ("spans", "labels", "records", "errors")
        }
        key = {"article_id": article_id, "analyzer": name, "version": version}
        results.append(
            {
                **key,
                "status": run["status"],
                "position": position,
                "output_json": json.dumps(output, ensure_ascii=False, separators=(",", ":")),
                "stored_at": stored_at,
            }
        )
        spans.extend(
            {
                **key,
                "span_id": s["id"],
                "start_char": s["start"],
                "end_char": s["end"],
                "label": _plain(s["label"]),
                "score": s["score"],
            }
            for s in output["spans"]
        )
        labels.extend(
            {**key, "position": i, "task": _plain(lb["task"]), "label": _plain(lb["label"]), "score": lb["score"]}
            for i, lb in enumerate(output["labels"])
        )


def _check_stored_copies(conn: sa.Connection, texts: Mapping[str, str]) -> None:
    """Raise E409 unless each article is stored with exactly this text.

    Ids are computed over the normalised text, so two copies that differ only in whitespace
    share one id while their offsets differ; spans of one stored over the other would point
    at the wrong characters.
    """
    ids = list(texts)
    for i in range(0, len(ids), _IN_CHUNK):
        chunk = ids[i : i + _IN_CHUNK]
        query = sa.select(t.articles.c.id, t.articles.c.article_json).where(t.articles.c.id.in_(chunk))
        stored = {row[0]: row[1] for row in conn.execute(query)}
        for article_id in chunk:
            if article_id not in stored:
                raise StoreError("E409", f"article {article_id} is not in the store")
            if json.loads(stored[article_id])["text"] != texts[article_id]:
                raise StoreError(
                    "E409",
                    f"article {article_id} is stored as another copy of this text (they differ "
                    "in whitespace or Unicode composition, so their offsets differ)",
                )


def _plain(value: str | None) -> str | None:
    """The value for a denormalised column: PostgreSQL text cannot hold NUL, and the exact
    value is kept in the JSON anyway."""
    return value.replace("\x00", "\ufffd") if value else value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """A corpus store at a URL. Open it with :func:`open_store` (or ``Store(url)``)."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        parsed = engine_url(url)
        try:
            if parsed.get_backend_name() == "sqlite":
                self.engine = _sqlite_engine(parsed)
            else:
                self.engine = sa.create_engine(parsed, pool_pre_ping=True)
            if create:
                migrate(self.engine)
            else:
                self._check_exists(parsed)
        except sa.exc.DatabaseError as exc:
            # Not an SQLite file, a damaged one, or a server that refuses: never a traceback.
            self._dispose()
            raise StoreError("E402", f"{_safe(parsed)}: {exc.orig or exc}") from exc
        except sa.exc.NoSuchModuleError as exc:
            raise StoreError("E401", f"{_safe(parsed)}: {exc}") from exc
        self.dialect = self.engine.dialect.name

    def _check_exists(self, parsed: sa.URL) -> None:
        if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
            raise StoreError("E402", f"{parsed.database}: no such store; `unspun ingest` makes one")
        with self.engine.connect() as conn:
            version = current_version(conn)
        if version == 0:
            raise StoreError("E402", f"{_safe(parsed)} is not an unspun store; `unspun ingest` makes one")
        if version > t.SCHEMA_VERSION:
            raise StoreError(
                "E403", f"the store is at schema version {version}; this unspun knows {t.SCHEMA_VERSION}"
            )
        if version < t.SCHEMA_VERSION:
            # Reading an old store without migrating it would query columns it lacks.
            migrate(self.engine)

    # -- life cycle ---------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def _dispose(self) -> None:
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()
        if isinstance(exc, sa.exc.DatabaseError):
            # A damaged file can open and fail only at the first page a query reads.
            url = _safe(self.engine.url)
            raise StoreError("E402", f"{url}: {getattr(exc, 'orig', None) or exc}") from exc

    def _writer(self) -> sa.Connection:
        return self.engine.connect().execution_options(unspun_write=True)

    @cached_property
    def _result_insert(self) -> Any:
        r = t.results
        return self._insert(r).returning(r.c.article_id, r.c.analyzer, r.c.version)

    def _insert(self, table: sa.Table) -> Any:
        # Both dialects spell "insert unless the key exists" the same way, through their own
        # insert construct.
        if self.dialect == "postgresql":
            return pg.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    # -- articles and rejects -----------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store an article unless one with its id is there; True when it was new."""
        with self._writer() as conn, conn.begin():
            return self._add_article(conn, article)

    def _add_article(self, conn: sa.Connection, article: Article) -> bool:
        meta = article.meta
        values: dict[str, Any] = {
            "id": article.id,
            "title": _plain(article.title),
            "outlet": _plain(meta.outlet),
            "published": meta.published,
            "language": _plain(meta.language),
            "source": _plain(meta.source),
            "external_id": _plain(meta.external_id),
            "chars": len(article.text),
            "article_json": article.model_dump_json(),
            "ingested_at": _now(),
        }
        title = _plain(article.title) or ""
        body = _plain(article.text[: t.FTS_MAX_CHARS]) or ""
        row = conn.execute(
            self._insert(t.articles).values(**values).returning(t.articles.c.seq)
        ).first()
        if row is None:
            return False
        # The full-text index lives outside the Core table (an FTS5 table in SQLite, a
        # tsvector column in PostgreSQL); filled in the same transaction as the row.
        params = {"seq": row.seq, "title": title, "body": body}
        if self.dialect == "postgresql":
            # PostgreSQL folds case by the database's locale (none beyond ASCII under C);
            # folding here makes matching the same whatever the server's locale.
            params.update(title=title.lower(), body=body.lower())
        if self.dialect == "sqlite":
            conn.execute(
                sa.text("INSERT INTO articles_fts(rowid, title, body) VALUES (:seq, :title, :body)"),
                params,
            )
        else:
            conn.execute(
                sa.text(
                    "UPDATE articles SET fts = to_tsvector('simple', :title || ' ' || :body) "
                    "WHERE seq = :seq"
                ),
                params,
            )
        return True

    def add_reject(self, error: InputError | Problem) -> bool:
        with self._writer() as conn, conn.begin():
            return self._add_reject(conn, error)

    def _add_reject(self, conn: sa.Connection, error: InputError | Problem) -> bool:
        result = conn.execute(
            self._insert(t.rejects).values(
                source=_plain(error.source) or "",
                line=error.line or 0,
                code=error.code,
                message=_plain(error.message),
                hint=error.hint,
                rejected_at=_now(),
            )
            .returning(t.rejects.c.code)
        ).first()
        return result is not None

    def add_items(self, items: Iterable[Article | InputError], *, per_transaction: int = 200) -> IngestCounts:
        """Store articles and rejects from a reader, committing every ``per_transaction``."""
        counts = IngestCounts()
        batch: list[Article | InputError] = []

        def flush() -> None:
            with self._writer() as conn, conn.begin():
                for item in batch:
                    if isinstance(item, InputError):
                        self._add_reject(conn, item)
                        counts.rejected += 1
                        counts.note(_problem(item))
                        continue
                    if self._add_article(conn, item):
                        counts.added += 1
                    else:
                        counts.existing += 1
                    if item.warnings:
                        counts.warned += 1
                        for warning in item.warnings:
                            counts.note(warning)
            batch.clear()

        for item in items:
            batch.append(item)
            if len(batch) >= per_transaction:
                flush()
        if batch:
            flush()
        return counts

    def article(self, article_id: str) -> Article:
        found = list(self.articles([article_id]))
        if not found:
            raise KeyError(article_id)
        return found[0]

    def articles(self, ids: Sequence[str] | None = None) -> Iterator[Article]:
        """The stored articles (all, in ingest order, or those with the given ids)."""
        for raw in self.article_json(ids):
            yield Article.model_validate_json(raw)

    def article_json(self, ids: Sequence[str] | None = None) -> Iterator[str]:
        col = t.articles.c.article_json
        with self.engine.connect() as conn:
            if ids is None:
                for row in conn.execute(sa.select(col).order_by(t.articles.c.seq)):
                    yield row[0]
                return
            for i in range(0, len(ids), _IN_CHUNK):
                chunk = ids[i : i + _IN_CHUNK]
                rows = conn.execute(
                    sa.select(t.articles.c.id, col).where(t.articles.c.id.in_(chunk))
                ).all()
                by_id = {r[0]: r[1] for r in rows}
                yield from (by_id[a] for a in chunk if a in by_id)

    def article_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.articles)).scalar_one())

    # -- results ------------------------------------------------------------------------

    def save_analysis(self, analysis: Analysis) -> int:
        """Store each analyzer's output on the article unless already stored; return how many.

        One transaction: a kill during the call stores all of this article's new results or
        none of them.
        """
        return self.save_analyses([analysis])

    def save_analyses(self, analyses: Iterable[Analysis]) -> int:
        """Store several analyses in one transaction (faster; still all-or-nothing)."""
        return self.save_analysis_data(a.model_dump(mode="json") for a in analyses)

    def save_analysis_data(
        self, analyses: Iterable[Mapping[str, Any]], *, release_owner: str | None = None
    ) -> int:
        """As :meth:`save_analyses`, for analyses in their JSON form (parsed, not validated).

        ``unspun batch`` stores its workers' output this way: they built and validated the
        objects already, and building them again cost the main process more than the rows.
        With ``release_owner``, that owner's leases on these articles go in the same
        transaction as their results.
        """
        results: list[dict[str, Any]] = []
        spans: list[dict[str, Any]] = []
        labels: list[dict[str, Any]] = []
        texts: dict[str, str] = {}
        for analysis in analyses:
            texts[analysis["article"]["id"]] = analysis["article"]["text"]
            _result_rows(analysis, results, spans, labels)
        if not results:
            return 0
        with self._writer() as conn, conn.begin():
            _check_stored_copies(conn, texts)
            # One statement for all the results; it returns the keys it inserted, so results
            # already stored (a resumed or repeated run) keep their rows and add none.
            new = {tuple(row) for row in conn.execute(self._result_insert, results)}
            # Then the span and label rows of the new results, one statement each: a
            # statement per result made the bookkeeping cost more than the rows.
            spans = [r for r in spans if (r["article_id"], r["analyzer"], r["version"]) in new]
            labels = [r for r in labels if (r["article_id"], r["analyzer"], r["version"]) in new]
            if spans:
                conn.execute(t.spans.insert(), spans)
            if labels:
                conn.execute(t.labels.insert(), labels)
            if release_owner is not None:
                self._release(conn, release_owner, list(texts))
        return len(new)

    # -- leases on batch work -----------------------------------------------------------

    def claim(
        self,
        candidates: Sequence[str],
        runs: Sequence[RunKey],
        *,
        owner: str,
        seconds: float,
        limit: int,
        is_gone: Callable[[str], bool] | None = None,
    ) -> Claim:
        """Lease to ``owner`` for ``seconds`` up to ``limit`` of ``candidates`` (in their
        order) that still lack a result for one of ``runs`` and that no other owner holds.

        A lease past its expiry is free, and so is one whose owner ``is_gone`` says has
        ended. One write transaction (SQLite's write lock, a PostgreSQL advisory lock), so
        two batches never lease the same article.
        """
        now = time.time()
        leases = t.leases
        with self._writer() as conn, conn.begin():
            if self.dialect == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_LEASE_LOCK)))
            waiting: set[str] = set()
            held: dict[str, str] = {}
            for i in range(0, len(candidates), _IN_CHUNK):
                chunk = candidates[i : i + _IN_CHUNK]
                # Leases before results: under PostgreSQL's read committed each statement sees
                # what was committed before it began, and a batch stores an article's results
                # and drops its lease in one commit. Read in this order, an article whose lease
                # is seen gone has its results seen too; read the other way round, a commit
                # between the two reads made it look pending and free, and two batches ran it.
                live = sa.select(leases.c.article_id, leases.c.owner).where(
                    leases.c.article_id.in_(chunk), leases.c.expires_at > now, leases.c.owner != owner
                )
                held.update((row.article_id, row.owner) for row in conn.execute(live))
                waiting.update(conn.execute(self._pending_query(runs).where(t.articles.c.id.in_(chunk))).scalars())
            gone = {o for o in set(held.values()) if is_gone is not None and is_gone(o)}
            held = {a: o for a, o in held.items() if o not in gone}
            free = [a for a in candidates if a in waiting and a not in held]
            claimed = free[: max(0, limit)]
            if claimed:
                insert = sqlite.insert(leases) if self.dialect == "sqlite" else pg.insert(leases)
                upsert = insert.on_conflict_do_update(
                    index_elements=[leases.c.article_id],
                    set_={"owner": insert.excluded.owner, "expires_at": insert.excluded.expires_at},
                )
                conn.execute(upsert, [{"article_id": a, "owner": owner, "expires_at": now + seconds} for a in claimed])
        return Claim(
            claimed=tuple(claimed),
            # Seen leased and then seen done (its results committed between the reads): done.
            held=tuple(a for a in candidates if a in held and a in waiting),
            done=tuple(a for a in candidates if a not in waiting),
        )

    def renew_leases(self, owner: str, seconds: float) -> int:
        """Extend every lease of ``owner`` to ``seconds`` from now; return how many."""
        leases = t.leases
        with self._writer() as conn, conn.begin():
            result = conn.execute(
                leases.update().where(leases.c.owner == owner).values(expires_at=time.time() + seconds)
            )
            return int(result.rowcount)

    def release_leases(self, owner: str, ids: Sequence[str] | None = None) -> None:
        """Drop the leases of ``owner`` (on ``ids`` only, when given)."""
        with self._writer() as conn, conn.begin():
            self._release(conn, owner, ids)

    def _release(self, conn: sa.Connection, owner: str, ids: Sequence[str] | None) -> None:
        leases = t.leases
        if ids is None:
            conn.execute(leases.delete().where(leases.c.owner == owner))
            return
        for i in range(0, len(ids), _IN_CHUNK):
            conn.execute(
                leases.delete().where(leases.c.owner == owner, leases.c.article_id.in_(ids[i : i + _IN_CHUNK]))
            )

    def leases(self) -> dict[str, tuple[str, float]]:
        """Every lease: article id -> (owner, expiry in seconds since the epoch)."""
        leases = t.leases
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(leases.c.article_id, leases.c.owner, leases.c.expires_at))
            return {row.article_id: (row.owner, row.expires_at) for row in rows}

    def pending(self, runs: Sequence[RunKey]) -> list[str]:
        """Ids of the articles that lack a result for any of ``runs``, in ingest order."""
        if not runs:
            return []
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(self._pending_query(runs).order_by(t.articles.c.seq))]

    @staticmethod
    def _pending_query(runs: Sequence[RunKey]) -> sa.Select[Any]:
        a, r = t.articles, t.results
        lacking = [
            ~sa.exists().where(r.c.article_id == a.c.id, r.c.analyzer == name, r.c.version == version)
            for name, version in runs
        ]
        return sa.select(a.c.id).where(sa.or_(*lacking))

    def runs(self, article_id: str) -> list[AnalyzerRun]:
        """Every result stored on the article, oldest first."""
        r = t.results
        query = (
            sa.select(r.c.analyzer, r.c.version, r.c.status)
            .where(r.c.article_id == article_id)
            .order_by(r.c.stored_at, r.c.position)
        )
        with self.engine.connect() as conn:
            return [
                AnalyzerRun(name=row.analyzer, version=row.version, status=row.status)
                for row in conn.execute(query)
            ]

    def analysis(self, article_id: str, runs: Sequence[RunKey] | None = None) -> Analysis:
        """Rebuild an Analysis from stored results.

        ``runs`` picks analyzer versions; by default each analyzer's most recently stored
        version. Results come in the order their analyzers ran.
        """
        r = t.results
        article = self.article(article_id)
        query = sa.select(
            r.c.analyzer, r.c.version, r.c.status, r.c.position, r.c.output_json, r.c.stored_at
        ).where(r.c.article_id == article_id)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        if runs is None:
            latest: dict[str, Any] = {}
            for row in sorted(rows, key=lambda x: (x.stored_at, x.version)):
                latest[row.analyzer] = row
            chosen = list(latest.values())
        else:
            wanted = set(runs)
            chosen = [row for row in rows if (row.analyzer, row.version) in wanted]
        chosen.sort(key=lambda x: (x.position, x.analyzer))
        analysis = Analysis(article=article)
        for row in chosen:
            output = json.loads(row.output_json)
            analysis.spans.extend(Span.model_validate(s) for s in output["spans"])
            analysis.labels.extend(Label.model_validate(x) for x in output["labels"])
            analysis.records.extend(Record.model_validate(x) for x in output["records"])
            analysis.errors.extend(Problem.model_validate(x) for x in output["errors"])
            analysis.runs.append(AnalyzerRun(name=row.analyzer, version=row.version, status=row.status))
        return analysis

    # -- counts -------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        r = t.results
        with self.engine.connect() as conn:

            def count(table: sa.Table) -> int:
                return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

            analyses: dict[str, dict[str, int]] = {}
            grouped = conn.execute(
                sa.select(r.c.analyzer, r.c.version, r.c.status, sa.func.count())
                .group_by(r.c.analyzer, r.c.version, r.c.status)
                .order_by(r.c.analyzer, r.c.version, r.c.status)
            )
            for name, version, status, n in grouped:
                analyses.setdefault(f"{name}@{version}", {})[status] = int(n)
            by_code = {
                code: int(n)
                for code, n in conn.execute(
                    sa.select(t.rejects.c.code, sa.func.count())
                    .group_by(t.rejects.c.code)
                    .order_by(t.rejects.c.code)
                )
            }
            return StoreStats(
                articles=count(t.articles),
                rejects=count(t.rejects),
                rejects_by_code=by_code,
                analyses=analyses,
                spans=count(t.spans),
                labels=count(t.labels),
            )

    def rejects(self) -> list[Problem]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.rejects).order_by(t.rejects.c.source, t.rejects.c.line, t.rejects.c.code)
            )
            return [
                Problem(
                    code=row.code,
                    message=row.message,
                    hint=row.hint,
                    source=row.source,
                    line=row.line or None,
                )
                for row in rows
            ]


def _problem(error: InputError) -> Problem:
    return Problem(code=error.code, message=error.message, hint=error.hint, source=error.source, line=error.line)


def _safe(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def open_store(url: str, *, create: bool = True) -> Store:
    """Open (and, with ``create``, make or migrate) the store at ``url``."""
    return Store(url, create=create)


__all__ = ["IngestCounts", "RunKey", "Store", "StoreStats", "engine_url", "open_store"]
