"""The entity-role model, its SemEval-2025 subtask-1 files, scorer, CLI and analyzer.

Every text here is invented; the task's data is only read from ../shared, when present.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from unspun.article import Article
from unspun.pipeline import Pipeline
from unspun.roles.analyzer import RoleAnalyzer
from unspun.roles.features import ArticleView, mention_features, sentence_bounds
from unspun.roles.files import Mention, check_offsets, locate, read_mentions, write_mentions
from unspun.roles.labels import FINE_ROLES, FINE_ROLES_OF, MAIN_ROLE_OF, MAIN_ROLES
from unspun.roles.model import RoleModel, default_model_dir, load_model
from unspun.roles.scoring import score_roles
from unspun.roles.training import Example
from unspun.semeval25.cli import app
from unspun.substance.actors import ActorAnalyzer

SEMEVAL25 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "semeval2025"

ARTICLE = (
    "Troops of General Varko shelled the village of Lindor overnight\n\n"
    "The army of General Varko shelled Lindor again on Tuesday, killing nine civilians. "
    "Refugees from Lindor said they had lost everything. "
    "Mayor Elsa Brant organised shelters and called for peace talks with Varko. "
    "Brant, a former teacher, has defended the town for two years.\n"
)


def _spans_of(text: str, word: str) -> list[tuple[int, int]]:
    out, i = [], text.find(word)
    while i != -1:
        out.append((i, i + len(word)))
        i = text.find(word, i + 1)
    return out


def test_taxonomy_has_22_fine_roles_each_under_one_main_role() -> None:
    assert len(FINE_ROLES) == len(set(FINE_ROLES)) == 22
    assert set(MAIN_ROLE_OF.values()) == set(MAIN_ROLES)


def test_mention_files_round_trip_with_inclusive_ends(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_bytes(b"a.txt\tVarko\t20\t24\r\nb.txt\tBrant\t0\t4\tProtagonist\tGuardian\tPeacemaker\n")
    rows = read_mentions(path)
    assert rows[0] == Mention("a.txt", "Varko", 20, 25)
    assert rows[1].main_role == "Protagonist" and rows[1].fine_roles == ("Guardian", "Peacemaker")
    write_mentions(tmp_path / "out.txt", rows)
    assert read_mentions(tmp_path / "out.txt") == rows
    assert (tmp_path / "out.txt").read_text().splitlines()[0] == "a.txt\tVarko\t20\t24"


def test_malformed_mention_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_text("a.txt\tVarko\t20\t24\nbroken row\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"m\.txt:2"):
        read_mentions(path)


def test_locate_realigns_offsets_a_few_characters_off() -> None:
    text = "x" * 10 + "General Varko spoke."
    m = Mention("a.txt", "Varko", 20, 25)
    assert text[20:25] != "Varko"
    assert locate(text, m) == (18, 23)
    assert check_offsets([m], {"a.txt": text})
    assert locate(text, Mention("a.txt", "Nobody", 3, 9)) == (3, 9)


def test_sentences_split_at_end_punctuation_and_lines() -> None:
    bounds = sentence_bounds(ARTICLE)
    texts = [ARTICLE[s:e] for s, e in bounds]
    assert texts[0].startswith("Troops") and texts[0].endswith("overnight")
    assert texts[2] == "Refugees from Lindor said they had lost everything."


def test_features_keep_blocks_and_sides_apart() -> None:
    view = ArticleView.of(ARTICLE)
    (start, end) = _spans_of(ARTICLE, "civilians")[0]
    f = mention_features(view, start, end)
    assert f["ent"]["E=civilians"] == 1
    assert f["win"]["L1=nine"] == 1 and f["win"]["L2=killing nine"] == 1
    assert f["cue"]["cue=victim"] >= 1 and f["cue"]["cue=aggression"] >= 1
    assert "S=civilians" not in f["sent"]


def test_dependency_features_name_the_relation_and_its_head() -> None:
    from unspun.roles.features import ParsedToken

    text = "Varko attacked the town"
    parse = [
        ParsedToken(0, 5, "nsubj", 1, "varko", "PROPN"),
        ParsedToken(6, 14, "ROOT", 1, "attack", "VERB"),
        ParsedToken(15, 18, "det", 3, "the", "DET"),
        ParsedToken(19, 23, "dobj", 1, "town", "NOUN"),
    ]
    view = ArticleView.of(text, parse)
    assert mention_features(view, 0, 5)["dep"] == Counter({"dep=nsubj": 1, "dep>nsubj>attack": 1})
    assert mention_features(view, 15, 23)["dep"]["dep>dobj>attack"] == 1
    assert not mention_features(ArticleView.of(text), 0, 5)["dep"]


def test_spacy_parse_keeps_offsets_into_the_text() -> None:
    from unspun.roles.parsing import parse_text

    tokens = parse_text(ARTICLE)
    assert all(0 <= t.start < t.end <= len(ARTICLE) for t in tokens)
    by_start = {t.start: t for t in tokens}
    shelled = ARTICLE.find("shelled")
    assert by_start[shelled].lemma == "shell" and by_start[shelled].end == shelled + len("shelled")
    assert all(0 <= t.head < len(tokens) for t in tokens)


# -- the shipped model ------------------------------------------------------------------


def test_shipped_model_loads_offline_and_predicts_valid_roles() -> None:
    model = load_model()
    assert model.meta["trained_on"].startswith("SemEval-2025")
    assert (default_model_dir() / "MODEL_CARD.md").is_file()
    view = ArticleView.of(ARTICLE)
    preds = model.predict(view, _spans_of(ARTICLE, "Varko") + _spans_of(ARTICLE, "civilians"))
    for p in preds:
        assert p.main_role in MAIN_ROLES
        assert p.fine_roles and all(MAIN_ROLE_OF[f] == p.main_role for f in p.fine_roles)
        assert abs(sum(p.main_scores.values()) - 1.0) < 1e-9
        assert set(p.fine_scores) == set(FINE_ROLES_OF[p.main_role])


def test_prediction_is_deterministic() -> None:
    spans = _spans_of(ARTICLE, "Lindor")
    a = RoleModel.load().predict(ArticleView.of(ARTICLE), spans)
    b = RoleModel.load().predict(ArticleView.of(ARTICLE), spans)
    assert a == b


def test_model_save_load_round_trip(tmp_path: Path) -> None:
    model = load_model()
    model.save(tmp_path)
    again = RoleModel.load(tmp_path)
    assert again.vocabulary == model.vocabulary
    np.testing.assert_array_equal(again.main_coef, model.main_coef)


# -- numpy inference equals scikit-learn's ----------------------------------------------

_INHOUSE = [
    ("General Varko ordered the shelling of the town and lied about it.", "Varko", "Antagonist", ("Tyrant", "Deceiver")),
    ("The regime of Oskan invaded its neighbour and bombed the port.", "Oskan", "Antagonist", ("Instigator",)),
    ("Senator Drell took bribes from the miners and hid the money.", "Drell", "Antagonist", ("Corrupt",)),
    ("The ministry under Pallo failed again and left the dams to rot.", "Pallo", "Antagonist", ("Incompetent",)),
    ("Nine civilians in Lindor were killed by the shelling on Tuesday.", "civilians", "Innocent", ("Victim",)),
    ("Refugees from Amar lost their homes and wait in the cold.", "Refugees", "Innocent", ("Victim",)),
    ("Workers in Tessa were exploited by the mine owners for years.", "Workers", "Innocent", ("Exploited",)),
    ("Mayor Brant organised shelters and defended the town.", "Brant", "Protagonist", ("Guardian",)),
    ("Envoy Sato brokered a ceasefire and opened peace talks.", "Sato", "Protagonist", ("Peacemaker",)),
    ("The volunteers of Kell rescued the children from the flood.", "volunteers", "Protagonist", ("Guardian", "Virtuous")),
    ("Doctor Ines worked for free and saved hundreds of lives.", "Ines", "Protagonist", ("Virtuous",)),
    ("The rebels of Ostra rose against the tyrant and fought on.", "rebels", "Protagonist", ("Rebel",)),
]


def _inhouse_examples() -> list[Example]:
    out = []
    for i, (text, entity, main, fine) in enumerate(_INHOUSE * 2):
        start = text.find(entity)
        blocks = mention_features(ArticleView.of(text), start, start + len(entity))
        out.append(Example(blocks, main, fine, group=f"doc{i}", language="EN"))
    return out


@pytest.mark.usefixtures("train_extra")
def test_numpy_inference_equals_sklearn() -> None:
    from unspun.roles.training import Config, fit

    examples = _inhouse_examples()
    config = Config(c_main=10.0, c_fine=10.0, min_df=1)
    fitted = fit(examples, config, seed=13)
    x = fitted.vocabulary.transform(examples, config.block_weights)
    dense = x.toarray()
    np.testing.assert_allclose(
        fitted.model.main_proba(dense)[:, fitted.main_estimator.classes_],
        fitted.main_estimator.predict_proba(x),
        rtol=1e-9,
        atol=1e-12,
    )
    for k, est in enumerate(fitted.fine_estimators):
        if est is not None:
            np.testing.assert_allclose(
                fitted.model.fine_proba(dense)[:, k], est.predict_proba(x)[:, 1], rtol=1e-9, atol=1e-12
            )
    # The vector the model builds from raw features is the one sklearn was fitted on.
    first = examples[0]
    np.testing.assert_allclose(fitted.model.vector(first.blocks), dense[0])


@pytest.mark.usefixtures("train_extra")
def test_fit_is_seeded_and_reproducible() -> None:
    from unspun.roles.training import Config, fit

    examples = _inhouse_examples()
    a = fit(examples, Config(min_df=1), seed=13).model
    b = fit(examples, Config(min_df=1), seed=13).model
    assert a.vocabulary == b.vocabulary
    np.testing.assert_array_equal(a.fine_coef, b.fine_coef)


# -- scorer and CLI -----------------------------------------------------------------------

GOLD = (
    "a.txt\tVarko\t0\t4\tAntagonist\tTyrant\n"
    "a.txt\tBrant\t10\t14\tProtagonist\tGuardian\tPeacemaker\n"
    "b.txt\tcivilians\t5\t13\tInnocent\tVictim\n"
    "b.txt\tLindor\t20\t25\tInnocent\tVictim\n"
)
PRED = (
    "a.txt\tVarko\t0\t4\tAntagonist\tTyrant\n"
    "a.txt\tBrant\t10\t14\tProtagonist\tGuardian\n"
    "b.txt\tcivilians\t5\t13\tAntagonist\tInstigator\n"
)


def test_scorer_on_hand_made_files(tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_text(GOLD, encoding="utf-8")
    (tmp_path / "p.txt").write_text(PRED, encoding="utf-8")
    s = score_roles(read_mentions(tmp_path / "g.txt"), read_mentions(tmp_path / "p.txt"))
    assert s.fine_exact_match == pytest.approx(1 / 4)
    assert s.main_accuracy == pytest.approx(2 / 4)
    assert s.missing == 1
    assert s.fine_micro_precision == pytest.approx(2 / 3)
    assert s.fine_micro_recall == pytest.approx(2 / 5)


def test_cli_score(tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_text(GOLD, encoding="utf-8")
    (tmp_path / "p.txt").write_text(PRED, encoding="utf-8")
    res = CliRunner().invoke(app, ["score", str(tmp_path / "g.txt"), str(tmp_path / "p.txt"), "--subtask", "1"])
    assert res.exit_code == 0, res.output
    assert "fine-role exact match 0.25000" in res.output and "main-role accuracy 0.50000" in res.output
    bad = CliRunner().invoke(app, ["score", str(tmp_path / "g.txt"), str(tmp_path / "p.txt"), "--subtask", "3"])
    assert bad.exit_code != 0


def test_cli_predict_on_an_inhouse_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    text = (docs / "a.txt").read_bytes().decode("utf-8")
    rows = [Mention("a.txt", w, s, e) for w in ("Varko", "Brant") for s, e in _spans_of(text, w)]
    write_mentions(tmp_path / "m.txt", rows)
    res = CliRunner().invoke(
        app, ["predict", str(docs), "--subtask", "1", "--mentions", str(tmp_path / "m.txt"), "-o", str(tmp_path / "p.txt")]
    )
    assert res.exit_code == 0, res.output
    pred = read_mentions(tmp_path / "p.txt")
    assert [p.key for p in pred] == [r.key for r in rows]
    assert all(p.main_role in MAIN_ROLES and p.fine_roles for p in pred)


@pytest.mark.shared
def test_predict_on_the_english_test_mentions(tmp_path: Path) -> None:
    base = SEMEVAL25 / "EN" / "test"
    if not (base / "subtask-1-entity-mentions.txt").is_file():
        pytest.skip("../shared/data/semeval2025 is absent")
    out = tmp_path / "pred.txt"
    res = CliRunner().invoke(
        app,
        ["predict", str(base / "subtask-1-documents"), "--subtask", "1", "--mentions", str(base / "subtask-1-entity-mentions.txt"), "-o", str(out)],
    )
    assert res.exit_code == 0, res.output
    given = read_mentions(base / "subtask-1-entity-mentions.txt")
    pred = read_mentions(out)
    assert [p.key for p in pred] == [g.key for g in given]
    assert all(p.entity == g.entity for p, g in zip(pred, given, strict=True))
    assert all(p.fine_roles and all(MAIN_ROLE_OF[f] == p.main_role for f in p.fine_roles) for p in pred)
    assert len(Counter(p.main_role for p in pred)) >= 1


# -- the analyzer -------------------------------------------------------------------------


def test_analyzer_adds_a_role_record_per_actor_pointing_at_existing_spans() -> None:
    analysis = Pipeline([ActorAnalyzer(), RoleAnalyzer()])(Article.from_text(ARTICLE))
    assert analysis.errors == []
    actors = [r for r in analysis.records if r.type == "actor"]
    roles = [r for r in analysis.records if r.type == "role"]
    assert actors and len(roles) == len(actors)
    ids = {s.id for s in analysis.spans}
    by_id = {r.id: r for r in actors}
    for role in roles:
        actor = by_id[str(role.attrs["actor"])]
        assert role.spans["mention"] == actor.spans["mention"]
        assert set(role.spans["evidence"]) <= ids and 1 <= len(role.spans["evidence"]) <= 2
        assert role.attrs["main_role"] in MAIN_ROLES
        fine = role.attrs["fine_roles"]
        assert isinstance(fine, list) and all(MAIN_ROLE_OF[str(f)] == role.attrs["main_role"] for f in fine)
        mentions = [analysis.span(i) for i in role.spans["mention"]]
        for sid in role.spans["evidence"]:
            ev = analysis.span(sid)
            assert ev.label == "role-evidence" and ev.analyzer == "roles"
            text = analysis.span_text(ev)
            assert text == text.strip()
            # Each evidence sentence holds one of the actor's mentions.
            assert any(ev.start <= m.start and m.end <= ev.end for m in mentions)
    assert analysis.runs[-1].name == "roles" and analysis.runs[-1].status == "ok"


def test_analyzer_is_registered_and_off_by_default() -> None:
    from unspun.pipeline import available_analyzers, default_analyzer_names, load_analyzer

    assert "roles" in available_analyzers()
    assert load_analyzer("roles").name == "roles"
    assert "roles" not in default_analyzer_names()


def test_analyzer_declares_its_needs() -> None:
    from unspun.errors import PipelineError

    with pytest.raises(PipelineError, match="E202"):
        Pipeline([RoleAnalyzer()])
    assert RoleAnalyzer.requires == ("text", "records:actor")
