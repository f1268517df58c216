"""The shipped article encoder and the embedding head of the article-level models."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from unspun.articlelevel import load_model
from unspun.articlelevel.encoder import DEFAULT_DIR, ArticleEncoder, article_embedding, load_encoder
from unspun.articlelevel.linear import LinearTextModel
from unspun.narratives import load_narrative_model

from ._texts import ALL, OPINION, REPORTING


def test_loads_and_embeds_with_network_blocked(network_blocked: None) -> None:
    with pytest.raises(OSError, match="network blocked"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    vec = ArticleEncoder(DEFAULT_DIR, threads=1).embed(REPORTING[0])
    assert vec.shape == (384,)
    assert np.isfinite(vec).all()
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3


def test_embedding_is_deterministic_and_independent_of_other_calls() -> None:
    encoder = load_encoder()
    first = encoder.embed(OPINION[0])
    for text in ALL:
        encoder.embed(text)
    np.testing.assert_array_equal(encoder.embed(OPINION[0]), first)
    np.testing.assert_array_equal(article_embedding(OPINION[0]), first)


def test_only_the_opening_word_pieces_count() -> None:
    encoder = load_encoder()
    opening = " ".join(["harbour"] * (encoder.max_tokens + 10))
    assert np.allclose(encoder.embed(opening), encoder.embed(opening + " volcano eruption ash"))


def test_similar_texts_are_closer_than_unrelated_ones() -> None:
    encoder = load_encoder()
    a = encoder.embed("Shelling killed three civilians in the eastern city overnight.")
    b = encoder.embed("Three civilians died when artillery hit the eastern town at night.")
    c = encoder.embed("The bakery's rye bread won a regional prize.")
    assert float(a @ b) > float(a @ c) + 0.2


def test_missing_encoder_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        ArticleEncoder(tmp_path)


@pytest.mark.parametrize("kind", ["frames", "narratives"])
def test_shipped_models_mix_the_embedding_head_as_their_cards_say(kind: str) -> None:
    if kind == "frames":
        parts = [load_model("frames")]
    else:
        m = load_narrative_model()
        parts = [m.gate, m.narratives, m.subnarratives]
    for part in parts:
        assert part.uses_embedding
        assert part.embedding_coef.shape == (len(part.labels), 384)
        text = ALL[0]
        vec = article_embedding(text)
        words = 1.0 / (1.0 + np.exp(-part.decision(text)))
        w = part.embedding_weight
        np.testing.assert_allclose(part.proba(text), (1 - w) * words + w * part.embedding_proba(vec), rtol=1e-9)
        assert part.meta.get("chosen", part.meta).get("embedding_weight") == w


def test_embedding_head_survives_save_and_load(tmp_path: Path) -> None:
    model = load_model("frames")
    model.save(tmp_path / "m")
    again = LinearTextModel.load(tmp_path / "m")
    assert again.embedding_weight == model.embedding_weight
    for text in ALL:
        np.testing.assert_allclose(again.proba(text), model.proba(text), rtol=1e-6)


def test_an_embedding_head_on_a_single_choice_model_is_refused() -> None:
    genre = load_model("genre")
    with pytest.raises(ValueError, match="embedding head"):
        LinearTextModel(
            name="x", labels=genre.labels, multilabel=False, vocabulary=genre.vocabulary, idf=genre.idf,
            coef=genre.coef, intercept=genre.intercept, use_style=genre.use_style,
            style_mean=genre.style_mean, style_scale=genre.style_scale,
            embedding_weight=0.3, embedding_coef=np.zeros((len(genre.labels), 384)),
            embedding_intercept=np.zeros(len(genre.labels)),
        )
