"""Subtask-3 predictions for a directory of ``article<ID>.txt`` files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from unspun.persuasion.model import PersuasionModel, load_model
from unspun.semeval.data import (
    GoldSpan,
    read_articles,
    read_template,
    write_paragraph_labels,
    write_spans,
)


@dataclass(frozen=True)
class Prediction:
    labels: dict[tuple[str, int], list[str]]
    spans: list[GoldSpan]
    keys: list[tuple[str, int]]


def article_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, as the ``language`` analyzer finds it."""
    from unspun.analyzers.language import _detector

    values = _detector().compute_language_confidence_values(text[:5000])
    return values[0].language.iso_code_639_1.name.lower() if values else None


def predict_articles(
    articles_dir: Path, model: PersuasionModel | None = None, language: str | None = None
) -> Prediction:
    """Techniques per non-empty line and their spans, for every article in the directory.

    ``language`` (ISO 639-1) picks the model's thresholds for that language; without it, each
    article's language is detected. An article in a language the model does not read gets
    empty labels, as the analyzer gives it.
    """
    model = model or load_model()
    labels: dict[tuple[str, int], list[str]] = {}
    spans: list[GoldSpan] = []
    keys: list[tuple[str, int]] = []
    for art in read_articles(articles_dir):
        texts = [art.paragraph_text(p) for p in art.paragraphs]
        lang = language or article_language(art.text)
        results = (
            model.detect(texts, lang)
            if lang is None or lang in model.languages
            else [[] for _ in texts]
        )
        for para, found in zip(art.paragraphs, results, strict=True):
            assert para.line is not None
            key = (art.id, para.line)
            keys.append(key)
            # Label order follows the model's technique list, so output is stable across runs.
            labels[key] = [
                d.technique
                for d in sorted(found, key=lambda d: model.techniques.index(d.technique))
            ]
            for det in found:
                spans.extend(
                    GoldSpan(art.id, para.start + s, para.start + e, det.technique)
                    for s, e, _ in det.spans
                )
    return Prediction(labels, spans, keys)


def write_prediction(
    pred: Prediction, out: Path, *, template: Path | None = None, spans_dir: Path | None = None
) -> int:
    """Write the label rows (in the template's order when given); returns the row count."""
    keys = pred.keys
    if template is not None:
        keys = read_template(template)
        missing = sorted(set(keys) - set(pred.labels))
        if missing:
            raise ValueError(
                f"{template}: {len(missing)} template rows have no article line, e.g. {missing[0]}"
            )
    n = write_paragraph_labels(out, keys, pred.labels)
    if spans_dir is not None:
        write_spans(spans_dir, pred.spans, sorted({k[0] for k in pred.keys}))
    return n


__all__ = ["Prediction", "predict_articles", "write_prediction"]
