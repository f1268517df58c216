"""The ``genre`` and ``frames`` analyzers: article-level labels backed by evidence spans.

Each label's ``evidence`` names the paragraphs that push the model towards it most: spans
labelled ``evidence:<task>:<label>`` whose ``attrs`` carry the task, the label, the
paragraph's index and its ``weight`` (the paragraph's features dotted with the label's
coefficients). Only paragraphs that push towards the label are kept, at most three.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np

from unspun.article import Analysis, Paragraph
from unspun.articlelevel.linear import LinearTextModel, resource_dir
from unspun.pipeline import BaseAnalyzer

EVIDENCE_PARAGRAPHS = 3


@lru_cache(maxsize=8)
def _load(directory: Path) -> LinearTextModel:
    return LinearTextModel.load(directory)


def load_model(kind: str, directory: Path | None = None) -> LinearTextModel:
    """The shipped model of ``kind`` (``genre``, ``frames``), or the one in ``directory``."""
    return _load((directory or resource_dir(kind)).resolve())


def model_text(analysis: Analysis) -> str:
    """The text the models read: the article's, headed by its title when the text lacks it.

    The models were trained on files whose first line is the headline.
    """
    article = analysis.article
    if article.title and not article.text.lstrip().startswith(article.title.strip()):
        return f"{article.title}\n\n{article.text}"
    return article.text


def add_evidence(
    analysis: Analysis,
    model: LinearTextModel,
    task: str,
    labels: list[str],
    *,
    analyzer: str,
    limit: int = EVIDENCE_PARAGRAPHS,
) -> dict[str, tuple[str, ...]]:
    """Add evidence spans for each of ``labels``; returns their ids by label."""
    paragraphs: tuple[Paragraph, ...] = analysis.article.paragraphs
    if not paragraphs or not labels:
        return {lab: () for lab in labels}
    weights = model.contributions([analysis.article.paragraph_text(p) for p in paragraphs])
    out: dict[str, tuple[str, ...]] = {}
    for lab in labels:
        col = weights[:, model.labels.index(lab)]
        order = [int(i) for i in np.argsort(-col, kind="stable")[:limit] if col[i] > 0]
        top = float(col[order[0]]) if order else 0.0
        ids: list[str] = []
        for i in sorted(order):
            p = paragraphs[i]
            span = analysis.add_span(
                p.start,
                p.end,
                f"evidence:{task}:{lab}",
                analyzer=analyzer,
                score=float(col[i]) / top if top > 0 else 0.0,
                attrs={"task": task, "label": lab, "paragraph": i, "weight": round(float(col[i]), 5)},
            )
            ids.append(span.id)
        out[lab] = tuple(ids)
    return out


def is_english(analysis: Analysis) -> bool:
    """Whether the article is English, or of unknown language (the models read English)."""
    languages = [lab.label for lab in analysis.labels if lab.task == "language"]
    lang = languages[-1] if languages else analysis.article.meta.language
    return lang in (None, "en")


class GenreAnalyzer(BaseAnalyzer):
    """One ``genre`` label: opinion, reporting or satire (SemEval-2023 subtask 1 labels).

    The model reads English; when the article is known to be in another language, nothing
    is added. Its decision is corrected towards a prior of mostly reporting (see the model
    card), so it does not call everything opinion as its training data would suggest.
    """

    name: ClassVar[str] = "genre"
    version: ClassVar[str] = "1.3"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = ("labels:genre", "spans:evidence:genre")

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir

    @property
    def model(self) -> LinearTextModel:
        return load_model("genre", self.model_dir)

    def __call__(self, analysis: Analysis) -> None:
        if not is_english(analysis):
            return
        model = self.model
        proba = model.proba(model_text(analysis))
        best = int(proba.argmax())
        label = model.labels[best]
        evidence = add_evidence(analysis, model, "genre", [label], analyzer=self.name)
        analysis.add_label("genre", label, float(proba[best]), analyzer=self.name, evidence=evidence[label])


class FramesAnalyzer(BaseAnalyzer):
    """``frames`` labels: any of the 14 SemEval-2023 subtask 2 frames, each with its evidence.

    Frames are ordered by probability; each has passed its own threshold, chosen by
    cross-validation (see the model card). English only, as for ``genre``. Version 1.1 mixes
    in the article encoder's vector (:mod:`unspun.articlelevel.encoder`).
    """

    name: ClassVar[str] = "frames"
    version: ClassVar[str] = "1.1"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    assigns: ClassVar[tuple[str, ...]] = ("labels:frames", "spans:evidence:frames")

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir

    @property
    def model(self) -> LinearTextModel:
        return load_model("frames", self.model_dir)

    def __call__(self, analysis: Analysis) -> None:
        if not is_english(analysis):
            return
        model = self.model
        proba = model.proba(model_text(analysis))
        chosen = [j for j in np.argsort(-proba, kind="stable") if proba[j] >= model.thresholds[j]]
        labels = [model.labels[int(j)] for j in chosen]
        evidence = add_evidence(analysis, model, "frames", labels, analyzer=self.name)
        for j, lab in zip(chosen, labels, strict=True):
            analysis.add_label("frames", lab, float(proba[j]), analyzer=self.name, evidence=evidence[lab])


__all__ = ["FramesAnalyzer", "GenreAnalyzer", "add_evidence", "is_english", "load_model", "model_text"]
