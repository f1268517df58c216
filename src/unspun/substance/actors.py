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
from unspun.substance.nlp import ParsedAnalyzer, entities, entity_type, parse, text_of
from unspun.substance.sources import KNOWN_SOURCES
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
        "président", "présidente", "ministre", "chancelier", "chancelière", "maire",
        "gouverneur", "gouverneure", "général", "générale", "porte-parole", "directeur",
        "directrice", "secrétaire", "ambassadeur", "ambassadrice", "sénateur", "sénatrice",
        "député", "députée", "roi", "reine", "m.", "mme", "chef", "commandant",
    }
)  # fmt: skip


# "Ukrainian" before a title is typed NORP or, at times, GPE.
_NATIONALITY = frozenset({"NORP", "GPE"})

# Where a name stands as a place: "shelling in Luhansk", "the city of Mariupol".
_PLACE_PREPS = frozenset(
    {
        "in", "from", "near", "around", "outside", "inside", "into", "across", "toward",
        "towards", "at", "through", "to", "à", "au", "aux", "dans", "près", "vers",
    }
)  # fmt: skip
_PLACE_NOUNS = frozenset(
    {
        "city", "town", "village", "region", "port", "province", "capital", "district",
        "oblast", "area", "suburb", "outskirts", "mayor", "governor", "ville", "région", "maire", "gouverneur",
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
    if token.doc.lang_ == "fr":
        # French marks the preposition as the name's child: "à Kessany", "maire de Kessany".
        case = next((c for c in token.children if c.dep_ == "case"), None)
        if case is not None:
            return case.lower_ in _PLACE_PREPS or (case.lower_ == "de" and head.lower_ in _PLACE_NOUNS)
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
    #: mentions that are a clause's subject: a place seldom is
    subject: int = 0
    #: what the name says of a group: its ``nationality`` or ``faction``
    attrs: dict[str, str] = field(default_factory=dict)
    #: the name is a company's by its shape ("Dunmore Copper")
    company: bool = False

    @property
    def type(self) -> str:
        """The type most mentions were given, the NER typing a name differently at times;
        but a faction ("pro-Kiev") is NORP, and a known place name is GPE when the text uses
        it as a place at least once and never titles it as a person."""
        if "AGENCY" in self.types or "OUTLET" in self.types:
            return "AGENCY" if "AGENCY" in self.types else "OUTLET"
        if self.company:
            return "ORG"
        order = ["PERSON", "ORG", "GPE", "NORP", "GROUP", "LOC"]
        most = max(order, key=lambda t: (self.types.count(t), -order.index(t)))
        if most not in {"PERSON", "ORG"}:
            return most
        if _FACTION.match(self.key):
            return "NORP"
        used_as_place = self.placed > 0 or any(t in {"GPE", "LOC"} for t in self.types)
        if used_as_place and not self.titles and self.key in place_names():
            return "GPE"
        if (
            self.placed > 0
            and not self.titles
            and not self.subject
            and len(self.key.split()) == 1
            and (most == "PERSON" or self.placed * 2 >= len(self.mentions))
        ):
            # An unlisted one-word name the text only ever puts somewhere ("in Marsby", "the
            # mayor of Marsby") and never makes act is a town the NER did not know.
            return "GPE"
        return most


class ActorAnalyzer(ParsedAnalyzer):
    """Who the article is about, every mention of each, and the words attached to them."""

    name: ClassVar[str] = "actors"
    version: ClassVar[str] = "0.3.0"
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
                attrs={"name": actor.name, "type": type_, "mentions": len(mention_ids), **actor.attrs},
            )


_HONORIFICS = frozenset({"the", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "le", "la", "les", "l’", "l'", "m.", "mme"})


def _key(text: str) -> str:
    words = [w for w in strip_markup(text).replace("’s", "").replace("'s", "").split() if w]
    while words and words[0].lower() in _HONORIFICS:
        words = words[1:]
    if words and words[0].lower().startswith(("l’", "l'")) and len(words[0]) > 2:
        words[0] = words[0][2:]
    return " ".join(words)


def find_actors(doc: Doc) -> list[_Actor]:
    """The actors in order of first mention."""
    actors: dict[str, _Actor] = {}
    persons: list[_Actor] = []
    mention_tokens: list[tuple[Span, _Actor]] = []
    covered: set[int] = set()

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
        actor.subject += span.root.dep_.startswith("nsubj")
        mention_tokens.append((span, actor))
        covered.update(t.i for t in span)
        return actor

    groups = _groups(doc)
    # A nationality or side inside a group's name is said of the group; a place or an
    # organisation there ("Kiev regime forces") is still named.
    in_group = {t.i for span, _ in groups for t in span if entity_type(t) not in {"GPE", "ORG", "LOC"}}
    title_tokens: set[int] = set()
    for ent in entities(doc):
        if any(t.i in in_group for t in ent) or _in_modifier(ent):
            # "Varnian" in "Varnian troops", "Varnia" in "pro-Varnia": attributes of a group.
            continue
        span = _trim(ent)
        if len(span) == 0 or (doc.lang_ == "fr" and all(t.is_lower or t.is_punct for t in span)):
            # "soldats keldois" as a name: the French NER at times; no name is all lower case.
            continue
        titles, used = _titles(span)
        type_ = _actor_type(ent, span, bool(titles))
        if type_ is None:
            continue
        actor = add(span, type_)
        if actor is not None and type_ == "PERSON":
            actor.titles.update(titles)
            title_tokens |= used
        if actor is not None and type_ == "ORG" and name_kind(span) == "ORG":
            actor.company = True
    for span in _proper_name_runs(doc, covered | in_group):
        # A name the NER missed is a person's when an office stands beside it ("Ilse
        # Marrow, the president of Varnia", "Prime Minister Arvo Quist").
        titles, used = _titles(span)
        kind = name_kind(span)
        if titles and kind != "ORG":
            person = add(span, "PERSON")
            if person is not None:
                person.titles.update(titles)
                title_tokens |= used
        elif kind in {"OUTLET", "AGENCY"} or (kind == "ORG" and not titles):
            added = add(span, kind)
            if added is not None and kind == "ORG":
                added.company = True
    for name, kind in _known_sources(doc):
        # An outlet or agency the NER missed ("told the BBC") or cut differently.
        if not any(t.i in covered for t in name):
            add(name, kind)
    surnames = {p.key.split()[-1]: p for p in persons}
    # A one-word place or organisation named elsewhere, such as "Mirna" in a headline.
    singles = {a.key: a for a in actors.values() if len(a.key.split()) == 1 and a not in persons}
    for token in doc:
        # The NER misses some repeat mentions ("Mr Velisk", a headline's "Mirna"); a name
        # the article gives elsewhere is one, unless it says whose side ("pro-Ostria").
        if token.i in covered or token.i in in_group or not token.is_title or _in_modifier(doc[token.i : token.i + 1]):
            continue
        if token.text in surnames:
            add(doc[token.i : token.i + 1], "PERSON")
        elif token.text in singles:
            other = singles[token.text]
            add(doc[token.i : token.i + 1], max(set(other.types), key=other.types.count))
    for span, attrs in groups:
        group = add(span, "GROUP")
        if group is not None:
            group.attrs.update(attrs)
    _tie_definite_groups(doc, actors, mention_tokens, covered)
    _tie_titles(doc, persons, mention_tokens, covered | title_tokens)
    for span, actor in mention_tokens:
        actor.portrayals.extend(_portrayal(span))
    ordered = sorted(actors.values(), key=lambda a: min(m[0] for m in a.mentions))
    # A surname seen before the full name ("Poroshenko ... Petro Poroshenko") shares the key
    # of the later, fuller name only after this merge.
    return _merge_acronyms(_merge_surnames(ordered))


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _LINKING and w[:1].isupper())


def _merge_acronyms(actors: list[_Actor]) -> list[_Actor]:
    """Join an acronym to the one name whose initials it is ("OLF", "Ostmark Liberation
    Front"), whichever comes first."""
    out: list[_Actor] = []
    for actor in actors:
        if not (actor.key.isupper() and 2 <= len(actor.key) <= 6 and " " not in actor.key):
            out.append(actor)
            continue
        full = [a for a in actors if a is not actor and len(a.key.split()) > 1 and _initials(a.key) == actor.key]
        if len(full) != 1:
            out.append(actor)
            continue
        target = full[0]
        target.types += actor.types
        target.mentions += actor.mentions
        target.portrayals += actor.portrayals
    return out


# How the names of outlets, agencies and companies are made: "Radio Halvik", "Keldor
# Times", "Norvale Press Agency", "l'agence officielle OSTA", "Dunmore Copper".
_OUTLET_FIRST = frozenset({"radio", "télé", "tv", "channel", "radio-télévision"})
_OUTLET_LAST = frozenset(
    {
        "times", "post", "herald", "courier", "gazette", "tribune", "journal", "chronicle",
        "telegraph", "observer", "express", "mirror", "news", "daily", "weekly", "radio", "tv",
        "television", "broadcasting", "courrier", "quotidien", "hebdo", "matin",
        "soir", "dépêche", "républicain",
    }
)  # fmt: skip
# "Agency" alone is no news agency ("the European Space Agency").
_AGENCY_LAST = ("press agency", "news agency", "press service", "news service")
_AGENCY_FIRST = frozenset({"agence", "agencia", "agenzia"})
# Nouns before a name that say what it is: "the newspaper X", "l'agence X".
_OUTLET_NOUNS = frozenset(
    {
        "newspaper", "daily", "weekly", "broadcaster", "station", "channel", "tabloid",
        "magazine", "quotidien", "hebdomadaire", "journal", "chaîne", "radio", "télévision",
    }
)  # fmt: skip
_AGENCY_NOUNS = frozenset({"agency", "agence", "wire"})
_DAY_WORDS = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi",
        "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    }
)  # fmt: skip
_COMPANY_LAST = frozenset(
    {
        "copper", "mining", "mines", "energy", "oil", "gas", "petroleum", "steel", "steelworks",
        "motors", "airlines", "airways", "bank", "group", "holdings", "industries", "corp",
        "corporation", "inc", "ltd", "plc", "power", "telecom", "pharma", "chemicals",
        "shipping", "logistics", "construction", "metals", "resources", "minerals", "textiles",
        "foods", "systems", "technologies", "works", "sa", "sarl",
    }
)  # fmt: skip
_LINKING = frozenset({"of", "the", "de", "du", "des", "la", "le", "l'", "l’", "d'", "d’", "and", "et", "&"})


def name_kind(span: Span) -> str | None:
    """``OUTLET``, ``AGENCY`` or ``ORG`` when the words of a name (or the noun just before
    it) say what it is; ``None`` otherwise. Only the shape is read, never a list of names."""
    words = [t.lower_ for t in span if not t.is_punct]
    if not words:
        return None
    text = " ".join(words)
    before = [t for t in span.doc[max(0, span.start - 3) : span.start] if not t.is_punct]
    named = all(t.is_title or t.is_upper or t.lower_ in _LINKING or t.is_punct for t in span)
    if (text.endswith(_AGENCY_LAST) and len(words) > 2) or (words[0] in _AGENCY_FIRST and named and len(words) > 1):
        # "Agence France-Presse", not "Agence régionale de santé".
        return "AGENCY"
    # The noun right before the name, or before an adjective before it ("l'agence
    # officielle OSTA"); never a day ("the agency said on Sunday").
    what = before[-1] if before and before[-1].pos_ != "ADJ" else (before[-2] if len(before) > 1 else None)
    if what is not None and what.lower_ in _AGENCY_NOUNS | _OUTLET_NOUNS and what.i >= span.start - 2:
        kind = "AGENCY" if what.lower_ in _AGENCY_NOUNS else "OUTLET"
        if words[0] in _DAY_WORDS:
            return None
        if len(span) <= 4 and all(t.is_title or t.is_upper or t.lower_ in _LINKING for t in span):
            return kind
    if len(words) > 1 and (words[0] in _OUTLET_FIRST or words[-1] in _OUTLET_LAST):
        return "OUTLET"
    if len(words) > 1 and words[-1] in _COMPANY_LAST and span[-1].is_title:
        return "ORG"
    return None


def _portfolio(ent: Span) -> bool:
    """"Defence" in "Defence Minister Lena Halden": the office's field, no organisation."""
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return len(ent) == 1 and nxt is not None and nxt.lower_ in {"minister", "secretary", "ministre"}


def _actor_type(ent: Span, span: Span, titled: bool) -> str | None:
    """The actor type of a named entity, or ``None`` when it names no actor."""
    key = _key(span.text)
    # "au Monde": the article is no part of the name the NER gives, but of the listed one.
    known = next(
        (k for n in (key, *(f"{a} {key}" for a in ("Le", "La", "Les", "The"))) if (k := KNOWN_SOURCES.get(n))),
        None,
    )
    if known in {"agency", "outlet"}:
        # "Bild" is no person, whatever the NER says: the sources list knows the outlets.
        return known.upper()
    if _portfolio(span):
        return None
    kind = name_kind(span)
    if kind is not None and not (titled and kind == "ORG"):
        return kind
    if titled:
        # A name after an office ("le gouverneur Emil Radu") is a person's.
        return "PERSON"
    if span.doc.lang_ == "fr" and len(span) == 1 and span[0].is_lower and _FR_NATIONALITY.match(span[0].lower_):
        # "keldois" in "Le président keldois": an adjective the French NER took for a name.
        return None
    type_ = ACTOR_TYPES.get(entity_type(ent))
    if type_ == "NORP" and _adjectival(ent):
        # "Ukrainian" in "Ukrainian President" or "the Ukrainian flag" is said of something
        # else; a people is an actor only as a noun ("the Ukrainians").
        return None
    return type_


def _adjectival(ent: Span) -> bool:
    root = ent.root
    return root.pos_ == "ADJ" or (
        root.dep_ in {"amod", "compound", "nmod"} and root.head.i >= ent.end and root.head.pos_ == "NOUN"
    )


def _in_modifier(ent: Span) -> bool:
    """The entity is part of a side's name: "pro-Varnia", "anti-Kiev", "Kiev-backed"."""
    doc = ent.doc
    first, last = ent.start, ent.end - 1
    if ent[0].lower_ in {"pro", "anti"} or ent.text.lower().startswith(("pro-", "anti-")):
        return True
    if first >= 2 and doc[first - 1].text == "-" and doc[first - 2].lower_ in {"pro", "anti"}:
        return True
    return (
        last + 2 < len(doc)
        and doc[last + 1].text == "-"
        and doc[last + 2].lower_ in _SIDE_SUFFIXES
    )


_SIDE_SUFFIXES = frozenset({"backed", "led", "controlled", "held", "based", "leaning", "allied", "sponsored"})

# Nouns for armed and security forces: an actor only when a nationality or side says whose
# ("Ukrainian forces", "pro-Kiev units", "forces ostriennes"), unlike the group nouns.
FORCE_NOUNS = frozenset(
    {
        "forces", "troops", "soldiers", "army", "military", "units", "gunners", "fighters",
        "artillery", "navy", "police", "paratroopers", "servicemen", "guards",
        "troupes", "soldats", "armée", "militaires", "combattants", "policiers", "unités",
        "artillerie",
    }
)  # fmt: skip
_GROUP_NOUNS_FR = frozenset(
    {"milice", "milices", "rebelles", "séparatistes", "insurgés", "miliciens", "paramilitaires"}
)

# French nationality adjectives follow the noun and are lower case: "troupes varniennes".
_FR_NATIONALITY = re.compile(
    r"^[a-zàâçéèêëîïôûü-]{3,}(?:iens?|iennes?|ais|aises?|ois|oises?|ains?|aines?|ands?|andes?|"
    r"russes?|belges?|suisses?|turcs?|turques?|grecs?|grecques?)$"
)


def _side_word(token: Token) -> bool:
    """The token says whose a force is: a nationality, a country, a side ("pro-Kiev")."""
    if entity_type(token) in {"NORP", "GPE", "MISC"}:
        return True
    if token.lower_ in {"pro", "anti"} or token.lower_ in _SIDE_SUFFIXES:
        return True
    if token.doc.lang_ == "fr":
        return bool(_FR_NATIONALITY.match(token.lower_)) or token.is_title
    return token.is_title and (not token.is_sent_start or token.pos_ in {"PROPN", "ADJ"})


def _groups(doc: Doc) -> list[tuple[Span, dict[str, str]]]:
    """Armed groups and forces named by common nouns, with the word that says whose."""
    out: list[tuple[Span, dict[str, str]]] = []
    french = doc.lang_ == "fr"
    for token in doc:
        lower = token.lower_
        always = lower in GROUP_NOUNS or lower in _GROUP_NOUNS_FR
        if token.pos_ not in {"NOUN", "PROPN", "ADJ"} or not (always or lower in FORCE_NOUNS):
            continue
        if token.ent_type_ and entity_type(token) not in {"NORP", "GPE", "MISC"} and not token.is_lower:
            # A lower-case noun is no name, whatever the NER says ("soldats keldois" as PER).
            continue
        if token.dep_ in {"amod", "compound", "nmod"} and token.head.pos_ == "NOUN" and token.head.i > token.i:
            # "a rebel commander", "Separatist rebels": the word qualifies another noun.
            continue
        start, end = token.i, token.i + 1
        for child in token.lefts:
            if child.dep_ in {"amod", "compound", "nmod", "npadvmod"} and child.pos_ != "DET":
                start = min(start, child.left_edge.i)
        if french:
            for child in token.rights:
                if child.dep_ == "amod" and child.i == end:
                    end = child.i + 1
        while start < token.i and (doc[start].pos_ in {"DET", "PRON", "NUM"} or doc[start].is_punct):
            start += 1
        span = doc[start:end]
        side = [t for t in span if t.i != token.i and _side_word(t)]
        if not side and not always:
            continue
        attrs: dict[str, str] = {}
        if side:
            rest = [t for t in span if t.i != token.i]
            words = doc[rest[0].i : rest[-1].i + 1].text
            faction = any(t.lower_ in {"pro", "anti"} or t.lower_ in _SIDE_SUFFIXES for t in side)
            attrs["faction" if faction else "nationality"] = words
        out.append((span, attrs))
    # "séparatistes" in "milices séparatistes" is no group of its own.
    return [
        (s, a) for s, a in out if not any(o.start <= s.start and s.end <= o.end and len(o) > len(s) for o, _ in out)
    ]


def _proper_name_runs(doc: Doc, covered: set[int]) -> list[Span]:
    runs: list[Span] = []
    i = 0
    while i < len(doc):
        j = i
        while j < len(doc) and j not in covered and doc[j].pos_ == "PROPN" and doc[j].is_title:
            j += 1
        start = i
        while start < j and doc[start].lower_ in TITLES:
            # "Colonel Ivo Strand": the office is no part of the name.
            start += 1
        if j > start:
            runs.append(doc[start:j])
        i = max(j, i + 1)
    return runs


def _headline_end(doc: Doc) -> int:
    """The character offset where the headline ends: the first line of a text with more
    lines after it, else 0."""
    text = text_of(doc)
    cut = text.find("\n")
    return cut if 0 < cut < len(text.rstrip()) else 0


def _group_head(actor: _Actor, french: bool) -> str | None:
    """The armed-group or force noun a group's name is made on ("rebels" in "Separatist
    rebels", "milices" in "milices séparatistes"), singular: English heads come last."""
    words = actor.key.lower().split()
    for word in words if french else reversed(words):
        if word in GROUP_NOUNS or word in FORCE_NOUNS or word in _GROUP_NOUNS_FR:
            return word.rstrip("s")
    return None


def _tie_definite_groups(
    doc: Doc, actors: dict[str, _Actor], mention_tokens: list[tuple[Span, _Actor]], covered: set[int]
) -> None:
    """Join "the rebels", "the troops", "les milices" (and a bare "Rebels" in the headline)
    to the one group named with that noun ("pro-Ostria rebels", "Keldorian troops")."""
    groups: dict[str, list[_Actor]] = {}
    for actor in actors.values():
        head = _group_head(actor, doc.lang_ == "fr")
        if "GROUP" in actor.types and len(actor.key.split()) > 1 and head:
            groups.setdefault(head, []).append(actor)
    headline = _headline_end(doc)
    taken = {t.i for span, _ in mention_tokens for t in span}
    candidates: list[tuple[Span, _Actor | None]] = [
        (span, actor) for span, actor in mention_tokens if "GROUP" in actor.types and len(actor.key.split()) == 1
    ]
    # "the troops" is no group by itself (a force needs a side); it is one named before.
    candidates += [
        (doc[t.i : t.i + 1], None)
        for t in doc
        if t.lower_ in FORCE_NOUNS and t.i not in taken and t.i not in covered and t.pos_ in {"NOUN", "PROPN"}
    ]
    for span, found in candidates:
        det = doc[span.start - 1] if span.start > 0 else None
        holders = groups.get(span[-1].lower_.rstrip("s"), [])
        if len(holders) != 1:
            continue
        target = holders[0]
        in_headline = span.start_char < headline and found is not None
        definite = det is not None and det.lower_ in {"the", "les", "la", "le"}
        if not (in_headline or (definite and min(m[0] for m in target.mentions) < span.start_char)):
            continue
        mention = doc[span.start - 1 : span.end] if definite else span
        if found is not None:
            for m in [m for m in found.mentions if m[0] == span.start_char]:
                found.mentions.remove(m)
            found.types.pop()
            mention_tokens.remove((span, found))
            if not found.mentions:
                del actors[found.key]
        target.mentions.append((mention.start_char, mention.end_char, "GROUP"))
        target.types.append("GROUP")
        mention_tokens.append((mention, target))


def _known_sources(doc: Doc) -> list[tuple[Span, str]]:
    out: list[tuple[Span, str]] = []
    text = text_of(doc)
    for m in _KNOWN_RE.finditer(text):
        name = m.group(2)
        if name in _NEEDS_THE and not m.group(1):
            continue
        span = doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
        if span is not None and len(span) > 0:
            out.append((span, KNOWN_SOURCES[name].upper()))
    return [(s, k) for s, k in out if k in {"AGENCY", "OUTLET"}]


# Names too common to take for an outlet without "the" before them ("at times", "the sun").
_NEEDS_THE = frozenset({"Times", "Guardian", "Observer", "Independent", "Sun", "Mirror", "Time", "Economist"})
_KNOWN_RE = re.compile(
    r"(?<![\w-])(?:([Tt]he\s+|[Ll][ea]\s+|[Aa]u\s+|[Dd]u\s+|[Ll][’'])?[*_]{0,2})("
    + "|".join(re.escape(n) for n in sorted(KNOWN_SOURCES, key=len, reverse=True))
    + r")(?![\w-])"
)


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
        target.subject += actor.subject
    return out


def _trim(ent: Span) -> Span:
    """The entity without a leading article and a trailing possessive."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (
        doc[start].lower_ in {"the", "le", "la", "les", "l’", "l'"} or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    while end > start and (
        doc[end - 1].text in {"’s", "'s", "’", "'"}
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
    ):
        end -= 1
    return doc[start:end]


def _nationality_word(token: Token) -> bool:
    if token.lower_ in TITLES or token.is_punct:
        return False
    if token.doc.lang_ == "fr":
        return bool(_FR_NATIONALITY.match(token.lower_))
    return entity_type(token) in _NATIONALITY or (token.is_title and token.pos_ in {"ADJ", "PROPN"})


def _title_string(words: list[str], nationality: str) -> set[str]:
    """Every shorter title a run of title words stands for: "interior minister" is also
    "minister"; with a nationality, "ukrainian president" too."""
    words = [w for w in words if w not in _NOT_TITLES]
    out = {" ".join(words[i:]) for i in range(len(words))}
    return out | {f"{nationality} {t}" for t in out if nationality}


_NOT_TITLES = frozenset({"mr", "mrs", "ms", "dr", "sir", "lord", "m.", "mme"})


def _titles(span: Span) -> tuple[set[str], set[int]]:
    """Titles given to a person next to the name, and the tokens that gave them.

    Before it: "Ukrainian President Petro Poroshenko" gives "president" and "ukrainian
    president", so that "the Ukrainian president" can be tied to him even when the article
    has another president; "le gouverneur Emil Radu", "Le président varnien, Piotr Halden"
    and "The mayor of Marsby, Ruud Penning" count too. After it: "Ilse Marrow, the
    president of Varnia".
    """
    doc = span.doc
    words: list[str] = []
    used: set[int] = set()
    nationality = ""
    i = span.start - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
        # "The mayor of Marsby, Ruud Penning": step over the place the office is of.
        j = i
        while j >= 0 and (doc[j].pos_ == "PROPN" or (doc[j].is_title and j < i + 1 and doc[j].pos_ == "NOUN")):
            j -= 1
        # "La ministre de la Santé, Sophie Roux", "the minister of the Interior, ..."
        while j < i and j >= 1 and doc[j].lower_ in {"la", "l'", "l’", "the"}:
            j -= 1
        if j < i and j >= 1 and doc[j].lower_ in {"of", "de", "du", "d'", "d’"}:
            i = j - 1
    while i >= 0:
        token = doc[i]
        if token.lower_ in TITLES:
            words.insert(0, token.lower_)
        elif _nationality_word(token) and (words or doc.lang_ == "fr"):
            nationality = nationality or token.lower_
        elif token.lower_ in {"the", "le", "la", "l’", "l'"} and words:
            used.add(i)
            break
        else:
            break
        used.add(i)
        i -= 1
    if not words and span.end + 2 < len(doc) and doc[span.end].text == ",":
        j = span.end + 1
        det = doc[j].lower_ in {"the", "le", "la", "l’", "l'"}
        j += det
        after: list[str] = []
        while j < len(doc) and doc[j].lower_ in TITLES:
            after.append(doc[j].lower_)
            j += 1
        # ", the president of Varnia" is said of the name before it; ", General Bram
        # Toller said" names someone else.
        of_place = j < len(doc) and doc[j].lower_ in {"of", "de", "du"}
        if after and (det or of_place) and not (j < len(doc) and doc[j].pos_ == "PROPN"):
            words = after
            used.update(range(span.end + 1, j))
    if not any(w not in _NOT_TITLES for w in words):
        return set(), set()
    return _title_string(words, nationality), used


def _tie_titles(
    doc: Doc, persons: list[_Actor], mention_tokens: list[tuple[Span, _Actor]], covered: set[int]
) -> None:
    """Join "the president" to the one person titled so, when there is exactly one."""
    french = doc.lang_ == "fr"
    for token in doc:
        if token.i in covered or token.lower_ not in TITLES or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        if token.lower_ in _NOT_TITLES or (token.i + 1 < len(doc) and doc[token.i + 1].lower_ in TITLES):
            continue
        start = token.i
        words = [token.lower_]
        nationality = ""
        while start > 0 and (doc[start - 1].lower_ in TITLES or _nationality_word(doc[start - 1])):
            start -= 1
            if doc[start].lower_ in TITLES:
                words.insert(0, doc[start].lower_)
            else:
                nationality = doc[start].lower_
        end = token.i + 1
        if french and end < len(doc) and _nationality_word(doc[end]):
            nationality = doc[end].lower_
            end += 1
        det = doc[start - 1] if start > 0 else None
        if det is None or det.lower_ not in {"the", "le", "la", "l’", "l'"}:
            continue
        nxt = doc[end] if end < len(doc) else None
        if nxt is not None and (nxt.pos_ == "PROPN" or nxt.lower_ in {"of", "de", "du", "d’", "d'"}):
            # "the president of Finland", "the president Anton Velisk": a different or named person.
            continue
        if nxt is not None and nxt.text == "," and end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN":
            continue
        title = f"{nationality} {' '.join(words)}" if nationality else " ".join(words)
        # A headline may name the office before the text names the person ("Lorvenne : la
        # ministre promet ...").
        in_headline = det.idx < _headline_end(doc)
        holders = [
            p for p in persons if title in p.titles and (in_headline or min(m[0] for m in p.mentions) < det.idx)
        ]
        if len(holders) != 1:
            continue
        span = doc[start - 1 : end]
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
