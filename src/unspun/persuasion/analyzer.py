"""The ``persuasion`` analyzer: persuasion techniques as spans, and per paragraph as labels."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from unspun.article import Analysis
from unspun.persuasion.decode import Detection
from unspun.persuasion.model import PersuasionModel, load_model
from unspun.pipeline import BaseAnalyzer
from unspun.taxonomy import TECHNIQUES

#: the paragraph-level label task this analyzer writes
PARAGRAPH_TASK = "persuasion-paragraph"


class PersuasionAnalyzer(BaseAnalyzer):
    """Spans labelled with SemEval-2023 technique names, and paragraph labels backed by them.

    Every paragraph label's ``evidence`` names the spans that justify it, and every span
    belongs to a paragraph label: the two levels always agree. Each span's ``attrs`` carry
    the technique's ``category`` and ``definition``, the ``paragraph`` index (into
    ``article.paragraphs``) and that paragraph's ``paragraph_score``.

    The model reads the languages it was trained on (``model.languages``: English, French,
    German, Italian, Polish and Russian for the shipped one). An article that the language
    analyzer labelled with another language gets no spans, and an E304 problem in its run
    record says why.
    """

    name: ClassVar[str] = "persuasion"
    version: ClassVar[str] = "2.0"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = ("spans:persuasion", f"labels:{PARAGRAPH_TASK}")
    #: the article's language picks the thresholds (and skips languages it cannot read)
    reads: ClassVar[tuple[str, ...]] = ("labels:language",)

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir
        self._model: PersuasionModel | None = None

    @property
    def model(self) -> PersuasionModel:
        # Loaded on first use, so listing or validating a pipeline stays cheap.
        if self._model is None:
            self._model = load_model(self.model_dir)
        return self._model

    def __call__(self, analysis: Analysis) -> None:
        self.pipe([analysis])

    def pipe(self, analyses: Sequence[Analysis]) -> None:
        """Analyse several articles with one pass of the model over all their paragraphs."""
        todo: dict[str | None, list[Analysis]] = {}
        for a in analyses:
            lang = _language(a)
            if lang is None or lang in self.model.languages:
                todo.setdefault(lang, []).append(a)
            else:
                self.skip_language(a, lang, self.model.languages)
        # One model pass per language, since each language has thresholds of its own.
        for lang, group in todo.items():
            texts = [a.article.paragraph_text(p) for a in group for p in a.article.paragraphs]
            owner = [n for n, a in enumerate(group) for _ in a.article.paragraphs]
            found = iter(self.model.detect(texts, lang, owner))
            for analysis in group:
                for index, para in enumerate(analysis.article.paragraphs):
                    self._add(analysis, index, para.start, next(found))

    def _add(self, analysis: Analysis, index: int, offset: int, found: list[Detection]) -> None:
        for det in found:
            known = TECHNIQUES.get(det.technique)
            ids: list[str] = []
            for start, end, score in det.spans:
                span = analysis.add_span(
                    offset + start,
                    offset + end,
                    det.technique,
                    analyzer=self.name,
                    score=min(1.0, max(0.0, score)),
                    attrs={
                        "category": known.category if known else None,
                        "definition": known.definition if known else None,
                        "paragraph": index,
                        "paragraph_score": round(det.score, 4),
                    },
                )
                ids.append(span.id)
            analysis.add_label(
                PARAGRAPH_TASK,
                det.technique,
                min(1.0, max(0.0, det.score)),
                analyzer=self.name,
                evidence=tuple(ids),
            )


def _language(analysis: Analysis) -> str | None:
    # None when no language analyzer ran: the text is then taken to be one the model reads.
    languages = [lab.label for lab in analysis.labels if lab.task == "language"]
    return languages[-1] if languages else None


__all__ = ["PARAGRAPH_TASK", "PersuasionAnalyzer"]
