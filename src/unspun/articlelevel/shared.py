"""Article features read from the shared paragraph encoder and the persuasion model.

The article-level heads (genre, frames, narratives) read what the persuasion analyzer has
already computed for the article: the encoder's per-token states of every paragraph (kept in
the encoder's cache, so no second pass) and the techniques it found. Training and inference
both go through :func:`paragraph_vectors` and :func:`persuasion_profile`, so the two sides see
the same features by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from unspun.encoder import EncodedChunk, ParagraphEncoder
from unspun.taxonomy import CATEGORIES, TECHNIQUES

Array = npt.NDArray[np.float32]

TECHNIQUE_NAMES: tuple[str, ...] = tuple(TECHNIQUES)

#: names of the persuasion profile's columns, in order
PERSUASION_FEATURES: tuple[str, ...] = (
    *(f"technique:{t}" for t in TECHNIQUE_NAMES),
    *(f"category:{c}" for c in CATEGORIES),
    "any technique",
    "techniques per paragraph",
    "headline technique",
)


def pooled(windows: Sequence[EncodedChunk], hidden: int) -> Array:
    """The mean of a paragraph's token states over all its windows (start and end tokens
    included, as multilingual-e5 pools)."""
    if not windows:
        return np.zeros(hidden, dtype=np.float32)
    total = sum(w.states.sum(axis=0) for w in windows)
    count = sum(len(w.states) for w in windows)
    return np.asarray(total / max(count, 1), dtype=np.float32)


def paragraph_vectors(encoder: ParagraphEncoder, paragraphs: Sequence[str]) -> Array:
    """One pooled vector per paragraph (rows), from the encoder's cache where it has them."""
    if not paragraphs:
        return np.zeros((0, encoder.hidden_size), dtype=np.float32)
    encoded = encoder.encode(paragraphs)
    return np.stack([pooled(w, encoder.hidden_size) for w in encoded])


def article_vector(vectors: Array) -> Array:
    """The l2-normalised mean of the paragraph vectors, and of the first two (headline and
    lead), side by side: what the article is about, and what it opens with."""
    hidden = vectors.shape[1] if vectors.ndim == 2 else 0
    if len(vectors) == 0:
        return np.zeros(2 * hidden, dtype=np.float32)

    def unit(v: Array) -> Array:
        n = float(np.linalg.norm(v))
        return v / n if n > 0 else v

    return np.concatenate([unit(vectors.mean(axis=0)), unit(vectors[:2].mean(axis=0))]).astype(np.float32)


def paragraphs_of(text: str) -> list[str]:
    """A training file's paragraphs: its non-empty lines, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def text_vector(text: str, encoder: ParagraphEncoder | None = None) -> Array:
    """The article vector of a text whose paragraphs are its non-empty lines (how the
    training files are laid out), by the shipped encoder unless another is given."""
    from unspun.encoder import load_paragraph_encoder

    return article_vector(paragraph_vectors(encoder or load_paragraph_encoder(), paragraphs_of(text)))


def persuasion_profile(found: Sequence[Iterable[str]]) -> Array:
    """The share of paragraphs carrying each technique and each category, the share with any,
    the techniques per paragraph, and whether the first paragraph (the headline) carries one.

    ``found``: the technique names found in each paragraph, in order.
    """
    sets = [set(f) for f in found]
    n = max(len(sets), 1)
    tech = np.array([sum(t in s for s in sets) for t in TECHNIQUE_NAMES], dtype=np.float32) / n
    cats = np.array(
        [sum(any(TECHNIQUES[t].category == c for t in s if t in TECHNIQUES) for s in sets) for c in CATEGORIES],
        dtype=np.float32,
    ) / n
    extra = np.array(
        [
            sum(bool(s) for s in sets) / n,
            sum(len(s) for s in sets) / n,
            float(bool(sets and sets[0])),
        ],
        dtype=np.float32,
    )
    return np.concatenate([tech, cats, extra])


__all__ = [
    "PERSUASION_FEATURES",
    "TECHNIQUE_NAMES",
    "article_vector",
    "paragraph_vectors",
    "paragraphs_of",
    "persuasion_profile",
    "pooled",
    "text_vector",
]
