"""The HTML reader: main text and metadata through trafilatura; hostile pages end as E113."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from unspun.article import ArticleMeta
from unspun.errors import InputError
from unspun.ingest import ReadOptions, iter_read, read, read_text
from unspun.ingest import html as html_module
from unspun.ingest.html import MAX_TAGS, html_article

BODY = (
    "<p>The harbour council voted on Tuesday to rebuild the old wooden pier, after three "
    "years of debate among fishermen and shop owners.</p>"
    "<p onclick=\"steal('cookies')\">Supporters said the new pier would bring back the summer "
    "ferries, while critics warned that the cost had doubled since the first estimate.</p>"
    "<script>document.write('injected words')</script>"
    "<p>Work is expected to begin in the autumn and to last about eighteen months, the "
    "council's engineer told reporters.</p>"
)

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Harbour council votes to rebuild pier | Daily Gull</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2023-04-05T09:30:00Z">
<meta property="og:site_name" content="Daily Gull">
<link rel="canonical" href="https://gull.example/harbour">
<style>p {{ color: red }} .secret:after {{ content: "style words" }}</style>
<script>var tracking = "script words";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article><h1>Harbour council votes to rebuild pier</h1>{BODY}</article>
<!-- an HTML comment with words -->
<footer>Copyright Daily Gull</footer>
</body></html>
"""

PARAGRAPHS = [
    "Harbour council votes to rebuild pier",
    "The harbour council voted on Tuesday to rebuild the old wooden pier, after three years "
    "of debate among fishermen and shop owners.",
    "Supporters said the new pier would bring back the summer ferries, while critics warned "
    "that the cost had doubled since the first estimate.",
    "Work is expected to begin in the autumn and to last about eighteen months, the council's "
    "engineer told reporters.",
]


def test_page_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "pier.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = read(path)
    assert article.title == "Harbour council votes to rebuild pier"
    assert [article.paragraph_text(p) for p in article.paragraphs] == PARAGRAPHS
    assert article.text == "\n\n".join(PARAGRAPHS)
    assert [p.kind for p in article.paragraphs] == ["title", "body", "body", "body"]
    meta = article.meta
    assert meta.author == "Jane Roe"
    assert meta.outlet == "Daily Gull"
    assert meta.url == "https://gull.example/harbour"
    assert meta.published == dt.date(2023, 4, 5)
    assert meta.language == "en"
    assert meta.source == str(path)
    for leaked in ("script words", "style words", "injected", "steal", "comment with", "Sport", "Copyright"):
        assert leaked not in article.text


def test_declared_legacy_charset_is_used(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "council's", "council’s — café"
    )
    path = tmp_path / "legacy.htm"
    path.write_bytes(page.encode("cp1252"))
    (article,) = read(path)
    assert "council’s — café" in article.text


def test_xhtml_with_xml_declaration(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE.replace("<!DOCTYPE html>", "")
    path = tmp_path / "pier.xhtml"
    path.write_text(page, encoding="utf-8")
    (article,) = read(path)
    assert article.paragraph_text(article.paragraphs[1]) == PARAGRAPHS[1]


def test_html_without_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "saved_page"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = read(path)
    assert article.title == PARAGRAPHS[0]


def test_html_format_for_pasted_text() -> None:
    article = read_text(PAGE, options=ReadOptions(format="html"))
    assert article.text == "\n\n".join(PARAGRAPHS)


def e113(html: str) -> InputError:
    with pytest.raises(InputError) as info:
        html_article(html, meta=ArticleMeta(source="page.html"))
    assert info.value.code == "E113"
    assert info.value.source == "page.html"
    return info.value


def test_page_of_only_navigation_and_scripts_is_e113() -> None:
    e113(
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<script>var words = 'hidden';</script></body></html>"
    )


def test_empty_body_is_e113() -> None:
    e113("<html><head><title>t</title></head><body></body></html>")


def test_extractor_failure_is_e113(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(html: str) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(html_module, "_extract", boom)
    err = e113(PAGE)
    assert "RecursionError" in err.message


def test_extractor_failure_in_a_file_does_not_stop_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(html: str) -> None:
        raise ValueError("bad markup")

    monkeypatch.setattr(html_module, "_extract", boom)
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "b.txt").write_text("Plain words.\n")
    items = list(iter_read([tmp_path]))
    assert isinstance(items[0], InputError) and items[0].code == "E113"
    assert not isinstance(items[1], InputError)


def test_hostile_pages_neither_crash_nor_hang() -> None:
    hostile = {
        "deep nesting": "<html><body>" + "<div>" * 50_000 + "<p>deep</p>" + "</div>" * 50_000,
        "unclosed tags": "<html><body>" + "<b><i><u>" * 20_000 + "words",
        "entity bomb": (
            '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
            f"<html><body><article>&d;{BODY}</article></body></html>"
        ),
        "many entities": "<html><body><p>" + "&amp;&#x1F600;&bogus;" * 50_000 + "</p></body></html>",
        "script injection": f"<html><body><article>{BODY}</article><img src=x onerror=alert(1)>"
        "<script>alert('x')</script><scr<script>ipt>alert(2)</script></body></html>",
        "broken markup": "<html><body><p>unterminated <a href='" + "x" * 100_000,
        "too many tags": "<p>" * (MAX_TAGS + 1),
    }
    for name, page in hostile.items():
        started = time.perf_counter()
        try:
            article = html_article(page, meta=ArticleMeta(source=name))
        except InputError as err:
            assert err.code == "E113", name
        else:
            assert "alert" not in article.text, name
            assert "aaaaaaaaaaaaaaaaaaaa" not in article.text, name
            for p in article.paragraphs:
                assert article.paragraph_text(p) == article.paragraph_text(p).strip()
        assert time.perf_counter() - started < 5, name


@pytest.mark.parametrize("depth", [300, 5_000, 70_000])
def test_deeply_nested_page_is_read_with_a_w103(depth: int) -> None:
    body = "<div>" * depth + BODY + "</div>" * depth
    page = f"<html><head><title>Deep</title></head><body><article>{body}</article></body></html>"
    started = time.perf_counter()
    article = html_article(page, meta=ArticleMeta(source="deep.html"))
    assert time.perf_counter() - started < 5
    assert "The harbour council voted on Tuesday" in article.text
    (warning,) = article.warnings
    assert warning.code == "W103"


def test_page_of_ordinary_depth_has_no_warning() -> None:
    page = "<html><body><article>" + "<div>" * 50 + BODY + "</div>" * 50 + "</article></body></html>"
    article = html_article(page, meta=ArticleMeta(source="ok.html"))
    assert "The harbour council voted on Tuesday" in article.text
    assert article.warnings == ()
