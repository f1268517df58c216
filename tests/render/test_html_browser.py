"""The HTML view in a real headless Chromium: what a reader sees is the stored text, exactly,
with each span highlighted and explained, and the page fetches nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspun.article import Analysis, Article
from unspun.render.html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs it")
        pytest.skip("Chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


def _analysis() -> Analysis:
    text = "Tyrant rules\n\nThe corrupt clique & its <puppets> burned 40 homes.\n\nCalm closing line."
    analysis = Analysis(article=Article.from_text(text, title="Tyrant rules"))
    start = text.index("corrupt clique")
    analysis.add_span(start, start + len("corrupt clique"), "Name_Calling-Labeling", analyzer="t", score=0.8)
    analysis.add_span(start, text.index(" burned"), "Loaded_Language", analyzer="t", score=0.6)
    analysis.add_span(0, 6, "Name_Calling-Labeling", analyzer="t", score=0.7)
    return analysis


def test_page_shows_the_exact_text_with_explained_highlights(browser: object, tmp_path: Path) -> None:
    analysis = _analysis()
    page_file = tmp_path / "page.html"
    page_file.write_text(render_html([analysis]), encoding="utf-8")

    page = browser.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())

    assert page.text_content(".text") == analysis.article.text
    marks = page.locator("mark")
    assert marks.count() >= 3
    titles = [marks.nth(i).get_attribute("title") or "" for i in range(marks.count())]
    assert any("Name_Calling-Labeling" in t and "Loaded_Language" in t for t in titles)
    assert any("loaded label" in t for t in titles)  # the technique's definition
    assert page.locator("mark").first.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert requests == [page_file.as_uri()]
    assert errors == []
    page.close()
