"""The ``narratives`` analyzer: SemEval-2025 narratives and subnarratives, with evidence.

Adds ``narratives`` labels and ``subnarratives`` labels (``Other`` when the document carries
none). Each label other than ``Other`` points at the paragraphs that push it most, as
``evidence:narratives:<label>`` / ``evidence:subnarratives:<label>`` spans.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from unspun.article import Analysis
from unspun.articlelevel.analyzers import add_evidence, is_english, model_text
from unspun.narratives.model import OTHER, NarrativeModel, load_narrative_model
from unspun.pipeline import BaseAnalyzer


class NarrativesAnalyzer(BaseAnalyzer):
    """Narratives on the war in Ukraine and on climate change (SemEval-2025 Task 10 labels).

    The taxonomy covers only those two topics: a separately trained gate answers ``Other``
    for a document that pushes none of them, which is what most articles on other topics
    get. English only.
    """

    name: ClassVar[str] = "narratives"
    version: ClassVar[str] = "1.1"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = (
        "labels:narratives",
        "labels:subnarratives",
        "spans:evidence:narratives",
    )

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir

    @property
    def model(self) -> NarrativeModel:
        return load_narrative_model(self.model_dir)

    def __call__(self, analysis: Analysis) -> None:
        if not is_english(analysis):
            return
        model = self.model
        pred = model.predict(model_text(analysis))
        for task, labels, part in (
            ("narratives", pred.narratives, model.narratives),
            ("subnarratives", pred.subnarratives, model.subnarratives),
        ):
            scored = [lab for lab in labels if lab in part.labels]
            evidence = add_evidence(analysis, part, task, scored, analyzer=self.name)
            for lab in labels:
                # A "<narrative>: Other" subnarrative has no score of its own; the gate's stands in.
                score = 1.0 - pred.gate if lab == OTHER else pred.scores.get(lab, pred.gate)
                analysis.add_label(
                    task, lab, score, analyzer=self.name, evidence=evidence.get(lab, ())
                )


__all__ = ["NarrativesAnalyzer"]
