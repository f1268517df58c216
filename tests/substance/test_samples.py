"""Checks on the licensed sample articles in ../shared/samples, read at run time.

Nothing of the samples is copied here: the tests name what must be found by short
phrases and figures, and skip when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from unspun import read
from unspun.article import Analysis, Article
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.quotes import QuoteAnalyzer
from unspun.substance.sources import SourceAnalyzer

from ._support import records, role

pytestmark = pytest.mark.shared


@pytest.fixture(params=["file text", "unspun.read"])
def how(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def analyse(samples_dir: Path, prefix: str, how: str = "file text") -> Analysis:
    (path,) = samples_dir.glob(f"{prefix}_*.txt")
    # As the file's own text (offsets are file offsets, Markdown marks included), and as the
    # readers give it (Markdown rendered to text, metadata read).
    if how == "file text":
        article = Article.from_text(path.read_text(encoding="utf-8"))
    else:
        (article,) = read(path)
    analysis = Analysis(article=article)
    for analyzer in (QuoteAnalyzer(), SourceAnalyzer(), ClaimAnalyzer()):
        analyzer(analysis)
    return analysis


def quote_starting(a: Analysis, start: str) -> dict[str, object]:
    for r in records(a, "quote"):
        if (role(a, r, "content") or "").startswith(start):
            return dict(r.attrs)
    raise AssertionError(f"no quote starting {start!r}")


def claims_of(a: Analysis) -> set[tuple[object, object, object]]:
    return {
        (r.attrs["value"], r.attrs["category"], r.attrs["qualifier"]) for r in records(a, "claim")
    }


def source_names(a: Analysis) -> set[str]:
    return {str(r.attrs["name"]) for r in records(a, "source")}


def test_sample_000(samples_dir: Path, how: str) -> None:
    a = analyse(samples_dir, "000", how)
    stopping = quote_starting(a, "We are not stopping")
    assert stopping["speaker"] == "Arsen Avakov"
    assert stopping["direct"] is True
    assert {(42, "killed", None), (170, "wounded", None)} <= claims_of(a)
    assert "Bild am Sonntag" in source_names(a)


def test_sample_001(samples_dir: Path, how: str) -> None:
    a = analyse(samples_dir, "001", how)
    operation = quote_starting(a, "The anti-terrorist operation cannot")
    assert operation["speaker"] == "Poroshenko"
    assert operation["scare_quote"] is False
    content = next(
        role(a, r, "content") or ""
        for r in records(a, "quote")
        if (role(a, r, "content") or "").startswith("The anti-terrorist operation cannot")
    )
    # The quote runs over both of its sentences up to the closing mark.
    assert content.count(". ") == 1
    assert not content.endswith(".")


def test_sample_002(samples_dir: Path, how: str) -> None:
    a = analyse(samples_dir, "002", how)
    assert {(356, "killed", "at least"), (257, "killed", None)} <= claims_of(a)
    assert {"Interfax", "Reuters"} <= source_names(a)


def test_sample_scare_quotes_have_no_speaker(samples_dir: Path) -> None:
    a = analyse(samples_dir, "002")
    scare = [r for r in records(a, "quote") if role(a, r, "content") == "anti-terrorist operation"]
    assert scare
    assert all(r.attrs["scare_quote"] and r.attrs["speaker"] is None for r in scare)


# Cities of the samples that the NER alone calls a person or an organisation.
_SAMPLE_PLACES = {
    "000": ("Kiev", "Odessa", "Kharkiv", "Mariupol"),
    "002": ("Kiev", "Luhansk", "Gorlovka"),
    "003": ("Kiev", "Luhansk", "Novoshakhtinsk"),
}


@pytest.mark.parametrize("prefix", sorted(_SAMPLE_PLACES))
def test_sample_cities_are_places(samples_dir: Path, prefix: str) -> None:
    from unspun.substance.actors import ActorAnalyzer

    (path,) = samples_dir.glob(f"{prefix}_*.txt")
    analysis = Analysis(article=Article.from_text(path.read_text(encoding="utf-8")))
    ActorAnalyzer()(analysis)
    types = {r.attrs["name"]: r.attrs["type"] for r in records(analysis, "actor")}
    for name in _SAMPLE_PLACES[prefix]:
        assert types.get(name) == "GPE", (name, types.get(name))
    assert types.get("Petro Poroshenko", "PERSON") == "PERSON"
