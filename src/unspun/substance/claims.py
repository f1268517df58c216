"""Numeric claims: every figure a careful reader would check, in English and French.

Casualties and counts of people, fighters, weapons, vehicles and other things, sums of
money, percentages, distances, areas, weights, volumes and durations. The figures, their
units and qualifiers are read from the characters by :mod:`unspun.substance.numbers`
(text2num for spelled numbers, pint for metric conversions); what is counted, the place,
the date and who asserts the figure come from the shared parse and the quote records.

Each ``claim`` record has spans ``value`` (the number as written: "19,000", "thirty",
"3.2bn", "hundreds of thousands", "1 200"), ``upper`` (the second figure of a range),
``unit`` ("euros", "€", "km", "per cent"), ``qualifier`` ("at least", "nearly", "an
estimated", "près de"), ``counted`` (the noun counted or measured: "people", "tanks",
"farmland" in "240 square kilometres of farmland"), ``predicate`` (the word that says
what happened to them, when it is not the noun: "killed", "died", "wounded"), ``place``
and ``date`` when the sentence names them, and ``asserted_by`` (the speaker's span) when
the figure lies inside a quote that the ``quotes`` analyzer found. Attributes:

``value``      the number, for aggregation (see vague words below); the lower figure of a range
``low``        the smallest count the words allow, or ``None`` when they set no floor
``high``       the largest count the words allow, or ``None`` when they set no ceiling
``qualifier``  the qualifier in lower case, or ``None``
``category``   killed, wounded, missing, displaced, detained, fighters, weapons, vehicles,
               people, count (anything else counted), money, percent, distance, area,
               weight, volume, duration
``counted``    the counted noun's lemma (its lower-case text in French), or ``None``
``unit``       ISO 4217 code for money (EUR, USD, GBP ...), else a unit name (km, km2,
               mi, mi2, ha, t, kg, l, percent, minute, hour, day, week, month, year), or
               ``None`` for plain counts
``metric_value``, ``metric_unit``  the value in metric units beside a non-metric one
               (miles to km, square miles to km2, acres to ha), else ``None``
``vague``      the number is a vague word ("dozens") rather than a figure
``place``, ``date``  as written in the sentence, or ``None``
``date_resolved``  the day the date points at (ISO 8601), given the publication date
               ("Thursday", "hier", "12 mars"; :func:`unspun.substance.events.resolve_date`),
               or ``None``
``asserted_by``  the name of the quoted speaker who gives the figure, or ``None`` when the
               article gives it in its own voice
``language``   ``en`` or ``fr``: whose words were read

Qualifiers set the bounds: "at least", "more than", "over", "upwards of", "in excess of",
"no fewer than", "no less than" give ``low = N`` and no ceiling; "up to", "nearly",
"almost", "fewer than", "less than", "at most", "as many as", "close to", "just under",
"under", "no more than", "within" give ``high = N`` and no floor; "about", "around",
"some", "an estimated", "estimated", "approximately", "roughly", "nearly all" give neither
(an estimate); "between" ties two figures into a range (``low`` and ``high``, as "10 to
14" does unqualified); an unqualified figure gives ``low = high = N``. The French ones
(``numbers.QUALIFIER_WORDS["fr"]``) work alike: "au moins", "plus de" set a floor;
"jusqu'à", "près de", "moins de", "d'ici à" a ceiling; "environ", "quelque" neither;
"entre ... et" a range.

Vague words follow the conservative convention of conflict-event coding: ACLED's codebook
codes "several"/"many" fatalities as 10, "dozens" as 12 and "hundreds" as 100 (figures as
we know them; check them against the codebook edition you compare with). Larger words
follow the same rule, the smallest round figure of the word's scale. ``value`` is that
conservative figure; ``low`` and ``high`` are what the word literally implies:

=====================  =======  ========  ========
words                  value    low       high
=====================  =======  ========  ========
several                10       3         None
a dozen                12       12        12
dozens                 12       24        None
scores                 12       40        None
hundreds               100      200       None
thousands              1000     2000      None
tens of thousands      10000    20000     None
hundreds of thousands  100000   200000    None
millions               1000000  2000000   None
=====================  =======  ========  ========

French has the same words ("des dizaines" 12, "des centaines" 100, "des milliers" 1000,
"des dizaines de milliers" 10000) and words for an estimate around a figure ("une
dizaine" 10, "une vingtaine" 20, "une centaine" 100, "un millier" 1000), which set no
bounds. Vague words count people and things of the categories above, never "several
reasons"; figures in dates, clock times, ages, ordinals and years are never claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from spacy.tokens import Doc, Span, Token

from unspun.article import Analysis, Record
from unspun.substance.events import resolve_date
from unspun.substance.nlp import ParsedAnalyzer, entities, parse, text_of
from unspun.substance.numbers import (
    QUALIFIER_WORDS,
    VAGUE_WORDS,
    Figure,
    find_figures,
    guess_language,
)

# (words, value, low, high): longest first, so "hundreds of thousands" wins over "hundreds".
VAGUE: tuple[tuple[tuple[str, ...], int, int, int | None], ...] = tuple(
    (tuple(words.split()), value, low if low is not None else value, high)
    for words, value, low, high in VAGUE_WORDS["en"]
)

QUALIFIERS: dict[str, str] = QUALIFIER_WORDS["en"]

# Lemmas that say what is counted. Casualty words on the verb ("42 people died") override
# the noun ("people"); among nouns the first match in this order wins.
CATEGORIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("killed", frozenset({
        "kill", "die", "dead", "death", "killing", "slay", "murder", "massacre", "execute",
        "fatality", "body", "corpse", "life", "toll", "perish", "behead", "shoot dead",
    })),
    ("wounded", frozenset({"wound", "wounded", "injure", "injured", "injury", "hurt", "maim"})),
    ("missing", frozenset({"missing", "disappear", "disappeared", "unaccounted"})),
    ("displaced", frozenset({
        "refugee", "displace", "displaced", "flee", "evacuate", "evacuee", "homeless",
        "asylum", "idp",
    })),
    ("detained", frozenset({
        "arrest", "detain", "detainee", "prisoner", "capture", "hostage", "jail", "abduct",
        "kidnap", "imprison", "captive",
    })),
    ("fighters", frozenset({
        "fighter", "troop", "soldier", "militant", "rebel", "serviceman", "servicemen",
        "mercenary", "volunteer", "guerrilla", "combatant", "militiaman", "gunman",
        "insurgent", "paratrooper", "marine", "policeman", "police", "sniper", "reservist",
    })),
    ("weapons", frozenset({
        "tank", "missile", "rocket", "helicopter", "jet", "aircraft", "shell", "bomb",
        "drone", "artillery", "carrier", "warship", "gun", "rifle", "mortar", "plane",
        "grenade", "weapon", "launcher", "howitzer", "warhead", "round",
    })),
    ("vehicles", frozenset({
        "vehicle", "truck", "lorry", "car", "bus", "van", "ambulance", "tractor", "boat",
        "ship", "vessel", "ferry", "train",
    })),
    ("people", frozenset({
        "people", "person", "civilian", "resident", "child", "woman", "man", "worker",
        "hooligan", "citizen", "protester", "demonstrator", "supporter", "student", "family",
        "victim", "inhabitant", "voter", "miner", "casualty", "member", "activist",
        "passenger", "survivor", "firefighter", "employee", "pupil", "patient", "migrant",
    })),
)  # fmt: skip

# The same categories for French words, singular and lower case ("blessés" -> "blessé").
CATEGORIES_FR: tuple[tuple[str, frozenset[str]], ...] = (
    ("killed", frozenset({
        "mort", "morte", "tué", "tuée", "tuer", "décès", "décédé", "corps", "cadavre",
        "périr", "péri", "victime mortelle",
    })),
    ("wounded", frozenset({"blessé", "blessée", "blesser", "blessure"})),
    ("missing", frozenset({"disparu", "disparue"})),
    ("displaced", frozenset({
        "réfugié", "réfugiée", "déplacé", "déplacée", "évacué", "évacuée", "fui", "sinistré",
        "sans-abri", "exilé", "quitter",
    })),
    ("detained", frozenset({
        "arrêté", "arrêtée", "interpellé", "interpellée", "détenu", "détenue", "prisonnier",
        "otage", "incarcéré", "emprisonné", "enlevé",
    })),
    ("fighters", frozenset({
        "soldat", "militaire", "combattant", "rebelle", "policier", "gendarme", "mercenaire",
        "insurgé", "djihadiste", "milicien", "réserviste", "homme armé",
    })),
    ("weapons", frozenset({
        "char", "missile", "roquette", "drone", "obus", "bombe", "avion", "hélicoptère",
        "canon", "fusil", "arme", "munition", "lanceur", "blindé", "mortier", "ogive",
    })),
    ("vehicles", frozenset({
        "véhicule", "camion", "camions-citerne", "voiture", "bus", "autocar", "navire",
        "bateau", "tracteur", "ambulance", "train", "ferry",
    })),
    ("people", frozenset({
        "personne", "habitant", "civil", "enfant", "femme", "homme", "travailleur",
        "salarié", "manifestant", "pompier", "étudiant", "famille", "victime", "passager",
        "électeur", "mineur", "employé", "ouvrier", "résident", "secouriste", "élève",
        "patient", "migrant", "survivant", "militant", "agent",
    })),
)  # fmt: skip
_CASUALTY = {"killed", "wounded", "missing", "displaced", "detained"}
# A count of these is no claim to check: "two sides", "three times", "one of them".
_NOT_THINGS = frozenset({
    "time", "side", "way", "thing", "other", "one", "kind", "sort", "part", "point",
    "percent", "year", "fois", "côté", "partie", "h", "heure",
})  # fmt: skip
_FR_FUNCTION = frozenset(
    [
        "a",
        "ai",
        "ont",
        "avait",
        "avaient",
        "est",
        "sont",
        "était",
        "étaient",
        "été",
        "sera",
        "seront",
        "se",
        "s'",
        "ne",
        "n'",
        "qui",
        "que",
        "qu'",
        "et",
        "ou",
        "mais",
        "dont",
        "à",
        "au",
        "aux",
        "en",
        "dans",
        "sur",
        "sous",
        "pour",
        "par",
        "selon",
        "avec",
        "sans",
        "chez",
        "vers",
        "après",
        "avant",
        "depuis",
        "pendant",
        "entre",
        "contre",
        "le",
        "la",
        "les",
        "l'",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d'",
        "ce",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "notre",
        "nos",
        "votre",
        "vos",
        "mon",
        "ma",
        "mes",
        "ici",
        "y",
        "il",
        "ils",
        "elle",
        "elles",
        "on",
        "nous",
        "vous",
        "lui",
        "plus",
        "moins",
        "fois",
        "environ",
        "ans",
        "an",
    ]
)
_FR_DETERMINERS = frozenset(
    [
        "le",
        "la",
        "les",
        "l'",
        "l’",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d'",
        "d’",
        "ses",
        "son",
        "sa",
        "leur",
        "leurs",
        "ces",
        "cette",
        "ce",
    ]
)
_FR_MONTHS = frozenset(
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
)
_FR_DATE = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui"
    r"|(?:\d{1,2}(?:er)?\s+)?(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre"
    r"|octobre|novembre|décembre)(?:\s+\d{4})?)\b",
    re.IGNORECASE,
)
# Verbs a percentage of change hangs on: "shipments fell 34 percent".
_CHANGE_VERBS = frozenset({
    "rise", "fall", "drop", "grow", "increase", "decrease", "climb", "jump", "slump",
    "decline", "shrink", "gain", "lose", "plunge", "soar", "slip", "dip", "surge",
})  # fmt: skip
# Measures that count nothing by themselves: the noun after "of" says what they measure.
_MEASURES = {"money", "percent", "distance", "area", "weight", "volume", "duration"}

_DATE_WORDS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "o'clock",
        "noon",
        "midnight",
        "today",
        "yesterday",
        "tomorrow",
        "ago",
        "last",
        "next",
        "this",
        "morning",
        "evening",
        "afternoon",
        "night",
        "dawn",
        "dusk",
    ]
)

# Entity types whose numbers are never counts of anything.
_NOT_COUNTS = {"DATE", "TIME", "ORDINAL"}


@dataclass
class _Claim:
    figure: Figure
    tokens: Span
    category: str
    counted: Token | None
    predicate: Token | None
    language: str
    place: tuple[int, int, str] | None = None
    date: tuple[int, int, str] | None = None


class ClaimAnalyzer(ParsedAnalyzer):
    """Figures and what they count: tolls, people, weapons, vehicles, money, measures, time."""

    name: ClassVar[str] = "claims"
    version: ClassVar[str] = "0.2.0"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("spans:claim", "records:claim")

    def __call__(self, analysis: Analysis) -> None:
        doc = parse(analysis)
        quotes = [r for r in analysis.records if r.type == "quote" and r.spans.get("content")]
        for claim in find_claims(doc, _language(analysis, doc)):
            self._write(analysis, claim, quotes)

    def _write(self, analysis: Analysis, claim: _Claim, quotes: list[Record]) -> None:
        def add(start: int, end: int, label: str) -> tuple[str, ...]:
            return (analysis.add_span(start, end, label, analyzer=self.name).id,)

        fig = claim.figure
        spans = {"value": add(fig.start, fig.end, "claim.value")}
        if fig.upper is not None:
            spans["upper"] = add(*fig.upper, "claim.upper")
        if fig.unit is not None:
            spans["unit"] = add(fig.unit[0], fig.unit[1], "claim.unit")
        qualifier = None
        if fig.qualifier is not None:
            start, end, qualifier = fig.qualifier
            spans["qualifier"] = add(start, end, "claim.qualifier")
        for role, token in (("counted", claim.counted), ("predicate", claim.predicate)):
            if token is not None:
                spans[role] = add(token.idx, _word_end(token), f"claim.{role}")
        for role, where in (("place", claim.place), ("date", claim.date)):
            if where is not None:
                spans[role] = add(where[0], where[1], f"claim.{role}")
        speaker = _speaker_of(analysis, quotes, fig.start, fig.end)
        if speaker is not None and speaker.spans.get("speaker"):
            spans["asserted_by"] = speaker.spans["speaker"]
        metric = fig.metric()
        counted = None
        if claim.counted is not None:
            counted = (
                analysis.text[claim.counted.idx : _word_end(claim.counted)].lower()
                if claim.language == "fr"
                else claim.counted.lemma_.lower()
            )
        analysis.add_record(
            "claim",
            analyzer=self.name,
            spans=spans,
            attrs={
                "value": _plain(fig.value),
                "low": _plain(fig.low),
                "high": _plain(fig.high),
                "qualifier": qualifier,
                "category": claim.category,
                "counted": counted,
                "vague": fig.vague,
                "place": claim.place[2] if claim.place is not None else None,
                "date": claim.date[2] if claim.date is not None else None,
                "date_resolved": _resolved(claim.date, analysis),
                "unit": fig.unit_code,
                "metric_value": _plain(metric[0]) if metric is not None else None,
                "metric_unit": metric[1] if metric is not None else None,
                "asserted_by": _speaker_name(speaker),
                "language": claim.language,
            },
        )


def _resolved(date: tuple[int, int, str] | None, analysis: Analysis) -> str | None:
    if date is None:
        return None
    day = resolve_date(date[2], analysis.article.meta.published)
    return day.isoformat() if day is not None else None


def _word_end(token: Token) -> int:
    """Where the word ends, past the hyphens the tokenizer split ("camions-citernes")."""
    doc = token.doc
    i = token.i
    while (
        i + 2 < len(doc)
        and not doc[i].whitespace_
        and doc[i + 1].text == "-"
        and not doc[i + 1].whitespace_
        and doc[i + 2].is_alpha
    ):
        i += 2
    return doc[i].idx + len(doc[i].text)


def _language(analysis: Analysis, doc: Doc) -> str:
    if doc.lang_ == "fr":
        return "fr"
    given = analysis.article.meta.language
    if given:
        return "fr" if given.lower().startswith("fr") else "en"
    return guess_language(analysis.article.text)


def _speaker_of(analysis: Analysis, quotes: list[Record], start: int, end: int) -> Record | None:
    """The quote whose words hold the figure, if any."""
    for quote in quotes:
        for span_id in quote.spans["content"]:
            span = analysis.span(span_id)
            if span.start <= start and end <= span.end:
                return quote
    return None


def _speaker_name(quote: Record | None) -> str | None:
    if quote is None:
        return None
    name = quote.attrs.get("speaker")
    return name if isinstance(name, str) else None


def _plain(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def find_claims(doc: Doc, language: str = "en") -> Iterator[_Claim]:
    """Every numeric claim in the parsed text, in order (``language``: "en" or "fr")."""
    lang = "fr" if language == "fr" else "en"
    text = text_of(doc)
    for fig in find_figures(text, lang):
        tokens = doc.char_span(fig.start, fig.end, alignment_mode="expand")
        if tokens is None or len(tokens) == 0 or fig.dimension == "age":
            continue
        if fig.unit is None and not fig.vague and _is_date_or_time(tokens, fig, lang):
            continue
        counted: Token | None
        predicate: Token | None = None
        category: str | None
        if fig.dimension is not None:
            category = fig.dimension
            counted = _measured(doc, fig, tokens, lang)
        elif lang == "fr":
            counted, predicate, category = _counted_fr(doc, fig, tokens)
        else:
            counted, predicate, category = _what_is_counted(tokens)
        if category is None or (fig.vague and category == "count" and _is_several(fig, text)):
            continue
        sent = tokens.sent
        yield _Claim(
            figure=fig,
            tokens=tokens,
            category=category,
            counted=counted,
            predicate=predicate,
            language=lang,
            place=_nearest(sent, tokens, {"GPE", "LOC", "FAC"}),
            date=_french_date(sent, tokens) if lang == "fr" else _nearest(sent, tokens, {"DATE"}),
        )


def _is_several(fig: Figure, text: str) -> bool:
    return text[fig.start : fig.end].lower() in {"several", "plusieurs"}


def _is_date_or_time(tokens: Span, fig: Figure, lang: str) -> bool:
    """Years, dates and clock times, and ordinals in the NER's eyes: no counts."""
    written = tokens.text
    doc = tokens.doc
    after = doc[tokens.end] if tokens.end < len(doc) else None
    if re.fullmatch(r"1[89]\d\d|20\d\d", written) and not (
        after is not None and _category(after, lang) is not None
    ):
        return True
    if lang == "fr":
        before = doc[tokens.start - 1].lower_ if tokens.start > 0 else ""
        return (after is not None and after.lower_ in _FR_MONTHS) or (
            before in {"à", "vers"} and (after is not None and after.lower_ in {"h", "heures"})
        )
    tok = tokens[0]
    if tok.ent_type_ == "ORDINAL":
        return True
    if tok.ent_type_ not in _NOT_COUNTS or _lone_number_entity(tok):
        return False
    # The NER calls many counts dates ("between 10 and 15 drones"): a date names a month,
    # a day, a clock or a year.
    ent = next((e for e in entities(doc) if e.start <= tok.i < e.end), None)
    words = ent if ent is not None else tokens
    return any(
        t.lower_ in _DATE_WORDS or re.fullmatch(r"1[89]\d\d|20\d\d|\d{1,2}[:.]\d\d", t.text)
        for t in words
    )


def _measured(doc: Doc, fig: Figure, tokens: Span, lang: str) -> Token | None:
    """What a sum, percentage or measure is of: "12 percent *of the country's electricity*"."""
    assert fig.unit is not None
    unit = doc.char_span(fig.unit[0], fig.unit[1], alignment_mode="expand")
    if unit is None:
        return None
    last = max(unit.end, tokens.end)
    nxt = doc[last] if last < len(doc) else None
    if nxt is None:
        return None
    if fig.adjectival:
        # "a 46-kilometre canal", "the 1,400-mile route"
        return nxt if nxt.is_alpha and (nxt.pos_ == "NOUN" or lang == "fr") else None
    links = {"of"} | ({"in"} if fig.dimension == "money" else set())
    if lang == "fr":
        if nxt.lower_ not in {"de", "d'", "d’", "des", "du"} and not nxt.lower_.startswith(
            ("d'", "d’")
        ):
            return None
        if nxt.lower_.startswith(("d'", "d’")) and len(nxt.text) > 2:
            rest = nxt  # "d'engrais" in one token: the noun is in it
            return rest if rest.text[2:].lower() not in _FR_FUNCTION else None
        # "à 30 kilomètres de l'épicentre" is a distance from a place; "20 km de routes"
        # measures the roads, with no article.
        if (
            fig.dimension == "distance"
            and nxt.i + 1 < len(doc)
            and (doc[nxt.i + 1].lower_ in _FR_DETERMINERS or nxt.lower_ in {"du", "des"})
        ):
            return None
        for tok in doc[nxt.i + 1 : nxt.i + 4]:
            if tok.lower_ in _FR_DETERMINERS:
                continue
            return tok if tok.is_alpha and tok.lower_ not in _FR_FUNCTION else None
        return None
    if nxt.lower_ in links:
        obj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.pos_ in {"NOUN", "PROPN"}:
            return obj
        return None
    if fig.dimension == "percent":
        # "grain prices rose 18%": the subject of the verb of change.
        token = tokens.root
        for _ in range(3):
            if token.head.i == token.i:
                break
            token = token.head
            if token.pos_ == "VERB":
                if token.lemma_.lower() in _CHANGE_VERBS:
                    return next((c for c in token.children if c.dep_ == "nsubj"), None)
                break
    return None


def _counted_fr(
    doc: Doc, fig: Figure, tokens: Span
) -> tuple[Token | None, Token | None, str | None]:
    """(counted noun, predicate, category) in French, by the words after the figure.

    The words are read in order rather than through the parse so that a French text
    parsed by another language's model still gives its counts.
    """
    french_parse = doc.lang_ == "fr"
    i = tokens.end
    # "des dizaines de camions", "une centaine de pompiers", "2 millions de personnes"
    if i < len(doc) and doc[i].lower_ in {"de", "d'", "d’"}:
        i += 1
    counted: Token | None = None
    if i < len(doc):
        tok = doc[i]
        if (
            tok.is_alpha
            and tok.lower_ not in _FR_FUNCTION
            and (not french_parse or tok.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"})
        ):
            counted = tok
    noun_category = _category(counted, "fr") if counted is not None else None
    start = counted.i + 1 if counted is not None else tokens.end
    predicate = None
    for tok in doc[start : start + 6]:
        if tok.is_punct or tok.like_num or tok.lower_ in {"dont", "et"}:
            break
        if _category(tok, "fr") in _CASUALTY:
            predicate = tok
            break
    if predicate is not None and noun_category in {None, "people", "fighters", "count"}:
        return counted, predicate, _category(predicate, "fr")
    before = _casualty_verb_before_fr(doc, tokens)
    if before is not None and noun_category in {None, "people", "fighters", "count"}:
        return counted, before[0], before[1]
    if counted is None:
        return None, None, None
    if noun_category is None:
        if counted.lower_ in _NOT_THINGS or counted.lower_ in _FR_MONTHS:
            return counted, None, None
        return counted, None, "count"
    return counted, None, noun_category


# What may stand between a verb and its figure: "a tué au moins 11 civils", "tuant plus
# de 20 personnes".
_FR_BEFORE_FIGURE = frozenset(
    {"au", "moins", "plus", "de", "d'", "d’", "près", "environ", "quelque", "quelques"}
)
# Verbs whose object is a casualty figure, by lemma and by the forms a parse of French by
# another model still shows.
_FR_CASUALTY_VERBS = {
    "tuer": "killed", "massacrer": "killed", "blesser": "wounded", "interpeller": "detained",
    "arrêter": "detained",
}  # fmt: skip
_FR_CASUALTY_FORMS = {
    "tuant": "killed", "tué": "killed", "tués": "killed", "tue": "killed", "tuent": "killed",
    "blessant": "wounded", "blessé": "wounded", "blessés": "wounded", "blesse": "wounded",
    "interpellé": "detained", "interpellant": "detained", "arrêté": "detained",
}  # fmt: skip


def _casualty_verb_before_fr(doc: Doc, tokens: Span) -> tuple[Token, str] | None:
    """A killing, wounding or arresting verb whose object is the figure, and its category:
    "tuant quatre gardiens", "ont tué au moins 11 civils", "a interpellé 25 manifestants"."""
    for back in range(tokens.start - 1, max(tokens.start - 5, -1), -1):
        tok = doc[back]
        lower = tok.lower_
        if lower in _FR_CASUALTY_FORMS:
            return tok, _FR_CASUALTY_FORMS[lower]
        if doc.lang_ == "fr" and tok.pos_ == "VERB" and tok.lemma_.lower() in _FR_CASUALTY_VERBS:
            return tok, _FR_CASUALTY_VERBS[tok.lemma_.lower()]
        if lower not in _FR_BEFORE_FIGURE:
            return None
    return None


def _french_date(sent: Span, anchor: Span) -> tuple[int, int, str] | None:
    text = sent.text
    found = [
        (sent.start_char + m.start(), sent.start_char + m.end(), m.group())
        for m in _FR_DATE.finditer(text)
    ]
    if not found:
        return None
    return min(found, key=lambda f: abs(f[0] - anchor.start_char))


def _lone_number_entity(tok: Token) -> bool:
    """A bare figure the NER called a date or time ("put the toll at 38"): it is no date."""
    doc = tok.doc
    starts = tok.ent_iob_ == "B"
    ends = tok.i + 1 >= len(doc) or doc[tok.i + 1].ent_iob_ != "I"
    return starts and ends and tok.text.replace(",", "").isdigit()


def _category(token: Token, lang: str = "en") -> str | None:
    text = token.lower_
    if lang == "fr":
        singular = text[:-1] if len(text) > 3 and text[-1] in "sx" else text
        for name, words in CATEGORIES_FR:
            if text in words or singular in words:
                return name
        return None
    lemma = token.lemma_.lower()
    for name, words in CATEGORIES:
        if lemma in words or text in words:
            return name
    return None


def _what_is_counted(tokens: Span) -> tuple[Token | None, Token | None, str | None]:
    """(counted noun, predicate, category) for the number ``tokens``."""
    doc = tokens.doc
    last = tokens[-1]
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None

    # The noun counted: the head of a "N people", the pobj of "dozens of people", or none
    # when the number stands alone ("170 were wounded").
    counted: Token | None = None
    root = tokens.root
    if root.dep_ in {"nummod", "quantmod", "amod", "compound"} and root.head.pos_ in {
        "NOUN",
        "PROPN",
    }:
        counted = root.head
    else:
        of = next(
            (
                c
                for t in tokens
                for c in t.children
                if c.dep_ == "prep" and c.lower_ == "of" and c.i >= tokens.end
            ),
            None,
        )
        if of is not None:
            counted = next((c for c in of.children if c.dep_ == "pobj"), None)
        elif after is not None and after.pos_ == "NOUN" and after.head == root:
            counted = after
        elif root.dep_ == "pobj" and root.head.lower_ in {"to", "at"}:
            # "the number of refugees has risen to nearly 19,000", "the toll stands at 42",
            # "officials put the death toll at 38".
            verb = root.head.head
            nouns = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
            counted = next(
                (c for c in nouns if _category(c) or c.lemma_.lower() == "number"),
                next((c for c in nouns if c.dep_ != "dobj"), None),
            )
    if counted is not None and counted.lemma_.lower() == "number":
        of = next((c for c in counted.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None:
            counted = next((c for c in of.children if c.dep_ == "pobj"), counted)

    noun_category: str | None = None
    if counted is not None:
        noun_category = _category(counted)
        if noun_category is None:
            # "self-defence fighters", "armored personnel carriers": the compound may say it.
            for child in counted.children:
                if child.dep_ in {"compound", "amod"}:
                    noun_category = _category(child) or noun_category
        if noun_category is None:
            # A count of something outside the categories ("three border posts"): a verb
            # of fleeing nearby is about something else, but what is killed or wounded
            # as the verb's own object or subject ("killed four of their colleagues") is
            # a casualty whatever the noun.
            predicate = _casualty_predicate(counted, tokens)
            if (
                predicate is not None
                and _category(predicate) in {"killed", "wounded"}
                and predicate.i in {root.head.i, counted.head.i}
            ):
                return counted, predicate, _category(predicate)
            if counted.pos_ != "NOUN" or counted.i < tokens.start or _not_a_thing(counted):
                return counted, None, None
            return counted, None, "count"
    predicate = _casualty_predicate(counted if counted is not None else root, tokens)
    # "captured 14 tanks" says what happened to the tanks, not that people were detained.
    if (
        predicate is not None
        and (counted is None or predicate.i != counted.i)
        and noun_category not in {"weapons", "vehicles"}
    ):
        return counted, predicate, _category(predicate)
    return counted, None, noun_category


def _not_a_thing(token: Token) -> bool:
    return token.lemma_.lower() in _NOT_THINGS or token.ent_type_ in _NOT_COUNTS


def _casualty_predicate(head: Token, tokens: Span) -> Token | None:
    """The word saying the counted were killed, wounded, displaced ... if the text has one."""
    # Right after the figure: "10 killed and 40 wounded", "42 dead".
    doc = head.doc
    nxt = tokens.end
    if nxt < len(doc) and _category(doc[nxt]) in _CASUALTY:
        return doc[nxt]
    # Right before it, past any qualifier: "kills at least 12" in a headline the parser
    # cannot read.
    for back in range(tokens.start - 1, max(tokens.start - 4, -1), -1):
        if _category(doc[back]) in _CASUALTY and doc[back].pos_ in {"VERB", "NOUN"}:
            return doc[back]
        if doc[back].lower_ not in {
            "at",
            "least",
            "more",
            "than",
            "over",
            "nearly",
            "some",
            "about",
            "up",
            "to",
            "an",
            "estimated",
            "almost",
            "around",
        }:
            break
    # On the noun: "people killed in ...", "wounded civilians", "fighters reported dead",
    # "people who remain missing".
    for child in head.children:
        if child.dep_ in {"acl", "relcl", "amod"}:
            if _category(child) in _CASUALTY:
                return child
            for grandchild in child.children:
                if (
                    grandchild.dep_ in {"acomp", "oprd", "xcomp", "attr"}
                    and _category(grandchild) in _CASUALTY
                ):
                    return grandchild
    # Up the tree to the clause's verb: "42 people died", "killing an estimated 50 fighters",
    # "the number of refugees ... has risen to nearly 19,000"; "including" is passed over.
    token = head
    for _ in range(6):
        if token.head.i == token.i:
            break
        token = token.head
        if _category(token) in _CASUALTY:
            return token
        if token.pos_ in {"VERB", "AUX"}:
            # "30 fighters reported dead", "40 people were unaccounted for".
            for child in token.children:
                if (
                    child.dep_ in {"oprd", "acomp", "attr", "xcomp"}
                    and _category(child) in _CASUALTY
                ):
                    return child
            if token.lemma_ not in _PASS_OVER:
                break
    return None


# Verbs between a figure and what happened to it: "including", "had been", "has risen to".
_PASS_OVER = frozenset({"include", "be", "have", "rise", "reach", "stand"})


def _nearest(sent: Span, anchor: Span, labels: set[str]) -> tuple[int, int, str] | None:
    ents = [
        e
        for e in entities(sent.doc, sent)
        if e.label_ in labels
        and not (e.start <= anchor.start < e.end)
        and "-old" not in e.text  # "a 46-year-old" is an age, not a date
        and not e.text.replace(",", "").isdigit()  # nor is a bare figure the NER misread
    ]
    if not ents:
        return None
    near = min(ents, key=lambda e: abs(e.start - anchor.start))
    return near.start_char, near.end_char, near.text


__all__ = ["CATEGORIES", "QUALIFIERS", "VAGUE", "ClaimAnalyzer", "find_claims"]
