"""The store on a real SQLite file and a real PostgreSQL server: idempotent upserts, exact
rebuilds, versions side by side, migrations recorded, transactions all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.article import Analysis, AnalyzerRun, Article, ArticleMeta, Problem, article_id
from unspun.errors import InputError, StoreError
from unspun.pipeline import BaseAnalyzer, Pipeline
from unspun.store import SCHEMA_VERSION, Store, open_store
from unspun.store import schema as t
from unspun.store.database import engine_url

TEXT = "Officials said the plan would work.\n\nCritics called it a disaster for everyone."


class Words(BaseAnalyzer):
    """Marks every word of more than six letters, and labels the article by their count."""

    name = "words"
    version = "1"
    assigns = ("spans:word", "labels:length")

    def __call__(self, analysis: Analysis) -> None:
        pos = 0
        for word in analysis.text.split():
            start = analysis.text.index(word, pos)
            pos = start + len(word)
            if len(word) > 6:
                analysis.add_span(start, pos, "word", analyzer=self.name, attrs={"n": len(word)})
        size = "long" if len(analysis.spans) > 3 else "short"
        analysis.add_label("length", size, 0.75, analyzer=self.name, evidence=("s0",))


class Words2(Words):
    version = "2"

    def __call__(self, analysis: Analysis) -> None:
        super().__call__(analysis)
        analysis.add_span(0, 1, "first", analyzer=self.name, score=0.5)


class Claims(BaseAnalyzer):
    name = "claims"
    version = "1"
    requires = ("spans:word",)
    assigns = ("records:claim",)

    def __call__(self, analysis: Analysis) -> None:
        content = analysis.add_span(0, 9, "content", analyzer=self.name)
        analysis.add_record(
            "claim", analyzer=self.name, spans={"content": (content.id,)}, attrs={"x": [1, 2]}
        )
        if "disaster" in analysis.text:
            raise ValueError("refuses disasters")


def article(text: str = TEXT, **meta: object) -> Article:
    return Article.from_text(text, title="A plan", meta=ArticleMeta(source="a.txt", **meta))  # type: ignore[arg-type]


def test_new_store_records_its_migrations(store_url: str) -> None:
    with open_store(store_url) as store, store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.schema_migrations.c.version)).scalars().all()
    assert rows == list(range(1, SCHEMA_VERSION + 1))
    with open_store(store_url) as again, again.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.schema_migrations)).scalar() == len(rows)


def test_migrated_tables_match_the_schema_module(store_url: str) -> None:
    with open_store(store_url) as store:
        inspector = sa.inspect(store.engine)
        for table in t.metadata.tables.values():
            found = {c["name"] for c in inspector.get_columns(table.name)}
            assert set(table.c.keys()) <= found, table.name
            pk = set(inspector.get_pk_constraint(table.name)["constrained_columns"])
            assert pk == {c.name for c in table.primary_key}, table.name


def test_reingesting_adds_nothing(store_url: str) -> None:
    with open_store(store_url) as store:
        a = article(outlet="Daily", published=dt.date(2024, 5, 1))
        assert store.add_article(a) is True
        before = store.stats()
        # Same text up to line endings and spacing: same content hash.
        twin = Article.from_text(TEXT.replace("\n", "\r\n") + "  ", title="other title")
        assert twin.id == a.id
        counts = store.add_items([a, twin])
        assert (counts.added, counts.existing) == (0, 2)
        assert store.stats() == before
        assert store.article(a.id) == a


def test_analysis_round_trips_exactly_and_upserts_are_idempotent(store_url: str) -> None:
    pipeline = Pipeline([Words(), Claims()])
    a = article()
    analysis = pipeline(a)
    assert [r.status for r in analysis.runs] == ["ok", "failed"]
    with open_store(store_url) as store:
        store.add_article(a)
        assert store.save_analysis(analysis) == 2
        assert store.save_analysis(analysis) == 0
        rebuilt = store.analysis(a.id)
        assert rebuilt == analysis
        assert Analysis.from_json(rebuilt.to_json()) == analysis
        stats = store.stats()
        assert stats.analyses == {"claims@1": {"failed": 1}, "words@1": {"ok": 1}}
        assert stats.spans == len(analysis.spans) and stats.labels == 1


def test_analyses_stored_from_their_json_form_are_the_same_and_counted_once(store_url: str) -> None:
    # What `unspun batch` does with its workers' output: parsed JSON, no objects rebuilt.
    pipeline = Pipeline([Words(), Claims()])
    first, second = article(), article("Another text, with 12 words in it and a number or two.")
    one, two = pipeline(first), pipeline(second)
    with open_store(store_url) as store:
        store.add_items([first, second])
        assert store.save_analysis_data([json.loads(one.to_json())]) == 2
        # One already stored, one new, in one call: only the new one's results are added.
        assert store.save_analysis_data([json.loads(one.to_json()), json.loads(two.to_json())]) == 2
        assert store.save_analysis_data([]) == 0
        assert store.analysis(first.id) == one
        assert store.analysis(second.id) == two
        assert store.stats().spans == len(one.spans) + len(two.spans)


def test_a_new_version_sits_beside_the_old(store_url: str) -> None:
    a = article()
    old = Pipeline([Words()])(a)
    new = Pipeline([Words2()])(a)
    with open_store(store_url) as store:
        store.add_article(a)
        store.save_analysis(old)
        assert store.pending([("words", "1")]) == []
        assert store.pending([("words", "2")]) == [a.id]
        store.save_analysis(new)
        assert store.pending([("words", "1"), ("words", "2")]) == []
        assert store.analysis(a.id, [("words", "1")]) == old
        assert store.analysis(a.id, [("words", "2")]) == new
        assert store.analysis(a.id) == new
        assert set(store.stats().analyses) == {"words@1", "words@2"}


def test_rejects_are_recorded_once(store_url: str) -> None:
    errors = [
        InputError("E107", "not JSON", source="c.jsonl", line=3),
        InputError("E102", "empty", source="empty.txt"),
    ]
    with open_store(store_url) as store:
        assert store.add_items(errors).rejected == 2
        store.add_items(errors)
        assert store.stats().rejects == 2
        assert store.stats().rejects_by_code == {"E102": 1, "E107": 1}
        got = store.rejects()
        assert [(p.source, p.line, p.code) for p in got] == [
            ("c.jsonl", 3, "E107"),
            ("empty.txt", None, "E102"),
        ]
        assert got[0].message.endswith("not JSON") and got[0].hint


def test_a_failed_write_leaves_nothing_of_the_article(store_url: str) -> None:
    a = article()
    analysis = Pipeline([Words()])(a)
    # Two spans with one id break the spans table's key halfway through the write.
    analysis.spans.append(analysis.spans[0])
    with open_store(store_url) as store:
        store.add_article(a)
        with pytest.raises(sa.exc.IntegrityError):
            store.save_analysis(analysis)
        stats = store.stats()
        assert (stats.analyses, stats.spans, stats.labels) == ({}, 0, 0)
        assert store.pending([("words", "1")]) == [a.id]


def test_readers_see_only_committed_work(store_url: str) -> None:
    with open_store(store_url) as writer, open_store(store_url) as reader:
        with writer.engine.connect().execution_options(unspun_write=True) as conn, conn.begin():
            writer._add_article(conn, article())
            assert reader.article_count() == 0
        assert reader.article_count() == 1


@pytest.mark.parametrize(
    ("url", "code"),
    [("sqlite://", "E401"), ("mysql://x@y/z", "E401"), ("sqlite:////no/such/folder/c.db", "E402")],
)
def test_bad_urls_give_coded_errors(url: str, code: str) -> None:
    with pytest.raises(StoreError) as info:
        Store(url)
    assert info.value.code == code


def test_unreachable_postgres_is_a_coded_error() -> None:
    with pytest.raises(StoreError) as info:
        Store("postgresql://nobody@127.0.0.1:1/none")
    assert info.value.code == "E402"


def test_bare_path_means_sqlite() -> None:
    assert engine_url("corpus.db").get_backend_name() == "sqlite"
    assert engine_url("postgresql://u@h/d").drivername == "postgresql+psycopg"


def test_a_newer_schema_is_refused(store_url: str) -> None:
    with open_store(store_url) as store, store.engine.begin() as conn:
        conn.execute(
            t.schema_migrations.insert().values(
                version=SCHEMA_VERSION + 1, name="future", applied_at=dt.datetime.now(dt.UTC)
            )
        )
    with pytest.raises(StoreError) as info:
        open_store(store_url)
    assert info.value.code == "E403"


_spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 20), st.sampled_from(["a", "b", "ç"]), st.floats(0, 1)),
    max_size=6,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(
        lambda s: s.strip() != ""
    ),
    spans=_spans,
    labels=st.lists(st.tuples(st.sampled_from(["genre", "frames"]), st.text(max_size=5)), max_size=3),
)
def test_storage_round_trips_any_analysis(
    store_url: str, text: str, spans: list[tuple[int, int, str, float]], labels: list[tuple[str, str]]
) -> None:
    with open_store(store_url) as store:
        # The store (shared by every example) keeps the first copy of a text; a later one
        # that differs only in whitespace ('0' then '0\x85') has its id, and is analysed as
        # stored, as `unspun batch` does.
        store.add_article(Article.from_text(text))
        a = store.article(article_id(text))
        analysis = Analysis(article=a)
        name = f"gen{uuid.uuid4().hex[:8]}"
        for start, length, label, score in spans:
            start = min(start, len(a.text) - 1)
            analysis.add_span(start, min(len(a.text), start + length), label, analyzer=name, score=score)
        for task, label in labels:
            analysis.add_label(task, label, 0.5, analyzer=name)
        analysis.errors.append(Problem(code="E301", message="m", analyzer=name))
        analysis.runs.append(AnalyzerRun(name=name, version="0", status="ok"))
        store.save_analysis(analysis)
        assert store.analysis(a.id, [(name, "0")]) == analysis


def test_copies_differing_in_whitespace_are_one_article_and_keep_their_offsets(store_url: str) -> None:
    first, second = Article.from_text("0"), Article.from_text("0\x85")
    assert first.id == second.id  # one article, as docs/output.md promises
    other = Analysis(article=second)
    other.add_span(1, 2, "tail", analyzer="gen")
    other.runs.append(AnalyzerRun(name="gen", version="0", status="ok"))
    with open_store(store_url) as store:
        assert store.add_article(first) and not store.add_article(second)
        assert store.article(first.id).text == "0"
        # Its span (1-2) lies past the stored text's end: stored, it would point nowhere.
        with pytest.raises(StoreError) as info:
            store.save_analysis(other)
        assert info.value.code == "E409"
        assert store.runs(first.id) == []
        unknown = Analysis(article=Article.from_text("never stored"))
        unknown.runs.append(AnalyzerRun(name="gen", version="0", status="ok"))
        with pytest.raises(StoreError) as info:
            store.save_analysis(unknown)
        assert info.value.code == "E409"


@pytest.mark.shared
@pytest.mark.slow
def test_real_analyses_of_the_samples_round_trip_exactly(store_url: str, samples_dir: Path) -> None:
    from unspun.ingest import iter_read

    pipeline = Pipeline.from_names(None)
    with open_store(store_url) as store:
        for item in iter_read([samples_dir]):
            assert isinstance(item, Article), item
            analysis = pipeline(item)
            store.add_article(item)
            store.save_analysis(analysis)
            assert store.analysis(item.id) == analysis
