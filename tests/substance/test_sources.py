"""Sources the article leans on, on texts written for the tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from unspun.article import Analysis

from ._support import records, role

Analyse = Callable[[str], Analysis]


def names(a: Analysis) -> list[str]:
    return [str(r.attrs["name"]) for r in records(a, "source")]


@pytest.mark.parametrize(
    ("text", "name", "kind", "cue"),
    [
        ("A senior officer told Reuters the base had been evacuated.", "Reuters", "agency", "told"),
        ("Ten people died, according to Interfax.", "Interfax", "agency", "according to"),
        ("The decision was reported by ITAR-TASS on Friday.", "ITAR-TASS", "agency", "reported"),
        (
            "*Bild am Sonntag* reported on Sunday that talks had failed.",
            "Bild am Sonntag",
            "outlet",
            "reported",
        ),
        (
            "In an interview with the New York Times, she defended the plan.",
            "New York Times",
            "outlet",
            "interview with",
        ),
        (
            "The Ministry for Emergency Situations reported 300 new arrivals.",
            "Ministry for Emergency Situations",
            "institution",
            "reported",
        ),
    ],
)
def test_source(sources: Analyse, text: str, name: str, kind: str, cue: str) -> None:
    a = sources(text)
    (record,) = records(a, "source")
    assert record.attrs["name"] == name
    assert record.attrs["kind"] == kind
    assert role(a, record, "cue") == cue


def test_mentions_of_one_source_are_grouped(sources: Analyse) -> None:
    a = sources("Reuters said the port was closed. Later, a guard told Reuters it had reopened.")
    (record,) = records(a, "source")
    assert len(record.spans["mention"]) == 2
    assert record.attrs["cited"] == 2


def test_person_speaking_for_an_institution_is_not_a_source(sources: Analyse) -> None:
    a = sources("Kremlin spokesman Dmitry Peskov said the talks would go on.")
    assert names(a) == []


def test_common_words_are_not_outlets(sources: Analyse) -> None:
    a = sources("At times the sun came out, and the independent candidates said little.")
    assert names(a) == []
