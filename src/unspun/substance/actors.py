"""Actors and how the text portrays them.

An actor is a person, organisation, state, people (a nationality or faction), armed group
or place that the article names. Every mention gets a span labelled with the actor's type
(``PERSON``, ``ORG``, ``GPE``, ``NORP``, ``GROUP``, ``LOC``); one ``actor`` record per
actor gathers them under the role ``mention``, with attributes ``name`` (the fullest name
the article uses), ``type`` and ``mentions`` (how many).

Mentions are grouped when they share a name ("Petro Poroshenko", "Poroshenko",
"Mr Poroshenko"), and a title phrase ("the president") joins the one person the article
gives that title to ("President Petro Poroshenko"); with two presidents in the article it
joins neither.

**Portrayal** spans (role ``portrayal``, label ``portrayal``, attribute ``via``) are the
words the text attaches to an actor through the parse:

``amod``       an adjective on the mention ("the murderous Right Sector")
``appos``      an apposition ("Poroshenko, a billionaire oligarch")
``predicate``  a predicate nominal or adjective ("Strelkov is a veteran commander")
``head``       the noun the actor qualifies ("the Western puppet regime in Kiev",
               "the Kiev regime")

Titles and offices ("Interior Minister", "spokesman") are roles, not portrayal, and are
left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import ClassVar

from spacy.tokens import Doc, Span, Token

from unspun.article import Analysis
from unspun.substance.nlp import ParsedAnalyzer, entities, parse
from unspun.substance.syntax import strip_markup

ACTOR_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "NORP": "NORP",
    "LOC": "LOC",
    "FAC": "LOC",
}

# Nouns that make a noun phrase an armed group when no named entity covers it.
GROUP_NOUNS = frozenset(
    {
        "militia", "militias", "rebel", "rebels", "separatist", "separatists", "militant",
        "militants", "insurgent", "insurgents", "guerrilla", "guerrillas", "battalion",
        "brigade", "paramilitary", "paramilitaries", "junta",
    }
)  # fmt: skip

# Nouns that, qualified by a place or organisation, stand for its government or forces.
_STAND_IN_HEADS = frozenset(
    {
        "regime", "government", "junta", "authorities", "administration", "forces", "army",
        "military", "troops", "leadership", "elite", "elites", "establishment", "state",
        "puppet", "puppets", "stooges", "backers", "oligarchs", "media",
    }
)  # fmt: skip

# Offices and roles: a title is not a portrayal.
TITLES = frozenset(
    {
        "president", "minister", "prime", "secretary", "spokesman", "spokeswoman",
        "spokesperson", "general", "colonel", "commander", "chief", "director", "governor",
        "mayor", "senator", "ambassador", "chancellor", "king", "queen", "prince", "pope",
        "mr", "mrs", "ms", "dr", "sir", "lord", "vice", "deputy", "foreign", "interior",
        "defence", "defense", "finance", "treasury", "head", "leader", "chairman", "officer",
        "premier", "emeritus", "member", "counterpart", "official",
    }
)  # fmt: skip


# "Ukrainian" before a title is typed NORP or, at times, GPE.
_NATIONALITY = frozenset({"NORP", "GPE"})

# Where a name stands as a place: "shelling in Luhansk", "the city of Mariupol".
_PLACE_PREPS = frozenset(
    {
        "in", "from", "near", "around", "outside", "inside", "into", "across", "toward",
        "towards", "at", "through", "to",
    }
)  # fmt: skip
_PLACE_NOUNS = frozenset(
    {
        "city", "town", "village", "region", "port", "province", "capital", "district",
        "oblast", "area", "suburb", "outskirts",
    }
)  # fmt: skip
# "pro-Kiev", "anti-Kiev": a faction named by its side, whatever the NER made of it.
_FACTION = re.compile(r"^(?:pro|anti)-", re.IGNORECASE)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Countries and cities of 50,000 people or more, with their English spellings
    (``resources/lexicons/places.txt``, from GeoNames via ``scripts/build_places.py``)."""
    text = (resources.files("unspun") / "resources/lexicons/places.txt").read_text(encoding="utf-8")
    return frozenset(n for line in text.splitlines() if (n := line.split("#", 1)[0].strip()))


def _as_place(token: Token) -> bool:
    """The token may be used as a place: after a locative preposition ("in Luhansk", also
    "in Donetsk and Luhansk"), naming a city ("the regions of Donetsk and Luhansk") or
    qualifying a common noun ("the Kiev regime", "the Novoshakhtinsk checkpoint"). Only
    names on the place list are ever retyped, so this need not tell people from places alone.
    """
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    head = token.head
    if token.dep_ == "pobj":
        return head.lower_ in _PLACE_PREPS or (head.lower_ == "of" and head.head.lemma_ in _PLACE_NOUNS)
    if token.dep_ == "appos":
        return head.lemma_ in _PLACE_NOUNS
    return token.dep_ in {"compound", "nmod"} and head.pos_ == "NOUN"


@dataclass
class _Actor:
    key: str
    name: str
    types: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    portrayals: list[tuple[int, int, str]] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    #: mentions used as a place (see :func:`_as_place`)
    placed: int = 0

    @property
    def type(self) -> str:
        """The type most mentions were given, the NER typing a name differently at times;
        but a faction ("pro-Kiev") is NORP, and a known place name is GPE when the text uses
        it as a place at least once and never titles it as a person."""
        order = ["PERSON", "ORG", "GPE", "NORP", "GROUP", "LOC"]
        most = max(order, key=lambda t: (self.types.count(t), -order.index(t)))
        if most not in {"PERSON", "ORG"}:
            return most
        if _FACTION.match(self.key):
            return "NORP"
        used_as_place = self.placed > 0 or any(t in {"GPE", "LOC"} for t in self.types)
        if used_as_place and not self.titles and self.key in place_names():
            return "GPE"
        return most


class ActorAnalyzer(ParsedAnalyzer):
    """Who the article is about, every mention of each, and the words attached to them."""

    name: ClassVar[str] = "actors"
    version: ClassVar[str] = "0.2.0"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("spans:actor", "spans:portrayal", "records:actor")

    def __call__(self, analysis: Analysis) -> None:
        doc = parse(analysis)
        for actor in find_actors(doc):
            type_ = actor.type
            mention_ids = tuple(
                analysis.add_span(s, e, type_, analyzer=self.name).id for s, e, _ in sorted(set(actor.mentions))
            )
            portrayal_ids = tuple(
                analysis.add_span(s, e, "portrayal", analyzer=self.name, attrs={"via": via}).id
                for s, e, via in sorted(set(actor.portrayals))
            )
            spans = {"mention": mention_ids}
            if portrayal_ids:
                spans["portrayal"] = portrayal_ids
            analysis.add_record(
                "actor",
                analyzer=self.name,
                spans=spans,
                attrs={"name": actor.name, "type": type_, "mentions": len(mention_ids)},
            )


def _key(text: str) -> str:
    words = [w for w in strip_markup(text).replace("’s", "").replace("'s", "").split() if w]
    while words and words[0].lower() in {
        "the",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
    }:
        words = words[1:]
    return " ".join(words)


def find_actors(doc: Doc) -> list[_Actor]:
    """The actors in order of first mention."""
    actors: dict[str, _Actor] = {}
    persons: list[_Actor] = []
    mention_tokens: list[tuple[Span, _Actor]] = []

    def add(span: Span, type_: str) -> _Actor | None:
        key = _key(span.text)
        if not key or not any(ch.isalpha() for ch in key):
            return None
        if type_ == "PERSON":
            actor = _match_person(key, persons) or actors.get(key)
        else:
            # The NER sometimes types a surname met earlier as a person as ORG or GPE.
            single = len(key.split()) == 1
            actor = actors.get(key) or (_match_person(key, persons) if single else None)
        if actor is None:
            actor = actors.setdefault(key, _Actor(key, key))
            if type_ == "PERSON" and actor not in persons:
                persons.append(actor)
        if len(key) > len(actor.name) and actor.name in key:
            actor.name = key
        actor.types.append(type_)
        actor.mentions.append((span.start_char, span.end_char, type_))
        actor.placed += _as_place(span.root)
        mention_tokens.append((span, actor))
        return actor

    for ent in entities(doc):
        type_ = ACTOR_TYPES.get(ent.label_)
        if type_ is None:
            continue
        span = _trim(ent)
        if len(span) == 0:
            continue
        actor = add(span, type_)
        if actor is not None and type_ == "PERSON":
            actor.titles.update(_titles(span))
    covered = {t.i for span, _ in mention_tokens for t in span}
    surnames = {p.key.split()[-1]: p for p in persons}
    for token in doc:
        # The NER misses some repeat mentions ("Mr Velisk"); a known surname is one.
        if token.i not in covered and token.pos_ == "PROPN" and token.text in surnames:
            add(doc[token.i : token.i + 1], "PERSON")
            covered.add(token.i)
    for chunk in doc.noun_chunks:
        if chunk.root.lower_ in GROUP_NOUNS and chunk.root.i not in covered:
            span = _group_span(chunk)
            add(span, "GROUP")
    _tie_titles(doc, persons, mention_tokens, covered)
    for span, actor in mention_tokens:
        actor.portrayals.extend(_portrayal(span))
    ordered = sorted(actors.values(), key=lambda a: min(m[0] for m in a.mentions))
    # A surname seen before the full name ("Poroshenko ... Petro Poroshenko") shares the key
    # of the later, fuller name only after this merge.
    return _merge_surnames(ordered)


def _match_person(key: str, persons: list[_Actor]) -> _Actor | None:
    """The person whose name ends with (or is) this one: "Poroshenko" -> "Petro Poroshenko"."""
    last = key.split()[-1]
    matches = [p for p in persons if p.key.split()[-1] == last]
    return matches[0] if len(matches) == 1 else None


def _merge_surnames(actors: list[_Actor]) -> list[_Actor]:
    out: list[_Actor] = []
    for actor in actors:
        target = next(
            (
                a
                for a in out
                if "PERSON" in a.types + actor.types
                and a.key.split()[-1] == actor.key.split()[-1]
                and (len(a.key.split()) == 1 or len(actor.key.split()) == 1)
            ),
            None,
        )
        if target is None:
            out.append(actor)
            continue
        if len(actor.key) > len(target.key):
            target.name = actor.name
        target.types += actor.types
        target.mentions += actor.mentions
        target.portrayals += actor.portrayals
        target.titles |= actor.titles
        target.placed += actor.placed
    return out


def _trim(ent: Span) -> Span:
    """The entity without a leading "the" and a trailing possessive."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (
        doc[start].lower_ == "the" or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    while end > start and (
        doc[end - 1].text in {"’s", "'s", "’", "'"}
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
    ):
        end -= 1
    return doc[start:end]


def _group_span(chunk: Span) -> Span:
    doc = chunk.doc
    start = chunk.start
    while start < chunk.root.i and doc[start].pos_ in {"DET", "PRON"}:
        start += 1
    return doc[start : chunk.root.i + 1]


def _titles(span: Span) -> set[str]:
    """Titles written before a person's name.

    "Ukrainian President Petro Poroshenko" gives "president" and "ukrainian president", so
    that "the Ukrainian president" can be tied to him even when the article has another
    president.
    """
    doc = span.doc
    out: set[str] = set()
    nationality = ""
    i = span.start - 1
    while i >= 0 and doc[i].dep_ in {"compound", "amod"} and doc[i].head.i < span.end:
        if doc[i].lower_ in TITLES:
            out.add(doc[i].lower_)
        elif doc[i].ent_type_ in _NATIONALITY:
            nationality = doc[i].lower_
        i -= 1
    return out | {f"{nationality} {t}" for t in out if nationality}


def _tie_titles(
    doc: Doc, persons: list[_Actor], mention_tokens: list[tuple[Span, _Actor]], covered: set[int]
) -> None:
    """Join "the president" to the one person titled so, when there is exactly one."""
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.i in covered or root.lower_ not in TITLES or chunk[0].lower_ != "the":
            continue
        if any(
            c.dep_ in {"prep", "appos"} or c.ent_type_ not in {"", *_NATIONALITY}
            for c in root.children
        ):
            # "the president of Finland", "the president, X": a different or named person.
            continue
        nationality = next(
            (t.lower_ for t in chunk if t.i < root.i and t.ent_type_ in _NATIONALITY), ""
        )
        title = f"{nationality} {root.lower_}" if nationality else root.lower_
        holders = [p for p in persons if title in p.titles]
        if len(holders) != 1:
            continue
        span = doc[chunk.start : root.i + 1]
        holders[0].mentions.append((span.start_char, span.end_char, "PERSON"))
        holders[0].types.append("PERSON")
        mention_tokens.append((span, holders[0]))


def _phrase(token: Token) -> Span:
    """The noun phrase headed by ``token``: its modifiers, without clauses or prepositions."""
    doc = token.doc
    start = token.i
    for child in token.lefts:
        if child.dep_ in {
            "det",
            "amod",
            "compound",
            "nummod",
            "advmod",
            "npadvmod",
            "poss",
            "nmod",
        }:
            start = min(start, child.left_edge.i)
    end = token.i + 1
    for child in token.rights:
        if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "ADJ"}:
            end = max(end, _phrase(child).end)
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _portrayal(span: Span) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    root = span.root
    inside = range(span.start, span.end)

    def keep(phrase: Span, via: str) -> None:
        words = [t for t in phrase if not (t.is_punct or t.is_space)]
        if not words or all(t.lower_ in TITLES or t.pos_ in {"DET", "PRON"} for t in words):
            return
        if any(t.i in inside for t in phrase):
            return
        out.append((phrase.start_char, phrase.end_char, via))

    for child in root.children:
        if child.i in inside:
            continue
        if child.dep_ == "amod" and child.pos_ == "ADJ" and child.lower_ not in TITLES:
            keep(child.doc[child.left_edge.i : child.i + 1], "amod")
        elif child.dep_ == "appos":
            keep(_phrase(child), "appos")
    # The actor is itself the apposition: "the billionaire, Petro Poroshenko".
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        keep(_phrase(root.head), "appos")
    # Predicate nominals and adjectives: "X is a veteran commander", "X was ruthless".
    if root.dep_ in {"nsubj"} and root.head.lemma_ == "be":
        for child in root.head.children:
            if child.dep_ in {"attr", "acomp"}:
                keep(_phrase(child), "predicate")
    # The actor qualifies a stand-in noun: "the Kiev regime", "the regime in Kiev".
    head = root.head
    if root.dep_ in {"compound", "amod", "nmod"} and head.lower_ in _STAND_IN_HEADS:
        if head.i >= span.end:
            keep(span.doc[span.end : head.i + 1], "head")
        for child in head.lefts:
            if child.dep_ == "amod" and child.i < span.start:
                keep(span.doc[child.left_edge.i : child.i + 1], "amod")
    elif (
        root.dep_ == "pobj" and head.lower_ in {"in", "of"} and head.head.lower_ in _STAND_IN_HEADS
    ):
        keep(_phrase(head.head), "head")
    return out


__all__ = ["ACTOR_TYPES", "GROUP_NOUNS", "TITLES", "ActorAnalyzer", "find_actors", "place_names"]
