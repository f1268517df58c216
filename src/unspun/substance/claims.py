"""Numeric claims: how many were killed, wounded, displaced, detained, armed, paid.

Each ``claim`` record has spans ``value`` (the number as written: "19,000", "thirty",
"hundreds of thousands"), ``qualifier`` ("at least", "nearly", "an estimated"), ``counted``
(the noun counted: "people", "civilians", "refugees"), ``predicate`` (the word that says
what happened to them, when it is not the noun: "killed", "died", "wounded"), and ``place``
and ``date`` when the sentence names them. Attributes:

``value``      the number, for aggregation (see vague words below)
``low``        the smallest count the words allow, or ``None`` when they set no floor
``high``       the largest count the words allow, or ``None`` when they set no ceiling
``qualifier``  the qualifier in lower case, or ``None``
``category``   killed, wounded, missing, displaced, detained, fighters, weapons, people,
               money, percent
``counted``    the counted noun's lemma, or ``None``
``vague``      the number is a vague word ("dozens") rather than a figure
``place``, ``date``  as written in the sentence, or ``None``

Qualifiers set the bounds: "at least", "more than", "over", "upwards of", "in excess of",
"no fewer than", "no less than" give ``low = N`` and no ceiling; "up to", "nearly",
"almost", "fewer than", "less than", "at most", "as many as", "close to", "just under",
"under" give ``high = N`` and no floor; "about", "around", "some", "an estimated",
"estimated", "approximately", "roughly", "nearly all" give neither (an estimate); an
unqualified figure gives ``low = high = N``.

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

Vague words are only read as claims when what they count falls in one of the categories
above; figures in dates, times, ordinals and years are never claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

from spacy.tokens import Doc, Span, Token
from text_to_num import text2num  # type: ignore[import-untyped]

from unspun.article import Analysis
from unspun.substance.nlp import ParsedAnalyzer, entities, parse, text_of

_UNITS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety",
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# (words, value, low, high): longest first, so "hundreds of thousands" wins over "hundreds".
VAGUE: tuple[tuple[tuple[str, ...], int, int, int | None], ...] = (
    (("hundreds", "of", "thousands"), 100_000, 200_000, None),
    (("tens", "of", "thousands"), 10_000, 20_000, None),
    (("a", "dozen"), 12, 12, 12),
    (("several",), 10, 3, None),
    (("dozens",), 12, 24, None),
    (("scores",), 12, 40, None),
    (("hundreds",), 100, 200, None),
    (("thousands",), 1000, 2000, None),
    (("millions",), 1_000_000, 2_000_000, None),
)

QUALIFIERS: dict[str, str] = {
    "at least": "low", "more than": "low", "over": "low", "upwards of": "low",
    "in excess of": "low", "no fewer than": "low", "no less than": "low",
    "up to": "high", "nearly": "high", "almost": "high", "fewer than": "high",
    "less than": "high", "at most": "high", "as many as": "high", "close to": "high",
    "just under": "high", "under": "high",
    "about": "approx", "around": "approx", "some": "approx", "an estimated": "approx",
    "estimated": "approx", "approximately": "approx", "roughly": "approx", "nearly all": "approx",
}  # fmt: skip
_QUALIFIER_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True)) + r")\s+$",
    re.IGNORECASE,
)

# Lemmas that say what is counted. Casualty words on the verb ("42 people died") override
# the noun ("people"); among nouns the first match in this order wins.
CATEGORIES: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "killed",
        frozenset(
            {
                "kill",
                "die",
                "dead",
                "death",
                "killing",
                "slay",
                "murder",
                "massacre",
                "execute",
                "fatality",
                "body",
                "corpse",
                "life",
                "toll",
                "perish",
                "behead",
                "shoot dead",
            }
        ),
    ),
    ("wounded", frozenset({"wound", "wounded", "injure", "injured", "injury", "hurt", "maim"})),
    ("missing", frozenset({"missing", "disappear", "disappeared", "unaccounted"})),
    (
        "displaced",
        frozenset(
            {
                "refugee",
                "displace",
                "displaced",
                "flee",
                "evacuate",
                "evacuee",
                "homeless",
                "asylum",
                "idp",
            }
        ),
    ),
    (
        "detained",
        frozenset(
            {
                "arrest",
                "detain",
                "detainee",
                "prisoner",
                "capture",
                "hostage",
                "jail",
                "abduct",
                "kidnap",
                "imprison",
                "captive",
            }
        ),
    ),
    (
        "fighters",
        frozenset(
            {
                "fighter",
                "troop",
                "soldier",
                "militant",
                "rebel",
                "serviceman",
                "servicemen",
                "mercenary",
                "volunteer",
                "guerrilla",
                "combatant",
                "militiaman",
                "gunman",
                "insurgent",
                "paratrooper",
                "marine",
                "policeman",
                "police",
                "sniper",
                "reservist",
            }
        ),
    ),
    (
        "weapons",
        frozenset(
            {
                "tank",
                "missile",
                "rocket",
                "helicopter",
                "jet",
                "aircraft",
                "shell",
                "bomb",
                "drone",
                "artillery",
                "vehicle",
                "carrier",
                "warship",
                "gun",
                "rifle",
                "mortar",
                "plane",
                "grenade",
                "weapon",
                "launcher",
                "howitzer",
                "ship",
                "warhead",
                "round",
            }
        ),
    ),
    (
        "people",
        frozenset(
            {
                "people",
                "person",
                "civilian",
                "resident",
                "child",
                "woman",
                "man",
                "worker",
                "hooligan",
                "citizen",
                "protester",
                "demonstrator",
                "supporter",
                "student",
                "family",
                "victim",
                "inhabitant",
                "voter",
                "miner",
                "casualty",
                "member",
                "activist",
            }
        ),
    ),
)
_CASUALTY = {"killed", "wounded", "missing", "displaced", "detained"}
_CURRENCY = {
    "dollar", "euro", "rouble", "ruble", "hryvnia", "pound", "yuan", "franc", "$", "€", "£",
    "usd", "eur",
}  # fmt: skip
_PERCENT = {"percent", "per", "%", "pc"}

# Entity types whose numbers are never counts of anything.
_NOT_COUNTS = {"DATE", "TIME", "ORDINAL"}


@dataclass
class _Number:
    tokens: Span
    value: float
    low: float | None
    high: float | None
    vague: bool = False


@dataclass
class _Claim:
    number: _Number
    category: str
    counted: Token | None
    predicate: Token | None
    qualifier: tuple[int, int, str] | None
    place: Span | None = None
    date: Span | None = None
    extra: dict[str, object] = field(default_factory=dict)


class ClaimAnalyzer(ParsedAnalyzer):
    """Figures and their qualifiers: tolls, counts of fighters and weapons, money, percent."""

    name: ClassVar[str] = "claims"
    version: ClassVar[str] = "0.1.0"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("spans:claim", "records:claim")

    def __call__(self, analysis: Analysis) -> None:
        doc = parse(analysis)
        for claim in find_claims(doc):
            self._write(analysis, claim)

    def _write(self, analysis: Analysis, claim: _Claim) -> None:
        def add(start: int, end: int, label: str) -> tuple[str, ...]:
            return (analysis.add_span(start, end, label, analyzer=self.name).id,)

        num = claim.number
        spans = {"value": add(num.tokens.start_char, num.tokens.end_char, "claim.value")}
        qualifier = None
        if claim.qualifier is not None:
            start, end, qualifier = claim.qualifier
            spans["qualifier"] = add(start, end, "claim.qualifier")
        for role, token in (("counted", claim.counted), ("predicate", claim.predicate)):
            if token is not None:
                spans[role] = add(token.idx, token.idx + len(token.text), f"claim.{role}")
        for role, ent in (("place", claim.place), ("date", claim.date)):
            if ent is not None:
                spans[role] = add(ent.start_char, ent.end_char, f"claim.{role}")
        analysis.add_record(
            "claim",
            analyzer=self.name,
            spans=spans,
            attrs={
                "value": _plain(num.value),
                "low": _plain(num.low),
                "high": _plain(num.high),
                "qualifier": qualifier,
                "category": claim.category,
                "counted": claim.counted.lemma_.lower() if claim.counted is not None else None,
                "vague": num.vague,
                "place": claim.place.text if claim.place is not None else None,
                "date": claim.date.text if claim.date is not None else None,
            },
        )


def _plain(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def find_claims(doc: Doc) -> Iterator[_Claim]:
    """Every numeric claim in the parsed text, in order."""
    for number in _numbers(doc):
        counted, predicate, category = _what_is_counted(number.tokens)
        if category is None:
            continue
        qualifier = _qualifier(doc, number)
        if qualifier is not None and not number.vague:
            number = _bounded(number, QUALIFIERS[qualifier[2]])
        sent = number.tokens.sent
        yield _Claim(
            number=number,
            category=category,
            counted=counted,
            predicate=predicate,
            qualifier=qualifier,
            place=_nearest(sent, number.tokens, {"GPE", "LOC", "FAC"}),
            date=_nearest(sent, number.tokens, {"DATE"}),
        )


def _bounded(number: _Number, kind: str) -> _Number:
    value = number.value
    if kind == "low":
        return _Number(number.tokens, value, value, None)
    if kind == "high":
        return _Number(number.tokens, value, None, value)
    return _Number(number.tokens, value, None, None)


def _qualifier(doc: Doc, number: _Number) -> tuple[int, int, str] | None:
    sent = number.tokens.sent
    start = number.tokens.start_char
    window = text_of(doc)[max(sent.start_char, start - 30) : start]
    m = _QUALIFIER_RE.search(window)
    if m is None:
        return None
    offset = start - len(window)
    return offset + m.start(1), offset + m.end(1), m.group(1).lower()


def _numbers(doc: Doc) -> Iterator[_Number]:
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        vague = _vague_at(doc, i)
        if vague is not None:
            length, value, low, high = vague
            yield _Number(doc[i : i + length], value, low, high, vague=True)
            i += length
            continue
        if (tok.ent_type_ in _NOT_COUNTS and not _lone_number_entity(tok)) or _is_year(tok):
            i += 1
            continue
        if any(ch.isdigit() for ch in tok.text) and tok.like_num:
            j = i + 1
            digits = _digits(tok.text)
            if digits is None:
                i += 1
                continue
            if j < n and doc[j].lower_ in _SCALES:
                digits *= _SCALES[doc[j].lower_]
                j += 1
            yield _Number(doc[i:j], digits, digits, digits)
            i = j
            continue
        if tok.lower_ in _UNITS or (tok.lower_ in _SCALES and i > 0 and doc[i - 1].lower_ == "a"):
            j = i
            while j < n and (
                doc[j].lower_ in _UNITS
                or doc[j].lower_ in _SCALES
                or (
                    doc[j].text in {"-", "and"}
                    and j + 1 < n
                    and doc[j + 1].lower_ in _UNITS | set(_SCALES)
                )
            ):
                j += 1
            start = i - 1 if tok.lower_ in _SCALES else i
            words = doc[start:j].text.replace("-", " ")
            try:
                spelled = float(text2num(words.replace(" and ", " "), "en"))
            except ValueError:
                i = j
                continue
            if not (tok.lower_ == "one" and j == i + 1):
                yield _Number(doc[start:j], spelled, spelled, spelled)
            i = j
            continue
        i += 1


_VAGUE_FIRST = frozenset(words[0] for words, *_ in VAGUE)


def _lone_number_entity(tok: Token) -> bool:
    """A bare figure the NER called a date or time ("put the toll at 38"): it is no date."""
    doc = tok.doc
    starts = tok.ent_iob_ == "B"
    ends = tok.i + 1 >= len(doc) or doc[tok.i + 1].ent_iob_ != "I"
    return starts and ends and tok.text.replace(",", "").isdigit()


def _vague_at(doc: Doc, i: int) -> tuple[int, int, int, int | None] | None:
    if doc[i].lower_ not in _VAGUE_FIRST:
        return None
    for words, value, low, high in VAGUE:
        k = len(words)
        if i + k <= len(doc) and tuple(t.lower_ for t in doc[i : i + k]) == words:
            return k, value, low, high
    return None


def _digits(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("\u202f", "").replace("\u00a0", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _is_year(tok: Token) -> bool:
    return bool(re.fullmatch(r"1[89]\d\d|20\d\d", tok.text)) and not (
        tok.i + 1 < len(tok.doc) and tok.nbor().lemma_.lower() in _category_words()
    )


@lru_cache(maxsize=1)
def _category_words() -> frozenset[str]:
    return frozenset().union(*(words for _, words in CATEGORIES))


def _category(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    text = token.lower_
    for name, words in CATEGORIES:
        if lemma in words or text in words:
            return name
    return None


def _what_is_counted(tokens: Span) -> tuple[Token | None, Token | None, str | None]:
    """(counted noun, predicate, category) for the number ``tokens``."""
    doc = tokens.doc
    last = tokens[-1]
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if after is not None and (after.lower_ in _PERCENT or after.text == "%"):
        return None, None, "percent"
    before = doc[tokens.start - 1] if tokens.start > 0 else None
    if (before is not None and before.lower_ in _CURRENCY) or tokens.root.ent_type_ == "MONEY":
        return None, None, "money"
    if after is not None and after.lemma_.lower() in _CURRENCY:
        return after, None, "money"

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
            return counted, None, None
    predicate = _casualty_predicate(counted if counted is not None else root, tokens)
    if predicate is not None and (counted is None or predicate.i != counted.i):
        return counted, predicate, _category(predicate)
    return counted, None, noun_category


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


def _nearest(sent: Span, anchor: Span, labels: set[str]) -> Span | None:
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
    return min(ents, key=lambda e: abs(e.start - anchor.start))


__all__ = ["CATEGORIES", "QUALIFIERS", "VAGUE", "ClaimAnalyzer", "find_claims"]
