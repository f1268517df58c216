"""Token scores to spans: runs, the best-span fallback, word boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from unspun.persuasion.decode import (
    DecodeConfig,
    decode_paragraph,
    paragraph_scores,
    technique_spans,
)


def _offsets(text: str) -> np.ndarray:
    out, pos = [], 0
    for word in text.split(" "):
        out.append((pos, pos + len(word)))
        pos += len(word) + 1
    return np.array(out, dtype=np.int64)


TEXT = "they are total clowns and liars"


def test_runs_above_threshold_become_spans() -> None:
    probs = np.array([0.1, 0.1, 0.8, 0.9, 0.1, 0.7], dtype=np.float32)
    spans = technique_spans(TEXT, probs, _offsets(TEXT), 0.5)
    assert [(TEXT[s:e], round(sc, 2)) for s, e, sc in spans] == [
        ("total clowns", 0.9),
        ("liars", 0.7),
    ]


def test_best_span_when_no_token_passes() -> None:
    probs = np.array([0.05, 0.05, 0.2, 0.3, 0.05, 0.1], dtype=np.float32)
    (span,) = technique_spans(TEXT, probs, _offsets(TEXT), 0.5)
    assert TEXT[span[0] : span[1]] == "total clowns"


def test_word_pieces_widen_to_whole_words() -> None:
    text = "unbelievably bad"
    offsets = np.array([[0, 2], [2, 12], [13, 16]], dtype=np.int64)
    probs = np.array([0.1, 0.9, 0.1], dtype=np.float32)
    (span,) = technique_spans(text, probs, offsets, 0.5)
    assert text[span[0] : span[1]] == "unbelievably"


def test_paragraph_labels_only_with_spans_and_thresholds() -> None:
    tok = np.zeros((6, 2), dtype=np.float32)
    tok[3, 0] = 0.9
    para = np.array([0.7, 0.9], dtype=np.float32)
    cfg = DecodeConfig(("A", "B"), (0.5, None), "mean", 0.5)
    found = decode_paragraph(TEXT, tok, _offsets(TEXT), para, cfg)
    assert [d.technique for d in found] == ["A"]  # B is disabled however high it scores
    assert found[0].score == pytest.approx(0.8)
    assert TEXT[found[0].spans[0][0] : found[0].spans[0][1]] == "clowns"
    assert paragraph_scores(tok, para, "token")[0] == np.float32(0.9)
    assert paragraph_scores(tok, para, "paragraph")[1] == np.float32(0.9)


def test_a_lexicon_word_decides_the_label_at_the_lexicon_score() -> None:
    text = "the Kiev junta met the neo-Nazis today"
    tok = np.full((7, 2), 0.05, dtype=np.float32)
    para = np.array([0.1, 0.1], dtype=np.float32)
    cfg = DecodeConfig(
        ("Name_Calling-Labeling", "Other"),
        (0.6, 0.6),
        "mean",
        0.5,
        lexicon=((0, frozenset({"junta", "neo-nazis"})),),
    )
    (found,) = decode_paragraph(text, tok, _offsets(text), para, cfg)
    assert found.technique == "Name_Calling-Labeling"
    assert found.score == pytest.approx(cfg.lexicon_score)
    assert sorted(text[s:e] for s, e, _ in found.spans) == ["junta", "neo-Nazis"]
    # The model's own scores are left as they were.
    assert float(tok.max()) == pytest.approx(0.05)


def test_no_lexicon_word_changes_nothing() -> None:
    tok = np.zeros((6, 1), dtype=np.float32)
    tok[3, 0] = 0.9
    para = np.array([0.7], dtype=np.float32)
    plain = DecodeConfig(("A",), (0.5,), "mean", 0.5)
    with_lexicon = DecodeConfig(("A",), (0.5,), "mean", 0.5, lexicon=((0, frozenset({"junta"})),))
    offsets = _offsets(TEXT)
    assert decode_paragraph(TEXT, tok, offsets, para, with_lexicon) == decode_paragraph(
        TEXT, tok, offsets, para, plain
    )


def test_a_lexicon_phrase_reports_a_technique_the_model_never_reports() -> None:
    text = "The only  way OUT is war, the only way outside is the door"
    offsets = _offsets(text)
    tok = np.full((len(offsets), 2), 0.05, dtype=np.float32)
    para = np.array([0.1, 0.1], dtype=np.float32)
    cfg = DecodeConfig(
        ("False_Dilemma-No_Choice", "Other"),
        (None, 0.6),  # never reported by the model's own scores
        "mean",
        0.5,
        lexicon=((0, frozenset({"the only way out"})),),
    )
    (found,) = decode_paragraph(text, tok, offsets, para, cfg)
    assert found.technique == "False_Dilemma-No_Choice"
    assert found.score == pytest.approx(cfg.lexicon_score)
    # Case and spacing do not matter; a longer word ("outside") is not the phrase.
    assert [text[s:e] for s, e, _ in found.spans] == ["The only  way OUT"]
    # Without a lexicon hit the disabled technique stays silent, however high it scores.
    quiet = "nothing to see here at all"
    high = np.full((len(_offsets(quiet)), 2), 0.99, dtype=np.float32)
    assert decode_paragraph(quiet, high, _offsets(quiet), np.array([0.99, 0.0], dtype=np.float32), cfg) == []


def test_article_stage_raises_scores_in_dense_articles_and_lowers_them_in_plain_ones() -> None:
    from unspun.persuasion.decode import article_context, restage

    # weights as a fitted stage has them: own score, article density, technique density
    weights = (1.0, 0.8, 0.3, -0.5)
    para = np.array([0.4, 0.1], dtype=np.float32)
    dense = article_context(np.array([[0.9, 0.6], [0.8, 0.5], [0.4, 0.1]], dtype=np.float32))
    plain = article_context(np.array([[0.05, 0.02], [0.1, 0.03], [0.4, 0.1]], dtype=np.float32))
    up, down = restage(para, dense, weights), restage(para, plain, weights)
    assert (up > down).all()
    # a zero stage that keeps only the own logit gives the score back
    assert np.allclose(restage(para, plain, (1.0, 0.0, 0.0, 0.0)), para, atol=1e-5)


def test_decode_applies_the_article_stage_only_with_a_context() -> None:
    from unspun.persuasion.decode import article_context

    text = "Those reckless fools ruined it."
    offsets = np.array([[0, 5], [6, 14], [15, 20], [21, 27], [28, 30], [30, 31]])
    tok = np.zeros((6, 2), dtype=np.float32)
    tok[1:3, 0] = 0.45
    para = np.array([0.45, 0.0], dtype=np.float32)
    cfg = DecodeConfig(("Loaded_Language", "Doubt"), (0.5, 0.5), "mean", 0.3, article_stage=(1.0, 2.0, 0.0, 0.0))
    assert decode_paragraph(text, tok, offsets, para, cfg) == []
    dense = article_context(np.array([[0.9, 0.1], [0.8, 0.2]], dtype=np.float32))
    (det,) = decode_paragraph(text, tok, offsets, para, cfg, dense)
    assert det.technique == "Loaded_Language" and det.score > 0.5


def test_spans_start_at_a_word_not_at_the_space_a_word_piece_carries() -> None:
    # SentencePiece pieces ("▁reckless") have offsets that take in the space before them.
    text = "They said. Reckless fools ruined it"
    offsets = np.array([[0, 4], [4, 9], [9, 10], [10, 19], [19, 25], [25, 32], [32, 35]])
    probs = np.array([0.0, 0.0, 0.6, 0.9, 0.8, 0.0, 0.0], dtype=np.float32)
    ((start, end, _),) = technique_spans(text, probs, offsets, 0.5)
    assert text[start:end] == "Reckless fools"
