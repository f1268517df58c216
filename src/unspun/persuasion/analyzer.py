"""The ``persuasion`` analyzer: persuasion techniques as spans, and per paragraph as labels."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from unspun.article import Analysis
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
    version: ClassVar[str] = "1.0"
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
        languages = [lab.label for lab in analysis.labels if lab.task == "language"]
        if languages and languages[-1] != "en":
            return
        article = analysis.article
        texts = [article.paragraph_text(p) for p in article.paragraphs]
        for index, (para, found) in enumerate(
            zip(article.paragraphs, self.model.detect(texts), strict=True)
        ):
            for det in found:
                known = TECHNIQUES.get(det.technique)
                ids: list[str] = []
                for start, end, score in det.spans:
                    span = analysis.add_span(
                        para.start + start,
                        para.start + end,
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


__all__ = ["PARAGRAPH_TASK", "PersuasionAnalyzer"]
