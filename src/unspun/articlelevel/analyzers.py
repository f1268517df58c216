"""The ``genre`` and ``frames`` analyzers: article-level labels backed by evidence spans.

Both are heads over the shared encoder (:mod:`unspun.articlelevel.heads`). Each label's
``evidence`` names the paragraphs that push the head towards it most: spans labelled
``evidence:<task>:<label>`` whose ``attrs`` carry the task, the label, the paragraph's index
and its ``weight`` (the head's score for the label with the paragraph's own vector in place
of the article's). Only paragraphs that push towards the label are kept, at most three.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from unspun.article import Analysis, Paragraph
from unspun.articlelevel.heads import ArticleHead, load_head
from unspun.pipeline import BaseAnalyzer

EVIDENCE_PARAGRAPHS = 3


def model_text(analysis: Analysis) -> str:
    """The text the models read: the article's, headed by its title when the text lacks it.

    The models were trained on files whose first line is the headline.
    """
    article = analysis.article
    if article.title and not article.text.lstrip().startswith(article.title.strip()):
        return f"{article.title}\n\n{article.text}"
    return article.text


def is_english(analysis: Analysis) -> bool:
    """Whether the article is English, or of unknown language (the word models read English)."""
    return article_language(analysis) in (None, "en")


def article_language(analysis: Analysis) -> str | None:
    """The language analyzer's reading of the article, else its metadata's, else None."""
    languages = [lab.label for lab in analysis.labels if lab.task == "language"]
    return languages[-1] if languages else analysis.article.meta.language


#: the languages the heads were trained on (the persuasion model's six)
HEAD_LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "it", "pl", "ru")


@dataclass(frozen=True)
class HeadInput:
    """What the heads read of one article: its feature blocks and its paragraphs' vectors.

    ``paragraphs`` has a row per paragraph of ``article.paragraphs``; the headline, when the
    text lacks it, is read too (first, as in training) but has no row there.
    """

    features: dict[str, npt.NDArray[np.float64]]
    paragraphs: npt.NDArray[np.float32]


def _persuasion_found(analysis: Analysis, n: int) -> list[set[str]] | None:
    if not any(r.name == "persuasion" and r.status == "ok" for r in analysis.runs):
        return None
    found: list[set[str]] = [set() for _ in range(n)]
    for span in analysis.spans:
        index = span.attrs.get("paragraph")
        if span.analyzer == "persuasion" and isinstance(index, int) and 0 <= index < n:
            found[index].add(span.label)
    return found


def head_input(analysis: Analysis, blocks: Collection[str] = ("vector", "persuasion", "style")) -> HeadInput:
    """The article's feature ``blocks``, from the states and techniques the persuasion
    analyzer left.

    The paragraphs are encoded by the shipped shared encoder (the one the heads were trained
    on, whichever persuasion model is chosen), whose cache already holds them when the
    persuasion analyzer ran first with it (one encoder pass per article); when persuasion
    did not run, its model is run here for the profile, its spans not kept.
    """
    from unspun.articlelevel.features import style_vector
    from unspun.articlelevel.shared import article_vector, paragraph_vectors, persuasion_profile
    from unspun.encoder import load_paragraph_encoder

    article = analysis.article
    texts = [article.paragraph_text(p) for p in article.paragraphs]
    text = model_text(analysis)
    headline = [article.title.strip()] if text is not article.text and article.title else []
    vectors = paragraph_vectors(load_paragraph_encoder(), headline + texts)
    features = {"vector": article_vector(vectors).astype(np.float64)}
    if "persuasion" in blocks:
        found = _persuasion_found(analysis, len(texts))
        if found is None:
            from unspun.persuasion.model import load_model as load_persuasion

            detected = load_persuasion().detect(texts, article_language(analysis))
            found = [{d.technique for d in ds} for ds in detected]
        features["persuasion"] = persuasion_profile([set[str]() for _ in headline] + found).astype(np.float64)
    if "style" in blocks:
        features["style"] = style_vector(text).astype(np.float64)
    return HeadInput(features, vectors[len(headline) :])


def evidence_spans(
    analysis: Analysis,
    weights: npt.NDArray[np.float64],
    all_labels: Sequence[str],
    task: str,
    labels: list[str],
    *,
    analyzer: str,
    limit: int = EVIDENCE_PARAGRAPHS,
) -> dict[str, tuple[str, ...]]:
    """Evidence spans for each of ``labels`` from ``weights`` (a row per paragraph of the
    article, a column per label of ``all_labels``): the ``limit`` paragraphs that push the
    label most, those that push it at all; returns their ids by label."""
    paragraphs: tuple[Paragraph, ...] = analysis.article.paragraphs
    out: dict[str, tuple[str, ...]] = {}
    for lab in labels:
        col = weights[:, list(all_labels).index(lab)]
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


def add_evidence(
    analysis: Analysis,
    head: ArticleHead,
    seen: HeadInput,
    task: str,
    labels: list[str],
    *,
    analyzer: str,
    limit: int = EVIDENCE_PARAGRAPHS,
) -> dict[str, tuple[str, ...]]:
    """Add evidence spans for each of ``labels``; returns their ids by label."""
    if not analysis.article.paragraphs or not labels:
        return {lab: () for lab in labels}
    weights = head.paragraph_weights(seen.features, seen.paragraphs)
    return evidence_spans(analysis, weights, head.labels, task, labels, analyzer=analyzer, limit=limit)


class _HeadAnalyzer(BaseAnalyzer):
    kind: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    #: the heads read the techniques found (and the encoder states kept) by persuasion
    reads: ClassVar[tuple[str, ...]] = ("labels:language", "spans:persuasion")

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir

    @property
    def model(self) -> ArticleHead:
        return load_head(self.kind, self.model_dir)

    def _input(self, analysis: Analysis) -> HeadInput | None:
        lang = article_language(analysis)
        if lang is not None and lang not in HEAD_LANGUAGES:
            self.skip_language(analysis, lang, HEAD_LANGUAGES)
            return None
        return head_input(analysis, self.model.block_names)


class GenreAnalyzer(_HeadAnalyzer):
    """One ``genre`` label: opinion, reporting or satire (SemEval-2023 subtask 1 labels).

    A head over the shared encoder's article vector and the style measures (see the model
    card), trained on six languages and the newer labelled articles; its score is calibrated
    on those (a pick scored 0.8 is right about 80 % of the time there). The evidence is the
    paragraphs that, read alone, lean most towards the genre picked.
    """

    name: ClassVar[str] = "genre"
    version: ClassVar[str] = "2.0"
    kind: ClassVar[str] = "genre"
    assigns: ClassVar[tuple[str, ...]] = ("labels:genre", "spans:evidence:genre")

    def __call__(self, analysis: Analysis) -> None:
        seen = self._input(analysis)
        if seen is None:
            return
        head = self.model
        proba = head.proba(seen.features)[0]
        best = int(proba.argmax())
        label = head.labels[best]
        evidence = add_evidence(analysis, head, seen, "genre", [label], analyzer=self.name)
        analysis.add_label("genre", label, float(proba[best]), analyzer=self.name, evidence=evidence[label])


class FramesAnalyzer(_HeadAnalyzer):
    """``frames`` labels: any of the 14 SemEval-2023 subtask 2 frames, each with its evidence.

    Frames are ordered by probability; each has passed the threshold chosen on the newer
    labelled articles (see the model card). Six languages, as for ``genre``.
    """

    name: ClassVar[str] = "frames"
    version: ClassVar[str] = "2.0"
    kind: ClassVar[str] = "frames"
    assigns: ClassVar[tuple[str, ...]] = ("labels:frames", "spans:evidence:frames")

    def __call__(self, analysis: Analysis) -> None:
        seen = self._input(analysis)
        if seen is None:
            return
        head = self.model
        proba = head.proba(seen.features)[0]
        chosen = [j for j in np.argsort(-proba, kind="stable") if proba[j] >= head.thresholds[j]]
        labels = [head.labels[int(j)] for j in chosen]
        evidence = add_evidence(analysis, head, seen, "frames", labels, analyzer=self.name)
        for j, lab in zip(chosen, labels, strict=True):
            analysis.add_label("frames", lab, float(proba[j]), analyzer=self.name, evidence=evidence[lab])


__all__ = [
    "HEAD_LANGUAGES",
    "FramesAnalyzer",
    "GenreAnalyzer",
    "HeadInput",
    "add_evidence",
    "article_language",
    "evidence_spans",
    "head_input",
    "is_english",
    "model_text",
]
