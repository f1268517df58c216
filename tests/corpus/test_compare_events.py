"""Events linked across articles by ``compare``: invented pairs, the gold pairs as golden
files, and the licensed samples (skipped when ../shared is absent)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from golden_files import check_golden, not_blind
from unspun.analyzers.sentences import SentenceSplitter
from unspun.article import Analysis, Article, ArticleMeta
from unspun.corpus.compare import compare, in_side_name
from unspun.substance.actors import ActorAnalyzer
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.events import EventAnalyzer

REPO = Path(__file__).resolve().parents[2]
LINKS = REPO / "src" / "unspun" / "resources" / "gold" / "substance" / "links"
GOLDEN = Path(__file__).resolve().parent / "golden_links"


def analyse(text: str, published: str, language: str = "en") -> Analysis:
    article = Article.from_text(
        text, meta=ArticleMeta(published=dt.date.fromisoformat(published), language=language)
    )
    analysis = Analysis(article=article)
    for analyzer in (SentenceSplitter(), ClaimAnalyzer(), ActorAnalyzer(), EventAnalyzer()):
        analyzer(analysis)
    return analysis


def test_one_incident_two_tolls_is_one_event_that_disagrees() -> None:
    a = analyse(
        "Gunmen attack Orvel\n\nGunmen attacked the market in Orvel on Monday. "
        "Twelve people were killed and 30 wounded, police said.\n",
        "2031-05-06",
    )
    b = analyse(
        "Orvel toll rises\n\nThe number of people killed in Monday's attack in Orvel has risen "
        "to 15, the governor said.\n",
        "2031-05-07",
    )
    (event,) = compare([a, b])["events"]
    assert event["place"] == "orvel"
    figures = {art["id"]: art["figures"] for art in event["articles"]}
    # The toll told in the sentence after the attack belongs to the attack in Orvel.
    assert [f["value"] for f in figures[a.article.id]["killed"]] == [12]
    assert [f["value"] for f in figures[b.article.id]["killed"]] == [15]
    assert event["disagree"] is True
    assert event["disagreements"] == [
        {"category": "killed", "values": {a.article.id: [12.0], b.article.id: [15.0]}}
    ]


def test_two_towns_on_one_day_do_not_link() -> None:
    a = analyse("Shelling\n\nKeldish artillery shelled Harrowgate on Saturday, wounding six.\n", "2031-05-04")
    b = analyse("Shelling\n\nKeldish artillery shelled Pellworth on Saturday, wounding six.\n", "2031-05-04")
    assert compare([a, b])["events"] == []


def test_one_place_weeks_apart_does_not_link() -> None:
    a = analyse("Attack\n\nGunmen killed seven people in Dunmere on Friday, 5 April.\n", "2030-04-06")
    b = analyse("Attack\n\nGunmen killed ten people in Dunmere on Tuesday.\n", "2030-05-22")
    assert compare([a, b])["events"] == []


@pytest.mark.parametrize(
    ("text", "name", "inside"),
    [
        ("50 pro-Russia gunmen", "Russia", True),
        ("Kiev-backed units", "Kiev", True),
        ("shelling in Russia", "Russia", False),
    ],
)
def test_in_side_name(text: str, name: str, inside: bool) -> None:
    start = text.index(name)
    assert in_side_name(text, start, start + len(name)) is inside


def _link_summary(gold: dict[str, Any]) -> list[dict[str, Any]]:
    analyses = [analyse(art["text"], art["published"], gold["language"]) for art in gold["articles"]]
    names = {a.article.id: art["id"] for a, art in zip(analyses, gold["articles"], strict=True)}
    return [
        {
            "place": e["place"],
            "types": e["types"],
            "disagree": e["disagree"],
            "articles": {
                names[art["id"]]: {
                    "place": art["place"],
                    "figures": {c: [f["as_written"] for f in fs] for c, fs in sorted(art["figures"].items())},
                }
                for art in e["articles"]
            },
        }
        for e in compare(analyses)["events"]
    ]


@pytest.mark.parametrize("path", not_blind(sorted(LINKS.glob("*.json")), lambda p: GOLDEN / p.name), ids=lambda p: p.stem)
def test_golden_links(path: Path) -> None:
    got = _link_summary(json.loads(path.read_text(encoding="utf-8")))
    check_golden(
        got,
        GOLDEN / path.name,
        f"linked events changed on {path.stem}; if intended, regenerate with UNSPUN_REGEN_GOLDEN=1",
    )


def _sample(samples_dir: Path, prefix: str) -> Analysis:
    from unspun import read

    (path,) = samples_dir.glob(f"{prefix}_*.txt")
    (article,) = read(path)
    analysis = Analysis(article=article)
    for analyzer in (SentenceSplitter(), ClaimAnalyzer(), ActorAnalyzer(), EventAnalyzer()):
        analyzer(analysis)
    return analysis


@pytest.mark.shared
def test_samples_odessa_tolls_sit_side_by_side_under_one_event(samples_dir: Path) -> None:
    first, later = _sample(samples_dir, "000"), _sample(samples_dir, "002")
    result = compare([first, later])
    (odessa,) = [e for e in result["events"] if e["place"] == "odessa"]
    figures = {a["id"]: a["figures"] for a in odessa["articles"]}
    assert {f["value"] for f in figures[first.article.id]["killed"]} == {42}
    assert {f["value"] for f in figures[first.article.id]["wounded"]} == {170}
    assert {f["value"] for f in figures[later.article.id]["killed"]} == {50}
    assert odessa["disagree"] is True
    # "50 pro-Russia gunmen" happened in Odessa: no event nor claim of the group is in "Russia".
    assert all(a["place"] != "Russia" for a in odessa["articles"])
    claims = [c for g in result["groups"] for art in g["articles"] for c in art["claims"]]
    fifty = [c for c in claims if c["as_written"] == "50" and c["category"] == "killed"]
    assert fifty and all(c["place"] != "Russia" for c in fifty)


def test_arrests_told_after_a_march_are_arrests_at_the_march() -> None:
    a = analyse(
        "March in Fenmoor\n\nThousands marched through Fenmoor on Saturday against the dam. "
        "Police detained 20 protesters.\n",
        "2031-05-10",
    )
    b = analyse(
        "Fenmoor marchers freed\n\nMost of the 35 people arrested at Saturday's protest in "
        "Fenmoor were freed on Monday.\n",
        "2031-05-13",
    )
    (event,) = compare([a, b])["events"]
    figures = {art["id"]: art["figures"] for art in event["articles"]}
    assert [f["value"] for f in figures[a.article.id]["detained"]] == [20]
    assert [f["value"] for f in figures[b.article.id]["detained"]] == [35]
    assert event["disagree"] is True


def test_a_site_of_a_town_is_keyed_by_the_town() -> None:
    from unspun.corpus.compare import place_keys

    assert "pellum" in place_keys("prison de Pellum")
    assert "pellum" in place_keys("the market of Pellum")
    assert place_keys("Pellum") == {"pellum"}
