"""The article's language, so that language-specific models can tell what they cannot read."""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from lingua import LanguageDetector as _Lingua
from lingua import LanguageDetectorBuilder

from unspun.article import Analysis
from unspun.pipeline import BaseAnalyzer


@cache
def _detector() -> _Lingua:
    # Low-accuracy mode uses trigram models only: plenty for article-length text, and it
    # loads in a fraction of the memory. Models ship inside the wheel: nothing is fetched.
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


class LanguageDetector(BaseAnalyzer):
    """A ``language`` label (ISO 639-1) with its confidence."""

    name: ClassVar[str] = "language"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("labels:language",)

    def __call__(self, analysis: Analysis) -> None:
        stated = analysis.article.meta.language
        if stated:
            analysis.add_label("language", stated.lower(), 1.0, analyzer=self.name)
            return
        # The first 5,000 characters settle the language; the rest only costs time.
        values = _detector().compute_language_confidence_values(analysis.article.text[:5000])
        if not values:
            return
        top = values[0]
        analysis.add_label(
            "language", top.language.iso_code_639_1.name.lower(), float(top.value), analyzer=self.name
        )
