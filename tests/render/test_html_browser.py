"""The article view in a real headless Chromium: the stored text exactly, every span drawn
whole in its own lane, layers, the confidence slider, j/k, click to explain, no script from
an article ever runs, the web app's strict CSP holds, and axe-core finds nothing serious."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from unspun.article import Analysis
from unspun.render import article_view_model, environment, render_html
from unspun.render.page import static_text
from unspun.taxonomy import TECHNIQUES

from ._support import HOSTILE_TEXT, hostile_analysis, layered_analysis

# For each drawn span: its own rects as the browser lays its characters out, and the boxes of
# the one element that draws it. Equal lists mean the span is marked whole, in one piece.
_GEOMETRY = """root => {
  const box = root.querySelector('.uv-textbox').getBoundingClientRect();
  const pieces = [...root.querySelectorAll('.uv-piece')].map(p => [+p.dataset.o, p.firstChild]);
  const at = o => { let i = pieces.length - 1; while (pieces[i][0] > o) i--; return [pieces[i][1], o - pieces[i][0]]; };
  const out = {};
  for (const li of root.querySelectorAll('.uv-item:not([hidden])')) {
    const r = document.createRange();
    r.setStart(...at(+li.dataset.start)); r.setEnd(...at(+li.dataset.end));
    const want = [...r.getClientRects()].filter(x => x.width >= 0.5).map(x => [Math.round(x.left), Math.round(x.top), Math.round(x.width)]);
    const marks = root.querySelectorAll(`.uv-mark[data-span="${li.dataset.span}"]`);
    const got = marks.length !== 1 ? null : [...marks[0].querySelectorAll('.uv-seg')].map(e => {
      const b = e.getBoundingClientRect(); return [Math.round(b.left), Math.round(b.top), Math.round(b.width)]; });
    const bars = marks.length !== 1 ? [] : [...marks[0].querySelectorAll('.uv-bar')].map(e => {
      const b = e.getBoundingClientRect(); return [b.left, b.right, b.top, b.bottom]; });
    out[li.dataset.span] = {want: [...new Set(want.map(String))].map(s => s.split(',').map(Number)), got, bars,
                            start: +li.dataset.start, end: +li.dataset.end};
  }
  return out;
}"""


def _open(browser: Any, tmp_path: Path, analyses: list[Analysis]) -> Any:
    page_file = tmp_path / "page.html"
    page_file.write_text(render_html(analyses), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (page.errors.append("dialog " + d.message), d.dismiss()))
    page.goto(page_file.as_uri())
    page.wait_for_selector("html[data-uv-ready]")
    return page


@pytest.fixture
def layered_page(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Analysis]]:
    analysis = layered_analysis()
    page = _open(browser, tmp_path, [analysis])
    yield page, analysis
    assert page.errors == []
    page.close()


def _marked(page: Any) -> set[str]:
    return set(page.eval_on_selector_all(".uv-mark", "es => es.map(e => e.dataset.span)"))


def test_page_shows_the_exact_text_with_every_span_whole(layered_page: tuple[Any, Analysis], tmp_path: Path) -> None:
    page, analysis = layered_page
    assert page.text_content(".uv-text") == analysis.article.text
    persuasion = {s.id for s in analysis.spans if s.analyzer == "persuasion"}
    assert _marked(page) == persuasion  # substance is off until asked for
    page.check("input[data-layer=quotes]")
    page.check("input[data-layer=claims]")
    geometry = page.eval_on_selector(".uv", _GEOMETRY)
    assert set(geometry) == {s.id for s in analysis.spans if s.label != "sentence"}
    for span_id, g in geometry.items():
        assert g["got"] is not None, f"{span_id} is not one element"
        assert g["want"], span_id
        assert sorted(g["got"]) == sorted(g["want"]), span_id
    # Spans that share characters have bars in different lanes, so none hides another.
    items = list(geometry.items())
    for i, (a_id, a) in enumerate(items):
        for b_id, b in items[i + 1 :]:
            if a["start"] < b["end"] and b["start"] < a["end"]:
                for ax0, ax1, ay0, ay1 in a["bars"]:
                    for bx0, bx1, by0, by1 in b["bars"]:
                        overlap_x = min(ax1, bx1) - max(ax0, bx0) > 1
                        assert not (overlap_x and min(ay1, by1) - max(ay0, by0) > 0.5), (a_id, b_id)
    # Each bar is painted in its layer's colour (the legend's swatch colour).
    colours = page.eval_on_selector_all(
        ".uv-mark", "es => es.map(e => [e.className, getComputedStyle(e).getPropertyValue('--c').trim()])"
    )
    legend = dict(page.eval_on_selector_all(
        ".uv-legend .uv-swatch", "es => es.map(e => [e.className.split(' ')[1], getComputedStyle(e).getPropertyValue('--c').trim()])"
    ))
    for cls, colour in colours:
        assert legend[cls.split()[1]] == colour != ""
    assert page.requests == [page.url]


def test_toggle_a_layer_and_move_the_slider(layered_page: tuple[Any, Analysis]) -> None:
    page, analysis = layered_page
    attack = {s.id for s in analysis.spans if s.label in ("Name_Calling-Labeling", "Doubt")}
    page.uncheck("input[data-layer=attack]")
    assert _marked(page).isdisjoint(attack) and _marked(page)
    assert all(page.locator(f"#a0-{i}").is_hidden() for i in attack)
    page.check("input[data-layer=attack]")
    page.check("input[data-layer=quotes]")
    assert attack < _marked(page)
    assert page.text_content(".uv-count[data-count=quotes]") == "2"

    page.fill(".uv-min", "0.7")
    strong = {s.id for s in analysis.spans if s.score >= 0.7 and s.analyzer in ("persuasion", "quotes")}
    assert _marked(page) == strong
    assert page.text_content(".uv-min-out") == "0.70"
    assert page.text_content(".uv-count[data-count=wording]") == "0"
    assert page.locator(".uv-item:not([hidden])").count() == len(strong)


def test_j_and_k_move_between_spans_and_explain_each(layered_page: tuple[Any, Analysis]) -> None:
    page, analysis = layered_page
    order = page.eval_on_selector_all(".uv-mark", "es => es.map(e => e.dataset.span)")
    page.locator(".uv-textbox").focus()
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = analysis.span(order[1])
    assert page.get_attribute(f"#a0-{order[1]}", "aria-current") == "true"
    assert page.locator(".uv-mark.uv-current").get_attribute("data-span") == order[1]
    detail = page.text_content(".uv-detail")
    technique = TECHNIQUES[second.label]
    assert technique.name.replace("_", " ").replace("-", " / ") in detail
    assert technique.category in detail and f"score {second.score:.2f}" in detail
    assert "persuasion 2.0" in detail and technique.definition in detail  # analyzer, version
    page.keyboard.press("k")
    assert page.locator(".uv-mark.uv-current").get_attribute("data-span") == order[0]
    assert page.locator("[aria-current=true]").count() == 1


def test_click_and_focus_explain_a_span(layered_page: tuple[Any, Analysis]) -> None:
    page, analysis = layered_page
    slogan = next(s for s in analysis.spans if s.label == "Slogans")
    seg = page.locator(f'.uv-mark[data-span="{slogan.id}"] .uv-seg').first.bounding_box()
    page.mouse.click(seg["x"] + seg["width"] / 2, seg["y"] + seg["height"] / 2)
    assert page.locator(".uv-mark.uv-current").get_attribute("data-span") == slogan.id
    assert "Slogans" in page.text_content(".uv-detail")
    fear = next(s for s in analysis.spans if s.label == "Appeal_to_Fear-Prejudice")
    page.focus(f"#a0-{fear.id} .uv-go")
    assert "Appeal to Fear / Prejudice" in page.text_content(".uv-detail")
    assert "Justification" in page.text_content(".uv-detail")
    # An evidence link in a side panel turns its layer on and selects the span in the text.
    page.click(".uv-panels a.uv-ev[href$='-s11']")
    assert page.locator(".uv-mark.uv-current").get_attribute("data-span") == "s11"
    assert page.is_checked("input[data-layer=quotes]")


def test_article_markup_never_runs(browser: Any, tmp_path: Path) -> None:
    analysis = hostile_analysis()
    page = _open(browser, tmp_path, [analysis])
    for box in page.locator("input[data-layer]").all():
        box.check()
    page.keyboard.press("j")
    assert page.text_content(".uv-text") == HOSTILE_TEXT
    assert page.evaluate("window.__xss") is None
    assert page.locator("svg, img, .uv-text *:not(.uv-piece), h1 *").count() == 0
    assert page.locator(".uv-mark").count() == 2
    assert page.errors == []
    page.close()


def test_the_web_apps_strict_csp_lets_the_view_work(browser: Any) -> None:
    """The linked page under `script-src 'self'; style-src 'self'`, as the web app sends it."""
    html = environment().from_string(
        '{% extends "base.html.j2" %}{% block content %}{% include "_article.html.j2" %}{% endblock %}'
    ).render(view=article_view_model(layered_analysis(), key="a0"), asset_mode="linked")
    csp = "default-src 'none'; script-src 'self'; style-src 'self'"
    bodies = {
        "/": (html, "text/html"),
        "/static/unspun.css": (static_text("unspun.css"), "text/css"),
        "/static/unspun.js": (static_text("unspun.js"), "text/javascript"),
    }
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("http://unspun.test/**", lambda route: route.fulfill(
        body=bodies[route.request.url.removeprefix("http://unspun.test")][0],
        content_type=bodies[route.request.url.removeprefix("http://unspun.test")][1],
        headers={"Content-Security-Policy": csp},
    ))
    page.goto("http://unspun.test/")
    page.wait_for_selector("html[data-uv-ready]")
    assert page.locator(".uv-mark").count() == 11
    assert page.eval_on_selector(".uv-text", "e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    page.keyboard.press("j")
    assert page.locator(".uv-mark.uv-current").count() == 1
    assert errors == []
    page.close()


def test_axe_finds_no_serious_or_critical_violation(layered_page: tuple[Any, Analysis]) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page, _ = layered_page
    page.check("input[data-layer=quotes]")
    page.keyboard.press("j")
    violations = axe.Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["html"][:80] for n in v["nodes"][:3]]) for v in violations
           if v["impact"] in ("serious", "critical")]
    assert bad == []


def test_without_javascript_the_page_is_the_text_and_every_span_explained(browser: Any, tmp_path: Path) -> None:
    analysis = layered_analysis()
    page_file = tmp_path / "page.html"
    page_file.write_text(render_html([analysis]), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(page_file.as_uri())
    assert page.text_content(".uv-text") == analysis.article.text
    assert page.locator(".uv-controls").is_hidden()  # nothing there works without the script
    for span in analysis.spans:
        if span.label == "sentence":
            continue
        item = page.locator(f"#a0-{span.id}")
        assert item.is_visible(), span.id
        quoted = analysis.span_text(span)
        assert page.text_content(f"#a0-{span.id} q") == quoted
        why = page.text_content(f"#a0-{span.id} .uv-why")
        if span.label in TECHNIQUES:
            assert TECHNIQUES[span.label].definition in why and TECHNIQUES[span.label].category in why
    # Every evidence link in the panels lands on an entry of the span list.
    for href in page.eval_on_selector_all(".uv-ev", "es => es.map(e => e.getAttribute('href'))"):
        assert page.locator(href).count() == 1, href
    context.close()
