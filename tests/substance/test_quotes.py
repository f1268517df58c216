"""Quotation marks, speakers and attribution, on short texts written for the tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspun.article import Analysis
from unspun.substance.quotes import find_quoted

from ._support import records, role

Analyse = Callable[[str], Analysis]


def contents(text: str) -> list[str]:
    return [text[q.content_start : q.content_end] for q in find_quoted(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “we will stay” and left.", ["we will stay"]),
        ('He said "we will stay" and left.', ["we will stay"]),
        ("She said ‘we won’t stay’ and left.", ["we won’t stay"]),
        # Apostrophes in and around British quotes are not closing marks.
        (
            "The workers’ union said ‘the miners’ strike is over’ on Monday.",
            ["the miners’ strike is over"],
        ),
        ("It was ‘hours’ saying, ‘The war cannot last.’", ["hours", "The war cannot last."]),
        # Nested quotes belong to the outer one.
        (
            "“When she says ‘restraint’, she means delay,” he said.",
            ["When she says ‘restraint’, she means delay,"],
        ),
        ("« Nous restons », a-t-il dit.", [" Nous restons "]),
        # An unclosed mark is not a quote.
        ("A stray “ mark and nothing more.\n\nNext paragraph.", []),
    ],
)
def test_find_quoted(text: str, expected: list[str]) -> None:
    assert contents(text) == expected


def test_quote_over_paragraphs_is_closed_at_each_reopening() -> None:
    text = "“First part of it.\n\n“Second part,” she said."
    assert contents(text) == ["First part of it.", "Second part,"]


def test_quote_over_a_broken_line_is_kept_whole() -> None:
    text = "“There will be a new mopping-up\n\noperation. We will not stop.” he said."
    assert contents(text) == ["There will be a new mopping-up\n\noperation. We will not stop."]


@given(st.text(alphabet="ab “”‘’\"'\n.,", max_size=60))
def test_quotes_lie_inside_the_text_in_order(text: str) -> None:
    last = 0
    for q in find_quoted(text):
        assert last <= q.start < q.content_start <= q.content_end <= q.end <= len(text)
        last = q.end


def test_inverted_attribution(quotes: Analyse) -> None:
    a = quotes("“The bridge will reopen in May,” said Lena Moor, the city engineer.")
    (q,) = records(a, "quote")
    assert q.attrs["speaker"] == "Lena Moor"
    assert q.attrs["direct"] is True
    assert role(a, q, "cue") == "said"
    assert role(a, q, "content") == "The bridge will reopen in May,"


def test_speaker_before_quote_with_colon(quotes: Analyse) -> None:
    a = quotes("Mayor Ilse Varro said on Monday: “We will not raise taxes this year.”")
    (q,) = records(a, "quote")
    assert q.attrs["speaker"] == "Ilse Varro"


def test_pronoun_speaker_resolves_to_person(quotes: Analyse) -> None:
    a = quotes(
        "Foreign Minister Dario Kell met the delegation on Tuesday.\n\n"
        "“We expect an answer within a week,” he told reporters."
    )
    (q,) = records(a, "quote")
    assert role(a, q, "speaker") == "he"
    assert role(a, q, "antecedent") == "Dario Kell"
    assert q.attrs["speaker"] == "Dario Kell"


def test_quote_after_quote_inherits_speaker(quotes: Analyse) -> None:
    a = quotes("“We are ready,” said Otto Brandt. “The trucks leave at dawn.”")
    first, second = records(a, "quote")
    assert first.attrs["speaker"] == second.attrs["speaker"] == "Otto Brandt"


def test_quote_in_next_paragraph_inherits_speaker(quotes: Analyse) -> None:
    a = quotes("“We are ready,” said Otto Brandt.\n\n“The trucks leave at dawn.”")
    _, second = records(a, "quote")
    assert second.attrs["speaker"] == "Otto Brandt"
    assert second.attrs["inherited"] is True


def test_speaker_named_in_previous_sentence(quotes: Analyse) -> None:
    a = quotes(
        "The head of the rescue team, Vera Lusk, spoke outside the station.\n\n"
        "“Everyone is safe. We will bring them home tonight.”"
    )
    (q,) = records(a, "quote")
    assert q.attrs["speaker"] == "Vera Lusk"


def test_scare_quotes_have_no_speaker(quotes: Analyse) -> None:
    a = quotes("The government calls the new law a “modernisation”. Critics disagree.")
    (q,) = records(a, "quote")
    assert q.attrs["scare_quote"] is True
    assert q.attrs["speaker"] is None


def test_short_quote_governed_by_reporting_verb_is_a_partial_quote(quotes: Analyse) -> None:
    a = quotes("Minister Hugo Lant insisted that the law was “about transparency”.")
    partial = next(r for r in records(a, "quote") if r.attrs["direct"])
    assert partial.attrs["scare_quote"] is False
    assert partial.attrs["speaker"] == "Hugo Lant"


def test_indirect_attribution(quotes: Analyse) -> None:
    a = quotes("Police chief Anna Roth said that nine people had been arrested overnight.")
    (q,) = records(a, "quote")
    assert q.attrs["direct"] is False
    assert q.attrs["speaker"] == "Anna Roth"
    assert role(a, q, "content") == "that nine people had been arrested overnight"


def test_according_to(quotes: Analyse) -> None:
    a = quotes("Three bridges were damaged, according to the Transport Ministry.")
    (q,) = records(a, "quote")
    assert q.attrs["speaker"] == "the Transport Ministry"
    assert role(a, q, "cue") == "according to"
    assert role(a, q, "content") == "Three bridges were damaged"


def test_sentence_final_attribution(quotes: Analyse) -> None:
    a = quotes("Two ferries were cancelled on Friday, port officials said.")
    (q,) = records(a, "quote")
    assert q.attrs["speaker"] == "port officials"
    assert role(a, q, "content") == "Two ferries were cancelled on Friday"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Reports emerged on Monday that the convoy had been stopped.", "Reports emerged"),
        ("Sources say the talks have collapsed.", "Sources say"),
        ("It is reported that the minister will resign.", "It is reported"),
        ("The depot was reportedly hit twice.", "reportedly"),
    ],
)
def test_unattributed_claims(quotes: Analyse, text: str, cue: str) -> None:
    a = quotes(text)
    flagged = [r for r in records(a, "quote") if r.attrs["unattributed"]]
    assert len(flagged) == 1
    assert flagged[0].attrs["speaker"] is None
    assert role(a, flagged[0], "cue") == cue


def test_every_span_lies_inside_the_text(quotes: Analyse) -> None:
    a = quotes("“Yes,” he said. ‘No’, she said, ‘not today.’ Reports emerged that it rained.")
    for span in a.spans:
        assert 0 <= span.start < span.end <= len(a.text)
