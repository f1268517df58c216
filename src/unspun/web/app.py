"""The web app and HTTP API: FastAPI over the store the CLI uses.

As in datasette, each view builds one data structure and answers it as an HTML page or as
JSON: the same route with ``.json`` (documented in OpenAPI), or with ``Accept:
application/json``. Pages are rendered on the server by the same templates as the
standalone files (:mod:`unspun.render`); the only script is the app's own static file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, PackageLoader
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from unspun import __version__
from unspun.article import Analysis
from unspun.errors import CODES, UnspunError
from unspun.web.analysis import UPLOAD_SUFFIXES, Analyst
from unspun.web.cache import CachedPage, PageCache
from unspun.web.corpus import CorpusReader, Filters, parse_date
from unspun.web.guard import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    Guard,
    RateLimit,
    Sessions,
    check_csrf,
)
from unspun.web.jobs import JobRunner
from unspun.web.problems import PROBLEM_JSON, WebError, problem, problem_of
from unspun.web.settings import WebSettings
from unspun.web.tokens import check_token, known_digest

if TYPE_CHECKING:
    from unspun.pipeline import Pipeline
    from unspun.store import Store

EXPORT_TABLES = ("articles", "spans", "quotes", "claims", "events")
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}


def _environment() -> Environment:
    from unspun.render import environment

    shared = environment()
    # The web's own pages first, then the shared article view, base page and corpus partials.
    # Templates are package files: no need to look at their modification times per page.
    return shared.overlay(loader=ChoiceLoader([PackageLoader("unspun.web", "templates"), shared.loader]), auto_reload=False)  # type: ignore[list-item]


def wants_json(request: Request) -> bool:
    if request.url.path.endswith(".json") or request.url.path.startswith(("/api/", "/export/")):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


class AnalyzeIn(BaseModel):
    """A text to analyse now (up to the server's size cap)."""

    text: str = Field(description="The article's text; Markdown is recognised.")
    title: str | None = Field(None, description="The headline, if it is not the text's first line.")


class JobOut(BaseModel):
    id: str
    status: str
    files: list[str]
    total: int
    done: int
    progress: float
    articles: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    created: str
    finished: str | None
    url: str


class Web:
    """The state one app holds: store, settings, analyst, jobs, sessions, limits, templates."""

    def __init__(self, store: Store, settings: WebSettings, pipeline: Pipeline | None) -> None:
        self.store = store
        self.settings = settings
        self.corpus = CorpusReader(store, max_articles=settings.max_corpus_articles)
        self.analyst = Analyst(store, settings, pipeline=pipeline)
        self.jobs = JobRunner(self.analyst)
        self.sessions = Sessions()
        self.rate = RateLimit(settings.rate_limit)
        self.env = _environment()
        self.pages = PageCache()

    # -- who may write ------------------------------------------------------------------

    def signed_in(self, request: Request) -> str | None:
        digest = self.sessions.digest(request.cookies.get(SESSION_COOKIE))
        return digest if digest and known_digest(self.settings.tokens_path, digest) else None

    def api_writer(self, request: Request) -> str:
        """The token hash of an API write, or E601/E602. The API takes bearer tokens only, never
        cookies, so a page on another site cannot make a browser write through it."""
        if not self.settings.allow_writes:
            raise WebError("E601", "this server was started read-only")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        digest = check_token(self.settings.tokens_path, token.strip()) if scheme.lower() == "bearer" else None
        if digest is None:
            raise WebError("E602", "this write needs `Authorization: Bearer TOKEN` with a token from `unspun token create`")
        return digest

    def form_writer(self, request: Request, sent_csrf: str | None) -> str:
        if not self.settings.allow_writes:
            raise WebError("E601", "this server was started read-only")
        check_csrf(request.cookies.get(CSRF_COOKIE), sent_csrf, fetch_site=request.headers.get("sec-fetch-site"))
        digest = self.signed_in(request)
        if digest is None:
            raise WebError("E602", "sign in with a token (at /login) before analysing")
        return digest

    # -- answering ----------------------------------------------------------------------

    def page(self, request: Request, template: str, data: dict[str, Any], *, status: int = 200) -> Response:
        if wants_json(request):
            return JSONResponse(data, status_code=status)
        html = self.env.get_template(template).render(
            **data,
            asset_mode="linked",
            csrf=request.scope.get("state", {}).get("csrf", ""),
            csrf_field=CSRF_FIELD,
            writes=self.settings.allow_writes,
            signed_in=self.signed_in(request) is not None,
            version=__version__,
            path=request.url.path,
        )
        return HTMLResponse(html, status_code=status)

    def view(self, request: Request, template: str, build: Callable[[], dict[str, Any]]) -> Response:
        """:meth:`page` of ``build()``, kept for readers who are not signed in (their page holds
        nothing personal) until the store changes: see :mod:`unspun.web.cache`."""
        if request.method != "GET" or self.signed_in(request) is not None:
            return self.page(request, template, build())
        key = (request.url.path, request.url.query, wants_json(request))
        generation = self.corpus.generation()
        hit = self.pages.get(key, generation)
        if hit is not None:
            if "gzip" in request.headers.get("accept-encoding", ""):
                headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
                return Response(self.pages.gzipped(key, hit), media_type=hit.media_type, headers=headers)
            return Response(hit.body, media_type=hit.media_type, headers={"Vary": "Accept-Encoding"})
        response = self.page(request, template, build())
        if response.status_code == 200 and response.media_type:
            self.pages.put(key, generation, CachedPage(bytes(response.body), response.media_type))
        return response

    def error(self, request: Request, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
        if wants_json(request) or request.method not in ("GET", "POST", "HEAD"):
            return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)
        response = self.page(request, "web_error.html.j2", {"problem": body}, status=body["status"])
        response.headers.update(headers or {})
        return response

    async def run_capped(self, fn: Callable[[], Any]) -> Any:
        """Run blocking work in a thread, answering E606 past the time cap (the work finishes
        in its thread; its result is stored all the same)."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn), timeout=self.settings.time_limit)
        except TimeoutError as exc:
            raise WebError("E606", f"the analysis took more than {self.settings.time_limit:g} s") from exc

    def article_data(self, request: Request, analysis: Analysis) -> dict[str, Any]:
        """The article view's data; the JSON twin adds the whole analysis (the page never
        shows it, and dumping a long one costs ~10 ms)."""
        from unspun.render import article_view_model

        data: dict[str, Any] = {"view": article_view_model(analysis)}
        if wants_json(request):
            data = {"analysis": analysis.model_dump(mode="json"), **data}
        return data


def _filters(
    q: str | None,
    technique: list[str],
    frame: list[str],
    genre: list[str],
    narrative: list[str],
    actor: list[str],
    outlet: list[str],
    since: str | None,
    until: str | None,
) -> Filters:
    try:
        start, end = parse_date(since), parse_date(until)
    except ValueError as exc:
        raise WebError("E610", f"since and until are dates like 2024-05-31: {exc}") from exc
    return Filters(
        q=q or None,
        technique=tuple(technique),
        frame=tuple(frame),
        genre=tuple(genre),
        narrative=tuple(narrative),
        actor=tuple(actor),
        outlet=tuple(outlet),
        since=start,
        until=end,
    )


def _month_range(month: str) -> tuple[str, str]:
    import calendar

    year, mon = (int(x) for x in month.split("-"))
    return f"{month}-01", f"{month}-{calendar.monthrange(year, mon)[1]:02d}"


def _permalink(path: str, params: list[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def _warm(analyst: Analyst) -> None:
    try:
        analyst.warm()
    except UnspunError as exc:
        # Said once here; each analysis answers the same coded problem.
        logging.getLogger("uvicorn.error").warning("%s: %s %s", exc.code, exc.message, exc.hint)


def create_app(settings: WebSettings | None = None, *, pipeline: Pipeline | None = None, store: Store | None = None) -> FastAPI:
    """The app over ``settings.db`` (or an open ``store``); ``pipeline`` reuses loaded models."""
    from unspun.store import open_store

    settings = settings or WebSettings()
    web = Web(store or open_store(settings.db, create=settings.allow_writes), settings, pipeline)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.allow_writes and pipeline is None:
            # Load the models while the server starts answering pages, not at the first analysis.
            threading.Thread(target=_warm, args=(web.analyst,), name="unspun-warm-up", daemon=True).start()
        yield
        web.jobs.shutdown()

    app = FastAPI(
        title="unspun",
        version=__version__,
        description="Persuasion and substance in news articles, tied to the exact text. Every page "
        "has a JSON twin (its route with `.json`); errors are `application/problem+json` with "
        "unspun's error codes.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = web
    app.add_middleware(Guard, max_body=settings.max_upload_bytes)
    app.mount(
        "/static",
        StaticFiles(packages=[("unspun.render", "static"), ("unspun.web", "static")]),
        name="static",
    )

    @app.exception_handler(UnspunError)
    async def _coded(request: Request, exc: UnspunError) -> Response:
        headers = exc.headers if isinstance(exc, WebError) else None
        return web.error(request, problem_of(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        where = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in exc.errors()[:5])
        return web.error(request, problem("E610", where or "the request does not match the route"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = "E609" if exc.status_code == 404 else "E610"
        return web.error(request, problem(code, str(exc.detail), status=exc.status_code))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        return web.error(request, problem("E600", f"{type(exc).__name__} while answering {request.url.path}"))

    def both(path: str, *, summary: str, tags: list[str | Enum], methods: tuple[str, ...] = ("GET",)) -> Callable[[Any], Any]:
        """Register a view at ``path`` (HTML) and ``path.json`` (JSON, in the OpenAPI schema)."""

        def register(fn: Any) -> Any:
            app.add_api_route(
                path + ".json", fn, methods=list(methods), summary=summary, tags=tags,
                response_class=JSONResponse, operation_id=fn.__name__ + "_json",
            )
            app.add_api_route(path, fn, methods=list(methods), include_in_schema=False, response_class=HTMLResponse)
            return fn

        return register

    # -- articles -----------------------------------------------------------------------

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def home(request: Request) -> Response:
        """The newest article in full, so a store with the example opens on it."""
        page = web.corpus.page(Filters(), limit=10)
        if not page["articles"]:
            return web.page(request, "web_empty.html.j2", {"articles": 0})

        def build() -> dict[str, Any]:
            data = web.article_data(request, web.store.analysis(page["articles"][0]["id"]))
            data.update(total=page["total"], recent=page["articles"][1:], home=True)
            return data

        return web.view(request, "web_article.html.j2", build)

    @both("/articles/{article_id}", summary="One article with its analysis and article view", tags=["articles"])
    def article(request: Request, article_id: str) -> Response:
        article_id = article_id.removesuffix(".json")

        def build() -> dict[str, Any]:
            try:
                analysis = web.store.analysis(article_id)
            except KeyError as exc:
                raise WebError("E609", f"no article {article_id!r} in the store") from exc
            return web.article_data(request, analysis)

        return web.view(request, "web_article.html.j2", build)

    @both("/articles", summary="Articles: full-text search, facets with counts, keyset paging", tags=["articles"])
    def articles(
        request: Request,
        q: Annotated[str | None, Query(description='Words, "phrases", OR, -word', max_length=500)] = None,
        technique: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default, never mutates it
        frame: Annotated[list[str], Query()] = [],  # noqa: B006
        genre: Annotated[list[str], Query()] = [],  # noqa: B006
        narrative: Annotated[list[str], Query()] = [],  # noqa: B006
        actor: Annotated[list[str], Query()] = [],  # noqa: B006
        outlet: Annotated[list[str], Query()] = [],  # noqa: B006
        since: Annotated[str | None, Query(description="ISO date")] = None,
        until: Annotated[str | None, Query(description="ISO date")] = None,
        after: Annotated[int | None, Query(description="The `next_after` of the previous page")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> Response:
        f = _filters(q, technique, frame, genre, narrative, actor, outlet, since, until)

        def build() -> dict[str, Any]:
            found = web.corpus.page(f, after=after, limit=limit)
            params = f.params()
            facets = web.corpus.facets(f)
            for name, values in facets.items():
                for v in values:
                    if name == "month":
                        v["active"] = False
                        first, last = _month_range(v["value"])
                        kept = [(k, x) for k, x in params if k not in ("since", "until")]
                        v["href"] = _permalink("/articles", [*kept, ("since", first), ("until", last)])
                        continue
                    pair = (name, v["value"])
                    v["active"] = pair in params
                    v["href"] = _permalink("/articles", [p for p in params if p != pair] if v["active"] else [*params, pair])
            return {
                "filters": f.to_dict(),
                "total": found["total"],
                "articles": found["articles"],
                "facets": facets,
                "permalink": _permalink("/articles", params),
                "next": _permalink("/articles", [*params, ("after", str(found["next_after"]))]) if found["next_after"] else None,
                "params": params,
            }

        return web.view(request, "web_articles.html.j2", build)

    @app.get("/api/search", summary="Search articles (as /articles.json)", tags=["articles"])
    def api_search(
        request: Request,
        q: Annotated[str | None, Query(max_length=500)] = None,
        technique: Annotated[list[str], Query()] = [],  # noqa: B006
        outlet: Annotated[list[str], Query()] = [],  # noqa: B006
        since: Annotated[str | None, Query()] = None,
        until: Annotated[str | None, Query()] = None,
        after: Annotated[int | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> JSONResponse:
        f = _filters(q, technique, [], [], [], [], outlet, since, until)
        return JSONResponse({"filters": f.to_dict(), **web.corpus.page(f, after=after, limit=limit)})

    # -- analysing ----------------------------------------------------------------------

    @app.get("/analyze", include_in_schema=False, response_class=HTMLResponse)
    def analyze_form(request: Request) -> Response:
        return web.page(
            request,
            "web_analyze.html.j2",
            {
                "allow_fetch": settings.allow_fetch,
                "max_text_chars": settings.max_text_chars,
                "max_upload_mb": settings.max_upload_bytes / 2**20,
                "suffixes": UPLOAD_SUFFIXES,
            },
        )

    @app.post("/analyze", include_in_schema=False)
    async def analyze_submit(request: Request) -> Response:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
        who = web.form_writer(request, sent if isinstance(sent, str) else None)
        files = [f for f in form.getlist("files") if not isinstance(f, str) and f.filename]
        if files:
            uploads = [(f.filename or "upload", await f.read()) for f in files]
            web.rate.hit(who)
            if len(uploads) > 1:
                job = web.jobs.submit(uploads)
                return RedirectResponse(f"/jobs/{job.id}", status_code=303)
            items = list(web.analyst.read_upload(*uploads[0]))
            if len(items) != 1 or isinstance(items[0], UnspunError):
                # A corpus file (or a rejected one) is a job too: its page lists the rejects.
                job = web.jobs.submit(uploads)
                return RedirectResponse(f"/jobs/{job.id}", status_code=303)
            item = items[0]
            analysis = await web.run_capped(lambda: web.analyst.analyse(item))
            return RedirectResponse(f"/articles/{analysis.article.id}", status_code=303)
        url = form.get("url")
        if isinstance(url, str) and url.strip():
            if not settings.allow_fetch:
                raise WebError("E607", "this server does not fetch URLs")
            web.rate.hit(who)
            analysis = await web.run_capped(lambda: web.analyst.analyse(web.analyst.fetch(url.strip())))
            return RedirectResponse(f"/articles/{analysis.article.id}", status_code=303)
        text, title = form.get("text"), form.get("title")
        if not isinstance(text, str) or not text.strip():
            raise WebError("E610", "paste a text, choose files or give a URL")
        article = web.analyst.article_from_text(text, title if isinstance(title, str) else None)
        web.rate.hit(who)
        analysis = await web.run_capped(lambda: web.analyst.analyse(article))
        return RedirectResponse(f"/articles/{analysis.article.id}", status_code=303)

    @app.post(
        "/api/analyze",
        summary="Analyse a text now and store it (up to the server's size and time caps)",
        tags=["analyse"],
        responses={200: {"description": "The analysis (unspun's output schema, `unspun schema`)"}},
    )
    async def api_analyze(request: Request, body: AnalyzeIn) -> JSONResponse:
        who = web.api_writer(request)
        t0 = time.perf_counter()
        article = web.analyst.article_from_text(body.text, body.title)
        timings = {"read": time.perf_counter() - t0}
        web.rate.hit(who)
        analysis: Analysis = await web.run_capped(lambda: web.analyst.analyse(article, timings=timings))
        t1 = time.perf_counter()
        response = JSONResponse(analysis.model_dump(mode="json"))
        timings["json"] = time.perf_counter() - t1
        # Where the time went, for a client's own profiling (Server-Timing, in milliseconds).
        response.headers["Server-Timing"] = ", ".join(f"{k};dur={v * 1000:.1f}" for k, v in timings.items())
        return response

    @app.post("/api/jobs", status_code=202, summary="Upload files to analyse in the background", tags=["analyse"], response_model=JobOut)
    async def api_jobs(request: Request, files: Annotated[list[UploadFile], File(description="txt, md, html, jsonl or csv")]) -> JSONResponse:
        who = web.api_writer(request)
        uploads = [(f.filename or "upload", await f.read()) for f in files]
        web.rate.hit(who)
        job = web.jobs.submit(uploads)
        return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})

    def _job(job_id: str) -> dict[str, Any]:
        job = web.jobs.get(job_id.removesuffix(".json"))
        if job is None:
            raise WebError("E609", f"no job {job_id!r} (jobs are kept in memory until the server restarts)")
        return job.to_dict()

    @app.get("/api/jobs/{job_id}", summary="A job's status and progress", tags=["analyse"], response_model=JobOut)
    def api_job(job_id: str) -> JSONResponse:
        return JSONResponse(_job(job_id))

    @app.delete("/api/jobs/{job_id}", summary="Cancel a job", tags=["analyse"], response_model=JobOut)
    def api_job_cancel(request: Request, job_id: str) -> JSONResponse:
        web.api_writer(request)
        _job(job_id)
        web.jobs.cancel(job_id)
        return JSONResponse(_job(job_id))

    @both("/jobs/{job_id}", summary="A job's page: progress bar, cancel button, the articles done", tags=["analyse"])
    def job_page(request: Request, job_id: str) -> Response:
        return web.page(request, "web_job.html.j2", {"job": _job(job_id)})

    @app.post("/jobs/{job_id}/cancel", include_in_schema=False)
    async def job_cancel(request: Request, job_id: str) -> Response:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
        web.form_writer(request, sent if isinstance(sent, str) else None)
        _job(job_id)
        web.jobs.cancel(job_id)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    # -- signing in ---------------------------------------------------------------------

    @app.get("/login", include_in_schema=False, response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        return web.page(request, "web_login.html.j2", {})

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        sent, token = form.get(CSRF_FIELD), form.get("token")
        check_csrf(request.cookies.get(CSRF_COOKIE), sent if isinstance(sent, str) else None, fetch_site=request.headers.get("sec-fetch-site"))
        digest = check_token(settings.tokens_path, token.strip() if isinstance(token, str) else None)
        if digest is None:
            raise WebError("E602", "that is not a token this server knows")
        response = RedirectResponse("/analyze", status_code=303)
        response.set_cookie(SESSION_COOKIE, web.sessions.open(digest), httponly=True, samesite="strict", path="/")
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
        check_csrf(request.cookies.get(CSRF_COOKIE), sent if isinstance(sent, str) else None)
        web.sessions.close(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # -- corpus views -------------------------------------------------------------------

    def corpus_analyses(f: Filters) -> list[Analysis]:
        ids = web.corpus.ids(f, limit=settings.max_corpus_articles)
        return web.corpus.analyses(list(reversed(ids)))

    @both("/compare", summary="Articles on the same event: numbers, who is quoted, techniques", tags=["corpus"])
    def compare_view(
        request: Request,
        q: Annotated[str | None, Query(max_length=500)] = None,
        outlet: Annotated[list[str], Query()] = [],  # noqa: B006
        since: Annotated[str | None, Query()] = None,
        until: Annotated[str | None, Query()] = None,
        window_days: Annotated[int, Query(ge=0, le=3650)] = 60,
        min_score: Annotated[float, Query(ge=0.0, le=10.0)] = 0.1,
    ) -> Response:
        from unspun.corpus.compare import compare

        f = _filters(q, [], [], [], [], [], outlet, since, until)

        def build() -> dict[str, Any]:
            result = web.corpus.cached(
                ("compare", f, window_days, min_score),
                lambda: compare(corpus_analyses(f), window_days=window_days, min_score=min_score),
            )
            return {"filters": f.to_dict(), "compare": result}

        return web.view(request, "web_compare.html.j2", build)

    def profile_data(f: Filters, outlet: str | None) -> dict[str, Any]:
        from unspun.corpus.profiles import profiles
        from unspun.corpus.report import (
            MONTH_CHART,
            OUTLET_CHART,
            palette,
            stacked_bars,
            techniques_by_month,
        )

        def compute() -> dict[str, Any]:
            analyses = corpus_analyses(f)
            found = profiles(analyses, outlet=outlet)
            by_month = techniques_by_month([a for a in analyses if outlet is None or (a.article.meta.outlet or "unknown").casefold() == outlet.casefold()])
            labels = {k for p in found for k in p["techniques"]} | {k for _, parts in by_month for k in parts}
            colours = palette(sorted(labels))
            return {
                "articles": len(analyses),
                "profiles": found,
                "legend": sorted(colours.items()),
                "outlet_chart": str(
                    stacked_bars([(p["outlet"], p["techniques"]) for p in found], colours, "per 1,000 words", label=OUTLET_CHART)
                ),
                "month_chart": str(stacked_bars(by_month, colours, "per 1,000 words", label=MONTH_CHART)),
                "months": len(by_month),
            }

        return dict(web.corpus.cached(("profiles", f, outlet), compute))

    @both("/outlets", summary="Outlet profiles with charts of their technique mix", tags=["corpus"])
    def outlets(request: Request) -> Response:
        return web.view(request, "web_outlets.html.j2", lambda: {**profile_data(Filters(), None), "outlet": None})

    @both("/outlets/{name}", summary="One outlet's profile", tags=["corpus"])
    def outlet_view(request: Request, name: str) -> Response:
        name = name.removesuffix(".json")

        def build() -> dict[str, Any]:
            data = profile_data(Filters(), name)
            if not data["profiles"]:
                raise WebError("E609", f"no outlet {name!r} in the store")
            return {**data, "outlet": name}

        return web.view(request, "web_outlets.html.j2", build)

    # -- exports ------------------------------------------------------------------------

    @app.get(
        "/export/{table}.{fmt}",
        summary="A table of the store, streamed as CSV, JSON Lines or Parquet",
        tags=["corpus"],
        responses={200: {"content": {t: {} for t in EXPORT_FORMATS.values()}}},
    )
    def export(table: str, fmt: str, raw: bool = False) -> Response:
        from unspun.corpus.analyses import stored_analyses
        from unspun.corpus.export import TABLES, rows, spreadsheet_safe

        if table not in EXPORT_TABLES or fmt not in EXPORT_FORMATS:
            raise WebError("E609", f"no export {table}.{fmt}: tables {', '.join(EXPORT_TABLES)}; formats {', '.join(EXPORT_FORMATS)}")
        columns = [name for name, _ in TABLES[table]]
        headers = {"Content-Disposition": f'attachment; filename="{table}.{fmt}"'}
        if fmt == "parquet":
            import tempfile
            from pathlib import Path

            from unspun.corpus.export import ParquetUnavailable, write_parquet

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "out.parquet"
                try:
                    write_parquet(rows(stored_analyses(web.store), table), table, path)
                except ParquetUnavailable as exc:
                    raise WebError("E609", str(exc)) from exc
                return Response(path.read_bytes(), media_type=EXPORT_FORMATS[fmt], headers=headers)

        def stream() -> Iterator[str]:
            import csv
            import io

            if fmt == "jsonl":
                for row in rows(stored_analyses(web.store), table):
                    yield json.dumps(row, ensure_ascii=False, default=str) + "\n"
                return
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(columns)
            for row in rows(stored_analyses(web.store), table):
                writer.writerow([row[c] if raw else spreadsheet_safe(row[c]) for c in columns])
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
            yield buf.getvalue()

        return StreamingResponse(stream(), media_type=EXPORT_FORMATS[fmt], headers=headers)

    # -- docs and errors ----------------------------------------------------------------

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> Response:
        return web.page(request, "web_docs.html.j2", {"schema": app.openapi()})

    @both("/errors", summary="Every error code with what it means and what to do", tags=["docs"])
    def errors(request: Request) -> Response:
        codes = [{"code": c.code, "title": c.title, "hint": c.hint} for c in CODES.values()]
        return web.page(request, "web_errors.html.j2", {"codes": codes})

    @app.get("/api/health", summary="Liveness and what the server allows", tags=["docs"])
    def health() -> JSONResponse:
        return JSONResponse(
            {
                "version": __version__,
                "articles": web.store.article_count(),
                "writes": settings.allow_writes,
                "fetch": settings.allow_fetch,
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
        )

    return app


__all__ = ["AnalyzeIn", "create_app", "wants_json"]
