"""Numeric claims: values, qualifiers, what is counted, on texts written for the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.article import Analysis, Article, ArticleMeta
from unspun.substance.claims import QUALIFIERS, VAGUE, ClaimAnalyzer
from unspun.substance.quotes import QuoteAnalyzer

from ._support import records, role, run

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
        "The 46-year-old driver was unhurt.",
        "The meeting ended at 3 pm.",
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


@pytest.mark.parametrize(
    ("text", "value", "unit", "category", "counted", "qualifier"),
    [
        ("Lenders pledged 40 billion euros to the Orvel fund.", 40e9, "EUR", "money", None, None),
        ("The port lost $1.2bn last year.", 1.2e9, "USD", "money", None, None),
        ("The mill owes an estimated £310m.", 310e6, "GBP", "money", None, "an estimated"),
        ("The state lent 45 million pounds in grants.", 45e6, "GBP", "money", "grant", None),
        ("The convoy drove 120 km to Sallow.", 120, "km", "distance", None, None),
        ("They built a 46-kilometre pipeline.", 46, "km", "distance", "pipeline", None),
        ("Fires burned nearly 600 square miles of forest.", 600, "mi2", "area", "forest", "nearly"),
        ("Crews arrived within 20 minutes.", 20, "minute", "duration", None, "within"),
        (
            "Up to 12 percent of the country's gas is lost.",
            12,
            "percent",
            "percent",
            "gas",
            "up to",
        ),
        ("Wheat prices rose 18% in a year.", 18, "percent", "percent", "price", None),
        ("The barge carried 2.1 million tonnes of ore.", 2.1e6, "t", "weight", "ore", None),
        ("Rebels captured 14 tanks near the ridge.", 14, None, "weapons", "tank", None),
        ("More than 40 trucks waited at the gate.", 40, None, "vehicles", "truck", "more than"),
        ("The storm flattened 85 greenhouses.", 85, None, "count", "greenhouse", None),
    ],
)
def test_numbers_of_every_type(
    claims: Analyse,
    text: str,
    value: float,
    unit: str | None,
    category: str,
    counted: str | None,
    qualifier: str | None,
) -> None:
    _, attrs = only_claim(claims, text)
    assert attrs["value"] == pytest.approx(value)
    assert (attrs["unit"], attrs["category"]) == (unit, category)
    assert (attrs["counted"], attrs["qualifier"]) == (counted, qualifier)


def test_range_between(claims: Analyse) -> None:
    a, attrs = only_claim(claims, "Between 10 and 15 drones flew over Kerrin.")
    (record,) = records(a, "claim")
    assert (attrs["value"], attrs["low"], attrs["high"]) == (10, 10, 15)
    assert attrs["qualifier"] == "between"
    assert role(a, record, "value") == "10"
    assert role(a, record, "upper") == "15"
    assert role(a, record, "counted") == "drones"


def test_vague_tens_of_thousands(claims: Analyse) -> None:
    _, attrs = only_claim(claims, "Tens of thousands of people marched in Orlo.")
    assert (attrs["value"], attrs["vague"], attrs["category"]) == (10_000, True, "people")


def test_non_metric_units_have_their_metric_value(claims: Analyse) -> None:
    _, attrs = only_claim(claims, "The lake covers 600 square miles.")
    assert attrs["unit"] == "mi2"
    assert attrs["metric_unit"] == "km2"
    assert attrs["metric_value"] == pytest.approx(1553.993, abs=0.01)
    _, attrs = only_claim(claims, "The road runs for 8 miles.")
    assert (attrs["metric_value"], attrs["metric_unit"]) == (pytest.approx(12.875), "km")


def test_unit_span(claims: Analyse) -> None:
    a, _ = only_claim(claims, "The fund holds €3.2bn.")
    (record,) = records(a, "claim")
    assert (role(a, record, "unit"), role(a, record, "value")) == ("€", "3.2bn")


def test_who_asserts_a_figure() -> None:
    text = (
        "Forty families left the village, the council said.\n\n"
        "“We saw 12 helicopters over the valley,” said shepherd Ana Brill."
    )
    a = run(text, [QuoteAnalyzer(), ClaimAnalyzer()])
    by_value = {r.attrs["value"]: r for r in records(a, "claim")}
    quote = next(r for r in records(a, "quote") if "helicopters" in (role(a, r, "content") or ""))
    assert by_value[12].attrs["asserted_by"] == quote.attrs["speaker"]
    assert role(a, by_value[12], "asserted_by") == role(a, quote, "speaker")
    assert "Brill" in (role(a, by_value[12], "asserted_by") or "")
    assert "council" in str(by_value[40].attrs["asserted_by"])


def test_article_voice_has_no_asserter(claims: Analyse) -> None:
    _, attrs = only_claim(claims, "The blast killed 9 people.")
    assert attrs["asserted_by"] is None
    assert attrs["language"] == "en"


def french(text: str) -> Analysis:
    analysis = Analysis(article=Article.from_text(text, meta=ArticleMeta(language="fr")))
    ClaimAnalyzer()(analysis)
    return analysis


@pytest.mark.parametrize(
    ("text", "value", "unit", "category", "counted", "qualifier"),
    [
        (
            "Au moins 14 personnes ont été tuées à Brévol.",
            14,
            None,
            "killed",
            "personnes",
            "au moins",
        ),
        ("Près de 300 habitants ont été évacués.", 300, None, "displaced", "habitants", "près de"),
        ("La région a reçu 3,2 milliards d'euros.", 3.2e9, "EUR", "money", None, None),
        ("Le chantier coûtera 2,5 M€.", 2.5e6, "EUR", "money", None, None),
        ("Quelque 1 200 tonnes de céréales ont brûlé.", 1200, "t", "weight", "céréales", "quelque"),
        ("Jusqu'à 15 % de la récolte est perdue.", 15, "percent", "percent", "récolte", "jusqu'à"),
        ("Des dizaines de camions attendent.", 12, None, "vehicles", "camions", None),
        ("L'armée a détruit 62 chars.", 62, None, "weapons", "chars", None),
        ("Une zone de 350 kilomètres carrés sera créée.", 350, "km2", "area", None, None),
        (
            "Les secours sont arrivés en moins de 20 minutes.",
            20,
            "minute",
            "duration",
            None,
            "en moins de",
        ),
        ("Environ vingt-cinq soldats ont été arrêtés.", 25, None, "detained", "soldats", "environ"),
        ("La mairie a planté 85 tilleuls.", 85, None, "count", "tilleuls", None),
        ("Le camp est à 30 kilomètres de la frontière.", 30, "km", "distance", None, None),
        ("Il reste 20 km de routes à refaire.", 20, "km", "distance", "routes", None),
    ],
)
def test_french_numbers(
    text: str,
    value: float,
    unit: str | None,
    category: str,
    counted: str | None,
    qualifier: str | None,
) -> None:
    (record,) = records(french(text), "claim")
    attrs = record.attrs
    assert attrs["value"] == pytest.approx(value)
    assert (attrs["unit"], attrs["category"]) == (unit, category)
    assert (attrs["counted"], attrs["qualifier"]) == (counted, qualifier)
    assert attrs["language"] == "fr"


def test_french_range_and_dates() -> None:
    a = french("Les travaux dureront entre 18 et 24 mois, a annoncé la mairie le 12 mars 2031.")
    (record,) = records(a, "claim")
    assert (record.attrs["low"], record.attrs["high"], record.attrs["unit"]) == (18, 24, "month")
    assert record.attrs["qualifier"] == "entre"
    assert record.attrs["date"] == "12 mars 2031"


_FRAGMENTS = st.sampled_from(
    [
        "At least", "some", "between", "and", "12", "1,200", "3.2bn", "$", "€", "£", "km",
        "square miles", "percent", "%", "of the", "people", "tanks", "were killed", "within",
        "minutes", "twenty-five", "dozens", "tens of thousands", "said", "“", "”", ".", "\n",
        "-", "Au moins", "près de", "1 200", "2,5", "milliards", "d'euros", "personnes",
        "ont été tuées", "year-old", "2031", "in Varno", "on Monday", "", "é", "\u202f",
    ]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENTS, max_size=14), st.sampled_from([None, "fr"]))
def test_every_claim_span_lies_in_the_text(fragments: list[str], language: str | None) -> None:
    text = " ".join(fragments).strip() or "0"
    analysis = Analysis(article=Article.from_text(text, meta=ArticleMeta(language=language)))
    QuoteAnalyzer()(analysis)
    ClaimAnalyzer()(analysis)
    stored = analysis.article.text
    for record in records(analysis, "claim"):
        for ids in record.spans.values():
            for span in map(analysis.span, ids):
                assert 0 <= span.start < span.end <= len(stored)
                assert stored[span.start : span.end].strip()
        value = role(analysis, record, "value") or ""
        assert any(ch.isalnum() for ch in value)


def test_the_date_a_figure_refers_to_is_resolved() -> None:
    article = Article.from_text(
        "Nine people were killed in Varno on Thursday.",
        meta=ArticleMeta(published=dt.date(2031, 3, 14)),
    )
    analysis = Analysis(article=article)
    ClaimAnalyzer()(analysis)
    (record,) = records(analysis, "claim")
    assert (record.attrs["date"], record.attrs["date_resolved"]) == ("Thursday", "2031-03-13")
    assert record.attrs["place"] == "Varno"
