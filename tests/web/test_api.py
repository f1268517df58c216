"""The web app in-process (through httpx's ASGI transport): every page as HTML and as JSON,
the API, and each safety rule (token, CSRF, size cap, rate limit, time cap, fetch)."""

from __future__ import annotations

import gzip
import http.server
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from unspun.pipeline import Pipeline
from unspun.web.app import create_app
from unspun.web.guard import CSRF_COOKIE
from unspun.web.settings import WebSettings

from .conftest import HOSTILE_TITLE, PASTED


@pytest.fixture(scope="module")
def reader(seeded_db: str, tokens: tuple[Path, str], pipeline: Pipeline) -> Iterator[TestClient]:
    app = create_app(WebSettings(db=seeded_db, tokens_path=tokens[0]), pipeline=pipeline)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def writer(seeded_db: str, tokens: tuple[Path, str], pipeline: Pipeline) -> Iterator[TestClient]:
    settings = WebSettings(
        db=seeded_db, tokens_path=tokens[0], allow_writes=True, allow_fetch=True,
        max_upload_bytes=200_000, max_text_chars=5_000, rate_limit=1000,
    )
    with TestClient(create_app(settings, pipeline=pipeline)) as client:
        yield client


def _auth(tokens: tuple[Path, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[1]}"}


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == status and body["hint"]
    assert "Traceback" not in response.text
    return body


def _ids(client: TestClient) -> list[str]:
    return [a["id"] for a in client.get("/articles.json").json()["articles"]]


def _example_id(client: TestClient) -> str:
    found = client.get("/articles.json", params={"q": "Kessel"}).json()["articles"]
    return str(found[0]["id"])


# -- pages and their JSON twins ------------------------------------------------------------


def test_home_shows_the_newest_article_with_its_highlights(reader: TestClient) -> None:
    page = reader.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'class="uv"' in page.text and "uv-spans" in page.text
    twin = reader.get("/", headers={"Accept": "application/json"}).json()
    assert twin["view"]["spans"] and twin["analysis"]["article"]["id"] == twin["view"]["article"]["id"]


@pytest.mark.parametrize("path", ["/articles", "/compare", "/outlets", "/errors"])
def test_every_page_has_a_json_twin(reader: TestClient, path: str) -> None:
    html = reader.get(path)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    twin = reader.get(path + ".json")
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    by_accept = reader.get(path, headers={"Accept": "application/json"})
    assert by_accept.json() == twin.json()


def test_article_page_and_twin_hold_the_stored_analysis(reader: TestClient) -> None:
    article_id = _example_id(reader)
    twin = reader.get(f"/articles/{article_id}.json").json()
    text = twin["analysis"]["article"]["text"]
    techniques = [s for s in twin["analysis"]["spans"] if s["analyzer"] == "persuasion"]
    assert techniques and all(0 <= s["start"] < s["end"] <= len(text) for s in techniques)
    page = reader.get(f"/articles/{article_id}").text
    # Every technique span of the analysis is listed on the server-rendered page.
    for span in techniques:
        assert f'{article_id}-{span["id"]}' in page


def test_article_text_and_title_are_escaped(reader: TestClient) -> None:
    hostile = next(a["id"] for a in reader.get("/articles.json").json()["articles"] if a["title"] == HOSTILE_TITLE)
    page = reader.get(f"/articles/{hostile}").text
    assert "<script>window" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert "&lt;script&gt;window.__pwned=1" in page
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/static/unspun.js" defer>']


def test_search_facets_and_keyset_paging(reader: TestClient) -> None:
    everything = reader.get("/articles.json").json()
    assert everything["total"] == 2
    technique = everything["facets"]["technique"][0]
    assert technique["count"] >= 1 and technique["href"].startswith("/articles?technique=")
    narrowed = reader.get("/articles.json", params={"technique": technique["value"]}).json()
    assert narrowed["total"] == technique["count"]
    assert narrowed["filters"]["technique"] == [technique["value"]]
    assert reader.get("/articles.json", params={"q": "Kessel"}).json()["total"] == 1
    assert reader.get("/articles.json", params={"q": "Kessel -Kessel zzz"}).json()["total"] == 0
    first = reader.get("/articles.json", params={"limit": 1}).json()
    assert first["next"] and len(first["articles"]) == 1
    second = reader.get(first["next"].replace("/articles", "/articles.json", 1)).json()
    assert [a["id"] for a in second["articles"]] != [a["id"] for a in first["articles"]]
    assert second["next"] is None
    genre = everything["facets"]["genre"]
    assert genre and sum(g["count"] for g in genre) >= 1
    actors = everything["facets"]["actor"]
    assert actors and reader.get("/articles.json", params={"actor": actors[0]["value"]}).json()["total"] == actors[0]["count"]


def test_bad_queries_are_coded_problems(reader: TestClient) -> None:
    _problem(reader.get("/articles.json", params={"q": '"unbalanced'}), 400, "E404")
    _problem(reader.get("/articles.json", params={"since": "yesterday"}), 422, "E610")
    _problem(reader.get("/articles.json", params={"limit": "0"}), 422, "E610")
    _problem(reader.get("/articles/0000000000000000.json"), 404, "E609")
    _problem(reader.get("/no/such/page.json"), 404, "E609")
    html = reader.get("/articles/0000000000000000")
    assert html.status_code == 404 and "E609" in html.text and "Traceback" not in html.text


def test_outlet_profiles_have_svg_charts_and_exports_stream(reader: TestClient) -> None:
    outlets = reader.get("/outlets.json").json()
    assert outlets["profiles"] and outlets["outlet_chart"].startswith("<svg")
    page = reader.get("/outlets").text
    assert "<svg" in page and "Technique mix per outlet" in page
    one = reader.get(f"/outlets/{outlets['profiles'][0]['outlet']}.json").json()
    assert len(one["profiles"]) == 1
    csv = reader.get("/export/spans.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "article_id,span_id,analyzer,label,start,end,score,text"
    lines = reader.get("/export/articles.jsonl").text.splitlines()
    assert len(lines) == 2
    assert reader.get("/export/articles.parquet").content[:4] == b"PAR1"
    _problem(reader.get("/export/secrets.csv"), 404, "E609")


def test_docs_page_is_served_from_the_schema_without_a_cdn(reader: TestClient) -> None:
    schema = reader.get("/openapi.json").json()
    for path in ("/articles.json", "/articles/{article_id}.json", "/compare.json", "/outlets.json",
                 "/api/analyze", "/api/jobs", "/api/jobs/{job_id}", "/export/{table}.{fmt}", "/api/search"):
        assert path in schema["paths"], path
    docs = reader.get("/docs").text
    assert "POST /api/analyze" in docs
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs)


def test_every_response_carries_a_strict_csp(reader: TestClient) -> None:
    for path in ("/", "/articles", "/articles.json", "/static/web.css", "/nope"):
        csp = reader.get(path).headers["content-security-policy"]
        script = re.search(r"script-src ([^;]*)", csp)
        assert script and script.group(1) == "'self'"
        assert "unsafe" not in csp and "default-src 'none'" in csp


# -- writes: read-only, tokens, CSRF --------------------------------------------------------


def test_read_only_server_refuses_writes(reader: TestClient, tokens: tuple[Path, str]) -> None:
    _problem(reader.post("/api/analyze", json={"text": PASTED}, headers=_auth(tokens)), 403, "E601")
    _problem(reader.post("/api/jobs", files={"files": ("a.txt", b"text")}, headers=_auth(tokens)), 403, "E601")


def test_api_writes_need_a_known_token(writer: TestClient, tokens: tuple[Path, str]) -> None:
    _problem(writer.post("/api/analyze", json={"text": PASTED}), 401, "E602")
    _problem(writer.post("/api/analyze", json={"text": PASTED}, headers={"Authorization": "Bearer unspun_guess"}), 401, "E602")
    # A browser's session cookie is no API credential: only the bearer token is.
    response = writer.post("/api/analyze", json={"text": PASTED, "title": "Pasted"}, headers=_auth(tokens))
    assert response.status_code == 200, response.text
    analysis = response.json()
    assert analysis["article"]["title"] == "Pasted"
    assert any(s["analyzer"] == "persuasion" for s in analysis["spans"])
    assert writer.get(f"/articles/{analysis['article']['id']}.json").status_code == 200
    # The route says where its time went: every step, in milliseconds.
    timing = dict(e.strip().split(";dur=") for e in response.headers["server-timing"].split(","))
    assert set(timing) == {"read", "store", "wait", "pipeline", "json"} and all(float(v) >= 0 for v in timing.values())


def _signed_in(client: TestClient, tokens: tuple[Path, str]) -> str:
    client.get("/login")
    csrf = client.cookies[CSRF_COOKIE]
    response = client.post("/login", data={"token": tokens[1], "csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    return csrf


def test_forms_need_the_csrf_token_and_a_sign_in(writer: TestClient, tokens: tuple[Path, str]) -> None:
    writer.get("/analyze")
    csrf = writer.cookies[CSRF_COOKIE]
    _problem(writer.post("/login", data={"token": tokens[1]}, headers={"Accept": "application/json"}), 403, "E603")
    _problem(
        writer.post("/login", data={"token": "unspun_wrong", "csrf_token": csrf}, headers={"Accept": "application/json"}),
        401, "E602",
    )
    _problem(writer.post("/analyze", data={"text": PASTED, "csrf_token": csrf}, headers={"Accept": "application/json"}), 401, "E602")
    csrf = _signed_in(writer, tokens)
    _problem(writer.post("/analyze", data={"text": PASTED}, headers={"Accept": "application/json"}), 403, "E603")
    _problem(
        writer.post("/analyze", data={"text": PASTED, "csrf_token": "x" * 43}, headers={"Accept": "application/json"}),
        403, "E603",
    )
    cross = writer.post(
        "/analyze", data={"text": PASTED, "csrf_token": csrf},
        headers={"Sec-Fetch-Site": "cross-site", "Accept": "application/json"},
    )
    _problem(cross, 403, "E603")
    done = writer.post("/analyze", data={"text": PASTED, "title": "Via the form", "csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/articles/")
    assert writer.get(done.headers["location"] + ".json").json()["analysis"]["article"]["title"] == "Via the form"


# -- caps ------------------------------------------------------------------------------------


def test_bodies_and_texts_over_the_caps_are_413(writer: TestClient, tokens: tuple[Path, str]) -> None:
    big = writer.post("/api/analyze", content=b"x" * 300_000, headers={**_auth(tokens), "Content-Type": "application/json"})
    _problem(big, 413, "E604")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap counts the bytes as they come
        for _ in range(30):
            yield b"y" * 10_000

    _problem(writer.post("/api/jobs", content=chunks(), headers={**_auth(tokens), "Content-Type": "multipart/form-data; boundary=b"}), 413, "E604")
    long_text = "word " * 2_000
    _problem(writer.post("/api/analyze", json={"text": long_text}, headers=_auth(tokens)), 413, "E604")


def test_analyses_past_the_rate_limit_are_429(seeded_db: str, tokens: tuple[Path, str], pipeline: Pipeline) -> None:
    settings = WebSettings(db=seeded_db, tokens_path=tokens[0], allow_writes=True, rate_limit=2)
    with TestClient(create_app(settings, pipeline=pipeline)) as client:
        for _ in range(2):
            assert client.post("/api/analyze", json={"text": PASTED}, headers=_auth(tokens)).status_code == 200
        refused = client.post("/api/analyze", json={"text": PASTED}, headers=_auth(tokens))
        _problem(refused, 429, "E605")
        assert 1 <= int(refused.headers["retry-after"]) <= 61


def test_an_analysis_past_the_time_cap_is_504(seeded_db: str, tokens: tuple[Path, str], pipeline: Pipeline) -> None:
    settings = WebSettings(db=seeded_db, tokens_path=tokens[0], allow_writes=True, time_limit=0.001)
    with TestClient(create_app(settings, pipeline=pipeline)) as client:
        text = PASTED + "\n\nA new closing paragraph, so the article is not the stored one."
        _problem(client.post("/api/analyze", json={"text": text}, headers=_auth(tokens)), 504, "E606")


# -- jobs and fetching -------------------------------------------------------------------------


def _wait(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["finished"]:
            return job
        time.sleep(0.2)
    raise AssertionError("the job did not finish")


def test_a_multi_file_upload_is_a_job_with_progress(writer: TestClient, tokens: tuple[Path, str]) -> None:
    files = [
        ("files", ("one.txt", PASTED.replace("Kessel", "Ostrava").encode())),
        ("files", ("rows.jsonl", b'{"id": "r1", "text": "Cowards and liars run the port of Varna."}\nnot json\n')),
        ("files", ("pic.png", b"\x89PNG")),
    ]
    response = writer.post("/api/jobs", files=files, headers=_auth(tokens))
    assert response.status_code == 202
    job = _wait(writer, response.json()["id"])
    assert job["status"] == "done" and job["total"] == 2 and job["done"] == 2
    assert sorted(r["code"] for r in job["rejects"]) == ["E107", "E111"]
    page = writer.get(f"/jobs/{job['id']}").text
    assert "<progress" in page and "E107" in page
    _problem(writer.get("/api/jobs/nosuchjob"), 404, "E609")


def test_a_cancelled_job_stops(writer: TestClient, tokens: tuple[Path, str]) -> None:
    rows = "".join(f'{{"id": "c{i}", "text": "Article {i}: liars and cowards in town {i}."}}\n' for i in range(40))
    response = writer.post("/api/jobs", files=[("files", ("many.jsonl", rows.encode()))], headers=_auth(tokens))
    job_id = response.json()["id"]
    _problem(writer.delete(f"/api/jobs/{job_id}"), 401, "E602")
    assert writer.delete(f"/api/jobs/{job_id}", headers=_auth(tokens)).status_code == 200
    job = _wait(writer, job_id)
    assert job["status"] == "cancelled" and job["done"] < 40


@pytest.fixture(scope="module")
def local_site() -> Iterator[str]:
    page = (
        "<html><head><title>Valley news</title></head><body><nav>Home | World</nav><article>"
        "<h1>Reckless regime shells the market</h1>"
        + "".join(f"<p>{PASTED} Paragraph {i} of the fetched page.</p>" for i in range(3))
        + "</article><script>alert(1)</script></body></html>"
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/story.html":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_url_is_fetched_only_when_allowed(writer: TestClient, reader: TestClient, tokens: tuple[Path, str], local_site: str) -> None:
    csrf = _signed_in(writer, tokens)
    done = writer.post("/analyze", data={"url": f"{local_site}/story.html", "csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303, done.text
    analysis = writer.get(done.headers["location"] + ".json").json()["analysis"]
    assert analysis["article"]["meta"]["url"] == f"{local_site}/story.html"
    assert "alert(1)" not in analysis["article"]["text"] and "Home | World" not in analysis["article"]["text"]
    missing = writer.post("/analyze", data={"url": f"{local_site}/gone.html", "csrf_token": csrf}, headers={"Accept": "application/json"})
    _problem(missing, 502, "E608")


def test_fetching_is_off_by_default(seeded_db: str, tokens: tuple[Path, str], pipeline: Pipeline, local_site: str) -> None:
    settings = WebSettings(db=seeded_db, tokens_path=tokens[0], allow_writes=True)
    with TestClient(create_app(settings, pipeline=pipeline)) as client:
        csrf = _signed_in(client, tokens)
        refused = client.post("/analyze", data={"url": f"{local_site}/story.html", "csrf_token": csrf}, headers={"Accept": "application/json"})
        _problem(refused, 403, "E607")


def test_pages_are_kept_until_the_store_changes(tmp_path: Path, tokens: tuple[Path, str], pipeline: Pipeline) -> None:
    settings = WebSettings(db=f"sqlite:///{tmp_path / 'cache.db'}", tokens_path=tokens[0], allow_writes=True, rate_limit=1000)
    app = create_app(settings, pipeline=pipeline)
    with TestClient(app) as client:
        first = client.post("/api/analyze", json={"text": PASTED, "title": "One"}, headers=_auth(tokens)).json()
        pages = app.state.web.pages
        listing = client.get("/articles.json").json()
        assert listing["total"] == 1 and len(pages) == 1
        assert client.get("/articles.json").json() == listing and len(pages) == 1
        html = client.get(f"/articles/{first['article']['id']}")
        again = client.get(f"/articles/{first['article']['id']}")
        assert again.text == html.text and len(pages) == 2
        # Kept pages go out gzipped to a client that accepts it (httpx does, and unpacks them).
        assert again.headers["content-encoding"] == "gzip" and "content-encoding" not in html.headers
        plain = client.get(f"/articles/{first['article']['id']}", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.text == html.text
        # A new analysis changes the store: no page kept before it is served again.
        client.post("/api/analyze", json={"text": PASTED + " Again.", "title": "Two"}, headers=_auth(tokens))
        assert client.get("/articles.json").json()["total"] == 2 and len(pages) == 1
        # A signed-in reader's page carries their CSRF token, so it is never kept.
        _signed_in(client, tokens)
        assert "Sign out" in client.get("/articles").text and len(pages) == 1


def test_a_writing_server_warms_its_pipeline_at_start(
    tmp_path: Path, tokens: tuple[Path, str], pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unspun.store import open_store
    from unspun.web.analysis import Analyst

    db = f"sqlite:///{tmp_path / 'warm.db'}"
    with open_store(db) as store:
        Analyst(store, WebSettings(db=db), pipeline=pipeline).warm()  # runs, and stores nothing
        assert store.article_count() == 0
    warmed = threading.Event()
    monkeypatch.setattr(Analyst, "warm", lambda self: warmed.set())
    with TestClient(create_app(WebSettings(db=db, tokens_path=tokens[0], allow_writes=True))):
        assert warmed.wait(5)
    warmed.clear()
    with TestClient(create_app(WebSettings(db=db, tokens_path=tokens[0]))):
        time.sleep(0.2)
        assert not warmed.is_set()  # a read-only server never loads the models


def test_the_page_cache_keeps_the_latest_read_pages_within_its_bytes() -> None:
    from unspun.web.cache import CachedPage, PageCache

    cache = PageCache(max_bytes=2400)
    for key in "abcd":
        cache.put(key, 1, CachedPage(key.encode() * 600, "text/html"))
    assert cache.get("a", 1) is not None  # read: now the most recent
    cache.put("e", 1, CachedPage(b"e" * 600, "text/html"))
    assert cache.get("b", 1) is None and len(cache) == 4
    page = cache.get("a", 1)
    assert page is not None and gzip.decompress(cache.gzipped("a", page)) == b"a" * 600
    # The gzipped copy counts too: the least recently read page made room for it.
    assert cache.get("c", 1) is None and cache.get("a", 1) is page and len(cache) == 3
    assert cache.get("a", 2) is None  # another generation of the store: nothing kept holds
    cache.put("f", 2, CachedPage(b"f", "text/html"))
    assert len(cache) == 1 and cache.get("d", 2) is None
    cache.put("big", 2, CachedPage(b"x" * 601, "text/html"))  # over a quarter of the cache
    assert cache.get("big", 2) is None
