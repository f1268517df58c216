"""The article view's data and HTML, without a browser: every span kept whole, layers in the
issue's order, Tol colours with enough contrast, the web app's CSP honoured."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

from unspun.article import Problem
from unspun.render import article_view_model, environment, render_html
from unspun.render.article_view import LAYERS
from unspun.render.page import static_text

from ._support import hostile_analysis, layered_analysis


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_finding_is_one_whole_span_in_a_layer() -> None:
    analysis = layered_analysis()
    view = article_view_model(analysis)
    assert json.loads(json.dumps(view)) == view
    expected = sorted((s.id, s.start, s.end) for s in analysis.spans if s.label != "sentence")
    assert sorted((s["id"], s["start"], s["end"]) for s in view["spans"]) == expected
    for s in view["spans"]:
        assert s["text"] == analysis.text[s["start"] : s["end"]]
    assert "".join(p["text"] for p in view["pieces"]) == analysis.text
    by_id = {s["id"]: s for s in view["spans"]}
    slogan = next(s for s in view["spans"] if s["label"] == "Slogans")
    assert (slogan["layer"], slogan["category"], slogan["version"]) == ("call", "Call", "2.0")
    assert "punchy" in slogan["definition"]
    assert by_id[view["panels"]["quotes"][0]["quotes"][0]["span"]]["text"] == "a crime"
    assert view["panels"]["quotes"][0]["speaker"] == "Ann Lee"
    assert view["panels"]["claims"][0]["value"] == 40


def test_layers_put_persuasion_first_and_substance_off() -> None:
    view = article_view_model(layered_analysis())
    layers = view["layers"]
    assert [layer["name"] for layer in layers[:6]] == [
        "Attack on Reputation", "Justification", "Simplification", "Distraction", "Call", "Manipulative Wording",
    ]
    assert all(layer["on"] for layer in layers[:6])
    assert [(layer["key"], layer["on"], layer["count"]) for layer in layers[6:]] == [
        ("quotes", False, 2), ("claims", False, 1),
    ]
    assert sum(layer["count"] for layer in layers) == len(view["spans"])


def test_colours_are_distinct_with_contrast_and_a_second_cue() -> None:
    css = static_text("unspun.css")
    persuasion = [layer for layer in LAYERS if layer.group == "persuasion"]
    assert len({layer.colour for layer in persuasion}) == 6
    assert len({layer.pattern for layer in persuasion}) == 6  # the cue beside colour
    assert len({layer.short for layer in LAYERS}) == len(LAYERS)
    for layer in LAYERS:
        # WCAG 1.4.11: a bar that carries meaning needs 3:1 against the white page.
        assert _contrast(layer.colour, "#FFFFFF") >= 3.0, layer
        assert re.search(rf"\.uv-l-{layer.key} \{{ --c: {layer.colour};", css), layer.key
        assert re.search(rf"\.uv-swatch\.uv-l-{layer.key}\b", css), layer.key


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag

    def handle_data(self, data: str) -> None:
        if self._open in ("script", "style"):
            self.data[self._open] = self.data.get(self._open, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def test_linked_page_has_nothing_inline_for_a_strict_csp() -> None:
    page = environment().from_string(
        '{% extends "base.html.j2" %}{% block content %}{% include "_article.html.j2" %}{% endblock %}'
    ).render(view=article_view_model(hostile_analysis()), asset_mode="linked")
    parser = _Tags()
    parser.feed(page)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"src": "/static/unspun.js", "defer": None}]
    assert ("link", {"rel": "stylesheet", "href": "/static/unspun.css"}) in parser.tags
    assert not any(tag == "style" for tag, _ in parser.tags)
    for tag, attrs in parser.tags:
        assert "style" not in attrs, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)


def test_inline_page_pins_its_script_and_style_by_hash() -> None:
    page = render_html([layered_analysis()])
    parser = _Tags()
    parser.feed(page)
    csp = next(a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None
    for kind in ("script", "style"):
        digest = base64.b64encode(hashlib.sha256(parser.data[kind].encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp
    assert sum(1 for t, a in parser.tags if t == "script") == 1


def test_one_file_holds_several_articles_and_the_rejected_inputs() -> None:
    same = layered_analysis()
    reject = Problem(code="E105", message="bad <bytes>", hint="Try --encoding latin-1", source="x.txt", line=3)
    page = render_html([same, same, hostile_analysis()], [reject])
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count('class="uv"') == 3
    assert "E105" in page and "bad &lt;bytes&gt;" in page and "x.txt:3" in page


def _over(base: tuple[float, float, float], rgb: tuple[float, float, float], alpha: float) -> tuple[float, float, float]:
    r, g, b = (alpha * c + (1 - alpha) * x for c, x in zip(rgb, base, strict=True))
    return (r, g, b)


def test_text_keeps_its_contrast_under_the_tints() -> None:
    """axe cannot see through the tints drawn behind the text (it reports them as needing
    review), so the worst cases are computed here: the span in focus, and three spans of the
    darkest layer stacked, under the body ink, must keep WCAG AA's 4.5:1."""
    css = static_text("unspun.css")
    ink = re.search(r"--uv-ink: (#[0-9a-f]{6})", css)
    assert ink is not None
    for layer in LAYERS:
        rule = re.search(rf"\.uv-l-{layer.key} \{{[^}}]*--t: rgb\((\d+) (\d+) (\d+) / ([.\d]+)\); --t2: rgb\(\d+ \d+ \d+ / ([.\d]+)\)", css)
        assert rule is not None, layer.key
        rgb = (float(rule[1]), float(rule[2]), float(rule[3]))
        assert "#{:02X}{:02X}{:02X}".format(*map(int, rgb)) == layer.colour
        for alpha, times in ((float(rule[5]), 1), (float(rule[4]), 3)):
            colour = (255.0, 255.0, 255.0)
            for _ in range(times):
                colour = _over(colour, rgb, alpha)
            background = "#{:02X}{:02X}{:02X}".format(*(round(c) for c in colour))
            assert _contrast(ink[1], background) >= 4.5, (layer.key, alpha, times)


def test_outlets_and_agencies_show_in_the_actors_layer() -> None:
    from unspun.article import Analysis, Article

    text = "Marrow told Reuters that the port would reopen, the daily Bild reported."
    a = Analysis(article=Article.from_text(text))
    ids = {}
    for words, label in (("Marrow", "PERSON"), ("Reuters", "AGENCY"), ("Bild", "OUTLET")):
        start = text.index(words)
        ids[label] = a.add_span(start, start + len(words), label, analyzer="actors").id
        a.add_record("actor", analyzer="actors", spans={"mention": (ids[label],)}, attrs={"name": words, "type": label})
    view = article_view_model(a)
    by_label = {s["label"]: s for s in view["spans"]}
    for label, kind in (("AGENCY", "news agency"), ("OUTLET", "news outlet")):
        span = by_label[label]
        assert span["layer"] == "actors"
        assert kind in span["definition"]
    (actors,) = [layer for layer in view["layers"] if layer["key"] == "actors"]
    assert actors["count"] == 3
    panel = view["panels"]["actors"]
    assert {row["type"] for row in panel} == {"PERSON", "AGENCY", "OUTLET"}
    assert all(row["mentions"] for row in panel)
