"""Actors, their mentions and their portrayal, on texts written for the tests."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from golden_files import check_golden, not_blind
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


def french(text: str) -> Analysis:
    from unspun.article import Article, ArticleMeta

    analysis = Analysis(article=Article.from_text(text, meta=ArticleMeta(language="fr")))
    ActorAnalyzer()(analysis)
    return analysis


def test_nationality_is_an_attribute_of_the_group_it_qualifies(actors: Analyse) -> None:
    a = actors("Varnian troops shelled the bridge. The Varnian flag flew over the town hall in Tarvik.")
    names = [r.attrs["name"] for r in records(a, "actor")]
    assert "Varnian" not in names
    troops = actor(a, "Varnian troops")
    assert (troops.attrs["type"], troops.attrs["nationality"]) == ("GROUP", "Varnian")


def test_a_place_inside_a_sides_name_is_not_a_mention(actors: Analyse) -> None:
    a = actors("Pro-Varnia militias held the road. Later the militias left for Kessany.")
    militias = actor(a, "Pro-Varnia militias")
    assert militias.attrs["faction"] == "Pro-Varnia"
    assert texts(a, militias, "mention") == ["Pro-Varnia militias", "the militias"]
    assert all(r.attrs["name"] != "Varnia" for r in records(a, "actor"))


def test_outlets_and_agencies_are_typed_as_such(actors: Analyse) -> None:
    a = actors("The German daily Bild reported that Anton Velisk had resigned, Reuters said.")
    assert actor(a, "Bild").attrs["type"] == "OUTLET"
    assert actor(a, "Reuters").attrs["type"] == "AGENCY"
    assert actor(a, "Anton Velisk").attrs["type"] == "PERSON"


def test_a_title_given_in_apposition_joins_the_president(actors: Analyse) -> None:
    a = actors(
        "Ilse Marrow, the president of Varnia, flew to Kessany on Monday. "
        "Crowds cheered as the president spoke, and Marrow promised new jobs."
    )
    assert texts(a, actor(a, "Ilse Marrow"), "mention") == ["Ilse Marrow", "the president", "Marrow"]


def test_a_compound_title_tells_ministers_apart(actors: Analyse) -> None:
    a = actors(
        "Finance Minister Odile Varga met Prime Minister Arvo Quist in Selvano. "
        "The prime minister said nothing afterwards."
    )
    assert "The prime minister" in texts(a, actor(a, "Arvo Quist"), "mention")
    assert "The prime minister" not in texts(a, actor(a, "Odile Varga"), "mention")


def test_french_president_surname_and_title_are_one_actor() -> None:
    a = french(
        "Le président varnien, Piotr Halden, s'est rendu lundi à Kessany. Halden a promis "
        "que le port rouvrirait. Le président a ensuite rencontré les dockers."
    )
    halden = actor(a, "Piotr Halden")
    assert halden.attrs["type"] == "PERSON"
    assert texts(a, halden, "mention") == ["Piotr Halden", "Halden", "Le président"]


def test_french_nationality_follows_the_group_noun() -> None:
    a = french("Les forces ostriennes ont bombardé samedi des positions près de Lustrow.")
    forces = actor(a, "forces ostriennes")
    assert (forces.attrs["type"], forces.attrs["nationality"]) == ("GROUP", "ostriennes")


@pytest.mark.shared
@pytest.mark.parametrize("prefix", ["001", "002", "003"])
def test_samples_poroshenko_is_one_actor_per_article(samples_dir: Path, prefix: str) -> None:
    from unspun import read

    (path,) = samples_dir.glob(f"{prefix}_*.txt")
    (article,) = read(path)
    a = Analysis(article=article)
    ActorAnalyzer()(a)
    named = [r for r in records(a, "actor") if "Poroshenko" in str(r.attrs["name"])]
    assert [r.attrs["name"] for r in named] == ["Petro Poroshenko"]
    assert named[0].attrs["type"] == "PERSON"
    mentions = texts(a, named[0], "mention")
    # Every "Poroshenko" in the text is a mention of this one actor.
    assert sum("Poroshenko" in m for m in mentions) == a.text.count("Poroshenko")


ACTOR_GOLD = Path(__file__).resolve().parents[2] / "src/unspun/resources/gold/substance/actors"
ACTOR_GOLDEN = Path(__file__).resolve().parent / "golden_actors"


@pytest.mark.parametrize("path", sorted(ACTOR_GOLD.glob("*.json")), ids=lambda p: p.stem)
def test_actor_gold_offsets_come_from_the_marked_text(path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "markup", Path(__file__).resolve().parents[2] / "scripts/substance_gold_markup.py"
    )
    assert spec is not None and spec.loader is not None
    markup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(markup)
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert markup.build(json.loads(json.dumps(gold))) == gold
    for entry in gold["expected"]["actors"]:
        for start, end, words in entry["mentions"]:
            assert gold["text"][start:end] == words


@pytest.mark.parametrize("path", not_blind(sorted(ACTOR_GOLD.glob("*.json")), lambda p: ACTOR_GOLDEN / p.name), ids=lambda p: p.stem)
def test_golden_actors(path: Path) -> None:
    from unspun.article import Article, ArticleMeta

    gold = json.loads(path.read_text(encoding="utf-8"))
    a = Analysis(article=Article.from_text(gold["text"], meta=ArticleMeta(language=gold["language"])))
    ActorAnalyzer()(a)
    got = [
        {"attrs": r.attrs, "mention": texts(a, r, "mention"), "portrayal": texts(a, r, "portrayal")}
        for r in records(a, "actor")
    ]
    check_golden(got, ACTOR_GOLDEN / path.name)


_PIECES = [
    "Ilse Marrow, the president of Varnia, flew to Kessany.",
    "Varnian troops shelled positions near Lustrow on Saturday, killing 4 soldiers.",
    "Pro-Varnia militias ambushed a convoy; the militias fled.",
    "The German daily Bild reported it, Reuters said.",
    "The president met Interior Minister Karel Ostry in Selvano.",
    "Les forces ostriennes ont bombardé samedi la ville de Quenby.",
    "Le président varnien, Piotr Halden, a promis des digues.",
    "“Marrow’s” *plan* — 12 dead, 30 wounded — in Tarvik yesterday.",
    "\n\n",
    "  ",
    "Poroshenko's forces attacked 50 pro-Russia gunmen at Odessa’s House.",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6),
    language=st.sampled_from(["en", "fr"]),
)
def test_every_actor_and_event_span_lies_in_the_text(pieces: list[str], language: str) -> None:
    from unspun.article import Article, ArticleMeta
    from unspun.substance.claims import ClaimAnalyzer
    from unspun.substance.events import EventAnalyzer

    text = " ".join(pieces)
    assume(text.strip())
    a = Analysis(
        article=Article.from_text(
            text, meta=ArticleMeta(language=language, published=dt.date(2031, 5, 7))
        )
    )
    for analyzer in (ClaimAnalyzer(), ActorAnalyzer(), EventAnalyzer()):
        analyzer(a)
    ids = {s.id for s in a.spans}
    for span in a.spans:
        assert 0 <= span.start < span.end <= len(a.text)
        assert a.text[span.start : span.end].strip()
    for r in a.records:
        assert all(i in ids for role_ids in r.spans.values() for i in role_ids)


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("Radio Pellum reported that the talks had failed.", "Radio Pellum", "OUTLET"),
        ("The Quarrow Times said the talks had failed.", "Quarrow Times", "OUTLET"),
        ("The Ardent Press Agency said the talks had failed.", "Ardent Press Agency", "AGENCY"),
        ("Workers at Fenmoor Copper said the talks had failed.", "Fenmoor Copper", "ORG"),
    ],
)
def test_outlets_agencies_and_companies_are_typed_by_the_shape_of_their_name(
    actors: Analyse, text: str, name: str, type_: str
) -> None:
    assert actor(actors(text), name).attrs["type"] == type_


def test_a_portfolio_before_minister_is_no_organisation(actors: Analyse) -> None:
    a = actors("Health Minister Ola Brandt visited the clinic in Pellum on Monday.")
    assert "Health" not in [r.attrs["name"] for r in records(a, "actor")]


def test_a_group_noun_in_the_headline_and_the_troops_join_their_group(actors: Analyse) -> None:
    a = actors(
        "Militants seize bridge near Fenmoor\n\nIslamist militants seized the bridge on Sunday "
        "as Quarrish troops withdrew. The troops regrouped south of the river, and the "
        "militants raised a flag.\n"
    )
    assert texts(a, actor(a, "Islamist militants"), "mention") == ["Militants", "Islamist militants", "the militants"]
    assert texts(a, actor(a, "Quarrish troops"), "mention") == ["Quarrish troops", "The troops"]
    assert "Islamist" not in [r.attrs["name"] for r in records(a, "actor")]


def test_a_group_noun_qualifying_another_noun_is_no_group(actors: Analyse) -> None:
    a = actors("A rebel commander known as Dasko signed the truce in Fenmoor.")
    assert all(r.attrs["type"] != "GROUP" for r in records(a, "actor"))


def test_an_acronym_joins_the_name_it_abbreviates(actors: Analyse) -> None:
    a = actors(
        "The Quarrow National Front claimed the attack. Later the QNF said it would fight on, "
        "and the QNF leader went into hiding."
    )
    front = actor(a, "Quarrow National Front")
    assert texts(a, front, "mention").count("QNF") == 2


def test_french_title_in_the_headline_and_after_an_office_of_joins_the_minister() -> None:
    a = french(
        "Pellum : la ministre en visite\n\nLa ministre de la Culture, Odile Marsan, s'est rendue "
        "lundi à Pellum. Marsan a promis des fonds. La ministre rentrera mardi.\n"
    )
    assert texts(a, actor(a, "Odile Marsan"), "mention") == ["la ministre", "Odile Marsan", "Marsan", "La ministre"]


def test_french_les_milices_join_their_group_and_lower_case_words_are_no_name() -> None:
    a = french(
        "Les soldats quarrois ont repoussé les milices séparatistes près de Pellum. "
        "Le président quarrois accuse les milices d'avoir tiré les premières.\n"
    )
    militias = actor(a, "milices séparatistes")
    assert texts(a, militias, "mention") == ["milices séparatistes", "les milices"]
    assert not [r.attrs["name"] for r in records(a, "actor") if str(r.attrs["name"]).islower() and r.attrs["type"] == "PERSON"]
