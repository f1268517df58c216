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
