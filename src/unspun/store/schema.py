"""The store's tables as SQLAlchemy Core objects: what queries are written against.

Migrations (``migrations.py``) build the tables step by step; this module describes the
shape they reach at :data:`SCHEMA_VERSION`, and a test checks the two agree.

- ``articles``: one row per content hash, with the article's JSON and, for filtering, its
  outlet, date and language. ``seq`` is a stable integer key, because SQLite's full-text
  index addresses rows by integer.
- ``results``: one row per (article, analyzer, version) with everything that analyzer made
  on that article, so an :class:`~unspun.article.Analysis` can be rebuilt exactly.
- ``spans`` and ``labels``: the same findings denormalised, for search and filters.
- ``rejects``: inputs that yielded no article, keyed by (source, line, code).
"""

from __future__ import annotations

import sqlalchemy as sa

SCHEMA_VERSION = 2

metadata = sa.MetaData()

# Full-text indexing stops here so that one huge article cannot exceed PostgreSQL's tsvector
# limit (1 MB), and so both engines index exactly the same characters.
FTS_MAX_CHARS = 200_000

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
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
)

results = sa.Table(
    "results",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("analyzer", sa.String(100), primary_key=True),
    sa.Column("version", sa.String(50), primary_key=True),
    sa.Column("status", sa.String(10), nullable=False),
    # Where the analyzer stood in its pipeline, so a rebuilt Analysis lists runs in order.
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("output_json", sa.Text, nullable=False),
    sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
)

spans = sa.Table(
    "spans",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("analyzer", sa.String(100), primary_key=True),
    sa.Column("version", sa.String(50), primary_key=True),
    sa.Column("span_id", sa.String(50), primary_key=True),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.ForeignKeyConstraint(
        ["article_id", "analyzer", "version"],
        ["results.article_id", "results.analyzer", "results.version"],
    ),
)

labels = sa.Table(
    "labels",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("analyzer", sa.String(100), primary_key=True),
    sa.Column("version", sa.String(50), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("task", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.ForeignKeyConstraint(
        ["article_id", "analyzer", "version"],
        ["results.article_id", "results.analyzer", "results.version"],
    ),
)

rejects = sa.Table(
    "rejects",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    # 0 when the reject has no line: a NULL in a primary key would defeat idempotent upserts.
    sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("hint", sa.Text, nullable=False),
    sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
)

# Work claimed by a running `unspun batch`: a row per article it is analysing, until
# `expires_at` (seconds since the epoch, by the claimer's clock). The claimer renews its rows
# while it works and deletes them with the results; a killed one's rows expire (or are taken
# at once by a batch on the same host that sees its process gone).
leases = sa.Table(
    "leases",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)

sa.Index("ix_articles_outlet", articles.c.outlet)
sa.Index("ix_articles_published", articles.c.published)
sa.Index("ix_results_analyzer", results.c.analyzer, results.c.version)
sa.Index("ix_spans_label", spans.c.label)
sa.Index("ix_labels_task_label", labels.c.task, labels.c.label)

__all__ = [
    "FTS_MAX_CHARS",
    "SCHEMA_VERSION",
    "articles",
    "labels",
    "leases",
    "metadata",
    "rejects",
    "results",
    "schema_migrations",
    "spans",
]
