"""The web app over a real PostgreSQL store, as a newsroom would share one: the same pages,
search, facets, paging and an analysis written through the API."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from unspun.article import Article
from unspun.pipeline import Pipeline
from unspun.store import open_store
from unspun.store.pgserver import TemporaryPostgres
from unspun.web.app import create_app
from unspun.web.settings import WebSettings

from .conftest import HOSTILE_TEXT, HOSTILE_TITLE, PASTED


@pytest.fixture(scope="module")
def pg_url(postgres_server: TemporaryPostgres, pipeline: Pipeline) -> Iterator[str]:
    from unspun.ingest import read

    url = postgres_server.create_database()
    with as_file(files("unspun") / "resources" / "example.md") as path:
        example = read(path)[0]
    with open_store(url) as store:
        for article in (example, Article.from_text(HOSTILE_TEXT, title=HOSTILE_TITLE)):
            store.add_article(article)
            store.save_analysis(pipeline(article))
    yield url
    postgres_server.drop_database(url)


@pytest.fixture(scope="module")
def client(pg_url: str, tokens: tuple[Path, str], pipeline: Pipeline) -> Iterator[TestClient]:
    settings = WebSettings(db=pg_url, tokens_path=tokens[0], allow_writes=True, rate_limit=1000)
    with TestClient(create_app(settings, pipeline=pipeline)) as c:
        yield c


def test_pages_search_and_facets_on_postgresql(client: TestClient) -> None:
    listing = client.get("/articles.json").json()
    assert listing["total"] == 2
    found = client.get("/articles.json", params={"q": "Kessel"}).json()["articles"]
    assert len(found) == 1
    article_id = found[0]["id"]
    twin = client.get(f"/articles/{article_id}.json").json()
    assert any(s["analyzer"] == "persuasion" for s in twin["analysis"]["spans"])
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200 and "uv-spans" in page.text
    technique = listing["facets"]["technique"][0]
    narrowed = client.get("/articles.json", params={"technique": technique["value"]}).json()
    assert narrowed["total"] == technique["count"] >= 1
    first = client.get("/articles.json", params={"limit": 1}).json()
    second = client.get(first["next"].replace("/articles", "/articles.json", 1)).json()
    assert {a["id"] for a in first["articles"]} | {a["id"] for a in second["articles"]} == {
        a["id"] for a in listing["articles"]
    }
    for path in ("/compare.json", "/outlets.json"):
        assert client.get(path).status_code == 200


def test_an_analysis_through_the_api_is_stored_in_postgresql(
    client: TestClient, pg_url: str, tokens: tuple[Path, str]
) -> None:
    response = client.post(
        "/api/analyze", json={"text": PASTED, "title": "Pasted"}, headers={"Authorization": f"Bearer {tokens[1]}"}
    )
    assert response.status_code == 200, response.text
    article_id = response.json()["article"]["id"]
    with open_store(pg_url, create=False) as store:
        stored = store.analysis(article_id)
    assert stored.article.title == "Pasted" and stored.spans
    # Searchable at once: the new article is found, and it is the only third article.
    found = client.get("/articles.json", params={"q": "cowards silent"}).json()["articles"]
    assert [a["id"] for a in found] == [article_id]
    assert client.get("/articles.json").json()["total"] == 3
