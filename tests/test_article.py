from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from unspun.article import (
    Analysis,
    Article,
    ArticleMeta,
    Paragraph,
    article_id,
    paragraphs_from_lines,
)
from unspun.errors import AnalyzerError

texts = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
    | st.sampled_from(["\n", "\r\n", "  ", "\t", "\n\n"]),
    max_size=20,
).map("".join)


@given(texts, st.booleans())
def test_paragraphs_slice_the_text_exactly(text: str, title_first: bool) -> None:
    paragraphs = paragraphs_from_lines(text, title_first=title_first)
    article = Article.from_text(text, paragraphs=paragraphs)
    for p in article.paragraphs:
        chunk = article.text[p.start : p.end]
        assert chunk and chunk == chunk.strip()
        assert "\n" not in chunk and "\r" not in chunk
    # Every non-blank line is a paragraph, in order.
    assert [article.paragraph_text(p) for p in paragraphs] == [
        line.strip() for line in text.splitlines() if line.strip()
    ]


def test_paragraph_lines_count_blank_lines_like_semeval() -> None:
    text = "Title\n\nFirst para.\n\n\nSecond para.\n"
    paragraphs = paragraphs_from_lines(text, title_first=True)
    assert [(p.kind, p.line) for p in paragraphs] == [("title", 1), ("body", 3), ("body", 6)]


def test_id_is_a_hash_of_the_normalised_text() -> None:
    assert article_id("A  b\r\nc ") == article_id("A b\nc")
    assert article_id("A b c") != article_id("A b d")
    assert len(article_id("x")) == 16


def test_article_is_immutable_and_checks_offsets() -> None:
    article = Article.from_text("One.\nTwo.")
    with pytest.raises(ValidationError):
        article.text = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Article(id="x", text="short", paragraphs=(Paragraph(start=0, end=99),))


def test_add_span_rejects_spans_outside_the_text() -> None:
    analysis = Analysis(article=Article.from_text("Hello world"))
    with pytest.raises(AnalyzerError) as info:
        analysis.add_span(6, 99, "x", analyzer="t")
    assert info.value.code == "E303"
    with pytest.raises(AnalyzerError):
        analysis.add_span(3, 3, "x", analyzer="t")


def test_records_point_only_at_existing_spans() -> None:
    analysis = Analysis(article=Article.from_text("Ann said hi."))
    speaker = analysis.add_span(0, 3, "speaker", analyzer="t")
    record = analysis.add_record("quote", analyzer="t", spans={"speaker": (speaker.id,)})
    assert analysis.span_text(analysis.span(record.spans["speaker"][0])) == "Ann"
    with pytest.raises(AnalyzerError):
        analysis.add_record("quote", analyzer="t", spans={"speaker": ("s99",)})


@given(texts, st.data())
def test_json_round_trip_is_exact(text: str, data: st.DataObject) -> None:
    article = Article.from_text(
        text,
        title="T",
        meta=ArticleMeta(author="A. Writer", published=dt.date(2020, 1, 2), extra={"k": [1, "v"]}),
    )
    analysis = Analysis(article=article)
    if text:
        for _ in range(data.draw(st.integers(0, 5))):
            start = data.draw(st.integers(0, len(text) - 1))
            end = data.draw(st.integers(start + 1, len(text)))
            analysis.add_span(start, end, "x", analyzer="t", score=0.5, attrs={"a": 1})
        analysis.add_label("genre", "opinion", 0.9, analyzer="t")
    again = Analysis.from_json(analysis.to_json())
    assert again == analysis
    assert again.article.text == text
    for span in again.spans:
        assert 0 <= span.start < span.end <= len(again.article.text)
