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

    The model reads English only; when an earlier analyzer labelled the article with another
    language, nothing is added.
    """

    name: ClassVar[str] = "persuasion"
    version: ClassVar[str] = "1.1"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = ("spans:persuasion", f"labels:{PARAGRAPH_TASK}")

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
        todo = [a for a in analyses if _is_english(a)]
        texts = [a.article.paragraph_text(p) for a in todo for p in a.article.paragraphs]
        found = iter(self.model.detect(texts))
        for analysis in todo:
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


def _is_english(analysis: Analysis) -> bool:
    # The model reads English only; an article an earlier analyzer found to be in another
    # language gets nothing rather than noise.
    languages = [lab.label for lab in analysis.labels if lab.task == "language"]
    return not languages or languages[-1] == "en"


__all__ = ["PARAGRAPH_TASK", "PersuasionAnalyzer"]
