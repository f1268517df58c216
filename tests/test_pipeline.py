from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest

from unspun.article import Analysis, Article
from unspun.errors import PipelineError
from unspun.pipeline import (
    BaseAnalyzer,
    Pipeline,
    available_analyzers,
    default_analyzer_names,
    load_analyzer,
    order_analyzers,
    register_analyzer,
    unregister_analyzer,
)


class Words(BaseAnalyzer):
    name: ClassVar[str] = "t-words"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("spans:word",)

    def __call__(self, analysis: Analysis) -> None:
        pos = 0
        for word in analysis.text.split():
            start = analysis.text.index(word, pos)
            pos = start + len(word)
            analysis.add_span(start, pos, "word", analyzer=self.name)


class Longest(BaseAnalyzer):
    name: ClassVar[str] = "t-longest"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ("spans:word",)
    assigns: ClassVar[tuple[str, ...]] = ("labels:longest",)

    def __call__(self, analysis: Analysis) -> None:
        best = max(analysis.spans_by(label="word"), key=lambda s: s.end - s.start)
        analysis.add_label("longest", analysis.span_text(best), 1.0, analyzer=self.name, evidence=(best.id,))


class Boom(BaseAnalyzer):
    name: ClassVar[str] = "t-boom"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("spans:word",)

    def __call__(self, analysis: Analysis) -> None:
        analysis.add_span(0, 1, "word", analyzer=self.name)
        if "boom" in analysis.text:
            raise RuntimeError("cannot read this one")


def test_valid_pipeline_runs_in_order() -> None:
    result = Pipeline([Words(), Longest()])(Article.from_text("a bb ccc"))
    assert [r.name for r in result.runs] == ["t-words", "t-longest"]
    assert result.labels[0].label == "ccc"
    assert result.errors == []


def test_misordered_pipeline_fails_before_running() -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline([Longest(), Words()])
    assert info.value.code == "E202"
    assert "comes later" in str(info.value)


def test_unmet_requirement_names_what_is_missing() -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline([Longest()])
    assert "spans:word" in str(info.value) and "no analyzer" in str(info.value)


def test_duplicate_and_contract() -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline([Words(), Words()])
    assert info.value.code == "E203"
    with pytest.raises(PipelineError) as info:
        Pipeline([object()])  # type: ignore[list-item]
    assert info.value.code == "E204"


def test_order_analyzers_sorts_by_needs() -> None:
    assert [a.name for a in order_analyzers([Longest(), Words()])] == ["t-words", "t-longest"]


def test_one_failure_is_recorded_and_the_run_goes_on() -> None:
    pipe = Pipeline([Boom(), Longest()])
    articles = [Article.from_text("fine text"), Article.from_text("this goes boom"), Article.from_text("ok")]
    results = list(pipe.pipe(articles))
    assert [r.errors == [] for r in results] == [True, False, True]
    bad = results[1]
    assert [e.code for e in bad.errors] == ["E301", "E302"]
    assert "cannot read this one" in bad.errors[0].message
    assert [r.status for r in bad.runs] == ["failed", "skipped"]
    # The failed analyzer's partial output was taken back.
    assert bad.spans == []


class BatchedBoom(Boom):
    """Boom with a batched path: it sees the whole batch in one call, as a model would."""

    name: ClassVar[str] = "t-batched-boom"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def pipe(self, analyses: list[Analysis]) -> None:
        self.batches.append(len(analyses))
        for analysis in analyses:
            self(analysis)


def test_batched_analyzer_gets_the_whole_batch_in_one_call() -> None:
    boom = BatchedBoom()
    results = Pipeline([boom, Longest()]).run(
        [Article.from_text("fine text"), Article.from_text("more fine words"), Article.from_text("ok")]
    )
    assert boom.batches == [3]
    assert all(r.errors == [] for r in results)
    assert [r.labels[0].label for r in results] == ["f", "m", "o"]


def test_a_failing_batch_falls_back_to_one_article_at_a_time() -> None:
    boom = BatchedBoom()
    articles = [Article.from_text("fine text"), Article.from_text("this goes boom"), Article.from_text("ok")]
    results = list(Pipeline([boom, Longest()]).pipe(articles, batch_size=3))
    assert boom.batches == [3]
    # The batch call's output was taken back everywhere, then each article ran alone.
    assert [len(r.spans) for r in results] == [1, 0, 1]
    assert [r.errors == [] for r in results] == [True, False, True]
    assert [e.code for e in results[1].errors] == ["E301", "E302"]
    assert [[run.status for run in r.runs] for r in results] == [
        ["ok", "ok"],
        ["failed", "skipped"],
        ["ok", "ok"],
    ]


def test_batched_and_single_runs_give_the_same_analysis() -> None:
    pipe = Pipeline.from_names(["sentences", "persuasion", "quotes", "claims", "sources", "actors"])
    articles = [
        Article.from_text("Title one\n\nThe corrupt regime lied again, the minister said. Shame!"),
        Article.from_text("Another title\n\nAt least 12 people were killed, Reuters reported."),
        Article.from_text("Third\n\n“We will never surrender,” the mayor told reporters."),
    ]
    batched = pipe.run(articles)
    single = [pipe(a) for a in articles]
    assert [a.to_json() for a in batched] == [a.to_json() for a in single]


@pytest.fixture
def local_analyzer() -> Iterator[None]:
    register_analyzer("t-words", Words)
    yield
    unregister_analyzer("t-words")


def test_registry_has_builtins_through_entry_points(local_analyzer: None) -> None:
    names = available_analyzers()
    assert {"sentences", "language", "t-words"} <= set(names)
    assert load_analyzer("t-words").name == "t-words"
    assert "sentences" in default_analyzer_names()
    with pytest.raises(PipelineError) as info:
        load_analyzer("no-such-thing")
    assert info.value.code == "E201"


def test_default_pipeline_is_valid_and_never_fakes_persuasion() -> None:
    pipe = Pipeline.from_names()
    result = pipe(Article.from_text("Title\n\nA sentence. Another one."))
    assert result.errors == []
    assert all(r.status == "ok" for r in result.runs)


def test_an_analyzer_runs_after_those_that_add_what_it_reads() -> None:
    from unspun.analyzers.language import LanguageDetector
    from unspun.persuasion import PersuasionAnalyzer
    from unspun.pipeline import order_analyzers

    # persuasion does without a language label but reads one when the pipeline has it
    ordered = order_analyzers([PersuasionAnalyzer(), LanguageDetector()])
    assert [a.name for a in ordered] == ["language", "persuasion"]
    assert [a.name for a in order_analyzers([PersuasionAnalyzer()])] == ["persuasion"]
    names = Pipeline.from_names(None).names
    assert names.index("language") < names.index("persuasion")
