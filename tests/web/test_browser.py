"""The web app through a real uvicorn and a real headless Chromium: paste an article through
the form and see its highlights; hostile titles and texts run no script; axe-core finds no
serious accessibility violation on the article and corpus pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from unspun.pipeline import Pipeline
from unspun.web.app import create_app
from unspun.web.settings import WebSettings

from .conftest import HOSTILE_TITLE, PASTED, LiveServer


@pytest.fixture(scope="module")
def live(seeded_db: str, tokens: tuple[Path, str], pipeline: Pipeline, browser: Any) -> Iterator[str]:
    settings = WebSettings(db=seeded_db, tokens_path=tokens[0], allow_writes=True)
    with LiveServer(create_app(settings, pipeline=pipeline)) as server:
        yield server.url


def _page(browser: Any, base: str) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    return page, errors, outside


def test_paste_an_article_and_see_its_highlights(browser: Any, live: str, tokens: tuple[Path, str]) -> None:
    page, errors, outside = _page(browser, live)
    page.goto(f"{live}/login")
    page.fill("#token", tokens[1])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live}/analyze")
    page.fill("#title", "Pasted in the browser")
    page.fill("#text", PASTED)
    page.click("#analyze-form button[type=submit]")
    page.wait_for_url(f"{live}/articles/*")
    assert page.text_content("h1#" + page.get_attribute("article.uv", "id") + "-title") == "Pasted in the browser"
    # Each technique the analysis found is on the page, tied to its characters.
    twin = page.request.get(page.url + ".json").json()
    techniques = [s for s in twin["view"]["spans"] if s["layer"] in {"attack", "justification", "simplification", "distraction", "call", "wording"}]
    assert techniques
    for span in techniques:
        assert page.locator(f"#{span['dom_id']}").count() >= 1
    assert errors == [] and outside == []
    page.close()


def test_hostile_title_and_text_run_no_script(browser: Any, live: str) -> None:
    page, _errors, outside = _page(browser, live)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live}/articles.json")
    hostile = next(a["id"] for a in page.request.get(f"{live}/articles.json").json()["articles"] if a["title"] == HOSTILE_TITLE)
    for path in (f"/articles/{hostile}", "/articles", f"/articles?q={HOSTILE_TITLE}", "/compare", "/outlets"):
        page.goto(live + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
    page.goto(f"{live}/articles/{hostile}")
    assert HOSTILE_TITLE in (page.text_content("article.uv h1") or "")
    assert page.locator("article.uv script, article.uv img, article.uv svg[onload]").count() == 0
    assert dialogs == [] and outside == []
    page.close()


@pytest.mark.parametrize("path", ["/", "/articles", "/compare", "/outlets", "/analyze"])
def test_no_serious_accessibility_violation(browser: Any, live: str, path: str) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page, _, _ = _page(browser, live)
    page.goto(live + path)
    results = axe_module.Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    page.close()
