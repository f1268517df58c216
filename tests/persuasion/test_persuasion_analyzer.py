"""The shipped persuasion model through the analyzer: offline, in-bounds, deterministic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from unspun.article import Analysis, Article, paragraphs_from_lines
from unspun.persuasion import PARAGRAPH_TASK, PersuasionAnalyzer, PersuasionModel, default_model_dir
from unspun.pipeline import Pipeline
from unspun.taxonomy import TECHNIQUES

# Invented for these tests.
TEXT = (
    "Shameful cowards in the council betray our proud nation again\n"
    "\n"
    "The so-called experts, a gang of corrupt clowns, want you to believe the disastrous plan "
    "will work. Will it? Of course not. They are lying, as always, and every patriot knows it.\n"
    "\n"
    "The committee meets on Thursday at 10 a.m. in room 4.\n"
    "\n"
    "If we do nothing now, our children will pay a terrible price for this reckless, insane "
    "gamble. Stand up for our country before it is too late!\n"
)


def _analysis(text: str = TEXT) -> Analysis:
    article = Article.from_text(text, paragraphs=paragraphs_from_lines(text, title_first=True))
    return Analysis(article=article)


@pytest.fixture(scope="module")
def analyzed() -> Analysis:
    analysis = _analysis()
    PersuasionAnalyzer()(analysis)
    return analysis


def test_model_files_are_shipped_and_small() -> None:
    from unspun.encoder import default_encoder_dir

    d = default_model_dir()
    names = {p.name for p in d.iterdir()}
    assert {"config.json", "thresholds.json", "heads.onnx", "MODEL_CARD.md"} <= names
    e = default_encoder_dir()
    assert {"config.json", "tokenizer.json", "model.onnx", "MODEL_CARD.md"} <= {
        p.name for p in e.iterdir()
    }
    for folder in (d, e):
        names = {p.name for p in folder.iterdir()}
        assert not any(n.endswith((".pkl", ".pickle", ".joblib", ".pt", ".bin")) for n in names)
        # every file fits a wheel, and the two together stay far under the package budget
        assert all(p.stat().st_size <= 100 * 1024 * 1024 for p in folder.iterdir())
    total = sum(p.stat().st_size for f in (d, e) for p in f.iterdir())
    assert total <= 80 * 1024 * 1024


def test_loads_and_runs_with_network_blocked(network_blocked: None) -> None:
    model = PersuasionModel(default_model_dir())
    found = model.detect(["The so-called experts are corrupt clowns.", "It rained."])
    assert len(found) == 2


def test_spans_lie_inside_text_and_their_paragraph(analyzed: Analysis) -> None:
    paragraphs = analyzed.article.paragraphs
    spans = analyzed.spans_by("persuasion")
    assert spans, "the invented propaganda paragraph should trigger at least one technique"
    for s in spans:
        assert 0 <= s.start < s.end <= len(TEXT)
        para = paragraphs[int(s.attrs["paragraph"])]  # type: ignore[arg-type]
        assert para.start <= s.start and s.end <= para.end
        assert analyzed.span_text(s).strip()
        assert s.label in TECHNIQUES
        assert s.attrs["category"] == TECHNIQUES[s.label].category
        assert s.attrs["definition"] == TECHNIQUES[s.label].definition


def test_paragraph_labels_and_spans_agree(analyzed: Analysis) -> None:
    labels = [lab for lab in analyzed.labels if lab.task == PARAGRAPH_TASK]
    cited: list[str] = []
    for lab in labels:
        assert lab.evidence
        paras = {analyzed.span(i).attrs["paragraph"] for i in lab.evidence}
        assert len(paras) == 1
        assert all(analyzed.span(i).label == lab.label for i in lab.evidence)
        cited.extend(lab.evidence)
    assert sorted(cited) == sorted(s.id for s in analyzed.spans_by("persuasion"))


def test_output_is_deterministic(analyzed: Analysis) -> None:
    again = _analysis()
    PersuasionAnalyzer()(again)
    assert again.spans == analyzed.spans
    assert again.labels == analyzed.labels


def test_a_paragraph_scores_the_same_whatever_shares_its_batch() -> None:
    # Articles are batched together in `unspun batch`; the model's int8 ranges are fixed at
    # export, so no paragraph's result may depend on its neighbours in a batch.
    # Each paragraph is its own article here, so the article stage reads the same context.
    model = PersuasionModel(default_model_dir())
    paragraphs = [line for line in TEXT.splitlines() if line.strip()]
    alone = [model.detect([p], "en")[0] for p in paragraphs]
    longer = " ".join(["A much longer paragraph follows."] * 30)
    together = model.detect([*paragraphs, longer], "en", list(range(len(paragraphs) + 1)))
    assert together[: len(paragraphs)] == alone


def test_the_article_stage_reads_each_paragraph_in_its_own_article() -> None:
    # The shipped model rescores paragraphs in their article; given the article of each
    # paragraph, a mixed batch gives what each article gives alone.
    model = PersuasionModel(default_model_dir())
    assert model.info.decode.article_stage is not None
    dense = [line for line in TEXT.splitlines() if line.strip()]
    plain = ["The committee meets on Thursday at 10 a.m.", "The bus leaves at noon."]
    target = "Critics say the reckless plan will hurt families."
    first, second = [*dense, target], [*plain, target]
    mixed = model.detect([*first, *second], "en", [0] * len(first) + [1] * len(second))
    assert mixed == model.detect(first, "en") + model.detect(second, "en")


def test_batched_articles_get_what_each_gets_alone() -> None:
    other = "Headline\n\nThe traitors lied again, and the cowards will pay for their crimes!\n"
    singles = [_analysis(t) for t in (TEXT, other)]
    for a in singles:
        PersuasionAnalyzer()(a)
    batch = [_analysis(t) for t in (TEXT, other)]
    PersuasionAnalyzer().pipe(batch)
    assert [(a.spans, a.labels) for a in batch] == [(a.spans, a.labels) for a in singles]


def test_runs_in_a_pipeline_and_says_which_languages_it_skips() -> None:
    from unspun.analyzers.language import LanguageDetector

    pipe = Pipeline([PersuasionAnalyzer()])
    result = pipe(_analysis().article)
    assert [r.status for r in result.runs] == ["ok"]
    assert set(PersuasionAnalyzer().model.languages) == {"en", "fr", "de", "it", "pl", "ru"}
    # Invented Spanish text: a language the model was not trained on.
    spanish = (
        "El consejo votó el martes\n\nLos vergonzosos payasos del consejo traicionan otra vez "
        "a nuestra orgullosa nación, y todos los patriotas lo saben muy bien.\n"
    )
    article = Article.from_text(spanish, paragraphs=paragraphs_from_lines(spanish, title_first=True))
    result = Pipeline([LanguageDetector(), PersuasionAnalyzer()])(article)
    assert [lab.label for lab in result.labels if lab.task == "language"] == ["es"]
    assert [s for s in result.spans if s.analyzer == "persuasion"] == []
    run = next(r for r in result.runs if r.name == "persuasion")
    assert run.status == "skipped"
    (problem,) = [p for p in result.errors if p.analyzer == "persuasion"]
    assert problem.code == "E304" and "'es'" in problem.message and problem.hint


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # Invented for this test, one per language the model reads besides English.
        ("fr", "Ces lâches honteux et ces traîtres corrompus détruisent notre grande nation !"),
        ("de", "Diese feigen Verräter und korrupten Clowns zerstören unsere große Nation!"),
        ("it", "Questi vigliacchi vergognosi e traditori corrotti distruggono la nostra grande nazione!"),
        ("pl", "Ci haniebni tchórze i skorumpowani zdrajcy niszczą nasz wielki naród!"),
        ("ru", "Эти позорные трусы и продажные предатели уничтожают нашу великую нацию!"),
    ],
)
def test_other_languages_get_spans_inside_the_text(language: str, text: str) -> None:
    analysis = _analysis(f"Title\n\n{text}\n")
    analysis.add_label("language", language, 1.0, analyzer="language")
    PersuasionAnalyzer()(analysis)
    spans = [s for s in analysis.spans if s.analyzer == "persuasion"]
    assert spans, f"no technique found in the {language} text"
    for s in spans:
        assert 0 <= s.start < s.end <= len(analysis.article.text)
        assert s.label in TECHNIQUES


def test_empty_and_blank_paragraphs() -> None:
    model = PersuasionModel(default_model_dir())
    assert model.detect([]) == []
    # Punctuation-only and one-letter paragraphs still get one (probably empty) result each.
    assert len(model.detect(["...", "a"])) == 2


def test_long_paragraph_is_chunked_not_truncated() -> None:
    model = PersuasionModel(default_model_dir())
    long = " ".join(["The weather was mild and the meeting ended on time."] * 60)
    long += " Those corrupt traitors and shameful clowns are destroying our great nation!"
    (found,) = model.detect([long])
    for det in found:
        for start, end, _ in det.spans:
            assert 0 <= start < end <= len(long)


def test_inference_does_not_import_torch(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from unspun.persuasion import PersuasionModel\n"
        "PersuasionModel().detect(['The shameful clowns lie.'])\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


def test_sample_001_marks_the_junta_the_stooges_and_the_only_way_out(samples_dir: Path) -> None:
    from unspun import read

    (article,) = read(samples_dir / "001_d1b784a1b563031f.txt")
    analysis = Analysis(article=article)
    PersuasionAnalyzer()(analysis)
    text = article.text

    def techniques_at(phrase: str) -> set[str]:
        at = text.index(phrase)
        return {
            s.label for s in analysis.spans if s.analyzer == "persuasion" and s.start <= at < s.end
        }

    assert "Name_Calling-Labeling" in techniques_at("junta")
    assert "Name_Calling-Labeling" in techniques_at("stooges")
    closing = text.index("The only way out of this crisis")
    paragraph = next(i for i, p in enumerate(article.paragraphs) if p.start <= closing < p.end)
    marked = [s for s in analysis.spans if s.analyzer == "persuasion" and s.attrs["paragraph"] == paragraph]
    assert "False_Dilemma-No_Choice" in {s.label for s in marked}
    for span in marked:
        assert span.attrs["definition"] and span.attrs["category"]
        assert 0.0 < span.score <= 1.0
