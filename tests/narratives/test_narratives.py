"""The shipped narrative model: loads offline, decodes consistently, evidence inside the text."""

from __future__ import annotations

import numpy as np

from unspun.article import Analysis, Article
from unspun.narratives import NarrativesAnalyzer, load_narrative_model
from unspun.narratives.model import OTHER, parent_of

_WAR = (
    "Western sanctions are backfiring\n\n"
    "Europe's leaders have dragged their citizens into a proxy war, and the sanctions on Russia now "
    "hurt European households more than the Kremlin.\n\n"
    "Energy prices have doubled while Brussels sends more weapons to Kyiv, prolonging the war.\n\n"
    "NATO provoked Russia by expanding to its borders, and Ukraine is a puppet of Washington.\n\n"
    "The weather in the capital was mild on Tuesday."
)
_CLIMATE = (
    "The climate scam\n\n"
    "So-called climate experts keep moving the goalposts, and their models have been wrong for decades.\n\n"
    "Green activists want to ban your car while they fly to conferences in private jets."
)
_NEITHER = "Bakery wins prize\n\nA small bakery in the old town won a regional prize for its rye bread."


def test_decoding_keeps_the_hierarchy() -> None:
    model = load_narrative_model()
    narr = model.narratives.labels
    for text in (_WAR, _CLIMATE, _NEITHER):
        pred = model.predict(text)
        if pred.narratives == (OTHER,):
            assert pred.subnarratives == (OTHER,)
            continue
        assert OTHER not in pred.narratives
        for sub in pred.subnarratives:
            assert parent_of(sub, narr) in pred.narratives
        for n in pred.narratives:
            assert any(parent_of(s, narr) == n for s in pred.subnarratives)


def test_gate_below_threshold_gives_other() -> None:
    model = load_narrative_model()
    k, m = len(model.narratives.labels), len(model.subnarratives.labels)
    pred = model.decode(0.0, np.ones(k), np.ones(m))
    assert pred.narratives == (OTHER,) and pred.subnarratives == (OTHER,)
    pred = model.decode(1.0, np.zeros(k), np.zeros(m))
    assert len(pred.narratives) == 1 and pred.subnarratives == (f"{pred.narratives[0]}: {OTHER}",)


def test_a_confident_subnarrative_lifts_its_narrative_by_sub_weight() -> None:
    from dataclasses import replace

    shipped = load_narrative_model()
    narr, subs = shipped.narratives.labels, shipped.subnarratives.labels
    j = next(i for i, s in enumerate(subs) if parent_of(s, narr) is not None)
    parent = parent_of(subs[j], narr)
    assert parent is not None
    p_narr = np.full(len(narr), 0.05)
    p_sub = np.zeros(len(subs))
    p_sub[j] = 0.9
    alone = replace(shipped, sub_weight=0.0, narrative_threshold=0.3)
    leaning = replace(shipped, sub_weight=0.5, narrative_threshold=0.3)  # a fixed share, not the shipped one
    np.testing.assert_allclose(leaning.narrative_scores(p_narr, p_sub)[narr.index(parent)], 0.475)
    # on its own model's score (0.05) the parent is only kept as the best of equals;
    # leaning on its subnarrative it passes the threshold, and the subnarrative comes with it
    assert leaning.decode(1.0, p_narr, p_sub).narratives == (parent,)
    assert subs[j] in leaning.decode(1.0, p_narr, p_sub).subnarratives
    assert alone.decode(1.0, p_narr, p_sub).scores[narr[0]] == 0.05
    assert shipped.sub_weight == shipped.gate.meta["sub_weight"] > 0  # as the model card says


def test_analyzer_is_deterministic_with_evidence_in_the_text() -> None:
    runs = []
    for _ in range(2):
        a = Analysis(article=Article.from_text(_WAR))
        NarrativesAnalyzer()(a)
        runs.append(a.to_json())
        tasks = {lab.task for lab in a.labels}
        assert tasks == {"narratives", "subnarratives"}
        ids = {s.id: s for s in a.spans}
        for lab in a.labels:
            assert 0.0 <= lab.score <= 1.0
            for sid in lab.evidence:
                s = ids[sid]
                assert 0 <= s.start < s.end <= len(_WAR)
                assert s.attrs["task"] == lab.task and s.attrs["label"] == lab.label
    assert runs[0] == runs[1]
    # `unspun analyze` shows narratives without being asked (its gate says Other off topic).
    assert NarrativesAnalyzer.default is True


def test_top_narrative_is_explained_by_whole_sentences_that_push_it() -> None:
    from unspun.analyzers.sentences import SentenceSplitter, sentence_bounds

    bare = Analysis(article=Article.from_text(_WAR))
    NarrativesAnalyzer()(bare)
    split = Analysis(article=Article.from_text(_WAR))
    SentenceSplitter()(split)
    NarrativesAnalyzer()(split)
    for a in (bare, split):
        narratives = [lab for lab in a.labels if lab.task == "narratives"]
        assert narratives and narratives[0].label != OTHER, "the invented text pushes a war narrative"
        top = max(narratives, key=lambda lab: lab.score)
        why = [s for s in a.spans if s.label == f"explanation:narratives:{top.label}"]
        assert 1 <= len(why) <= 2
        sentences = {(x, y) for x, y, _ in sentence_bounds(a.article)}
        for s in why:
            assert (s.start, s.end) in sentences
            assert s.id in top.evidence
            assert s.attrs["weight"] > 0
        # only the top narrative is explained
        assert all(s.label == f"explanation:narratives:{top.label}" for s in a.spans if s.label.startswith("explanation:"))
        # the weather sentence says nothing of any narrative
        assert all("weather" not in a.span_text(s) for s in why)
    assert [(s.start, s.end) for s in bare.spans if s.label.startswith("explanation:")] == [
        (s.start, s.end) for s in split.spans if s.label.startswith("explanation:")
    ]


def test_every_subnarrative_has_a_narrative() -> None:
    model = load_narrative_model()
    assert model.gate.labels == ("narrative",)
    assert OTHER not in model.narratives.labels
    for sub in model.subnarratives.labels:
        assert parent_of(sub, model.narratives.labels) is not None, sub
