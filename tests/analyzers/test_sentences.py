"""Sentence bounds: inside their paragraph, in order, and what the ``sentences`` analyzer stores."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.analyzers.sentences import SentenceSplitter, sentence_bounds
from unspun.article import Analysis, Article

_WORDS = st.sampled_from(["Kyiv", "said", "the", "army", "shelled", "Dr.", "U.S.", "42", "“yes”", "it", "rained"])
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=8).map(lambda ws: " ".join(ws) + ".")


_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join)
_TEXT = st.lists(_PARAGRAPH, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_sentences_stay_in_their_paragraph_in_order(text: str) -> None:
    article = Article.from_text(text)
    bounds = sentence_bounds(article)
    assert bounds
    last_end = 0
    for start, end, index in bounds:
        p = article.paragraphs[index]
        assert p.start <= start < end <= p.end
        assert start >= last_end
        last_end = end
        assert article.text[start:end] == article.text[start:end].strip()


def test_the_analyzer_stores_exactly_the_bounds() -> None:
    text = "Shelling resumed. Officials said 42 died.\n\nThe U.S. embassy closed. It rained."
    analysis = Analysis(article=Article.from_text(text))
    SentenceSplitter()(analysis)
    stored = [(s.start, s.end, s.attrs["paragraph"]) for s in analysis.spans_by(label="sentence")]
    assert stored == sentence_bounds(analysis.article)
    assert [analysis.span_text(s) for s in analysis.spans_by(label="sentence")] == [
        "Shelling resumed.", "Officials said 42 died.", "The U.S. embassy closed.", "It rained."
    ]
