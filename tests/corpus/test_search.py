"""Search: one small query language on both engines, filters, coded errors for malformed
queries, and the same answers from SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from unspun.corpus import ingest, parse_query, run_batch, search
from unspun.corpus.cli import register
from unspun.corpus.search import Term
from unspun.errors import StoreError
from unspun.store import Store, open_store
from unspun.store.pgserver import TemporaryPostgres

ARTICLES = [
    {"title": "Storm hits harbour", "text": "A storm hit the harbour town overnight.", "outlet": "Daily", "date": "2024-01-05"},
    {"title": "Budget vote", "text": "The senate passed the budget after a long night.", "outlet": "Herald", "date": "2024-02-10"},
    {"title": "Drought and tariffs", "text": "Farmers blame the drought, not tariffs, for losses.", "outlet": "daily", "date": "2024-03-15"},
    {"title": "Court rules", "text": "The court ruled on the election dispute. Storm of protest followed.", "outlet": "Herald", "date": "2024-04-20"},
    {"title": "Café reopens", "text": "The café near the harbour reopened; élan returned.", "date": "2023-12-31"},
    {"title": "Undated", "text": "A budget storm without a date."},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def slow(slow_analyzer: str) -> None:
    """The test plugin's analyzer, registered in this process."""


def _fill(url: str, corpus: Path) -> Store:
    store = open_store(url)
    ingest(store, [corpus])
    run_batch(store, ["slow"], workers=0)
    return store


def titles(store: Store, query: str | None = None, **filters: object) -> list[str | None]:
    return [h.title for h in search(store, query, **filters)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("storm", ((Term("storm"),),)),
        ('"storm hit" -budget', ((Term("storm hit"), Term("budget", exclude=True)),)),
        ("a OR b AND c", ((Term("a"),), (Term("b"), Term("c")))),
        ("storm && ,", ((Term("storm"),),)),
        ('"a  \t b"', ((Term("a b"),),)),
    ],
)
def test_queries_parse(query: str, expected: object) -> None:
    assert parse_query(query) == expected


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', 'storm "', "AND OR", "OR storm", "storm OR", "storm AND", "storm OR OR rain", "", "  ", "-storm", "storm OR -rain", '""', "&&"],
)
def test_malformed_queries_are_coded(query: str) -> None:
    with pytest.raises(StoreError) as info:
        parse_query(query)
    assert info.value.code == "E404"


def test_search_and_filters(store_url: str, corpus: Path, slow: None) -> None:
    with _fill(store_url, corpus) as store:
        assert titles(store, "storm") == ["Court rules", "Storm hits harbour", "Undated"]
        assert titles(store, '"storm hit"') == ["Storm hits harbour"]
        assert titles(store, "storm -court") == ["Storm hits harbour", "Undated"]
        assert titles(store, "tariffs OR senate") == ["Drought and tariffs", "Budget vote"]
        assert titles(store, "STORM harbour") == ["Storm hits harbour"]
        assert titles(store, "café") == ["Café reopens"]
        assert titles(store, "CAFÉ ÉLAN") == ["Café reopens"]
        assert titles(store, "storm", outlet="herald") == ["Court rules"]
        assert titles(store, None, outlet="DAILY") == ["Drought and tariffs", "Storm hits harbour"]
        assert titles(store, "storm", since=dt.date(2024, 1, 6)) == ["Court rules"]
        assert titles(store, None, until=dt.date(2024, 1, 5)) == ["Storm hits harbour", "Café reopens"]
        # The slow analyzer labels parity and marks first words: filters on findings.
        even = titles(store, None, label=["parity:even"])
        odd = titles(store, None, label=["odd"])
        assert sorted(map(str, even + odd)) == sorted(str(a["title"]) for a in ARTICLES)
        assert len(titles(store, "storm", technique=["first-word"])) == 3
        # A name the store does not hold is a coded error naming the closest, not no results.
        for unknown in ({"label": ["frames:even"]}, {"technique": ["first-words"]}):
            with pytest.raises(StoreError) as info:
                titles(store, "storm", **unknown)
            assert info.value.code == "E408"
        assert "'first-word'" in str(info.value)
        assert titles(store, "storm", limit=1) == ["Court rules"]


def test_hostile_queries_are_only_words(store_url: str, corpus: Path, slow: None) -> None:
    with _fill(store_url, corpus) as store:
        for query in ["'); DROP TABLE articles; --", "storm*", "title:storm", "NEAR(storm harbour)", "storm & !harbour | (x"]:
            search(store, query)
        assert store.stats().articles == len(ARTICLES)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.sampled_from(list('ab "-()*:^&|!ORAND\'\\é')), max_size=20))
def test_any_query_gives_results_or_a_coded_error(store_url: str, corpus: Path, query: str) -> None:
    with open_store(store_url) as store:
        if store.article_count() == 0:
            ingest(store, [corpus])
        try:
            search(store, query)
        except StoreError as exc:
            assert exc.code == "E404"


def test_search_cli(tmp_path: Path, corpus: Path) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner.invoke(app, ["ingest", str(corpus), "--db", db])
    result = runner.invoke(app, ["search", "--db", db, "storm", "--since", "2024-01-01", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["title"] for h in hits] == ["Court rules", "Storm hits harbour"]
    assert hits[0]["published"] == "2024-04-20" and hits[0]["outlet"] == "Herald"
    text = runner.invoke(app, ["search", "--db", db, "harbour"])
    assert "Storm hits harbour" in text.stdout
    bad = runner.invoke(app, ["search", "--db", db, '"storm'])
    assert bad.exit_code == 2 and "E404" in bad.output and "Traceback" not in bad.output


PARITY_QUERIES = ["storm", "harbour OR budget", '"the harbour"', "storm -court", "café", "CAFÉ", "ÉLAN", "night", "a"]


def test_sqlite_and_postgresql_agree(
    tmp_path: Path, corpus: Path, slow: None, postgres_server: TemporaryPostgres
) -> None:
    with _fill(f"sqlite:///{tmp_path / 'c.db'}", corpus) as lite, _fill(postgres_server.create_database(), corpus) as pg:
        assert lite.stats() == pg.stats()
        for query in PARITY_QUERIES:
            assert search(lite, query) == search(pg, query), query
        for label in (["parity:even"], ["odd"]):
            assert search(lite, None, label=label) == search(pg, None, label=label)
        for article in lite.articles():
            assert lite.analysis(article.id) == pg.analysis(article.id)


def test_labels_holding_a_colon_are_found_whole_or_after_their_task(tmp_path: Path) -> None:
    from unspun.article import Analysis, AnalyzerRun, Article

    with open_store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        for n in range(3):
            article = Article.from_text(f"Article number {n} about the war.")
            store.add_article(article)
            analysis = Analysis(article=article)
            if n:
                analysis.add_label("narratives", "URW: Discrediting Ukraine", 0.9, analyzer="narratives")
            analysis.runs.append(AnalyzerRun(name="narratives", version="1", status="ok"))
            store.save_analysis(analysis)
        for name in ("URW: Discrediting Ukraine", "narratives:URW: Discrediting Ukraine"):
            assert len(search(store, None, label=[name])) == 2, name
        with pytest.raises(StoreError) as info:
            search(store, None, label=["URW: Discrediting Ukrain"])
        assert info.value.code == "E408"
        assert "'URW: Discrediting Ukraine'" in str(info.value)
