"""Figures read from the characters, in English and French, without a parse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspun.substance.numbers import find_figures, guess_language


@pytest.mark.parametrize(
    ("text", "lang", "written", "value", "unit"),
    [
        ("They lost 1 200 têtes de bétail.", "fr", "1 200", 1200, None),
        ("Un prêt de 1,5 million d'euros.", "fr", "1,5 million", 1.5e6, "EUR"),
        ("Il faut 3,2 milliards d'euros.", "fr", "3,2 milliards", 3.2e9, "EUR"),
        ("Le coût : 2,5 M€.", "fr", "2,5", 2.5e6, "EUR"),
        ("Ils ont vu deux cent mille oiseaux.", "fr", "deux cent mille", 200_000, None),
        ("Soit 1.250.000 habitants.", "fr", "1.250.000", 1_250_000, None),
        ("It paid $1.2bn.", "en", "1.2bn", 1.2e9, "USD"),
        ("It paid 1,250 dollars.", "en", "1,250", 1250, "USD"),
        ("Some twenty-five thousand voted.", "en", "twenty-five thousand", 25_000, None),
        ("A 1,400-mile route.", "en", "1,400", 1400, "mi"),
    ],
)
def test_figure(text: str, lang: str, written: str, value: float, unit: str | None) -> None:
    (figure,) = find_figures(text, lang)
    assert text[figure.start : figure.end] == written
    assert figure.value == pytest.approx(value)
    assert figure.unit_code == unit


@pytest.mark.parametrize(
    ("text", "lang", "qualifier", "low", "high"),
    [
        ("au moins 14 morts", "fr", "au moins", 14, None),
        ("plus de 3 000 obus", "fr", "plus de", 3000, None),
        ("près de 300 habitants", "fr", "près de", None, 300),
        ("jusqu'à 15 %", "fr", "jusqu'à", None, 15),
        ("environ 40 millions d'euros", "fr", "environ", None, None),
        ("quelque 50 000 arbres", "fr", "quelque", None, None),
        ("no more than 120 people", "en", "no more than", None, 120),
        ("within 20 minutes", "en", "within", None, 20),
    ],
)
def test_qualifier_bounds(
    text: str, lang: str, qualifier: str, low: float | None, high: float | None
) -> None:
    (figure,) = find_figures(text, lang)
    assert figure.qualifier is not None
    assert figure.qualifier[2] == qualifier
    assert (figure.low, figure.high) == (low, high)


def test_a_rise_from_one_figure_to_another_is_no_range() -> None:
    first, second = find_figures("Prices went from 10 to 15 percent.", "en")
    assert first.upper is None
    assert (second.value, second.unit_code) == (15, "percent")


def test_words_that_are_not_numbers_alone() -> None:
    assert find_figures("One official said a man had left.", "en") == []
    assert find_figures("Une femme a vu un homme neuf.", "fr") == []


def test_ages_are_marked_as_ages() -> None:
    (figure,) = find_figures("A 46-year-old man.", "en")
    assert figure.dimension == "age"
    (figure,) = find_figures("Un homme âgé de 46 ans.", "fr")
    assert figure.dimension == "age"


def test_guess_language() -> None:
    assert (
        guess_language("Le maire a dit que les travaux sont finis et que la ville est prête.")
        == "fr"
    )
    assert guess_language("The mayor said the works were done and that the town is ready.") == "en"


@given(st.text(max_size=200), st.sampled_from(["en", "fr"]))
def test_offsets_lie_in_any_text(text: str, lang: str) -> None:
    for figure in find_figures(text, lang):
        assert 0 <= figure.start < figure.end <= len(text)
        for part in (figure.upper, figure.unit, figure.qualifier):
            if part is not None:
                assert 0 <= part[0] < part[1] <= len(text)
