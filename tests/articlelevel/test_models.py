"""The shipped genre and frame heads: load offline, one encoder pass, deterministic, evidence
inside the text, calibrated scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspun.article import Analysis, Article, ArticleMeta
from unspun.articlelevel import ArticleHead, FramesAnalyzer, GenreAnalyzer, load_head
from unspun.articlelevel.analyzers import head_input
from unspun.articlelevel.features import STYLE_FEATURES, style_vector, terms
from unspun.articlelevel.linear import resource_dir
from unspun.articlelevel.shared import PERSUASION_FEATURES, persuasion_profile
from unspun.articlelevel.weights import load_tensors, save_tensors
from unspun.encoder import load_paragraph_encoder
from unspun.pipeline import Pipeline, load_analyzer
from unspun.taxonomy import FRAMES, GENRES

from ._texts import ALL, OPINION, REPORTING


def _analyse(text: str, *analyzers: object, **kw: object) -> Analysis:
    a = Analysis(article=Article.from_text(text, **kw))  # type: ignore[arg-type]
    for an in analyzers:
        an(a)  # type: ignore[operator]
    return a


@pytest.mark.parametrize("kind", ["genre", "frames"])
def test_shipped_head_loads_offline_with_labels_of_the_taxonomy(kind: str, network_blocked: None) -> None:
    head = load_head(kind)
    expected = tuple(GENRES) if kind == "genre" else tuple(FRAMES)
    assert head.labels == expected
    assert (resource_dir(kind) / "MODEL_CARD.md").is_file()
    assert head.coef.shape[0] == len(expected)
    assert head.meta["figures"]["dev_a_by_language"]  # the card's figures travel with it


def test_genre_scores_are_a_distribution_and_rank_reporting_above_a_rant() -> None:
    head = load_head("genre")
    rep = head.labels.index("reporting")

    def p_reporting(text: str) -> float:
        p = head.proba(head_input(_analyse(text)).features)[0]
        assert p.sum() == pytest.approx(1.0) and (p >= 0).all()
        return float(p[rep])

    # The in-house texts are far shorter than the training articles, so only the ranking is
    # asserted: straight reporting must look more like reporting than a rant does.
    assert min(p_reporting(t) for t in REPORTING) > max(p_reporting(t) for t in OPINION)


def test_genre_calibration_was_measured_on_newer_articles() -> None:
    cal = load_head("genre").meta["calibration"]
    # The fitted temperature may not make the dev-a picks less likely than the raw scores did.
    assert cal["nll"] <= cal["nll_raw"] + 1e-9
    # Each confidence band's share of right picks sits near its mean score (within 0.2).
    for band in cal["bands"]:
        if band["n"] >= 10:
            assert abs(band["right"] - band["mean_score"]) <= 0.2, band


@pytest.mark.parametrize("text", ALL)
def test_predictions_are_deterministic_and_evidence_lies_in_the_text(text: str) -> None:
    first = _analyse(text, GenreAnalyzer(), FramesAnalyzer())
    load_paragraph_encoder().clear_cache()
    second = _analyse(text, GenreAnalyzer(), FramesAnalyzer())
    assert first.to_json() == second.to_json()
    ids = {s.id: s for s in first.spans}
    genres = [lab for lab in first.labels if lab.task == "genre"]
    assert len(genres) == 1
    for label in first.labels:
        assert 0.0 <= label.score <= 1.0
        for sid in label.evidence:
            span = ids[sid]
            assert 0 <= span.start < span.end <= len(text)
            assert span.label == f"evidence:{label.task}:{label.label}"
            assert span.attrs["weight"] > 0  # type: ignore[operator]


def test_frames_labels_pass_their_thresholds() -> None:
    head = load_head("frames")
    for text in ALL:
        a = _analyse(text, FramesAnalyzer())
        proba = head.proba(head_input(a).features)[0]
        for lab in a.labels:
            j = head.labels.index(lab.label)
            assert lab.score == pytest.approx(proba[j])
            assert proba[j] >= head.thresholds[j]


def test_languages_the_heads_do_not_read_get_e304() -> None:
    a = Analysis(article=Article.from_text(REPORTING[0], meta=ArticleMeta(language="es")))
    GenreAnalyzer()(a)
    FramesAnalyzer()(a)
    assert a.labels == [] and a.spans == []
    assert [e.code for e in a.errors] == ["E304", "E304"]


def test_a_language_the_heads_read_gets_a_genre() -> None:
    a = Analysis(article=Article.from_text(REPORTING[0], meta=ArticleMeta(language="de")))
    GenreAnalyzer()(a)
    assert [lab.task for lab in a.labels] == ["genre"]


def test_the_shared_encoder_reads_each_paragraph_once_per_article() -> None:
    encoder = load_paragraph_encoder()
    encoder.clear_cache()
    article = Article.from_text(OPINION[1])
    before = encoder.paragraphs_encoded
    analysis = Pipeline.from_names(["language", "persuasion", "genre", "frames", "narratives"])(article)
    assert all(r.status == "ok" for r in analysis.runs), analysis.errors
    assert encoder.paragraphs_encoded - before == len(article.paragraphs)


def test_heads_read_the_persuasion_analyzers_techniques() -> None:
    article = Article.from_text(OPINION[0])
    analysis = Pipeline.from_names(["persuasion"])(article)
    found = [set() for _ in article.paragraphs]  # type: list[set[str]]
    for s in analysis.spans:
        found[int(s.attrs["paragraph"])].add(s.label)  # type: ignore[arg-type]
    np.testing.assert_allclose(head_input(analysis, ("persuasion",)).features["persuasion"], persuasion_profile(found))
    # Without the persuasion analyzer the heads run the model themselves: the same profile.
    np.testing.assert_allclose(head_input(Analysis(article=article), ("persuasion",)).features["persuasion"], persuasion_profile(found))


def test_persuasion_profile_counts_paragraph_shares() -> None:
    prof = persuasion_profile([{"Loaded_Language", "Doubt"}, set(), {"Loaded_Language"}, set()])
    names = list(PERSUASION_FEATURES)
    assert prof[names.index("technique:Loaded_Language")] == pytest.approx(0.5)
    assert prof[names.index("technique:Doubt")] == pytest.approx(0.25)
    assert prof[names.index("any technique")] == pytest.approx(0.5)
    assert prof[names.index("techniques per paragraph")] == pytest.approx(0.75)
    assert prof[names.index("headline technique")] == 1.0
    assert persuasion_profile([]).shape == (len(PERSUASION_FEATURES),)


def test_analyzers_are_registered_and_run_in_a_pipeline() -> None:
    for name in ("genre", "frames"):
        assert load_analyzer(name).name == name
    analysis = Pipeline.from_names(["genre", "frames"])(Article.from_text(OPINION[0]))
    assert [r.status for r in analysis.runs] == ["ok", "ok"]


def test_a_title_outside_the_text_is_read_as_the_headline() -> None:
    body = REPORTING[0].split("\n\n", 1)[1]
    title = REPORTING[0].split("\n", 1)[0]
    apart = _analyse(body, GenreAnalyzer(), title=title)
    together = _analyse(REPORTING[0], GenreAnalyzer())
    assert apart.labels[0].score == pytest.approx(together.labels[0].score, abs=1e-4)


def test_save_and_load_keep_the_scores(tmp_path: Path) -> None:
    head = load_head("genre")
    head.save(tmp_path / "m")
    again = ArticleHead.load(tmp_path / "m")
    for text in ALL:
        feats = head_input(_analyse(text)).features
        np.testing.assert_allclose(again.proba(feats), head.proba(feats), rtol=1e-6)


def test_temperature_softens_scores_but_keeps_the_pick() -> None:
    head = load_head("genre")
    feats = head_input(_analyse(OPINION[0])).features
    p = head.proba(feats)
    soft = ArticleHead.load(resource_dir("genre"))
    soft.temperature = head.temperature * 3
    q = soft.proba(feats)
    assert q.argmax() == p.argmax() and q.max() < p.max()
    with pytest.raises(ValueError, match="temperature"):
        ArticleHead(
            name="x", labels=("a", "b"), multilabel=False, blocks=(("style", 2),), coef=np.zeros((2, 2)),
            intercept=np.zeros(2), mean=np.zeros(2), scale=np.ones(2), temperature=0.0,
        )


def test_an_old_format_model_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text('{"format_version": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="train_article_models"):
        ArticleHead.load(tmp_path)


def test_safetensors_round_trip(tmp_path: Path) -> None:
    arrays = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([1.5, -2.0])}
    save_tensors(tmp_path / "w.safetensors", arrays)
    back = load_tensors(tmp_path / "w.safetensors")
    assert set(back) == {"a", "b"}
    for k, v in arrays.items():
        assert back[k].dtype == v.dtype
        np.testing.assert_array_equal(back[k], v)


def test_style_vector_is_finite_on_odd_input() -> None:
    for text in ["", "\n\n", "Title only", "???!!!", "«Quoted» „text“ 12,5 %"]:
        v = style_vector(text)
        assert v.shape == (len(STYLE_FEATURES),)
        assert np.isfinite(v).all()


def test_terms_are_unigrams_then_bigrams() -> None:
    assert terms("The Harbour, closed.") == ["the", "harbour", "closed", "the harbour", "harbour closed"]


def test_heads_read_the_encoder_they_were_trained_on_whichever_persuasion_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = head_input(_analyse(OPINION[0])).features["vector"]
    monkeypatch.setenv("UNSPUN_PERSUASION_MODEL", "accurate")
    analysis = Pipeline.from_names(["persuasion"])(Article.from_text(OPINION[0]))
    np.testing.assert_allclose(head_input(analysis).features["vector"], fast, rtol=1e-6)
