"""The ``narratives`` analyzer: SemEval-2025 narratives and subnarratives, with evidence.

Adds ``narratives`` labels and ``subnarratives`` labels (``Other`` when the document carries
none). Each label other than ``Other`` points at the paragraphs that push it most, as
``evidence:narratives:<label>`` / ``evidence:subnarratives:<label>`` spans. The top narrative
also gets a short extractive explanation: the sentences that push it most, as
``explanation:narratives:<label>`` spans, which its label lists among its evidence too.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np

from unspun.analyzers.sentences import sentence_bounds
from unspun.article import Analysis
from unspun.articlelevel.analyzers import (
    EVIDENCE_PARAGRAPHS,
    evidence_spans,
    head_input,
    is_english,
    model_text,
)
from unspun.articlelevel.linear import LinearTextModel
from unspun.narratives.model import OTHER, NarrativeModel, NarrativePrediction, load_narrative_model
from unspun.pipeline import BaseAnalyzer

#: how many sentences explain the top narrative
EXPLANATION_SENTENCES = 2


def add_word_evidence(
    analysis: Analysis,
    model: LinearTextModel,
    task: str,
    labels: list[str],
    *,
    analyzer: str,
    limit: int = EVIDENCE_PARAGRAPHS,
) -> dict[str, tuple[str, ...]]:
    """Evidence spans for each of ``labels``: the paragraphs whose words push the word model
    towards it most (feature . coefficient products); returns their ids by label."""
    paragraphs = analysis.article.paragraphs
    if not paragraphs or not labels:
        return {lab: () for lab in labels}
    weights = model.contributions([analysis.article.paragraph_text(p) for p in paragraphs])
    return evidence_spans(analysis, weights, model.labels, task, labels, analyzer=analyzer, limit=limit)


class NarrativesAnalyzer(BaseAnalyzer):
    """Narratives on the war in Ukraine and on climate change (SemEval-2025 Task 10 labels).

    The taxonomy covers only those two topics: a separately trained gate answers ``Other``
    for a document that pushes none of them, which is what most articles on other topics
    get. The word model reads English; its embedding head reads the shared encoder's article
    vector (the states the persuasion analyzer left in the encoder's cache).
    """

    name: ClassVar[str] = "narratives"
    version: ClassVar[str] = "2.0"
    #: the article vector comes from the encoder states persuasion already computed
    reads: ClassVar[tuple[str, ...]] = ("labels:language", "spans:persuasion")
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = (
        "labels:narratives",
        "labels:subnarratives",
        "spans:evidence:narratives",
        "spans:explanation:narratives",
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
        vector = head_input(analysis, ("vector",)).features["vector"] if model.uses_embedding else None
        pred = model.predict(model_text(analysis), vector)
        for task, labels, part in (
            ("narratives", pred.narratives, model.narratives),
            ("subnarratives", pred.subnarratives, model.subnarratives),
        ):
            scored = [lab for lab in labels if lab in part.labels]
            evidence = add_word_evidence(analysis, part, task, scored, analyzer=self.name)
            if task == "narratives":
                top, why = self._explain(analysis, model, pred)
                if top is not None:
                    evidence[top] = evidence.get(top, ()) + why
            for lab in labels:
                # A "<narrative>: Other" subnarrative has no score of its own; the gate's stands in.
                score = 1.0 - pred.gate if lab == OTHER else pred.scores.get(lab, pred.gate)
                analysis.add_label(
                    task, lab, score, analyzer=self.name, evidence=evidence.get(lab, ())
                )

    def _explain(
        self, analysis: Analysis, model: NarrativeModel, pred: NarrativePrediction
    ) -> tuple[str | None, tuple[str, ...]]:
        """The top narrative and the ids of the sentences that push it most."""
        ranked = [n for n in pred.narratives if n != OTHER and n in model.narratives.labels]
        if not ranked:
            return None, ()
        top = max(ranked, key=lambda n: pred.scores.get(n, 0.0))
        # The sentences the pipeline's splitter found, else the same splitter's bounds.
        spans = analysis.spans_by(label="sentence")
        bounds = [(s.start, s.end) for s in spans] or [(a, b) for a, b, _ in sentence_bounds(analysis.article)]
        if not bounds:
            return top, ()
        text = analysis.article.text
        weights = model.narratives.contributions([text[a:b] for a, b in bounds])[
            :, model.narratives.labels.index(top)
        ]
        order = [int(i) for i in np.argsort(-weights, kind="stable")[:EXPLANATION_SENTENCES] if weights[i] > 0]
        best = float(weights[order[0]]) if order else 0.0
        ids = []
        for i in sorted(order):
            a, b = bounds[i]
            span = analysis.add_span(
                a, b, f"explanation:narratives:{top}", analyzer=self.name,
                score=float(weights[i]) / best if best > 0 else 0.0,
                attrs={"task": "narratives", "label": top, "sentence": i, "weight": round(float(weights[i]), 5)},
            )
            ids.append(span.id)
        return top, tuple(ids)


__all__ = ["NarrativesAnalyzer", "add_word_evidence"]
