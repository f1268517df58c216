"""Which stored articles report the same event, and how each one tells it.

**Grouping.** The unit of comparison is an *incident*: a claim or event record that names a
place (its ``place`` attribute). Two articles are put in one group when

1. their publication dates are at most ``window_days`` apart (default 60: follow-up reports
   revisit an event weeks later); an article without a date is compared with every other;
2. they share an incident: an incident in each with
   - a common *anchor place*: a normalised place key ("the city of X" stays itself; a
     possessive "X’s Trade Union House" also yields "x") that is not too general, i.e.
     named in incidents of at most ``max(2, N/2)`` of the N articles (in a corpus about
     one war, "Ukraine" anchors nothing);
   - a common kind: the claim's category ("killed", "detained" ...) or the event's type
     ("ASSAULT" ...), with an event's casualty attributes counting as kinds too;
   - overlapping dates: the event's resolved date, else its date phrase read against the
     publication date ("last month" is that whole month), else the week before
     publication, widened by ``DATE_SLACK_DAYS``; no date at all overlaps everything;
3. their score is at least ``min_score`` (default 0.1), where
   ``score = Jaccard(entity keys) + CATEGORY_BONUS × shared claim categories``: entity
   keys are the normalised places and actor names of each article (a PERSON by last name,
   so "Petro Poroshenko" and "Poroshenko" are one key).

A group is a connected component of the pairs linked *through one anchor place* (articles
with the same member set are merged, their anchors listed together). Linking through any
place would chain a corpus into one group (A and B share Odessa, B and C share Donetsk);
an article that reports two events sits in two groups. The score ranks and explains; the
shared incident is what makes a pair. No embeddings are used.

**Actor comparison.** Actors found in at least two articles, keyed as above, with each
article's mentions, the portrayal words the actors analyzer attached, and the persuasion
technique spans that overlap a mention.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Generic, TypeVar

from unspun.article import Analysis, Record
from unspun.corpus.analyses import SpanIndex, outlet_of
from unspun.corpus.defaults import DEFAULT_MIN_SCORE, DEFAULT_WINDOW_DAYS
from unspun.substance.sites import SITE_NOUNS

CATEGORY_BONUS = 0.2
DATE_SLACK_DAYS = 3
EXACT_DATE_SLACK_DAYS = 1
# Without a date phrase, an incident is taken to have happened in the week before publication.
UNDATED_LOOKBACK_DAYS = 7
#: How much each kind of evidence adds to a scored link (see :func:`link_score`).
LINK_WEIGHTS: dict[str, float] = {
    "place": 1.0,  # a place both name, or a district and a village the text puts in it
    "general_place": 0.3,  # a place named across most of the corpus ("Ukraine")
    "family": 0.5,  # a family of types both tell (violence, protest, coercion ...)
    "day": 0.5,  # both name a day, and the days are at most a night apart
    "dates": 0.25,  # vaguer dates that overlap
    "actor": 0.3,  # each shared participant, at most two
    "word": 0.2,  # each shared salient word of the trigger phrases, at most three
    "figure": 0.4,  # one figure of one category both give
}
#: The score two incidents must reach to be one event; chosen on the dev and heldout link
#: gold (``benchmarks/substance_links.py --sweep``).
LINK_THRESHOLD = 1.7
#: ``scored``: incidents from every event, linked by :func:`link_score`; ``rules``: the
#: earlier design, a shared place, family and dates all required (:func:`match_pair`).
LINK_DESIGNS = ("scored", "rules")
DEFAULT_LINKS = "scored"

_POSSESSIVE = re.compile(r"^(.+?)['’]s\b")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")

Interval = tuple[dt.date, dt.date]

_YEAR = re.compile(r"(?:(?:the|in|en)\s+)?((?:19|20)\d\d)", re.IGNORECASE)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _LEADING_THE.sub("", text.strip())).lower()


def place_keys(place: str) -> set[str]:
    """The keys a place phrase is matched by: itself, the place that owns it, if any, and
    the name without its administrative word ("the Harrow district", "district de Mervane"
    are also "harrow", "mervane")."""
    text = _clean(place.replace("'", "’"))
    if not text:
        return set()
    keys = {text.replace("’s ", " ")}
    m = _POSSESSIVE.match(text)
    if m:
        keys.add(m.group(1).strip())
    bare = _ADMIN_AFTER.sub("", _ADMIN_BEFORE.sub("", text)).strip()
    if bare and bare != text:
        keys.add(bare)
    words = text.split(" ")
    if len(words) > 2 and words[0] in SITE_NOUNS and words[1] in {"of", "de", "du", "d’"}:
        # "prison de Lorvenne", "market of Drossel": the town the site is in.
        keys.add(" ".join(words[2:]))
    return keys


_ADMIN = (
    r"district|region|province|county|municipality|commune|village|town|city|département|région"
    r"|ville|canton|arrondissement|neighbourhood|neighborhood|quartier|borough"
)
_ADMIN_BEFORE = re.compile(rf"^(?:{_ADMIN})\s+(?:of|de|du|des|de la|d’)\s*", re.IGNORECASE)
_ADMIN_AFTER = re.compile(rf"\s+(?:{_ADMIN})$", re.IGNORECASE)
# "Pellin, a village in the Harrow district", "Brézolles, un village du district de
# Mervane", "Orsk in the Dallow region": the place that holds the event's place. A bare "in
# Varnia" or "in March" is not read: only a settlement noun or an administrative word says
# the name is a place around the first.
_NAME = r"[A-ZÀ-Ý][\w’-]+(?:\s+[A-ZÀ-Ý][\w’-]+)*"
_AREA = r"district|région|region|province|département|county|canton|arrondissement"
_CONTAINER = rf"(?:(?:{_AREA})\s+(?:de\s+|du\s+|d’|of\s+)?(?P<n1>{_NAME})|(?P<n2>{_NAME}(?:\s+(?:{_AREA}))?))"
_WITHIN = re.compile(
    r"(?:,\s*(?:a|an|another|the|un|une|la|le)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:village|town|city|hamlet|suburb|district|commune|localité|ville|bourg|quartier"
    r"|neighbourhood|neighborhood|hameau)\s+"
    r"(?:in|of|near|du|de|de la|de l’|dans)\s+(?:the\s+|le\s+|la\s+|l’)?" + _CONTAINER
    + rf"|,?\s+(?:in|dans)\s+(?:the\s+|le\s+|la\s+|l’)(?:(?:{_AREA})\s+(?:de\s+|du\s+|d’|of\s+)?(?P<n3>{_NAME})|(?P<n4>{_NAME})\s+(?:{_AREA})))"
)


# Containment told anywhere in the article, for any mention of the small place: "the
# Tilleuls neighbourhood of Valdrigny", "le quartier des Tilleuls, à Valdrigny", "à Lestrelle
# (Morvalle)", and the forms ``_WITHIN`` reads after a name ("Orsel, a village in the Harrow
# district", "Lestrelle, dans le canton de Morvalle").
_PART = r"neighbourhood|neighborhood|district|quarter|suburb|area"
_CONTAINS = re.compile(
    rf"\b(?:the\s+)?(?P<a1>{_NAME})\s+(?:{_PART})\s+of\s+(?P<c1>{_NAME})"
    rf"|\b(?:quartier|faubourg|hameau|cité)\s+(?:des\s+|du\s+|de\s+la\s+|de\s+l’|de\s+|d’)?(?P<a2>{_NAME}),?\s+(?:à|de)\s+(?P<c2>{_NAME})"
    rf"|(?<![\w’])à\s+(?P<a3>{_NAME})\s+\((?P<c3>{_NAME})\)"
)
_SMALL_NAME = re.compile(rf"(?P<small>{_NAME})(?=,?\s)")


def containers(text: str) -> dict[str, set[str]]:
    """Place key -> keys of the places the article says hold it."""
    text = text.replace("'", "’")
    out: dict[str, set[str]] = defaultdict(set)
    for m in _CONTAINS.finditer(text):
        n = next(i for i in "123" if m.group(f"a{i}"))
        small, big = m.group(f"a{n}"), m.group(f"c{n}")
        # "à Lyon (AFP)": an agency in brackets, not a place.
        if big.isupper() or in_side_name(text, m.start(f"c{n}"), m.end(f"c{n}")):
            continue
        for key in place_keys(small):
            out[key] |= place_keys(big) - place_keys(small)
    for m in _SMALL_NAME.finditer(text):
        w = _WITHIN.match(text, m.end(), min(len(text), m.end() + 90))
        if w is None:
            continue
        group = next(g for g in ("n1", "n2", "n3", "n4") if w.group(g))
        if in_side_name(text, w.start(group), w.end(group)):
            continue
        small = m.group("small")
        for key in place_keys(small):
            out[key] |= place_keys(w.group(group)) - place_keys(small)
    return dict(out)


def name_key(name: str, type_: str | None = None) -> str:
    """The key that unifies an actor's names across articles: a PERSON's last name, else the
    whole name, lower case, without a possessive."""
    words = [w for w in _clean(name.replace("'", "’")).replace("’s", "").split() if w]
    if not words:
        return ""
    if type_ == "PERSON":
        return words[-1].strip(".,")
    return " ".join(words)


def speaker_key(name: str) -> str:
    """A quote speaker's key: a capitalised name as a PERSON, anything else whole."""
    words = name.split()
    looks_named = bool(words) and all(w[:1].isupper() for w in words) and len(words) <= 3
    return name_key(name, "PERSON" if looks_named else None)


def _month(day: dt.date, back: int) -> Interval:
    year, month = day.year, day.month - back
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def date_interval(iso: str | None, phrase: str | None, published: dt.date | None) -> Interval | None:
    """When an incident happened, as a range of days; None when nothing dates it."""
    if iso:
        try:
            day = dt.date.fromisoformat(iso)
        except ValueError:
            day = None
        if day is not None:
            return day, day
    year = _YEAR.fullmatch((phrase or "").strip())
    if year:
        # "2029", "the 2029 bombing": that whole year, not the week before publication.
        number = int(year.group(1))
        return dt.date(number, 1, 1), dt.date(number, 12, 31)
    if published is None:
        return None
    lower = (phrase or "").lower()
    if "last month" in lower:
        return _month(published, 1)
    if "this month" in lower:
        return _month(published, 0)
    if "last week" in lower:
        return published - dt.timedelta(days=14), published
    if phrase:
        # Imported here: the events module loads spaCy, which every CLI start would pay for.
        from unspun.substance.events import resolve_date

        day = resolve_date(phrase, published)
        if day is not None:
            return day, day
    return published - dt.timedelta(days=UNDATED_LOOKBACK_DAYS), published


def _overlap(a: Interval | None, b: Interval | None) -> bool:
    if a is None or b is None:
        return True
    # Two days each article names ("on Monday", "on April 13") may differ by a night ("on
    # Tuesday night", told as Wednesday); anything vaguer keeps the wider slack.
    days = EXACT_DATE_SLACK_DAYS if a[0] == a[1] and b[0] == b[1] else DATE_SLACK_DAYS
    slack = dt.timedelta(days=days)
    return a[0] - slack <= b[1] and b[0] - slack <= a[1]


@dataclass(frozen=True)
class Figure:
    """A casualty or detention figure told of an incident."""

    record: str
    category: str
    value: float
    qualifier: str | None
    as_written: str
    start: int
    end: int


@dataclass(frozen=True)
class Incident:
    """One event as one article tells it: the unit articles are matched on.

    Event records of one article are joined into one incident when they share a place, a
    family of types and dates; an event whose sentence names no place takes the place of
    the latest incident of its family in its paragraph or the one before ("In all, 42
    people died" after "the massacre in Odessa"), and so do casualty figures whose
    sentence holds no event of their family. A claim that names its own place and no
    event stands alone, as before events were read.
    """

    record: str
    places: frozenset[str]
    place: str
    kinds: frozenset[str]
    when: Interval | None
    start: int
    end: int
    records: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    #: keys of the places that hold this one ("harrow" for "Pellin, a village in the Harrow
    #: district"): another article naming only the district tells of the same place.
    within: frozenset[str] = frozenset()
    #: keys of the events' participants (actor and target: "gunmen", "police", "Varga")
    actors: frozenset[str] = frozenset()
    #: salient words (six-letter stems) of the phrases around the events' triggers
    words: frozenset[str] = frozenset()

    @property
    def families(self) -> frozenset[str]:
        return frozenset(FAMILIES.get(k, k) for k in self.kinds)


# Kinds that tell of one kind of incident: one article's "massacre" is another's "attack",
# "clashes" or a count of the dead.
FAMILIES = {
    "ASSAULT": "violence", "FIGHT": "violence", "killed": "violence", "wounded": "violence",
    "missing": "violence", "COERCE": "coercion", "detained": "coercion",
}  # fmt: skip
FIGURE_CATEGORIES = ("killed", "wounded", "missing", "detained", "displaced")
_SIDE_WORD = re.compile(r"(?:\b(?:pro|anti)-\s*$)", re.IGNORECASE)
_SIDE_SUFFIX = re.compile(r"^-(?:backed|led|controlled|held|based|leaning|allied)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’»]?\s+")


@dataclass
class ArticleFacts:
    """What comparison needs of one analysis, extracted once."""

    analysis: Analysis
    index: SpanIndex
    incidents: list[Incident] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)
    claim_categories: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.analysis.article.id

    @property
    def published(self) -> dt.date | None:
        return self.analysis.article.meta.published


def _record_range(analysis: Analysis, record: Record) -> tuple[int, int] | None:
    ids = [i for ids in record.spans.values() for i in ids]
    spans = [s for s in analysis.spans if s.id in set(ids)]
    if not spans:
        return None
    return min(s.start for s in spans), max(s.end for s in spans)


def in_side_name(text: str, start: int, end: int) -> bool:
    """The name at ``text[start:end]`` is part of a side's name ("pro-Russia", "Kiev-backed"),
    so it says whose side someone is on, not where anything happened."""
    return bool(_SIDE_WORD.search(text[max(0, start - 5) : start]) or _SIDE_SUFFIX.match(text[end : end + 12]))


def claim_place(analysis: Analysis, record: Record) -> str | None:
    """A claim's place, unless the name sits inside a side's name ("50 pro-Russia gunmen")."""
    place = _str(record.attrs.get("place"))
    ids = record.spans.get("place", ())
    if place and ids:
        span = analysis.span(ids[0])
        if in_side_name(analysis.text, span.start, span.end):
            return None
    return place


class _Sentences:
    """Sentence and paragraph of an offset: the stored sentence spans, else a plain split."""

    def __init__(self, facts: ArticleFacts) -> None:
        self.index = facts.index
        self.paragraphs = [p.start for p in facts.analysis.article.paragraphs]
        self.fallback: list[tuple[int, int]] = []
        if not facts.index.sentences:
            text = facts.analysis.text
            for p in facts.analysis.article.paragraphs:
                begin = p.start
                for m in _SENTENCE_END.finditer(text, p.start, p.end):
                    self.fallback.append((begin, m.start()))
                    begin = m.end()
                self.fallback.append((begin, p.end))

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self.index.sentences:
            return self.index.sentence(start, end)
        i = bisect.bisect_right([s for s, _ in self.fallback], start) - 1
        return self.fallback[i] if i >= 0 and self.fallback[i][1] >= end else (start, end)

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraphs, offset) - 1


@dataclass
class _Draft:
    records: list[str]
    places: set[str]
    place: str
    kinds: set[str]
    when: Interval | None
    start: int
    end: int
    #: where (offset, paragraph) the article tells of it, for the figures and events after
    points: list[tuple[int, int]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    within: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    #: a kidnapping or hostage taking is told of it
    taking: bool = False

    def families(self) -> set[str]:
        return {FAMILIES.get(k, k) for k in self.kinds}


def facts(analysis: Analysis) -> ArticleFacts:
    """The incidents, entity keys and claim categories of one analysis."""
    found = ArticleFacts(analysis, SpanIndex(analysis))
    published = analysis.article.meta.published
    where = _Sentences(found)
    events: list[tuple[int, int, int, Record]] = []
    claims: list[tuple[int, int, int, Record]] = []
    for record in analysis.records:
        attrs = record.attrs
        if record.type == "claim" and isinstance(attrs.get("category"), str):
            found.claim_categories.add(str(attrs["category"]))
        if record.type == "actor" and isinstance(attrs.get("name"), str):
            key = name_key(str(attrs["name"]), str(attrs.get("type") or ""))
            if key:
                found.entities.add(key)
        if record.type not in ("claim", "event"):
            continue
        span = _record_range(analysis, record)
        if span is None:
            continue
        place = claim_place(analysis, record) if record.type == "claim" else _str(attrs.get("place"))
        if place:
            found.entities |= place_keys(place)
        start, end = where.sentence(*span)
        (events if record.type == "event" else claims).append((start, end, span[0], record))
    drafts: list[_Draft] = []
    by_sentence: dict[int, list[_Draft]] = defaultdict(list)
    # Events that name their place first: an event told without one ("after the rally turned
    # violent") joins an incident of its own sentence, whichever comes first in it.
    for start, end, at, record in sorted(events, key=lambda e: (not e[3].attrs.get("place"), e[2], e[3].id)):
        attrs = record.attrs
        kinds = {str(attrs.get("type"))}
        family = FAMILIES.get(str(attrs.get("type")), str(attrs.get("type")))
        paragraph = where.paragraph(start)
        when = date_interval(_str(attrs.get("date")), _str(attrs.get("date_text")), published)
        place = _str(attrs.get("place"))
        keys = place_keys(place) if place else set()
        actors, words = _participants(record), _trigger_words(analysis, record, start, end)
        if not keys:
            host = next(iter(by_sentence.get(start, [])), None) or _latest(drafts, family, paragraph, at)
            if host is None:
                # Told without a place (a headline's "Protesters clash with police"): an
                # incident of its own, which only the scored links can match.
                host = _Draft([], set(), "", set(), when, start, end)
                drafts.append(host)
            host.records.append(record.id)
            host.kinds |= kinds
            host.actors |= actors
            host.words |= words
            host.points.append((at, paragraph))
            by_sentence[start].append(host)
            continue
        # One sentence telling of arrests at a march, or of a raid that killed, at one place
        # and time tells of one incident, whatever the families.
        same = next(
            (
                d
                for d in drafts
                if d.places & keys
                and (family in d.families() or d in by_sentence.get(start, []))
                and _overlap(d.when, when)
            ),
            None,
        )
        if same is None:
            same = _Draft([], set(keys), str(place), set(), when, start, end)
            drafts.append(same)
        same.within |= _within(analysis, record) - same.places
        same.taking |= _is_taking(analysis, record)
        same.records.append(record.id)
        same.kinds |= kinds
        same.actors |= actors
        same.words |= words
        same.points.append((at, paragraph))
        if same.when is None or (when is not None and when[1] - when[0] < same.when[1] - same.when[0]):
            # A headline names no day; the body's "on Saturday" dates the incident.
            same.when = when
        by_sentence[start].append(same)
    for start, end, at, record in sorted(claims, key=lambda c: (c[2], c[3].id)):
        attrs = record.attrs
        category = str(attrs.get("category"))
        if category not in FIGURE_CATEGORIES:
            # A crowd, a sum or a count of tanks is no incident of its own, and two articles
            # counting "people" at one place are not telling of one event for that.
            continue
        family = FAMILIES.get(category, category)
        hosts = _HOST_FAMILIES.get(family, (family,))
        host = next((d for d in by_sentence.get(start, []) if d.families() & set(hosts)), None)
        place = claim_place(analysis, record)
        if host is None and place and category == "detained":
            # "Quatre ingénieurs ont été enlevés à Lestrelle": a count of people taken at
            # the place of the sentence's kidnapping is that kidnapping's.
            host = next(
                (d for d in by_sentence.get(start, []) if d.taking and d.places & place_keys(place)), None
            )
        if host is None and not place and category in FIGURE_CATEGORIES:
            host = _latest(drafts, family, where.paragraph(start), at)
        if host is None and place:
            keys = place_keys(place)
            if not keys:
                continue
            when = date_interval(None, _str(attrs.get("date")), published)
            host = _Draft([], set(keys), place, set(), when, start, end, [(at, where.paragraph(start))])
            drafts.append(host)
        if host is None:
            continue
        host.records.append(record.id)
        host.kinds.add(category)
        figure = _figure(analysis, record)
        if figure is not None and category in FIGURE_CATEGORIES:
            host.figures.append(figure)
    held = containers(analysis.text)
    for d in drafts:
        for key in set(d.places):
            d.within |= held.get(key, set())
        found.incidents.append(
            Incident(
                d.records[0], frozenset(d.places), d.place, frozenset(d.kinds), d.when, d.start,
                d.end, tuple(d.records), tuple(d.figures), frozenset(d.within - d.places),
                frozenset(d.actors), frozenset(d.words),
            )
        )  # fmt: skip
    return found


_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# Words that say nothing of which incident it was: function words, reporting verbs, and the
# words every report of violence uses. English and French.
_PLAIN_WORDS = frozenset(
    """about after against also among around before being between could during from have into
    more most near other over said says since some than that their them then there these
    they this those through told under were what when where which while with would according
    people least police officials official reported report reports local town city village
    area region district early late night morning afternoon evening week month year monday
    tuesday wednesday thursday friday saturday sunday yesterday today avec dans depuis leur
    leurs mais même selon sont sous tout tous toute toutes vers était étaient après avant
    entre dont être avoir personnes moins ville samedi dimanche lundi mardi mercredi jeudi
    vendredi hier killing killed kill wounding wounded injured injuring died dead death deaths
    tuant tués tuées blessant blessés blessées morts mort three four five seven eight nine
    twelve twenty thirty forty fifty hundred hundreds dozen dozens trois quatre cinq sept huit
    neuf douze vingt trente quarante cinquante cent cents dizaine dizaines""".split()  # noqa: SIM905
)
#: characters either side of a trigger read for its salient words
_PHRASE_CHARS = 40


def _participants(record: Record) -> set[str]:
    """Keys of an event's actor and target: the last word, without a plural ``s``."""
    out = set()
    for role in ("actor", "target"):
        name = _str(record.attrs.get(role))
        words = _clean(name).replace("’s", "").split() if name else []
        if words:
            word = words[-1].strip(".,")
            out.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return out - {"", "he", "she", "they", "it", "il", "elle", "ils", "elles", "who", "qui"}


def _trigger_words(analysis: Analysis, record: Record, start: int, end: int) -> set[str]:
    """Salient words of the phrase around an event's trigger ("fuel", "drone", "market"),
    stemmed to six letters; names are left to places and participants."""
    ids = record.spans.get("trigger", ())
    if not ids:
        return set()
    trigger = analysis.span(ids[0])
    text = analysis.text[max(start, trigger.start - _PHRASE_CHARS) : min(end, trigger.end + _PHRASE_CHARS)]
    return {
        w.lower()[:6]
        for w in _WORD.findall(text)
        if len(w) > 3 and not w[0].isupper() and w.lower() not in _PLAIN_WORDS
    }


_TAKING = re.compile(r"kidnap|abduct|seiz|hostage|otage|enl[eè]v|rapt|s[ée]quest", re.IGNORECASE)


def _is_taking(analysis: Analysis, record: Record) -> bool:
    """The event's trigger tells of people taken: a kidnapping, a hostage taking."""
    ids = record.spans.get("trigger", ())
    if not ids or record.attrs.get("type") != "ASSAULT":
        return False
    span = analysis.span(ids[0])
    return bool(_TAKING.match(analysis.text[span.start : span.end]))


def _within(analysis: Analysis, record: Record) -> set[str]:
    """Keys of the place the event's place lies in, as the words right after it say."""
    ids = record.spans.get("place", ())
    if not ids:
        return set()
    span = analysis.span(ids[0])
    m = _WITHIN.match(analysis.text.replace("'", "’"), span.end, min(len(analysis.text), span.end + 90))
    if m is None:
        return set()
    group = next(g for g in ("n1", "n2", "n3", "n4") if m.group(g))
    if in_side_name(analysis.text, m.start(group), m.end(group)):
        return set()
    return place_keys(m.group(group))


# Arrests told after a march ("Police detained 30 protesters.") are arrests at the march.
# The dead of a fire, a flood or a collapse are its toll.
_HOST_FAMILIES = {"coercion": ("coercion", "PROTEST"), "violence": ("violence", "DISASTER")}


def _latest(drafts: list[_Draft], family: str, paragraph: int, before: int) -> _Draft | None:
    """The incident of this family told last before ``before``, in this paragraph or the one
    before; for arrests, a march told last will do when no earlier arrest was."""
    best: tuple[int, _Draft] | None = None
    families = _HOST_FAMILIES.get(family, (family,))
    for d in drafts:
        if not d.families() & set(families):
            continue
        told = [at for at, p in d.points if at <= before and paragraph - 1 <= p <= paragraph]
        if told and (best is None or max(told) > best[0]):
            best = (max(told), d)
    return best[1] if best else None


def _figure(analysis: Analysis, record: Record) -> Figure | None:
    ids = record.spans.get("value", ())
    value = record.attrs.get("value")
    if not ids or not isinstance(value, int | float):
        return None
    span = analysis.span(ids[0])
    qualifier = record.attrs.get("qualifier")
    return Figure(
        record.id, str(record.attrs.get("category")), float(value),
        qualifier if isinstance(qualifier, str) else None, analysis.span_text(span), span.start, span.end,
    )  # fmt: skip


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class PairMatch:
    a: str
    b: str
    score: float
    jaccard: float
    shared_categories: list[str]
    anchors: list[str]
    incidents: list[tuple[Incident, Incident]]


def _general_places(all_facts: Sequence[ArticleFacts]) -> set[str]:
    df: Counter[str] = Counter()
    for f in all_facts:
        df.update({k for inc in f.incidents for k in inc.places})
    limit = max(2.0, len(all_facts) / 2)
    return {k for k, n in df.items() if n > limit}


def _shared_places(x: Incident, y: Incident) -> frozenset[str]:
    """The places two incidents share: a place both name, or the district one names that
    holds the village the other names. Two villages of one district share nothing."""
    return (x.places & y.places) | (x.places & y.within) | (x.within & y.places)


def match_pair(
    a: ArticleFacts, b: ArticleFacts, general: set[str], window_days: int
) -> PairMatch | None:
    """The evidence that two articles report the same event, or None."""
    if a.published and b.published and abs((a.published - b.published).days) > window_days:
        return None
    pairs = [
        (x, y)
        for x in a.incidents
        for y in b.incidents
        if _shared_places(x, y) - general and x.families & y.families and _overlap(x.when, y.when)
    ]
    if not pairs:
        return None
    union = a.entities | b.entities
    jaccard = len(a.entities & b.entities) / len(union) if union else 0.0
    shared = sorted(a.claim_categories & b.claim_categories)
    anchors = sorted({k for x, y in pairs for k in _shared_places(x, y) - general})
    score = round(jaccard + CATEGORY_BONUS * len(shared), 3)
    return PairMatch(a.id, b.id, score, round(jaccard, 3), shared, anchors, pairs)


def candidate_pairs(
    all_facts: Sequence[ArticleFacts], general: set[str]
) -> list[tuple[ArticleFacts, ArticleFacts]]:
    """The pairs that share an anchor place: the only ones that can match, found through an
    index of places so that a large corpus is not compared all against all."""
    by_place: dict[str, set[int]] = defaultdict(set)
    for n, f in enumerate(all_facts):
        for inc in f.incidents:
            for key in (inc.places | inc.within) - general:
                by_place[key].add(n)
    pairs = {pair for members in by_place.values() for pair in combinations(sorted(members), 2)}
    return [(all_facts[i], all_facts[j]) for i, j in sorted(pairs)]


_Node = TypeVar("_Node", bound=Hashable)


class _Groups(Generic[_Node]):
    """Nodes joined by links (union-find), read back as their connected groups in the order
    the nodes were first seen."""

    def __init__(self, nodes: Iterable[_Node] = ()) -> None:
        self._parent: dict[_Node, _Node] = {n: n for n in nodes}

    def _root(self, node: _Node) -> _Node:
        parent = self._parent
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(self, a: _Node, b: _Node) -> None:
        self._parent[self._root(a)] = self._root(b)

    def groups(self) -> list[list[_Node]]:
        members: dict[_Node, list[_Node]] = defaultdict(list)
        for node in list(self._parent):
            members[self._root(node)].append(node)
        return list(members.values())


def _components(ids: Sequence[str], edges: Iterable[PairMatch]) -> list[list[str]]:
    found: _Groups[str] = _Groups(ids)
    for e in edges:
        found.join(e.a, e.b)
    return [g for g in found.groups() if len(g) > 1]


def _span_json(analysis: Analysis, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": analysis.text[start:end]}


def _techniques(index: SpanIndex, start: int, end: int) -> list[dict[str, Any]]:
    return [
        {"label": s.label, "start": s.start, "end": s.end, "text": index.analysis.span_text(s)}
        for s in index.techniques_over(start, end)
    ]


def _speakers(analysis: Analysis) -> dict[str, tuple[str, int]]:
    """Speaker key -> (fullest name as written, quotes)."""
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for r in analysis.records:
        speaker = r.attrs.get("speaker") if r.type == "quote" else None
        if not isinstance(speaker, str) or not speaker.strip():
            continue
        key = speaker_key(speaker)
        counts[key] += 1
        if len(speaker) > len(names.get(key, "")):
            names[key] = speaker
    return {k: (names[k], n) for k, n in counts.most_common()}


def _claims(f: ArticleFacts, anchors: Sequence[str]) -> list[dict[str, Any]]:
    analysis = f.analysis
    out: list[dict[str, Any]] = []
    for r in analysis.records:
        if r.type != "claim":
            continue
        value_ids = r.spans.get("value", ())
        if not value_ids:
            continue
        value = analysis.span(value_ids[0])
        start, end = f.index.sentence(value.start, value.end)
        sentence = analysis.text[start:end].lower()
        place = claim_place(analysis, r)
        at_anchor = any(k in sentence for k in anchors) or bool(
            place and place_keys(place) & set(anchors)
        )
        out.append(
            {
                "record": r.id,
                "as_written": analysis.span_text(value),
                **{k: r.attrs.get(k) for k in ("value", "low", "high", "qualifier", "category", "counted", "date")},
                "place": place,
                "at_anchor": at_anchor,
                "sentence": _span_json(analysis, start, end),
                "techniques": _techniques(f.index, start, end),
            }
        )
    # Claims told about the shared place first; then the casualty figures readers compare.
    out.sort(key=lambda c: (not c["at_anchor"], c["category"] not in ("killed", "wounded"), c["sentence"]["start"]))
    return out


def _article_head(analysis: Analysis) -> dict[str, Any]:
    meta = analysis.article.meta
    return {
        "id": analysis.article.id,
        "title": analysis.article.title,
        "source": meta.source,
        "outlet": outlet_of(analysis),
        "published": meta.published.isoformat() if meta.published else None,
    }


def compare(
    analyses: Sequence[Analysis],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_score: float = DEFAULT_MIN_SCORE,
    max_actors: int = 20,
    links: str = DEFAULT_LINKS,
    link_threshold: float = LINK_THRESHOLD,
) -> dict[str, Any]:
    """Groups of articles on the same event, and actors across articles, as plain JSON.

    ``links`` picks how ``events`` are linked across articles (:data:`LINK_DESIGNS`)."""
    if links not in LINK_DESIGNS:
        raise ValueError(f"links must be one of {', '.join(LINK_DESIGNS)}, not {links!r}")
    all_facts = [facts(a) for a in analyses]
    by_id = {f.id: f for f in all_facts}
    general = _general_places(all_facts)
    matches = [
        m
        for a, b in candidate_pairs(all_facts, general)
        if (m := match_pair(a, b, general, window_days)) is not None and m.score >= min_score
    ]
    by_anchor: dict[str, list[PairMatch]] = defaultdict(list)
    for m in matches:
        for key in m.anchors:
            by_anchor[key].append(m)
    anchors_of: dict[frozenset[str], set[str]] = defaultdict(set)
    for key, linked in by_anchor.items():
        ids = sorted({i for m in linked for i in (m.a, m.b)})
        for members_list in _components(ids, linked):
            anchors_of[frozenset(members_list)].add(key)
    order = {f.id: n for n, f in enumerate(all_facts)}
    groups: list[dict[str, Any]] = []
    for member_set, group_anchors in anchors_of.items():
        members = sorted(member_set, key=order.__getitem__)
        anchors = sorted(group_anchors)
        in_group = {id(m): m for key in anchors for m in by_anchor[key]}
        inside = [m for m in in_group.values() if m.a in member_set and m.b in member_set]
        matched = {
            inc.record
            for m in inside
            for pair in m.incidents
            for inc in pair
            if (inc.places | inc.within) & group_anchors
        }
        speakers = {i: _speakers(by_id[i].analysis) for i in members}
        names = {k: name for s in speakers.values() for k, (name, _) in s.items()}
        articles = []
        for i in members:
            f = by_id[i]
            others = {k for j in members if j != i for k in speakers[j]}
            articles.append(
                {
                    **_article_head(f.analysis),
                    "incidents": [
                        {
                            "record": inc.record,
                            "place": inc.place,
                            "kinds": sorted(inc.kinds),
                            "sentence": _span_json(f.analysis, inc.start, inc.end),
                            "techniques": _techniques(f.index, inc.start, inc.end),
                        }
                        for inc in f.incidents
                        if inc.record in matched
                    ],
                    "claims": _claims(f, anchors),
                    "quoted": [{"speaker": name, "quotes": n} for name, n in speakers[i].values()],
                    # Who the other articles of the group let speak and this one does not.
                    "not_quoted": sorted(names[k] for k in others - set(speakers[i])),
                }
            )
        pairs = [
            {
                "a": m.a,
                "b": m.b,
                "score": m.score,
                "jaccard": m.jaccard,
                "shared_categories": m.shared_categories,
                "anchors": m.anchors,
            }
            for m in inside
        ]
        score = max(m.score for m in inside)
        groups.append({"anchors": anchors, "score": score, "pairs": pairs, "articles": articles})
    groups.sort(key=lambda g: (-float(g["score"]), g["anchors"]))
    return {
        "settings": {
            "window_days": window_days,
            "min_score": min_score,
            "category_bonus": CATEGORY_BONUS,
            "date_slack_days": DATE_SLACK_DAYS,
            "general_places": sorted(general),
            "links": links,
            "link_threshold": link_threshold,
        },
        "articles": len(all_facts),
        "groups": groups,
        "events": (
            link_events_scored(all_facts, general, window_days, link_threshold)
            if links == "scored"
            else link_events(all_facts, general, window_days)
        ),
        "actors": compare_actors(all_facts, max_actors=max_actors),
    }


def link_events(
    all_facts: Sequence[ArticleFacts], general: set[str], window_days: int = DEFAULT_WINDOW_DAYS
) -> list[dict[str, Any]]:
    """Incidents that two or more articles report, each with every article's figures.

    Two incidents are one event when they share a place that is not too general, a family
    of types (violence, protest, coercion ...) and dates (see :func:`match_pair`); events
    are the connected groups of such incidents. ``disagree`` is true when two articles give
    different figures of one category (killed, wounded ...) for the event.
    """
    linked: _Groups[tuple[int, int]] = _Groups()

    order = {f.id: n for n, f in enumerate(all_facts)}
    for a, b in candidate_pairs(all_facts, general):
        m = match_pair(a, b, general, window_days)
        if m is None:
            continue
        for x, y in m.incidents:
            nx = (order[a.id], a.incidents.index(x))
            ny = (order[b.id], b.incidents.index(y))
            linked.join(nx, ny)
    out = []
    for nodes in linked.groups():
        if len({n for n, _ in nodes}) < 2:
            continue
        out.append(_event_json(all_facts, sorted(nodes), general))
    out.sort(key=lambda e: (-len(e["articles"]), e["place"]))
    return out


def link_score(x: Incident, y: Incident, general: set[str]) -> float | None:
    """How strongly two incidents of two articles look like one event; None when something
    rules it out: different places (two villages of one district are different), no place
    on either side (nothing says where: the same shelling by the same side on one day may
    have hit two towns), no family of types in common, or dates that cannot meet. An
    incident told without a place takes the place of a participant ("condemned the
    bombardment of Drossel")."""
    if not x.families & y.families or not _overlap(x.when, y.when) or not (x.places or y.places):
        return None
    w = LINK_WEIGHTS
    shared = _shared_places(x, y)
    if not x.places:
        shared = x.actors & (y.places | y.within)
    elif not y.places:
        shared = y.actors & (x.places | x.within)
    if shared - general:
        score = w["place"]
    elif shared:
        score = w["general_place"]
    elif x.places and y.places:
        return None
    else:
        score = 0.0
    score += w["family"]
    if x.when is not None and y.when is not None:
        exact = x.when[0] == x.when[1] and y.when[0] == y.when[1]
        score += w["day"] if exact else w["dates"]
    score += w["actor"] * min(2, len(x.actors & y.actors))
    score += w["word"] * min(3, len(x.words & y.words))
    values = {(f.category, f.value) for f in x.figures}
    if any((f.category, f.value) in values for f in y.figures):
        score += w["figure"]
    return round(score, 3)


def _block_keys(inc: Incident, general: set[str]) -> set[str]:
    places = (inc.places | inc.within | inc.actors) - general
    return {f"p:{k}" for k in places} | {f"w:{k}" for k in inc.words}


def scored_pairs(
    all_facts: Sequence[ArticleFacts], general: set[str], window_days: int = DEFAULT_WINDOW_DAYS
) -> list[tuple[int, int, int, int, float]]:
    """Every pair of incidents of two articles with its :func:`link_score`, as (article,
    incident, article, incident, score), found through an index of places, participants and
    words so that a large corpus is not compared all against all."""
    by_key: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for n, f in enumerate(all_facts):
        for i, inc in enumerate(f.incidents):
            for key in _block_keys(inc, general):
                by_key[key].add((n, i))
    seen: set[tuple[int, int, int, int]] = set()
    out = []
    for nodes in by_key.values():
        for (na, ia), (nb, ib) in combinations(sorted(nodes), 2):
            if na == nb or (na, ia, nb, ib) in seen:
                continue
            seen.add((na, ia, nb, ib))
            a, b = all_facts[na], all_facts[nb]
            if a.published and b.published and abs((a.published - b.published).days) > window_days:
                continue
            score = link_score(a.incidents[ia], b.incidents[ib], general)
            if score is not None:
                out.append((na, ia, nb, ib, score))
    return out


def link_events_scored(
    all_facts: Sequence[ArticleFacts],
    general: set[str],
    window_days: int = DEFAULT_WINDOW_DAYS,
    threshold: float = LINK_THRESHOLD,
    pairs: Sequence[tuple[int, int, int, int, float]] | None = None,
) -> list[dict[str, Any]]:
    """Incidents that two or more articles report, linked by :func:`link_score`.

    Two incidents that both name a place link whenever their score reaches ``threshold``;
    an incident told without a place links to at most one incident of each other article,
    its best, so that one "clashes" cannot join two events. Events are the connected groups
    of links, as in :func:`link_events`.
    """
    linked: _Groups[tuple[int, int]] = _Groups()

    taken: set[tuple[int, int, int]] = set()
    found = scored_pairs(all_facts, general, window_days) if pairs is None else pairs
    for na, ia, nb, ib, score in sorted(found, key=lambda p: (-p[4], p[:4])):
        if score < threshold:
            continue
        x, y = all_facts[na].incidents[ia], all_facts[nb].incidents[ib]
        if not (x.places and y.places):
            if (na, ia, nb) in taken or (nb, ib, na) in taken:
                continue
            taken |= {(na, ia, nb), (nb, ib, na)}
        linked.join((na, ia), (nb, ib))
    out = [
        _event_json(all_facts, sorted(nodes), general)
        for nodes in linked.groups()
        if len({n for n, _ in nodes}) > 1
    ]
    out.sort(key=lambda e: (-len(e["articles"]), e["place"]))
    return out


def _event_json(
    all_facts: Sequence[ArticleFacts], nodes: list[tuple[int, int]], general: set[str]
) -> dict[str, Any]:
    by_article: dict[int, list[Incident]] = defaultdict(list)
    for n, i in nodes:
        by_article[n].append(all_facts[n].incidents[i])
    # Sorted: a tie goes to the first key told, and a set's order changes from run to run.
    keys: Counter[str] = Counter(
        k for incs in by_article.values() for inc in incs for k in sorted(inc.places - general)
    )
    articles = []
    values: dict[str, dict[str, list[float]]] = defaultdict(dict)
    for n, incidents in by_article.items():
        f = all_facts[n]
        figures: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for inc in incidents:
            for fig in inc.figures:
                figures[fig.category].append(
                    {"value": fig.value, "qualifier": fig.qualifier, "as_written": fig.as_written,
                     "start": fig.start, "end": fig.end, "record": fig.record}
                )  # fmt: skip
        for category, figs in figures.items():
            values[category][f.id] = sorted({float(x["value"]) for x in figs})
        articles.append(
            {
                **_article_head(f.analysis),
                # "" when the article tells the incident without a place.
                "place": next((inc.place for inc in incidents if inc.place), ""),
                "types": sorted({k for inc in incidents for k in inc.kinds if k.isupper()}),
                "figures": dict(figures),
                "incidents": [
                    {
                        "records": list(inc.records),
                        "place": inc.place,
                        "kinds": sorted(inc.kinds),
                        "sentence": _span_json(f.analysis, inc.start, inc.end),
                    }
                    for inc in incidents
                ],
            }
        )
    # One figure per article and category to compare: the largest it gives ("42 died" and
    # "at least 40" in one article are one claim told twice, not a disagreement).
    disagreements = [
        {"category": category, "values": per}
        for category, per in sorted(values.items())
        if len(per) > 1 and len({max(v) for v in per.values()}) > 1
    ]
    return {
        "place": keys.most_common(1)[0][0] if keys else articles[0]["place"],
        "places": sorted(keys),
        "types": sorted({t for a in articles for t in a["types"]}),
        "articles": articles,
        "disagree": bool(disagreements),
        "disagreements": disagreements,
    }


def compare_actors(all_facts: Sequence[ArticleFacts], *, max_actors: int = 20) -> list[dict[str, Any]]:
    """Actors found in two or more articles, with how each article portrays them."""
    seen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in all_facts:
        analysis = f.analysis
        quoted = set(_speakers(analysis))
        per_key: dict[str, dict[str, Any]] = {}
        for r in analysis.records:
            if r.type != "actor" or not isinstance(r.attrs.get("name"), str):
                continue
            name, type_ = str(r.attrs["name"]), str(r.attrs.get("type") or "")
            key = name_key(name, type_)
            if not key:
                continue
            entry = per_key.setdefault(
                key,
                {**_article_head(analysis), "names": [], "types": [], "mentions": 0,
                 "portrayals": [], "techniques": [], "quoted": key in quoted},
            )  # fmt: skip
            entry["names"].append(name)
            entry["types"].append(type_)
            mentions = [analysis.span(i) for i in r.spans.get("mention", ())]
            entry["mentions"] += len(mentions)
            for i in r.spans.get("portrayal", ()):
                s = analysis.span(i)
                entry["portrayals"].append(
                    {"text": analysis.span_text(s), "start": s.start, "end": s.end, "via": s.attrs.get("via")}
                )
            for m in mentions:
                entry["techniques"].extend(_techniques(f.index, m.start, m.end))
        for key, entry in per_key.items():
            seen[key].append(entry)
    rows = [
        {
            "key": key,
            "name": max((n for e in entries for n in e["names"]), key=len),
            "articles": entries,
        }
        for key, entries in seen.items()
        if len(entries) > 1
    ]
    rows.sort(key=lambda r: (-len(r["articles"]), -sum(e["mentions"] for e in r["articles"]), r["key"]))
    return rows[:max_actors]


def compare_text(result: dict[str, Any]) -> str:
    """The comparison as plain text, for a terminal."""
    lines: list[str] = []
    groups = result["groups"]
    lines.append(f"{len(groups)} group(s) of articles on the same event, from {result['articles']} article(s)")
    for n, g in enumerate(groups, 1):
        lines.append("")
        lines.append(f"== group {n}: {', '.join(g['anchors'])}  (score {g['score']})")
        for art in g["articles"]:
            lines.append(f"-- {art['id']}  {art['published'] or '----------'}  {art['outlet']}  {art['title'] or art['source'] or ''}")
            for c in art["claims"]:
                if not c["at_anchor"] and c["category"] not in ("killed", "wounded"):
                    continue
                qual = f"{c['qualifier']} " if c["qualifier"] else ""
                techniques = ", ".join(sorted({t["label"] for t in c["techniques"]}))
                lines.append(
                    f"   {qual}{c['as_written']} {c['category']}"
                    + (f" @ {c['place']}" if c["place"] else "")
                    + f"  [{c['sentence']['start']}-{c['sentence']['end']}]"
                    + (f"  techniques: {techniques}" if techniques else "")
                )
            quoted = ", ".join(f"{q['speaker']} ({q['quotes']})" for q in art["quoted"]) or "nobody"
            lines.append(f"   quoted: {quoted}")
            if art["not_quoted"]:
                lines.append(f"   not quoted here: {', '.join(art['not_quoted'])}")
    lines.append("")
    lines.append(f"== events across articles: {len(result.get('events', []))}")
    for event in result.get("events", []):
        flag = "  FIGURES DISAGREE" if event["disagree"] else ""
        lines.append(f"-- {event['place']} ({', '.join(event['types'])}){flag}")
        for art in event["articles"]:
            figures = "; ".join(
                f"{c}: " + ", ".join(f"{(x['qualifier'] + ' ') if x['qualifier'] else ''}{x['as_written']}" for x in figs)
                for c, figs in art["figures"].items()
            ) or "no figures"
            lines.append(f"   {art['id']}  {art['published'] or '----------'}  at {art['place']}: {figures}")
    lines.append("")
    lines.append("== actors across articles")
    for row in result["actors"]:
        lines.append(f"-- {row['name']} ({len(row['articles'])} articles)")
        for e in row["articles"]:
            words = ", ".join(dict.fromkeys(p["text"] for p in e["portrayals"])) or "-"
            techniques = ", ".join(sorted({t["label"] for t in e["techniques"]}))
            lines.append(
                f"   {e['id']}  {e['mentions']} mention(s) as {'/'.join(dict.fromkeys(e['names']))}; portrayed: {words}"
                + (f"; techniques: {techniques}" if techniques else "")
                + ("; quoted" if e["quoted"] else "")
            )
    return "\n".join(lines)


__all__ = [
    "CATEGORY_BONUS",
    "DATE_SLACK_DAYS",
    "DEFAULT_LINKS",
    "DEFAULT_MIN_SCORE",
    "DEFAULT_WINDOW_DAYS",
    "LINK_DESIGNS",
    "LINK_THRESHOLD",
    "LINK_WEIGHTS",
    "ArticleFacts",
    "Incident",
    "PairMatch",
    "candidate_pairs",
    "compare",
    "compare_actors",
    "compare_text",
    "date_interval",
    "facts",
    "link_events",
    "link_events_scored",
    "link_score",
    "match_pair",
    "name_key",
    "place_keys",
    "scored_pairs",
    "speaker_key",
]
