"""The scored event links (``compare(..., links="scored")``, the default): incidents from
every event, linked by place, type family, dates, participants and words. Invented pairs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from unspun.analyzers.sentences import SentenceSplitter
from unspun.article import Analysis, Article, ArticleMeta
from unspun.corpus.compare import compare, containers, facts
from unspun.substance.actors import ActorAnalyzer
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.events import EventAnalyzer


def analyse(text: str, published: str) -> Analysis:
    article = Article.from_text(text, meta=ArticleMeta(published=dt.date.fromisoformat(published), language="en"))
    analysis = Analysis(article=article)
    for analyzer in (SentenceSplitter(), ClaimAnalyzer(), ActorAnalyzer(), EventAnalyzer()):
        analyzer(analysis)
    return analysis


def _events(a: tuple[str, str], b: tuple[str, str], links: str = "scored") -> list[dict[str, Any]]:
    x, y = analyse(*a), analyse(*b)
    # Each article tells an incident: an empty result means the link was refused.
    assert facts(x).incidents and facts(y).incidents
    events: list[dict[str, Any]] = compare([x, y], links=links)["events"]
    return events


def test_a_protest_without_figures_or_place_in_one_article_links() -> None:
    a = ("Fuel protest\n\nTruck drivers protested in Velmor on Saturday against the fuel tax.\n", "2031-03-09")
    b = (
        "Drivers block roads\n\nAngry truck drivers protested against the fuel tax on Saturday, "
        "blocking traffic for hours.\n",
        "2031-03-09",
    )
    (event,) = _events(a, b)
    assert event["place"] == "velmor"
    assert event["types"] == ["PROTEST"]
    assert event["disagree"] is False
    # The earlier rules link only incidents that both name a place.
    assert _events(a, b, links="rules") == []


def test_an_incident_told_only_in_a_headline_links() -> None:
    a = (
        "Gunmen kill nine in Pellin\n\nThe governor promised on Wednesday to send more troops "
        "to the district.\n",
        "2031-03-12",
    )
    b = ("Village attacked\n\nGunmen attacked Pellin on Tuesday night, killing nine villagers.\n", "2031-03-12")
    (event,) = _events(a, b)
    assert event["place"] == "pellin"
    assert [[f["as_written"] for f in art["figures"]["killed"]] for art in event["articles"]] == [["nine"], ["nine"]]
    assert event["disagree"] is False


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(
            ("Clashes\n\nProtesters clashed with police in Velmor on Monday.\n", "2031-03-12"),
            ("Clashes\n\nProtesters clashed with police in Velmor on Friday.\n", "2031-03-15"),
            id="same-town-other-day",
        ),
        pytest.param(
            ("Protest\n\nFarmers protested in Velmor on Saturday against the fuel tax.\n", "2031-03-09"),
            ("Protest\n\nFarmers protested in Drennick on Saturday against the fuel tax.\n", "2031-03-09"),
            id="neighbouring-towns-same-day",
        ),
        pytest.param(
            ("Rally\n\nStudents rallied in Velmor on March 2 against fees.\n", "2031-03-03"),
            ("Rally\n\nStudents rallied in Velmor on April 6 against fees.\n", "2031-04-07"),
            id="same-kind-a-month-apart",
        ),
        pytest.param(
            ("Rally\n\nStudents rallied in Velmor on Saturday against fees.\n", "2031-04-07"),
            ("Anniversary\n\nA year after the 2030 massacre in Velmor, residents held a vigil on Sunday.\n", "2031-04-07"),
            id="recalled-as-background",
        ),
        pytest.param(
            ("March\n\nThousands marched peacefully through Velmor on Saturday.\n", "2031-04-07"),
            ("Bomb\n\nA car bomb exploded in Velmor on Saturday, killing four people.\n", "2031-04-07"),
            id="other-kind-same-place-and-day",
        ),
        pytest.param(
            ("Shelling\n\nArtillery shelled the town on Saturday, wounding six.\n", "2031-04-07"),
            ("Shelling\n\nArtillery shelled the town on Saturday, wounding six.\n", "2031-04-07"),
            id="no-place-on-either-side",
        ),
    ],
)
def test_hard_negatives_do_not_link(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert _events(a, b) == []


def test_unknown_design_is_refused() -> None:
    with pytest.raises(ValueError, match="links must be one of"):
        compare([], links="embeddings")


@pytest.mark.parametrize(
    ("text", "small", "big"),
    [
        ("Gunmen struck Corbin, a village in the Tessel district, on Monday.", "corbin", "tessel"),
        ("Un incendie a ravagé Lestrelle, dans le canton de Morvalle, mardi.", "lestrelle", "morvalle"),
        ("Gunmen struck the Harwick neighbourhood of Tollbridge.", "harwick", "tollbridge"),
        ("La police est entrée dans le quartier des Acacias, à Morlenne.", "acacias", "morlenne"),
        ("Une explosion a eu lieu à Vernolles (Sarveine) lundi.", "vernolles", "sarveine"),
    ],
)
def test_containers_read_what_the_text_says_holds_a_place(text: str, small: str, big: str) -> None:
    assert big in containers(text).get(small, set())


def test_an_agency_in_brackets_is_no_container() -> None:
    assert containers("Une explosion a eu lieu à Vernolles (AFP).") == {}


def _events_in(a: tuple[str, str], b: tuple[str, str], language: str) -> list[dict[str, Any]]:
    x, y = (
        Analysis(article=Article.from_text(t, meta=ArticleMeta(published=dt.date.fromisoformat(p), language=language)))
        for t, p in (a, b)
    )
    for analysis in (x, y):
        for analyzer in (SentenceSplitter(), ClaimAnalyzer(), ActorAnalyzer(), EventAnalyzer()):
            analyzer(analysis)
    events: list[dict[str, Any]] = compare([x, y])["events"]
    return events


@pytest.mark.parametrize(
    ("a", "b", "language"),
    [
        pytest.param(
            ("Fire\n\nA fire destroyed a sawmill in Kettleby, a village in the Ashmoor district, on Tuesday.\n", "2034-03-08"),
            ("Blaze\n\nA blaze gutted a sawmill in the Ashmoor district on Tuesday, the fire service said.\n", "2034-03-09"),
            "en",
            id="village-and-district",
        ),
        pytest.param(
            ("Enlèvement\n\nQuatre ingénieurs ont été enlevés à Lestrelle, dans le canton de Morvalle, lundi.\n", "2034-06-06"),
            ("Otages\n\nQuatre ingénieurs ont été pris en otage lundi dans le canton de Morvalle.\n", "2034-06-06"),
            "fr",
            id="commune-and-canton",
        ),
        pytest.param(
            ("Kidnapping\n\nGunmen kidnapped four engineers in the Harwick neighbourhood of Tollbridge on Monday.\n", "2034-06-06"),
            ("Seized\n\nFour engineers were seized by gunmen in Tollbridge on Monday, police said.\n", "2034-06-06"),
            "en",
            id="neighbourhood-and-city",
        ),
        pytest.param(
            ("Explosion\n\nUne explosion dans une usine chimique à Vernolles (Sarveine) a fait trois morts lundi.\n", "2034-06-20"),
            ("Explosion\n\nUne explosion a détruit lundi une usine chimique en Sarveine.\n", "2034-06-20"),
            "fr",
            id="commune-and-departement-in-brackets",
        ),
    ],
)
def test_a_place_and_what_holds_it_link(a: tuple[str, str], b: tuple[str, str], language: str) -> None:
    assert len(_events_in(a, b, language)) == 1


def test_two_villages_of_one_district_do_not_link_on_one_day() -> None:
    a = ("Fire\n\nA fire destroyed a sawmill in Kettleby, a village in the Ashmoor district, on Tuesday.\n", "2034-03-08")
    b = ("Fire\n\nA fire gutted a warehouse in Brinley, a village in the Ashmoor district, on Tuesday.\n", "2034-03-08")
    assert _events_in(a, b, "en") == []
