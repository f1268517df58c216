"""From model scores to techniques with the spans that justify them.

The model gives, per paragraph, a score per technique for every token and one for the whole
paragraph. A paragraph gets a technique when its combined score passes that technique's
threshold; the technique then always comes with at least one span (the best run of tokens),
and spans are only ever reported for techniques the paragraph got, so the two levels never
disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
ScoreMode = Literal["paragraph", "token", "mean"]


@dataclass(frozen=True)
class DecodeConfig:
    techniques: tuple[str, ...]
    #: per technique; None means the technique is never reported (too rare to calibrate)
    thresholds: tuple[float | None, ...]
    score_mode: ScoreMode = "mean"
    span_threshold: float = 0.5
    #: (technique index, words and phrases): a token inside one of them scores at least
    #: ``lexicon_score`` for that technique (see :func:`apply_lexicon`); a technique the
    #: model never reports (threshold None) is then reported at that score
    lexicon: tuple[tuple[int, frozenset[str]], ...] = ()
    lexicon_score: float = 0.9
    #: weights of the article stage (see :func:`restage`), or None to read paragraphs alone
    article_stage: tuple[float, float, float, float] | None = None


#: an article's context for the article stage: the mean over its paragraphs of their best
#: technique score, and the mean of each technique's score (shape ``(K,)``)
ArticleContext = tuple[float, "FloatArray"]


def _logit(x: npt.ArrayLike) -> FloatArray:
    p = np.clip(np.asarray(x, dtype=np.float32), 1e-4, 1 - 1e-4)
    out: FloatArray = np.log(p / (1 - p)).astype(np.float32)
    return out


def article_context(scores: FloatArray) -> ArticleContext:
    """The context of an article whose paragraphs scored ``scores`` (shape ``(n, K)``)."""
    if len(scores) == 0:
        return 0.0, np.zeros(scores.shape[1] if scores.ndim == 2 else 0, dtype=np.float32)
    return float(scores.max(axis=1).mean()), scores.mean(axis=0).astype(np.float32)


def stage_features(scores: FloatArray, context: ArticleContext) -> FloatArray:
    """Per (paragraph, technique): the logits of its score, of the article's mean best score
    and of the article's mean score for that technique (shape ``(..., K, 3)``)."""
    own = _logit(scores)
    return np.stack(
        [own, np.broadcast_to(_logit(context[0]), own.shape), np.broadcast_to(_logit(context[1]), own.shape)],
        axis=-1,
    )


def restage(
    scores: FloatArray, context: ArticleContext, weights: tuple[float, float, float, float]
) -> FloatArray:
    """Paragraph scores rescored in their article: a technique is likelier in a paragraph of
    an article dense with techniques (opinion), less so in straight reporting."""
    z = stage_features(scores, context) @ np.asarray(weights[:3], dtype=np.float32) + weights[3]
    out: FloatArray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
    return out


@dataclass(frozen=True)
class Detection:
    technique: str
    score: float
    #: (start, end, score) with offsets into the paragraph text, best first
    spans: tuple[tuple[int, int, float], ...]


def paragraph_scores(
    token_probs: FloatArray, para_probs: FloatArray, mode: ScoreMode
) -> FloatArray:
    """One score per technique for the paragraph (shape ``(K,)``)."""
    tok_max = token_probs.max(axis=0) if len(token_probs) else np.zeros_like(para_probs)
    if mode == "paragraph":
        return para_probs
    if mode == "token":
        return tok_max.astype(np.float32)
    return ((para_probs + tok_max) / 2).astype(np.float32)


#: what a span never starts with: a SentencePiece word piece's offsets take in the space
#: (and a sentence's full stop can lead the next word's run)
_LEADING = " \t\n\r\u00a0.,;:"


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    # Word pieces cut words; a span reads better and scores no worse on whole words.
    while start < end and text[start] in _LEADING:
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return start, start
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Maximal runs of True as (first, last) token indices."""
    out: list[tuple[int, int]] = []
    start = -1
    for i, on in enumerate(mask.tolist()):
        if on and start < 0:
            start = i
        elif not on and start >= 0:
            out.append((start, i - 1))
            start = -1
    if start >= 0:
        out.append((start, len(mask) - 1))
    return out


# Function words carry no technique on their own; a span of nothing but these is noise from
# the token head, not a finding a reader could check.
_FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "and",
        "or", "but", "nor", "so", "if", "than", "that", "this", "these", "those", "it", "its", "is",
        "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
        "not", "no", "will", "would", "can", "could", "shall", "should", "may", "might", "must",
        "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "your", "my", "me",
        "him", "them", "us", "who", "whom", "which", "what", "when", "where", "why", "how", "all",
        "any", "some", "each", "such", "there", "here", "then", "into", "onto", "over", "under",
        "about", "after", "before", "while", "also", "just", "only", "very", "more", "most",
    }
)


def _has_content(text: str) -> bool:
    words = ["".join(ch for ch in w if ch.isalnum()).lower() for w in text.split()]
    return any(w and w not in _FUNCTION_WORDS for w in words)


def _bridge(runs: list[tuple[int, int]], probs: FloatArray, floor: float, gap: int) -> list[tuple[int, int]]:
    """Join runs separated by at most ``gap`` tokens that still score ``floor`` or more, so
    one phrase ("Kiev ... junta") is one span rather than fragments."""
    out: list[tuple[int, int]] = []
    for first, last in runs:
        if out and first - out[-1][1] - 1 <= gap and bool((probs[out[-1][1] + 1 : first] >= floor).all()):
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out


def technique_spans(
    text: str, probs: FloatArray, offsets: npt.NDArray[np.int64], span_threshold: float
) -> tuple[tuple[int, int, float], ...]:
    """Character spans for one technique from its token scores (shape ``(n,)``), best first."""
    if len(probs) == 0:
        return ()
    runs = _bridge(_runs(probs >= span_threshold), probs, span_threshold / 2, gap=2)
    spans: dict[tuple[int, int], float] = {}
    for first, last in runs:
        start, end = _word_bounds(text, int(offsets[first, 0]), int(offsets[last, 1]))
        if end > start and _has_content(text[start:end]):
            score = float(probs[first : last + 1].max())
            spans[(start, end)] = max(score, spans.get((start, end), 0.0))
    if not spans:
        # The paragraph passed its threshold, so it gets its most telling stretch: the best
        # token, widened while its neighbours score at least half as high.
        best = int(probs.argmax())
        floor = probs[best] / 2
        lo = hi = best
        while lo > 0 and probs[lo - 1] >= floor:
            lo -= 1
        while hi < len(probs) - 1 and probs[hi + 1] >= floor:
            hi += 1
        start, end = _word_bounds(text, int(offsets[lo, 0]), int(offsets[hi, 1]))
        if end > start:
            spans[(start, end)] = float(probs[lo : hi + 1].max())
    return tuple(sorted(((s, e, sc) for (s, e), sc in spans.items()), key=lambda x: (-x[2], x[0])))


def apply_lexicon(
    text: str, token_probs: FloatArray, offsets: npt.NDArray[np.int64], cfg: DecodeConfig
) -> FloatArray:
    """Token scores raised to ``cfg.lexicon_score`` where a token lies in a lexicon entry.

    An entry is a word or a phrase ("the only way out"), matched case-blind as whole words
    (hyphens join, so "neo-Nazis" is one word). For labels the training data never shows but
    that news of other years uses; on the training articles the lexicons changed nothing
    measurable (see the model card).
    """
    if not cfg.lexicon or len(token_probs) == 0:
        return token_probs
    out = token_probs
    starts, ends = offsets[:, 0], offsets[:, 1]
    for k, entries in cfg.lexicon:
        for match in _lexicon_pattern(entries).finditer(text):
            rows = (starts < match.end()) & (ends > match.start()) & (out[:, k] < cfg.lexicon_score)
            if rows.any():
                if out is token_probs:
                    out = token_probs.copy()
                out[rows, k] = cfg.lexicon_score
    return out


@lru_cache(maxsize=64)
def _lexicon_pattern(entries: frozenset[str]) -> re.Pattern[str]:
    # Longest first, so a phrase wins over a word it starts with; any run of spaces between
    # a phrase's words matches.
    alternatives = (
        r"\s+".join(re.escape(word) for word in entry.split())
        for entry in sorted(entries, key=lambda e: (-len(e), e))
    )
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def decode_paragraph(
    text: str,
    token_probs: FloatArray,
    offsets: npt.NDArray[np.int64],
    para_probs: FloatArray,
    cfg: DecodeConfig,
    context: ArticleContext | None = None,
) -> list[Detection]:
    """Techniques of one paragraph; ``context`` (its article's, see :func:`article_context`)
    is read when ``cfg`` has an article stage."""
    lexical = apply_lexicon(text, token_probs, offsets, cfg)
    scores = paragraph_scores(lexical, para_probs, cfg.score_mode)
    if cfg.article_stage is not None and context is not None:
        scores = restage(scores, context, cfg.article_stage)
    thresholds = list(cfg.thresholds)
    if lexical is not token_probs:
        # A lexicon entry decides the paragraph label by itself, at the lexicon's score, also
        # for a technique too rare in training for the model to report.
        hit = np.asarray((lexical >= cfg.lexicon_score).any(axis=0) & (lexical > token_probs).any(axis=0))
        scores = np.where(hit, np.maximum(scores, cfg.lexicon_score), scores).astype(np.float32)
        thresholds = [cfg.lexicon_score if t is None and bool(hit[k]) else t for k, t in enumerate(thresholds)]
        token_probs = lexical
    found: list[Detection] = []
    for k, (tech, thr) in enumerate(zip(cfg.techniques, thresholds, strict=True)):
        if thr is None or scores[k] < thr or len(token_probs) == 0:
            continue
        spans = technique_spans(text, token_probs[:, k], offsets, cfg.span_threshold)
        if spans:
            found.append(Detection(tech, float(scores[k]), spans))
    return found


def merge_chunks(
    parts: Sequence[tuple[FloatArray, npt.NDArray[np.int64], FloatArray]],
) -> tuple[FloatArray, npt.NDArray[np.int64], FloatArray]:
    """Join a paragraph's chunks: tokens end to end, paragraph scores by their maximum."""
    tok = np.concatenate([p[0] for p in parts], axis=0)
    offs = np.concatenate([p[1] for p in parts], axis=0)
    para = np.max(np.stack([p[2] for p in parts]), axis=0)
    return tok, offs, para


__all__ = [
    "ArticleContext",
    "DecodeConfig",
    "Detection",
    "ScoreMode",
    "apply_lexicon",
    "article_context",
    "decode_paragraph",
    "merge_chunks",
    "paragraph_scores",
    "restage",
    "stage_features",
    "technique_spans",
]
