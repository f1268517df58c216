"""Versioned, append-only migration steps, recorded in ``schema_migrations``.

Each step builds the tables as they were at its version, not as ``schema.py`` describes
them now: a step, once released, never changes, so a store made by any release reaches the
same schema. A new schema version appends a step (and updates ``schema.py`` to match).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from unspun.errors import StoreError
from unspun.store.schema import SCHEMA_VERSION, schema_migrations

# Any constant will do: it only has to be the same in every process that migrates.
_PG_MIGRATION_LOCK = 0x756E7370756E


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sa.Connection], None]


def _result_key() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id", "analyzer", "version"],
        ["results.article_id", "results.analyzer", "results.version"],
    )


def _v1_tables(md: sa.MetaData) -> None:
    sa.Table(
        "articles",
        md,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(16), nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("language", sa.String(16)),
        sa.Column("source", sa.Text),
        sa.Column("external_id", sa.Text),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("article_json", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_articles_outlet", "outlet"),
        sa.Index("ix_articles_published", "published"),
    )
    sa.Table(
        "results",
        md,
        sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("analyzer", sa.String(100), primary_key=True),
        sa.Column("version", sa.String(50), primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("output_json", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_results_analyzer", "analyzer", "version"),
    )
    sa.Table(
        "spans",
        md,
        sa.Column("article_id", sa.String(16), primary_key=True),
        sa.Column("analyzer", sa.String(100), primary_key=True),
        sa.Column("version", sa.String(50), primary_key=True),
        sa.Column("span_id", sa.String(50), primary_key=True),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        _result_key(),
        sa.Index("ix_spans_label", "label"),
    )
    sa.Table(
        "labels",
        md,
        sa.Column("article_id", sa.String(16), primary_key=True),
        sa.Column("analyzer", sa.String(100), primary_key=True),
        sa.Column("version", sa.String(50), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("task", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        _result_key(),
        sa.Index("ix_labels_task_label", "task", "label"),
    )
    sa.Table(
        "rejects",
        md,
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("hint", sa.Text, nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
    )


def _v1_initial(conn: sa.Connection) -> None:
    md = sa.MetaData()
    _v1_tables(md)
    md.create_all(conn)
    if conn.dialect.name == "sqlite":
        # Contentless: the text already lives in articles.article_json; the index is keyed
        # by articles.seq. Diacritics are kept so SQLite matches what PostgreSQL's 'simple'
        # configuration matches.
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title, body, content='', tokenize='unicode61 remove_diacritics 0')"
        )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN fts tsvector")
        conn.exec_driver_sql("CREATE INDEX ix_articles_fts ON articles USING gin (fts)")


def _v2_leases(conn: sa.Connection) -> None:
    md = sa.MetaData()
    sa.Table(
        "leases",
        md,
        sa.Column("article_id", sa.String(16), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    md.create_all(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1_initial),
    Migration(2, "leases on batch work", _v2_leases),
)

assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def current_version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    found = conn.execute(sa.select(sa.func.max(schema_migrations.c.version))).scalar()
    return int(found or 0)


def migrate(engine: sa.Engine) -> list[int]:
    """Apply every step the store lacks, each in its own transaction; return those applied.

    Safe to run from several processes at once: the first takes a lock and migrates, the
    others wait for it and then find nothing to do.
    """
    with engine.connect() as probe:
        version = current_version(probe)
    if version == SCHEMA_VERSION:
        return []
    if version > SCHEMA_VERSION:
        raise StoreError(
            "E403", f"the store is at schema version {version}; this unspun knows {SCHEMA_VERSION}"
        )
    applied: list[int] = []
    with engine.connect().execution_options(unspun_write=True) as conn:
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
            schema_migrations.create(conn, checkfirst=True)
        for step in MIGRATIONS:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
                if current_version(conn) >= step.version:
                    continue
                step.apply(conn)
                conn.execute(
                    schema_migrations.insert().values(
                        version=step.version, name=step.name, applied_at=dt.datetime.now(dt.UTC)
                    )
                )
                applied.append(step.version)
    return applied


__all__ = ["MIGRATIONS", "Migration", "current_version", "migrate"]
