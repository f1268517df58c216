"""Sentence spans, which quotes, claims and explanations are cut from."""

from __future__ import annotations

from typing import ClassVar

import syntok.segmenter as segmenter

from unspun.article import Analysis, Article
from unspun.pipeline import BaseAnalyzer


def sentence_bounds(article: Article) -> list[tuple[int, int, int]]:
    """``(start, end, paragraph index)`` of every sentence, never crossing a paragraph."""
    out: list[tuple[int, int, int]] = []
    for index, paragraph in enumerate(article.paragraphs):
        chunk = article.paragraph_text(paragraph)
        for para in segmenter.analyze(chunk):
            for sentence in para:
                if not sentence:
                    continue
                start = paragraph.start + sentence[0].offset
                end = paragraph.start + sentence[-1].offset + len(sentence[-1].value)
                if end > start:
                    out.append((start, end, index))
    return out


class SentenceSplitter(BaseAnalyzer):
    """One ``sentence`` span per sentence, never crossing a paragraph boundary.

    syntok is rule-based and keeps exact token offsets, so spans slice the stored text
    without any re-alignment.
    """

    name: ClassVar[str] = "sentences"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = ("spans:sentence",)

    def __call__(self, analysis: Analysis) -> None:
        for start, end, index in sentence_bounds(analysis.article):
            analysis.add_span(start, end, "sentence", analyzer=self.name, attrs={"paragraph": index})
