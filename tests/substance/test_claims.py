"""Numeric claims: values, qualifiers, what is counted, on texts written for the tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from unspun.article import Analysis
from unspun.substance.claims import QUALIFIERS, VAGUE

from ._support import records, role

Analyse = Callable[[str], Analysis]


def only_claim(claims: Analyse, text: str) -> tuple[Analysis, dict[str, object]]:
    a = claims(text)
    found = records(a, "claim")
    assert len(found) == 1, [r.attrs for r in found]
    return a, dict(found[0].attrs)


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "qualifier", "category"),
    [
        ("At least 14 people were killed in the blast.", 14, 14, None, "at least", "killed"),
        ("The attack left 23 dead.", 23, 23, 23, None, "killed"),
        (
            "Nearly 19,000 refugees have crossed the border.",
            19000,
            None,
            19000,
            "nearly",
            "displaced",
        ),
        ("Police arrested more than 200 demonstrators.", 200, 200, None, "more than", "detained"),
        ("An estimated 50 fighters died in the assault.", 50, None, None, "an estimated", "killed"),
        ("Up to 4,000 troops took part in the exercise.", 4000, None, 4000, "up to", "fighters"),
        ("Thirty civilians were wounded.", 30, 30, 30, None, "wounded"),
        ("Some 1,500 protesters gathered in the square.", 1500, None, None, "some", "people"),
        ("The shelling killed twenty-five soldiers.", 25, 25, 25, None, "killed"),
        ("Officials put the death toll at 38.", 38, 38, 38, None, "killed"),
        ("Rescuers are searching for 14 people who remain missing.", 14, 14, 14, None, "missing"),
    ],
)
def test_claim(
    claims: Analyse,
    text: str,
    value: int,
    low: int | None,
    high: int | None,
    qualifier: str | None,
    category: str,
) -> None:
    _, attrs = only_claim(claims, text)
    assert (attrs["value"], attrs["low"], attrs["high"]) == (value, low, high)
    assert attrs["qualifier"] == qualifier
    assert attrs["category"] == category


def test_spans_of_a_claim(claims: Analyse) -> None:
    a = claims("At least 356 people, including 257 civilians, had been killed in Varno on Monday.")
    first, second = records(a, "claim")
    assert role(a, first, "value") == "356"
    assert role(a, first, "qualifier") == "At least"
    assert role(a, first, "counted") == "people"
    assert role(a, first, "predicate") == "killed"
    assert role(a, first, "place") == "Varno"
    assert role(a, first, "date") == "Monday"
    assert role(a, second, "counted") == "civilians"
    assert second.attrs["category"] == "killed"


@pytest.mark.parametrize(
    ("text", "value", "low"),
    [
        ("Dozens of people were killed.", 12, 24),
        ("Hundreds of thousands of people have fled the region.", 100_000, 200_000),
        ("Several soldiers were wounded.", 10, 3),
    ],
)
def test_vague_numbers_are_coded_conservatively(
    claims: Analyse, text: str, value: int, low: int
) -> None:
    _, attrs = only_claim(claims, text)
    assert attrs["vague"] is True
    assert (attrs["value"], attrs["low"], attrs["high"]) == (value, low, None)


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2014.",
        "The talks lasted 48 hours.",
        "It was the second attack this month.",
        "He met them on April 12.",
        "One military source spoke to us.",
        "The town has a population of 28,000.",
    ],
)
def test_not_claims(claims: Analyse, text: str) -> None:
    assert records(claims(text), "claim") == []


def test_money_and_percent(claims: Analyse) -> None:
    a = claims("The fund pledged $3 million. Prices rose by 50 percent.")
    money, percent = records(a, "claim")
    assert money.attrs["category"] == "money"
    assert money.attrs["value"] == 3_000_000
    assert percent.attrs["category"] == "percent"
    assert percent.attrs["value"] == 50


def test_every_vague_word_and_qualifier_is_documented() -> None:
    from unspun.substance import claims as module

    doc = module.__doc__ or ""
    for words, *_ in VAGUE:
        assert " ".join(words) in doc
    for qualifier in QUALIFIERS:
        assert f'"{qualifier}"' in doc, qualifier
