"""The substance analyzers follow the analyzer contract and survive any text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.article import Article
from unspun.pipeline import Pipeline, available_analyzers, load_analyzer

NAMES = ["quotes", "claims", "sources", "actors", "events"]


@pytest.mark.parametrize("name", NAMES)
def test_registered_through_entry_points(name: str) -> None:
    assert name in available_analyzers()
    analyzer = load_analyzer(name)
    assert analyzer.name == name
    assert analyzer.version
    assert all(a.startswith(("spans:", "records:")) for a in analyzer.assigns)


def test_pipeline_runs_clean_on_a_short_article() -> None:
    pipeline = Pipeline.from_names(NAMES)
    text = (
        "Gunmen killed at least 12 people in Port Ellis on Thursday, officials told Reuters.\n\n"
        "“We will rebuild,” said Mayor Tomas Brenn."
    )
    analysis = pipeline(Article.from_text(text))
    assert analysis.errors == []
    assert [r.status for r in analysis.runs] == ["ok"] * len(NAMES)
    assert {r.type for r in analysis.records} == {"quote", "claim", "source", "actor", "event"}


def test_events_run_by_default_for_compare() -> None:
    from unspun.pipeline import default_analyzer_names

    names = default_analyzer_names()
    # compare groups articles by their events, so the default pipeline must make them.
    assert {"quotes", "claims", "sources", "actors", "events"} <= set(names)


_PIECES = st.sampled_from(
    ["“", "”", "‘", "’", '"', "'", " said ", " told Reuters ", " according to ", "at least ",
     "12", " dozens of ", "people", " killed", ".", ",", ":", "\n\n", "President ", "Anna Vell",
     " reportedly ", "*", "the ", " it is reported that ", "—"]
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join))
def test_any_text_gives_spans_inside_it(text: str) -> None:
    if not text.strip():
        return
    analysis = Pipeline.from_names(NAMES)(Article.from_text(text))
    assert analysis.errors == []
    for span in analysis.spans:
        assert 0 <= span.start < span.end <= len(text)
    ids = {s.id for s in analysis.spans}
    for record in analysis.records:
        assert all(i in ids for role in record.spans.values() for i in role)
