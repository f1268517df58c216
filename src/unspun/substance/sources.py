"""Sources: the outlets, agencies and institutions an article leans on.

One ``source`` record per source named in the article, with spans ``mention`` (every place
the article names it as a source: "Reuters", "*Bild am Sonntag*", "the United Nations
Special Commission on Ukraine") and ``cue`` (what makes it a citation: "told",
"according to", "reported", "quoted", "interviews with", "editorial"). Attributes:

``name``   the source as the article names it, without a leading "the" or Markdown marks
``kind``   ``agency`` (news agencies), ``outlet`` (papers, broadcasters, sites) or
           ``institution`` (anything else cited: a ministry, a UN body, an NGO)
``known``  whether the name is in the built-in list of agencies and outlets
``cited``  how many times the article leans on it

A news agency or outlet from the built-in list is a source wherever it is named; any other
organisation only where a citation cue ties it to what the article says.

In French the cues are "selon", "d'après", a citing verb's subject ("le ministère a
indiqué"), whom something was told ("a indiqué à l'AFP", "auprès de l'agence X") and the
agent of "interrogé par" / "cité par"; an institution written in lower case counts when its
name carries a capitalised word ("le ministère de l'Intérieur", not "l'agence régionale de
santé"), and "le quotidien X" names the paper X.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from spacy.tokens import Doc, Span, Token

from unspun.article import Analysis
from unspun.substance import french
from unspun.substance.nlp import ParsedAnalyzer, entities, entity_type, parse, text_of
from unspun.substance.syntax import strip_markup

# Names as they appear in running text, with their kind. Longer names are matched first so
# "Bild am Sonntag" is not read as "Bild", nor "New York Times" as "Times".
KNOWN_SOURCES: dict[str, str] = {
    # News agencies
    "Reuters": "agency", "Associated Press": "agency", "AP": "agency",
    "Agence France-Presse": "agency", "AFP": "agency", "Interfax": "agency",
    "Interfax-Ukraine": "agency", "ITAR-TASS": "agency", "TASS": "agency",
    "RIA Novosti": "agency", "RIA": "agency", "Ukrinform": "agency", "UNIAN": "agency",
    "Xinhua": "agency", "Bloomberg": "agency", "dpa": "agency", "ANSA": "agency",
    "EFE": "agency", "Kyodo": "agency", "Yonhap": "agency", "Anadolu": "agency",
    "PA Media": "agency", "Press Association": "agency", "UPI": "agency",
    # Papers, broadcasters, sites
    "New York Times": "outlet", "Washington Post": "outlet", "Wall Street Journal": "outlet",
    "Financial Times": "outlet", "Times": "outlet", "Sunday Times": "outlet",
    "Guardian": "outlet", "Observer": "outlet", "Telegraph": "outlet",
    "Daily Telegraph": "outlet", "Independent": "outlet", "Daily Mail": "outlet",
    "Mail on Sunday": "outlet", "Daily Mirror": "outlet", "Mirror": "outlet", "Sun": "outlet",
    "Economist": "outlet", "BBC": "outlet", "Sky News": "outlet", "ITV": "outlet",
    "Channel 4 News": "outlet", "CNN": "outlet", "Fox News": "outlet", "MSNBC": "outlet",
    "NBC": "outlet", "NBC News": "outlet", "ABC": "outlet", "ABC News": "outlet",
    "CBS": "outlet", "CBS News": "outlet", "NPR": "outlet", "PBS": "outlet",
    "Politico": "outlet", "Daily Beast": "outlet", "Huffington Post": "outlet",
    "USA Today": "outlet", "Los Angeles Times": "outlet", "Chicago Tribune": "outlet",
    "Boston Globe": "outlet", "Time": "outlet", "Newsweek": "outlet", "Axios": "outlet",
    "Bild": "outlet", "Bild am Sonntag": "outlet", "Der Spiegel": "outlet",
    "Spiegel": "outlet", "Die Welt": "outlet", "Welt am Sonntag": "outlet",
    "Frankfurter Allgemeine Zeitung": "outlet", "Frankfurter Allgemeine": "outlet",
    "Süddeutsche Zeitung": "outlet", "Die Zeit": "outlet", "Deutsche Welle": "outlet",
    "Le Monde": "outlet", "Le Figaro": "outlet", "Libération": "outlet", "El País": "outlet",
    "Corriere della Sera": "outlet", "La Repubblica": "outlet", "Euronews": "outlet",
    "Al Jazeera": "outlet", "Kyiv Post": "outlet", "Kyiv Independent": "outlet",
    "Ukrainska Pravda": "outlet", "Russia Today": "outlet", "RT": "outlet",
    "Sputnik": "outlet", "Izvestia": "outlet", "Kommersant": "outlet", "Vedomosti": "outlet",
    "Pravda": "outlet", "Rossiyskaya Gazeta": "outlet", "Novaya Gazeta": "outlet",
    "Moscow Times": "outlet", "Radio Free Europe": "outlet", "Radio Liberty": "outlet",
    "Voice of America": "outlet", "France 24": "outlet", "Haaretz": "outlet",
    "Jerusalem Post": "outlet", "Times of India": "outlet", "Sydney Morning Herald": "outlet",
    "Globe and Mail": "outlet", "South China Morning Post": "outlet",
    # French-language agencies, papers and broadcasters
    "Belga": "agency", "Le Parisien": "outlet", "Les Échos": "outlet",
    "Ouest-France": "outlet", "La Croix": "outlet", "L'Humanité": "outlet",
    "Le Point": "outlet", "L'Express": "outlet", "L'Obs": "outlet", "Mediapart": "outlet",
    "Le Journal du dimanche": "outlet", "Le Canard enchaîné": "outlet",
    "Le Monde diplomatique": "outlet", "France Inter": "outlet", "France Info": "outlet",
    "Franceinfo": "outlet", "France Culture": "outlet", "France Télévisions": "outlet",
    "France 2": "outlet", "France 3": "outlet", "TF1": "outlet", "BFMTV": "outlet",
    "LCI": "outlet", "RFI": "outlet", "Radio France": "outlet", "Arte": "outlet",
    "Le Temps": "outlet", "Le Soir": "outlet", "La Libre Belgique": "outlet",
    "RTBF": "outlet", "RTS": "outlet", "Radio-Canada": "outlet", "Le Devoir": "outlet",
    "La Presse": "outlet", "Jeune Afrique": "outlet", "Courrier international": "outlet",
}  # fmt: skip

# Names too short or too common to trust without "the" before them ("at times", "the sun").
_NEEDS_THE = {"Times", "Guardian", "Observer", "Independent", "Sun", "Mirror", "Time", "Economist"}

_KNOWN_RE = re.compile(
    r"(?<![\w-])(?:(?P<the>[Tt]he\s+)?[*_]{0,2})("
    + "|".join(re.escape(n) for n in sorted(KNOWN_SOURCES, key=len, reverse=True))
    + r")(?![\w-])"
)

# Verbs whose subject, when an organisation, is being cited.
_CITING_VERBS = frozenset(
    {
        "say", "report", "quote", "publish", "write", "cite", "claim", "state", "announce",
        "broadcast", "air", "reveal", "confirm", "tell", "add", "warn", "note", "estimate",
        "put", "declare", "insist", "deny", "allege",
    }
)  # fmt: skip
# Nouns that, with a preposition, name where something was said ("an interview with X").
_VENUE_NOUNS = frozenset(
    {
        "interview", "article", "editorial", "report", "column", "piece", "statement",
        "broadcast", "story", "op", "commentary", "dispatch", "investigation", "comment",
        "remark",
    }
)  # fmt: skip
_VENUE_PREPS = frozenset({"with", "in", "by", "on", "for", "to"})


@dataclass
class _Source:
    name: str
    kind: str
    known: bool
    mentions: list[tuple[int, int]] = field(default_factory=list)
    cues: list[tuple[int, int]] = field(default_factory=list)


class SourceAnalyzer(ParsedAnalyzer):
    """The agencies, outlets and institutions the article cites."""

    name: ClassVar[str] = "sources"
    version: ClassVar[str] = "0.1.0"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("spans:source", "records:source")

    def __call__(self, analysis: Analysis) -> None:
        doc = parse(analysis)
        ids: dict[tuple[int, int, str], str] = {}

        def span_id(start: int, end: int, label: str) -> str:
            key = (start, end, label)
            if key not in ids:
                ids[key] = analysis.add_span(start, end, label, analyzer=self.name).id
            return ids[key]

        for source in find_sources(doc, analysis.text):
            spans = {"mention": tuple(span_id(s, e, "source") for s, e in source.mentions)}
            if source.cues:
                spans["cue"] = tuple(span_id(s, e, "source.cue") for s, e in source.cues)
            analysis.add_record(
                "source",
                analyzer=self.name,
                spans=spans,
                attrs={
                    "name": source.name,
                    "kind": source.kind,
                    "known": source.known,
                    "cited": max(len(source.cues), 1),
                },
            )


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str
    kind: str
    known: bool


def find_sources(doc: Doc, text: str) -> list[_Source]:
    """Sources in order of first mention, each with its mentions and citation cues."""
    known = list(_known_mentions(text))
    found: dict[str, _Source] = {}

    def note(mention: _Mention, cue: tuple[int, int] | None) -> None:
        source = found.setdefault(mention.name, _Source(mention.name, mention.kind, mention.known))
        if (mention.start, mention.end) not in source.mentions:
            source.mentions.append((mention.start, mention.end))
        if cue is not None and cue not in source.cues:
            source.cues.append(cue)

    if doc.lang_ == "fr":
        for cue, head, as_subject in french.citations(iter(doc)):
            for mention in _french_mentions(head, known, as_subject=as_subject):
                note(mention, (cue.start_char, cue.end_char))
    for cue, phrase, as_subject in _citations(doc) if doc.lang_ != "fr" else ():
        for mention in _mentions_in(phrase, known, as_subject=as_subject):
            note(mention, (cue.start_char, cue.end_char))
    for mention in known:
        if mention.kind != "institution":
            note(mention, None)
    ordered = sorted(found.values(), key=lambda s: min(s.mentions))
    for source in ordered:
        source.mentions.sort()
        source.cues.sort()
    return ordered


def _known_mentions(text: str) -> Iterator[_Mention]:
    for m in _KNOWN_RE.finditer(text):
        name = m.group(2)
        if name in _NEEDS_THE and not m.group("the"):
            continue
        if name.isupper() and len(name) <= 3 and not _looks_like_citation(text, m.start(2)):
            # "AP", "RT", "ABC" are too easily something else without a cue nearby.
            continue
        yield _Mention(m.start(2), m.end(2), name, KNOWN_SOURCES[name], True)


def _looks_like_citation(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start + 40].lower()
    return any(w in window for w in _CITATION_WORDS)


_CITATION_WORDS = (
    "told", "according to", "reported", "said", "quoted",
    "selon", "d'après", "d’après", "a indiqué", "a déclaré", "a rapporté", "a annoncé",
    "a précisé", "cité", "auprès", "interrogé",
)  # fmt: skip


def _citations(doc: Doc) -> Iterator[tuple[Span, Span, bool]]:
    """(cue, phrase naming the source, whether it is a speaking subject) for every citation."""
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and tok.nbor().lower_ == "to":
            for pobj in (c for c in tok.nbor().children if c.dep_ == "pobj"):
                yield doc[tok.i : tok.i + 2], _subtree(pobj), False
        elif tok.pos_ == "VERB" and lemma == "tell":
            for obj in (c for c in tok.children if c.dep_ in {"dobj", "dative", "iobj"}):
                yield doc[tok.i : tok.i + 1], _subtree(obj), False
        if tok.pos_ == "VERB" and lemma in _CITING_VERBS:
            for child in tok.children:
                if child.dep_ == "nsubj":
                    yield doc[tok.i : tok.i + 1], _subject_phrase(child), True
                elif child.dep_ == "agent":
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        yield doc[tok.i : tok.i + 1], _subtree(pobj), False
        elif tok.pos_ in {"NOUN", "PROPN"} and lemma in _VENUE_NOUNS:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in _VENUE_PREPS):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    yield doc[tok.i : prep.i + 1], _subtree(pobj), False
            if tok.dep_ == "compound" or any(c.dep_ == "compound" for c in tok.children):
                # "the New York Times editorial"
                yield doc[tok.i : tok.i + 1], doc[tok.left_edge.i : tok.i], False


def _subtree(token: Token) -> Span:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _subject_phrase(token: Token) -> Span:
    """The subject without its relative clauses ("The ministry, which ..., said")."""
    end = token.i + 1
    for child in token.rights:
        if child.dep_ in {"prep", "compound", "appos"} and child.dep_ != "relcl":
            end = max(end, child.right_edge.i + 1)
        else:
            break
    return token.doc[token.left_edge.i : end]


# Words that mark an organisation as an institution. A one-word "organisation" the NER found
# as the subject of "said" or "told" is as often a person it mislabelled ("Quell told ...").
_INSTITUTION_WORDS = frozenset(
    {
        "ministry", "office", "council", "commission", "agency", "department", "service",
        "committee", "government", "police", "army", "court", "bank", "fund", "organisation",
        "organization", "union", "group", "institute", "center", "centre", "foundation",
        "party", "parliament", "assembly", "authority", "board", "bureau", "mission",
        "nations", "forces", "command", "guard", "directorate", "observatory", "watch",
        "international", "association", "federation", "company", "corporation", "review",
    }
)  # fmt: skip


def _institutional(phrase: Span, ent: Span) -> bool:
    words = {t.lower_ for t in phrase} | {t.lower_ for t in ent}
    return bool(words & _INSTITUTION_WORDS) or (ent.text.isupper() and len(ent.text) >= 2)


def _known_inside(phrase: Span, known: list[_Mention]) -> list[_Mention]:
    """The mentions already found within ``phrase``: they are what the phrase cites."""
    return [m for m in known if phrase.start_char <= m.start and m.end <= phrase.end_char]


def _mentions_in(
    phrase: Span, known: list[_Mention], *, as_subject: bool = False
) -> Iterator[_Mention]:
    if len(phrase) == 0:
        return
    inside = _known_inside(phrase, known)
    if inside:
        yield from inside
        return
    if phrase.root.ent_type_ == "PERSON":
        # "Kremlin spokesman Dmitry Peskov said": the person speaks, not the institution.
        return
    for ent in entities(phrase.doc, phrase):
        if ent.label_ != "ORG" or (as_subject and not _institutional(phrase, ent)):
            continue
        s, e = _trim_the(_extend(ent))
        name = strip_markup(text_of(phrase.doc)[s:e])
        if name and name[0].isupper():
            yield _Mention(s, e, name, "institution", False)


def _french_phrase(head: Token) -> Span:
    """The noun phrase of ``head`` up to the first comma after it (no relative clause)."""
    doc = head.doc
    end = head.right_edge.i + 1
    for token in doc[head.i + 1 : end]:
        if token.text in {",", ";", "(", "«"} or token.pos_ == "VERB":
            end = token.i
            break
    start = head.left_edge.i
    while start < head.i and doc[start].pos_ == "ADP":
        start += 1  # "D'après Météo-Lesse" when the noun heads its sentence
    return doc[start:end]


def _french_mentions(
    head: Token, known: list[_Mention], *, as_subject: bool = False
) -> Iterator[_Mention]:
    phrase = _french_phrase(head)
    if len(phrase) == 0:
        return
    inside = _known_inside(phrase, known)
    if inside:
        yield from inside
        return
    if french.is_pronoun(head):
        return
    doc = head.doc
    text = text_of(doc)
    lemma = french.lemma(head)
    title = french.outlet_title(head)
    if title is not None:
        # "le quotidien La Voix de l'Orve", "l'agence Presse Sud", "Radio Brézolles",
        # "L'Écho de Valgrenne": a title, whatever the NER took its words for.
        kind = french.outlet_kind(title)
        yield _Mention(title.start_char, title.end_char, strip_markup(title.text), kind, False)
        return
    # The NER's person whose first word the tagger reads as a common noun ("Météo-Lesse")
    # is a name of something else.
    named_thing = head.pos_ == "NOUN" and head.text[:1].isupper() and head.i > head.sent.start
    if entity_type(head) == "PERSON" and not named_thing:
        return
    if lemma in french.INSTITUTION_WORDS and head.pos_ in {"NOUN", "PROPN"}:
        # "le ministère de la Transition écologique", "l'Agence régionale de santé de X",
        # "le Programme alimentaire mondial": an institution is named by its head noun and
        # what goes with it, when a capitalised word (the head itself, mid-sentence) says it
        # is a name; never by the entity the NER found inside it ("Transition écologique").
        named = french.name_span(head)
        capitalised_head = head.text[:1].isupper() and head.i > french.statement_start(head)
        if named.start <= head.i < named.end and (
            capitalised_head or any(t.text[:1].isupper() for t in named if t.i > head.i)
        ):
            s, e = _french_trim(named.start_char, named.end_char, text)
            yield _Mention(s, e, strip_markup(text[s:e]), "institution", False)
            return
    for ent in entities(doc, phrase):
        if entity_type(ent) not in {"ORG", "MISC"} or (
            as_subject and not _french_institutional(phrase, ent)
        ):
            continue
        s, e = _french_trim(ent.start_char, ent.end_char, text)
        name = strip_markup(text[s:e])
        if name:
            yield _Mention(s, e, name, "institution", False)
        return
    if lemma in french.INSTITUTION_WORDS:
        # "le ministère de l'Intérieur": lower case, named by the capitalised word in it.
        named = french.name_span(head)
        if any(t.text[:1].isupper() for t in named if t.i > head.i):
            s, e = _french_trim(named.start_char, named.end_char, text)
            yield _Mention(s, e, strip_markup(text[s:e]), "institution", False)
        return
    # "d'après Météo-Lesse": a proper name cited, not a place the NER knows.
    if (
        not as_subject
        and (head.pos_ == "PROPN" or named_thing)
        and head.text[:1].isupper()
        and entity_type(head) not in {"GPE", "LOC"}
    ):
        s, e = _french_trim(phrase.start_char, phrase.end_char, text)
        yield _Mention(s, e, strip_markup(text[s:e]), "institution", False)


def _french_institutional(phrase: Span, ent: Span) -> bool:
    words = {t.lemma_.lower() for t in phrase} | {t.lemma_.lower() for t in ent}
    return bool(words & french.INSTITUTION_WORDS) or (ent.text.isupper() and len(ent.text) >= 2)


_FRENCH_ARTICLE = re.compile(r"^(?:les?\s+|la\s+|l['’])", re.IGNORECASE)


def _french_trim(start: int, end: int, text: str) -> tuple[int, int]:
    """Without a leading article, unless it begins a title ("Le Monde", "La Voix de l'Orve")."""
    m = _FRENCH_ARTICLE.match(text[start:end])
    if m is not None:
        rest = text[start + m.end() : end]
        first_word = re.split(r"[\s,]", rest, maxsplit=1)[0].lower()
        if m.group()[0].islower() or rest[:1].islower() or first_word in french.INSTITUTION_WORDS:
            # "Le Haut-Commissariat ...": an institution's article is no part of its name.
            start += m.end()
    return start, end


def _extend(ent: Span) -> Span:
    """The entity with a trailing "on Ukraine", "for Refugees" the NER left off."""
    doc = ent.doc
    end = ent.end
    while (
        end + 1 < len(doc)
        and doc[end].lower_ in {"on", "for", "of"}
        and doc[end + 1].pos_ == "PROPN"
        and doc[end + 1].ent_type_ in {"GPE", "ORG", ""}
    ):
        end += 2
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].ent_iob_ != "B":
            end += 1
    return doc[ent.start : end]


def _trim_the(ent: Span) -> tuple[int, int]:
    text = ent.text
    start = ent.start_char
    end = ent.end_char
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            start += len(prefix)
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            end -= len(suffix)
    return start, end


__all__ = ["KNOWN_SOURCES", "SourceAnalyzer", "find_sources"]
