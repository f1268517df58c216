"""Invented articles with hand-made findings, stored as the analyzers would store them, so
the corpus views are tested on known inputs without running models."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from unspun.article import Analysis, AnalyzerRun, Article, ArticleMeta
from unspun.store import Store

RUNS = ("sentences", "persuasion", "genre", "quotes", "claims", "actors", "events")


@dataclass
class Spec:
    title: str
    text: str
    outlet: str | None = None
    published: dt.date | None = None
    source: str | None = None
    # (number as written, attrs)
    claims: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # (trigger, attrs)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # (name, type, mention texts, portrayal texts)
    actors: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)
    # (quoted words, speaker)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    # (words, technique)
    techniques: list[tuple[str, str]] = field(default_factory=list)
    genre: str | None = None


def _at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build(spec: Spec) -> Analysis:
    text = spec.title + "\n\n" + spec.text
    article = Article.from_text(
        text,
        title=spec.title,
        meta=ArticleMeta(outlet=spec.outlet, published=spec.published, source=spec.source),
    )
    a = Analysis(article=article, runs=[AnalyzerRun(name=n, version="test", status="ok") for n in RUNS])
    for m in re.finditer(r"[^.\n]+[.!?]", text):
        lead = len(m.group()) - len(m.group().lstrip())
        a.add_span(m.start() + lead, m.end(), "sentence", analyzer="sentences")
    for words, label in spec.techniques:
        a.add_span(*_at(text, words), label, analyzer="persuasion", score=0.9)
    if spec.genre:
        a.add_label("genre", spec.genre, 0.8, analyzer="genre")
    for words, speaker in spec.quotes:
        content = a.add_span(*_at(text, words), "quote", analyzer="quotes")
        a.add_record("quote", analyzer="quotes", spans={"content": (content.id,)}, attrs={"speaker": speaker, "direct": True})
    for number, attrs in spec.claims:
        value = a.add_span(*_at(text, number), "claim.value", analyzer="claims")
        full = {"value": None, "low": None, "high": None, "qualifier": None, "category": None,
                "counted": None, "vague": False, "place": None, "date": None, **attrs}  # fmt: skip
        a.add_record("claim", analyzer="claims", spans={"value": (value.id,)}, attrs=full)
    for name, type_, mentions, portrayals in spec.actors:
        spans = {"mention": tuple(a.add_span(*_at(text, m), type_, analyzer="actors").id for m in mentions)}
        if portrayals:
            spans["portrayal"] = tuple(
                a.add_span(*_at(text, p), "portrayal", analyzer="actors", attrs={"via": "amod"}).id
                for p in portrayals
            )
        a.add_record("actor", analyzer="actors", spans=spans, attrs={"name": name, "type": type_, "mentions": len(mentions)})
    for trigger, attrs in spec.events:
        t = a.add_span(*_at(text, trigger), f"event.{attrs['type']}", analyzer="events")
        full = {"actor": None, "target": None, "place": None, "date_text": None, "date": None,
                "killed": None, "wounded": None, **attrs}  # fmt: skip
        a.add_record("event", analyzer="events", spans={"trigger": (t.id,)}, attrs=full)
    return a


MILL_FIRE = Spec(
    title="Fire at Harbourton mill kills a dozen",
    text=(
        "A fire tore through the textile mill in Harbourton on Tuesday. "
        "Officials said 12 workers died and 30 were hurt. "
        "Mayor Lena Okafor, a tireless reformer, said \"we will rebuild\". "
        "The owners blamed faulty wiring."
    ),
    outlet="Daily Lantern",
    published=dt.date(2031, 4, 2),
    source="lantern/mill.txt",
    claims=[
        ("12", {"value": 12, "low": 12, "high": 12, "category": "killed", "counted": "worker"}),
        ("30", {"value": 30, "low": 30, "high": 30, "category": "wounded"}),
    ],
    events=[("fire", {"type": "ASSAULT", "place": "Harbourton", "date_text": "Tuesday", "date": "2031-04-01"})],
    actors=[
        ("Lena Okafor", "PERSON", ["Lena Okafor"], ["a tireless reformer"]),
        ("Harbourton", "GPE", ["Harbourton"], []),
    ],
    quotes=[("we will rebuild", "Lena Okafor")],
    techniques=[("a tireless reformer", "Loaded_Language")],
    genre="reporting",
)

MILL_FOLLOW_UP = Spec(
    title="Harbourton mourns",
    text=(
        "Weeks after last month's blaze at Harbourton's textile mill, at least 15 workers are dead. "
        "Okafor, the embattled mayor, has not explained the delays. "
        "A union organiser said \"the warnings were ignored\". "
        "Nobody should forget this shameful cover-up."
    ),
    outlet="Evening Herald",
    published=dt.date(2031, 4, 20),
    claims=[
        ("15", {"value": 15, "low": 15, "qualifier": "at least", "category": "killed", "counted": "worker",
                "place": "Harbourton's textile mill", "date": "last month"}),
    ],
    events=[("blaze", {"type": "ASSAULT", "place": "Harbourton's textile mill", "date_text": "last month"})],
    actors=[
        ("Okafor", "PERSON", ["Okafor"], ["the embattled mayor"]),
        ("Harbourton", "GPE", ["Harbourton"], []),
    ],
    quotes=[("the warnings were ignored", "A union organiser")],
    techniques=[("shameful cover-up", "Name_Calling-Labeling"), ("at least 15 workers are dead", "Exaggeration")],
    genre="opinion",
)

FLOOD = Spec(
    title="Floods in Riverside",
    text="Floods in Riverside displaced 300 families on Monday. Lena Okafor visited the shelters.",
    outlet="Daily Lantern",
    published=dt.date(2031, 4, 8),
    claims=[("300", {"value": 300, "low": 300, "high": 300, "category": "displaced", "place": "Riverside"})],
    events=[("displaced", {"type": "DISPLACE", "place": "Riverside"})],
    actors=[("Lena Okafor", "PERSON", ["Lena Okafor"], [])],
)

UNDATED = Spec(
    title="Budget talks",
    text="The council debated the budget. Nothing was decided.",
)

SPECS = [MILL_FIRE, MILL_FOLLOW_UP, FLOOD, UNDATED]


def fill(store: Store, specs: list[Spec] | None = None) -> list[Analysis]:
    analyses = [build(s) for s in (specs or SPECS)]
    for a in analyses:
        store.add_article(a.article)
        store.save_analysis(a)
    return analyses
