"""Events: PLOVER types, participants, dates resolved against publication, tolls."""

from __future__ import annotations

import datetime as dt

import pytest

from unspun.article import Analysis, Article, ArticleMeta
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.events import EventAnalyzer, resolve_date

from ._support import records

PUBLISHED = dt.date(2031, 5, 7)  # a Wednesday


def events(text: str) -> list[dict[str, object]]:
    analysis = Analysis(article=Article.from_text(text, meta=ArticleMeta(published=PUBLISHED)))
    ClaimAnalyzer()(analysis)
    EventAnalyzer()(analysis)
    return [dict(r.attrs) for r in records(analysis, "event")]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Monday", dt.date(2031, 5, 5)),
        ("on Wednesday", dt.date(2031, 5, 7)),
        ("last Wednesday", dt.date(2031, 4, 30)),
        ("yesterday", dt.date(2031, 5, 6)),
        ("April 12", dt.date(2031, 4, 12)),
        ("2 May 2014", dt.date(2014, 5, 2)),
        ("December 30", dt.date(2030, 12, 30)),
        ("the weekend", None),
    ],
)
def test_resolve_date(phrase: str, expected: dt.date | None) -> None:
    assert resolve_date(phrase, PUBLISHED) == expected


def test_assault_with_toll_place_and_date() -> None:
    (event,) = events("Gunmen killed 12 villagers in Orsk on Monday.")
    assert event["type"] == "ASSAULT"
    assert event["actor"] == "Gunmen"
    assert event["target"] == "12 villagers"
    assert event["place"] == "Orsk"
    assert event["date"] == "2031-05-05"
    assert event["killed"] == 12


def test_attack_on_armed_side_is_a_fight() -> None:
    (event,) = events("Government troops attacked rebel positions near Halm.")
    assert event["type"] == "FIGHT"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thousands of students protested outside the ministry.", "PROTEST"),
        ("Police arrested 40 demonstrators.", "COERCE"),
        ("The army threatened to close the border.", "THREATEN"),
        ("Workers went on strike at the port.", "PROTEST"),
        ("An air strike hit the depot.", "FIGHT"),
    ],
)
def test_types(text: str, kind: str) -> None:
    assert kind in {e["type"] for e in events(text)}


def test_weapons_are_not_events() -> None:
    assert events("The aid should include mortars and roadside bombs.") == []


def test_the_place_is_never_a_name_inside_a_sides_name() -> None:
    found = events("Pro-Varnia gunmen ambushed a police convoy on Monday, killing five officers.")
    assert found and all(e["place"] is None for e in found)


def test_the_place_is_not_where_people_came_from() -> None:
    (event,) = events("Hooligans from Kessany attacked the marchers in Tarvik on Monday.")
    assert event["place"] == "Tarvik"


def test_a_relative_clause_takes_the_date_of_the_event_it_tells_of() -> None:
    found = events(
        "Protesters marched in Halvor on Tuesday to mark the anniversary of the 2029 bombing "
        "in Selvano, in which 40 people were killed."
    )
    by_type = {e["type"]: e for e in found}
    assert by_type["PROTEST"]["date"] == "2031-05-06"
    assert by_type["ASSAULT"]["date_text"] == "2029"
    assert by_type["ASSAULT"]["place"] == "Selvano"


def test_french_events_with_place_and_weekday() -> None:
    analysis = Analysis(
        article=Article.from_text(
            "Les forces ostriennes ont pilonné samedi la ville de Quenby.",
            meta=ArticleMeta(published=PUBLISHED, language="fr"),
        )
    )
    ClaimAnalyzer()(analysis)
    EventAnalyzer()(analysis)
    (event,) = [dict(r.attrs) for r in records(analysis, "event")]
    assert (event["type"], event["place"], event["date"]) == ("FIGHT", "Quenby", "2031-05-03")


@pytest.mark.parametrize(
    ("text", "kind", "place"),
    [
        ("Rockets slammed into a clinic in Fenmoor on Monday.", "FIGHT", "Fenmoor"),
        ("A car bomb went off outside the town hall in Pellum on Monday.", "ASSAULT", "Pellum"),
        ("A bomb exploded at a checkpoint on the road into Quarrow on Monday.", "ASSAULT", "Quarrow"),
    ],
)
def test_weapons_that_hit_tell_of_an_attack(text: str, kind: str, place: str) -> None:
    (event,) = events(text)
    assert (event["type"], event["place"], event["date"]) == (kind, place, "2031-05-05")


def test_a_name_the_ner_takes_for_a_date_is_a_place_not_a_date() -> None:
    found = events("Police arrested two men on Sunday over Friday's car bombing in Merrick.")
    bombing = next(e for e in found if e["type"] == "ASSAULT")
    assert (bombing["place"], bombing["date_text"]) == ("Merrick", "Friday")


def test_a_date_in_the_triggers_own_phrase_wins_over_the_clause() -> None:
    found = events("Most of the 40 people arrested at Saturday's protest in Fenmoor were freed on Monday.")
    arrest = next(e for e in found if e["type"] == "COERCE")
    assert arrest["date"] == "2031-05-03"


def test_french_a_site_of_a_town_gives_the_town() -> None:
    analysis = Analysis(
        article=Article.from_text(
            "Des hommes armés ont attaqué le commissariat de Pellum jeudi, tuant deux policiers.",
            meta=ArticleMeta(published=PUBLISHED, language="fr"),
        )
    )
    ClaimAnalyzer()(analysis)
    EventAnalyzer()(analysis)
    attack = next(dict(r.attrs) for r in records(analysis, "event") if r.attrs["type"] == "ASSAULT")
    assert attack["place"] == "Pellum"


def events_in(text: str, language: str) -> list[tuple[str, object]]:
    analysis = Analysis(article=Article.from_text(text, meta=ArticleMeta(published=PUBLISHED, language=language)))
    ClaimAnalyzer()(analysis)
    EventAnalyzer()(analysis)
    return [(str(r.attrs["type"]), r.attrs["place"]) for r in records(analysis, "event")]


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("A fire destroyed a sawmill in Kettleby on Tuesday.", "en", "DISASTER"),
        ("A blaze at a warehouse in Brinley killed two workers.", "en", "DISASTER"),
        ("An explosion at a chemical plant near Dunholt killed three people.", "en", "DISASTER"),
        ("The roof of the school collapsed in Dunholt.", "en", "DISASTER"),
        ("Floods swept through Rallow after the river burst its banks.", "en", "DISASTER"),
        ("A landslide buried houses in Rallow.", "en", "DISASTER"),
        ("Gunmen kidnapped four engineers near Sarnby.", "en", "ASSAULT"),
        ("Four engineers were seized by gunmen in Sarnby.", "en", "ASSAULT"),
        ("A police raid on a flat in Corwen ended at dawn.", "en", "COERCE"),
        ("Un incendie a ravagé une scierie à Lestrelle.", "fr", "DISASTER"),
        ("Des inondations ont frappé Varonne.", "fr", "DISASTER"),
        ("Un glissement de terrain a enseveli des maisons à Varonne.", "fr", "DISASTER"),
        ("Un immeuble s'est effondré à Varonne.", "fr", "DISASTER"),
        ("Quatre ingénieurs ont été enlevés près de Sarnes.", "fr", "ASSAULT"),
        ("Ils ont été pris en otage à Sarnes.", "fr", "ASSAULT"),
        ("La police a mené une descente à Valdrigny.", "fr", "COERCE"),
        ("Une opération de police a eu lieu à Valdrigny.", "fr", "COERCE"),
        ("Un raid a visé un appartement à Valdrigny.", "fr", "COERCE"),
    ],
)
def test_disasters_kidnappings_and_police_operations(text: str, language: str, kind: str) -> None:
    assert kind in {k for k, _ in events_in(text, language)}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Police opened fire on the crowd in Dunholt.", "en"),
        ("Artillery fire hit the town of Dunholt.", "en"),
        ("Critics blasted the plan in Dunholt.", "en"),
        ("The talks collapsed in Dunholt.", "en"),
        ("Protesters flooded the streets of Dunholt.", "en"),
        ("She won the vote in Dunholt by a landslide.", "en"),
        ("Police seized two tonnes of cannabis in Dunholt.", "en"),
        ("La descente du col de Varonne est longue.", "fr"),
        ("Une opération chirurgicale a eu lieu à Varonne.", "fr"),
    ],
)
def test_other_senses_of_the_new_triggers_are_no_disaster_or_kidnapping(text: str, language: str) -> None:
    assert not {k for k, _ in events_in(text, language)} & {"DISASTER", "ASSAULT"}
    if "descente" in text or "opération" in text:
        assert events_in(text, language) == []


def test_a_fires_toll_is_the_fires() -> None:
    assert events_in("A blaze killed two workers in Brinley.", "en") == [
        ("DISASTER", "Brinley"),
        ("DISASTER", "Brinley"),
    ]


def test_a_number_is_never_a_place() -> None:
    assert ("COERCE", "Douze") not in events_in("Douze personnes ont été interpellées à Valdrigny.", "fr")
