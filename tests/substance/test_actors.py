"""Actors, their mentions and their portrayal, on texts written for the tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from unspun.article import Analysis, Record
from unspun.substance.actors import ActorAnalyzer

from ._support import records, run

Analyse = Callable[[str], Analysis]


@pytest.fixture
def actors() -> Analyse:
    return lambda text: run(text, [ActorAnalyzer()])


def actor(a: Analysis, name: str) -> Record:
    for r in records(a, "actor"):
        if r.attrs["name"] == name:
            return r
    raise AssertionError(f"no actor {name!r} in {[r.attrs['name'] for r in records(a, 'actor')]}")


def texts(a: Analysis, r: Record, role_name: str) -> list[str]:
    return [a.span_text(a.span(i)) for i in r.spans.get(role_name, ())]


def test_mentions_of_a_person_are_grouped(actors: Analyse) -> None:
    a = actors(
        "President Anton Velisk arrived in Norberg on Monday. "
        "Velisk met the mayor. Later, Mr Velisk left for the coast."
    )
    velisk = actor(a, "Anton Velisk")
    assert velisk.attrs["type"] == "PERSON"
    assert texts(a, velisk, "mention") == ["Anton Velisk", "Velisk", "Velisk"]
    for span_id in velisk.spans["mention"]:
        assert a.span(span_id).label == "PERSON"


def test_title_phrase_joins_the_one_person_with_that_title(actors: Analyse) -> None:
    a = actors(
        "Ukrainian President Petro Poroshenko spoke in Kiev. Russian President Vladimir Putin "
        "replied. Later the Ukrainian president left for Brussels."
    )
    assert "the Ukrainian president" in texts(a, actor(a, "Petro Poroshenko"), "mention")
    assert "the Ukrainian president" not in texts(a, actor(a, "Vladimir Putin"), "mention")


def test_ambiguous_title_is_not_tied(actors: Analyse) -> None:
    a = actors("President Lena Marr met President Olaf Brin in Tallow. The president smiled.")
    for name in ("Lena Marr", "Olaf Brin"):
        assert "The president" not in texts(a, actor(a, name), "mention")


def test_portrayal_by_apposition(actors: Analyse) -> None:
    a = actors("The talks were led by Karl Dorn, a billionaire oligarch, on Friday.")
    assert "a billionaire oligarch" in texts(a, actor(a, "Karl Dorn"), "portrayal")


def test_portrayal_by_head_noun(actors: Analyse) -> None:
    a = actors("The statement came from the Western puppet regime in Varnia.")
    portrayal = texts(a, actor(a, "Varnia"), "portrayal")
    assert any("puppet regime" in p for p in portrayal)


def test_portrayal_by_predicate(actors: Analyse) -> None:
    a = actors("Ivo Kestrel is a ruthless warlord.")
    assert "a ruthless warlord" in texts(a, actor(a, "Ivo Kestrel"), "portrayal")


def test_titles_are_not_portrayal(actors: Analyse) -> None:
    a = actors("Interior Minister Arno Vell said the roads were closed.")
    assert texts(a, actor(a, "Arno Vell"), "portrayal") == []


def test_armed_groups_from_noun_chunks(actors: Analyse) -> None:
    a = actors("Pro-government militias entered the town at dawn.")
    groups = [r for r in records(a, "actor") if r.attrs["type"] == "GROUP"]
    assert [r.attrs["name"] for r in groups] == ["Pro-government militias"]


def test_place_names_the_ner_took_for_people_are_typed_as_places(actors: Analyse) -> None:
    a = actors(
        "Kiev regime forces shelled homes in Luhansk and Gorlovka on Sunday, officials in Donetsk said.\n\n"
        "The Kiev regime denied it. Pro-Kiev units later reached the Novoshakhtinsk checkpoint."
    )
    for name in ("Kiev", "Luhansk", "Gorlovka", "Donetsk", "Novoshakhtinsk"):
        place = actor(a, name)
        assert place.attrs["type"] == "GPE", name
        assert {a.span(i).label for i in place.spans["mention"]} == {"GPE"}
    # A side's name is said of the group it qualifies, not an actor of its own.
    units = actor(a, "Pro-Kiev units")
    assert (units.attrs["type"], units.attrs["faction"]) == ("GROUP", "Pro-Kiev")


def test_a_person_named_like_a_city_stays_a_person(actors: Analyse) -> None:
    # "Lincoln" and "Eugene" are on the place list; neither is used as a place here, and a
    # titled name is a person whatever the list says.
    a = actors(
        "Senator Lincoln said the vote would pass. Lincoln told reporters in Kiev it was close.\n\n"
        "Eugene Marsh, a farmer, said Eugene Marsh would not sell."
    )
    assert actor(a, "Lincoln").attrs["type"] == "PERSON"
    assert actor(a, "Eugene Marsh").attrs["type"] == "PERSON"
    assert actor(a, "Kiev").attrs["type"] == "GPE"


def test_place_list_is_attributed_and_holds_english_spellings() -> None:
    from importlib import resources

    from unspun.substance.actors import place_names

    text = (resources.files("unspun") / "resources/lexicons/places.txt").read_text(encoding="utf-8")
    assert "GeoNames" in text and "CC BY 4.0" in text
    names = place_names()
    assert {"Kiev", "Kyiv", "Luhansk", "Gorlovka", "Ukraine", "Russia"} <= names
    assert "" not in names and not any(n.startswith("#") for n in names)
