"""Quotes and who said them: direct quotes, indirect attribution and unattributed claims.

Every ``quote`` record has spans ``content`` (the words quoted or reported), ``speaker``
(the mention of who said them: a name, "One military source", or the pronoun "he") and
``cue`` (the reporting verb, "according to", or the phrase "reports emerged"); a pronoun
speaker also gets an ``antecedent`` span, the name it was resolved to. Attributes:

``direct``        the words stand between quotation marks
``speaker``       the speaker's name, or ``None``
``unattributed``  a claim the text gives to no one ("reports emerged", "it is reported")
``scare_quote``   one to three words in quotation marks that no reporting verb governs
                  ("an ‘anti-terrorist operation’"): quoted, but no one is quoted
``inherited``     the speaker was taken from the previous quote or sentence, not from a
                  reporting verb next to this quote
``anonymous``     (only when true) the speaker is an unnamed source or official

How the speaker is found, in order: a reporting verb (said, told, warned, vowed ...,
"according to") outside the quotation marks in the quote's sentence, nearest first, with
its subject ("..., saying" takes the subject of the verb it hangs from; a passive takes its
agent); for a quote opening its sentence with no such verb, the speaker of the quote just
before it, else the person (by name or role) who is subject of the sentence before. "He"
and "she" are resolved to the last person named as a subject, "it" and "they" to the last
named speaker. A quote of one to three words is a partial quote of a speaker only when a
reporting verb governs it within one clause ("He added that the strikes would be a
‘colossal mistake’"); otherwise, or when the verb only names ("what it calls a
‘mission’"), it is a scare quote with no speaker. Reported speech whose words are
themselves a quote of four words or more is recorded once, as the direct quote.

Quotation marks handled: straight ``"…"``, curly ``“…”``, curly single ``‘…’`` (British
style, told apart from the apostrophe ``’``), guillemets; a quote may run over several
sentences, over a broken line, and over paragraphs that each reopen the quote. Quotes nested
inside a quote belong to the outer one.

French articles (parsed by the French pipeline) are read with French reporting verbs
(déclarer, affirmer, estimer ...), inverted subjects ("», a déclaré le ministre", "a-t-il
ajouté"), "selon" and "d'après" for "according to", and French phrases for claims given to no
one ("selon des informations non confirmées"); see :mod:`unspun.substance.french`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from spacy.tokens import Doc, Span, Token

from unspun.article import Analysis
from unspun.substance import french
from unspun.substance.nlp import (
    ParsedAnalyzer,
    entity_type,
    parse,
    sentences,
    text_of,
    token_end,
)
from unspun.substance.syntax import (
    ROLE_NOUNS,
    is_pronoun,
    name_span,
    previous_person,
    strip_markup,
    subject_of,
)

# Verbs that introduce what someone said. Lemmas, as spaCy gives them.
REPORTING_VERBS = frozenset(
    {
        "say", "tell", "warn", "vow", "declare", "add", "state", "claim", "insist", "announce",
        "reply", "ask", "explain", "note", "argue", "write", "report", "confirm", "deny",
        "admit", "stress", "urge", "promise", "threaten", "allege", "suggest", "comment",
        "remark", "respond", "conclude", "acknowledge", "assert", "maintain", "predict",
        "tweet", "quote", "recall", "testify", "emphasise", "emphasize", "caution", "boast",
        "concede", "observe", "reiterate", "proclaim", "complain", "answer", "describe",
        "demand", "speak",
    }
)  # fmt: skip

# Where something is said: "said in a statement that ...".
_VENUE_NOUNS = frozenset({"statement", "interview", "speech", "letter", "post", "video", "message"})

# Verbs that name rather than report ("called the arrests “an act of revenge”"): a cue only
# for a quote of more than a few words that they govern; a term alone stays a scare quote.
NAMING_VERBS = frozenset({"call", "dub", "brand", "label", "term"})
_NAMING = NAMING_VERBS | french.NAMING_VERBS

# The subset that takes a that-clause of reported speech ("X said that ...").
INDIRECT_VERBS = frozenset(
    {
        "say", "tell", "warn", "vow", "declare", "add", "state", "claim", "insist", "announce",
        "report", "confirm", "deny", "admit", "allege", "argue", "write", "stress", "note",
        "suggest", "acknowledge", "assert", "maintain", "predict", "reiterate", "concede",
    }
)  # fmt: skip

# Claims the text gives to no one. Matched case-insensitively over the text of a sentence.
UNATTRIBUTED = re.compile(
    r"\b(?:"
    r"(?:new |unconfirmed |media |press )?reports? (?:have |has )?(?:emerged|surfaced|suggest(?:ed)?|say|said|claim(?:ed)?|indicate[sd]?)"
    r"|(?:unnamed |anonymous |unidentified )?sources (?:say|said|claim(?:ed)?|told|suggest(?:ed)?)"
    r"|it (?:is|was|has been|had been) (?:reported|claimed|alleged|said|believed|understood|rumou?red)"
    r"|(?:is|are|was|were) (?:said|reported|alleged|believed|rumou?red) to"
    r"|according to (?:unnamed |unconfirmed |media |press |some |local )?(?:reports|sources)"
    r"|reportedly|allegedly|rumou?rs (?:have |has )?(?:emerged|spread|circulated)"
    r")\b",
    re.IGNORECASE,
)

_DOUBLE_OPEN = {"“": '”"', '"': '"”', "«": "»", "„": '“”"'}
_SINGLE_OPEN = {"‘": "’", "‚": "‘’"}
_OPENERS = {**_DOUBLE_OPEN, **_SINGLE_OPEN}

# A quote of this many words or fewer, with no sentence inside it, is a scare quote unless a
# reporting verb governs it.
SCARE_MAX_WORDS = 3

# How far a quote may run when it is never closed in its own paragraph.
_MAX_PARAGRAPHS = 2


@dataclass(frozen=True)
class QuotedText:
    """A stretch of text between quotation marks: ``text[start:end]`` includes the marks."""

    start: int
    end: int
    content_start: int
    content_end: int
    mark: str


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _opens(text: str, i: int) -> bool:
    """Whether the quotation mark at ``i`` can open a quote (straight marks are ambiguous)."""
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace() and ch != "«":  # French sets guillemets off with spaces
        return False
    if ch in "“«„‘‚":
        # ‘ after a letter is a misprinted apostrophe ("don‘t"), not a quote.
        return not (ch == "‘" and i > 0 and _is_word(text[i - 1]))
    prev = text[i - 1] if i > 0 else " "
    return prev.isspace() or prev in "([{—–-:*_/"


def _closes(text: str, i: int, closers: str) -> bool:
    ch = text[i]
    if ch not in closers:
        return False
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch == "’" and _is_word(nxt):
        # ’ followed by a letter is an apostrophe (shouldn’t, Kiev’s).
        return False
    prev = text[i - 1] if i > 0 else " "
    return not prev.isspace() or ch in "”»"


def _is_possessive(text: str, i: int) -> bool:
    """Whether the ’ at ``i`` reads as a plural possessive ("the workers’ blood")."""
    if i == 0 or text[i - 1] not in "sS":
        return False
    rest = text[i + 1 : i + 3]
    return len(rest) == 2 and rest[0] == " " and rest[1].islower()


def find_quoted(text: str) -> list[QuotedText]:
    """Every top-level quotation in the text, in order.

    A quote left open at a paragraph's end is closed there when the next paragraph reopens
    it (the newspaper convention for a quote over several paragraphs), carried on when the
    next paragraph goes on without reopening (a line broken inside a quote), and dropped
    when no closing mark follows within two paragraphs.
    """
    out: list[QuotedText] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch not in _OPENERS or not _opens(text, i):
            i += 1
            continue
        found = _find_close(text, i, _OPENERS[ch])
        if found is None:
            i += 1
            continue
        content_end, end = found
        content_start = i + 1
        if text[content_start:content_end].strip():
            out.append(QuotedText(i, end, content_start, content_end, ch))
        i = max(end, i + 1)
    return out


def _find_close(text: str, open_at: int, closers: str) -> tuple[int, int] | None:
    """(content end, quote end) for the quote opened at ``open_at``, or ``None``."""
    paragraphs = 1
    possessive: int | None = None
    i = open_at + 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            # A paragraph break: see whether the quote is reopened, carried on, or lost.
            j = i
            while j < n and text[j].isspace():
                j += 1
            if possessive is not None:
                return possessive, possessive + 1
            if j < n and text[j] == text[open_at]:
                end = i
                while end > open_at + 1 and text[end - 1].isspace():
                    end -= 1
                return end, end
            paragraphs += 1
            if paragraphs > _MAX_PARAGRAPHS:
                return None
            i = j
            continue
        if possessive is not None and ch == text[open_at] and _opens(text, i):
            # A new quote opens: the ’ held back as a possessive was the closing mark.
            return possessive, possessive + 1
        if _closes(text, i, closers):
            if ch == "’" and _is_possessive(text, i):
                # Keep it as a fallback: if no better closing mark comes, it was one.
                if possessive is None:
                    possessive = i
                i += 1
                continue
            return i, i + 1
        i += 1
    if possessive is not None:
        return possessive, possessive + 1
    return None


@dataclass
class _Attribution:
    speaker: Token | None
    cue: Span | None
    inherited: bool = False
    score: float = 1.0


@dataclass
class _Found:
    content: tuple[int, int]
    attribution: _Attribution
    direct: bool
    scare: bool
    unattributed_cue: tuple[int, int] | None = None


class QuoteAnalyzer(ParsedAnalyzer):
    """Direct and indirect quotes with their speakers, and claims attributed to no one."""

    name: ClassVar[str] = "quotes"
    version: ClassVar[str] = "0.1.0"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ("spans:quote", "records:quote")

    def __call__(self, analysis: Analysis) -> None:
        doc = parse(analysis)
        quoted = find_quoted(analysis.text)
        inside = _Coverage([(q.content_start, q.content_end) for q in quoted])
        writer = _Writer(analysis, self.name, inside)
        # Reported speech may hold a scare quote; only a real quote rules it out.
        long_quotes = _Coverage(
            (q.content_start, q.content_end)
            for q in quoted
            if _words(analysis.text[q.content_start : q.content_end]) > SCARE_MAX_WORDS
        )
        previous: tuple[QuotedText, _Attribution] | None = None
        found: list[_Found] = []
        for q in quoted:
            attribution, scare = _attribute_direct(doc, q, inside, previous)
            found.append(_Found((q.content_start, q.content_end), attribution, True, scare))
            if not scare:
                previous = (q, attribution)
        claimed: set[int] = set()
        for content, attribution in _indirect(doc, inside, long_quotes):
            if attribution.speaker is not None and _is_vague_source(attribution.speaker):
                # "Reports confirmed that ...": a claim given to no one in particular.
                assert attribution.cue is not None
                start = min(attribution.speaker.left_edge.idx, attribution.cue.start_char)
                cue = (start, attribution.cue.end_char)
                found.append(_Found(content, _Attribution(None, None), False, False, cue))
                claimed.add(attribution.speaker.sent.start_char)
            else:
                found.append(_Found(content, attribution, False, False))
        for content, cue in _unattributed(doc, analysis.text, inside):
            if content[0] not in claimed:
                found.append(_Found(content, _Attribution(None, None), False, False, cue))
        # In text order, so that a pronoun speaker is resolved against the speakers before it.
        for item in sorted(found, key=lambda f: f.content):
            writer.quote(
                content=item.content,
                attribution=item.attribution,
                direct=item.direct,
                scare=item.scare,
                unattributed_cue=item.unattributed_cue,
            )


class _Coverage:
    """Which character offsets lie inside quoted text."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)

    def __contains__(self, offset: object) -> bool:
        return isinstance(offset, int) and any(s <= offset < e for s, e in self.ranges)

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.ranges)


def _words(text: str) -> int:
    return len(re.findall(r"\w+(?:[’'-]\w+)*", text))


def _sentences_of(doc: Doc, start: int, end: int) -> list[Span]:
    return [s for s in sentences(doc) if s.start_char < end and start < s.end_char]


def _reporting_cues(sents: Iterable[Span], inside: _Coverage) -> Iterator[Span]:
    """Reporting verbs and "according to" in the sentences, outside any quoted text."""
    for sent in sents:
        if sent.doc.lang_ == "fr":
            yield from _french_cues(sent, inside)
            continue
        for tok in sent:
            if tok.idx in inside or _in_compound_word(tok):
                continue
            if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in REPORTING_VERBS | NAMING_VERBS:
                yield tok.doc[tok.i : tok.i + 1]
            elif (
                tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to"
            ):
                yield tok.doc[tok.i : tok.i + 2]


def _french_cues(sent: Span, inside: _Coverage) -> Iterator[Span]:
    for tok in sent:
        if tok.idx in inside:
            continue
        according = french.according_cue(tok) or french.opinion_cue(tok)
        if according is not None:
            yield according
        elif french.is_reporting(tok) or (
            tok.pos_ == "VERB" and french.lemma(tok) in french.NAMING_VERBS
        ):
            yield tok.doc[tok.i : tok.i + 1]


def _in_compound_word(tok: Token) -> bool:
    """Whether the token is the tail of a hyphenated word ("self-proclaimed")."""
    return tok.i > 0 and tok.nbor(-1).text in {"-", "‑"} and not tok.nbor(-1).whitespace_


def _speaker_of_cue(cue: Span) -> Token | None:
    if cue.doc.lang_ == "fr":
        if french.according_cue(cue[0]) is not None or french.opinion_cue(cue[0]) is not None:
            return french.according_speaker(cue)
        return french.speaker_of_verb(cue.root)
    head = cue.root if cue[0].lower_ != "according" else cue[0]
    if head.lower_ == "according":
        for child in cue[-1].children:
            if child.dep_ == "pobj":
                return child
        return None
    return _speaker_of_verb(head)


def _speaker_of_verb(verb: Token) -> Token | None:
    """Who does the saying: the subject, the agent of a passive, or the quoted person."""
    if verb.lemma_ == "quote":
        # "The Times quoted a militia member as saying ..." names the speaker as the object.
        for child in verb.children:
            if child.dep_ == "dobj":
                return child
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        # Passive: what was said is the subject; whoever said it is the agent, if named.
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            for pobj in agent.children:
                if pobj.dep_ == "pobj":
                    return pobj
        return None
    if not any(c.dep_ == "nsubj" for c in verb.children):
        # "..., saying", "..., adding that": the speaker is the subject of the reporting verb
        # this one hangs from, not of whatever clause the parser hung it on.
        for ancestor in verb.ancestors:
            if ancestor.lemma_.lower() in REPORTING_VERBS and ancestor.pos_ in {"VERB", "AUX"}:
                found = _speaker_of_verb(ancestor)
                if found is not None:
                    return found
    return subject_of(verb)


def _governs(cue: Token, q: QuotedText, doc: Doc) -> bool:
    """Whether the quoted words hang (within a few links) from the reporting verb."""
    inner = doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
    if inner is None:
        return False
    if doc.lang_ == "fr" and french.introduces(cue, q.start):
        return True
    token = inner.root
    clauses = 0
    for _ in range(4):
        if token.i == cue.i:
            return True
        if token.head.i == token.i:
            return False
        token = token.head
        if (
            token.i != cue.i
            and token.pos_ in {"VERB", "AUX"}
            and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
        ):
            # Words quoted inside a clause inside the reported clause ("said the army would
            # go on with what it calls a 'mission'") are that clause's term, not the speaker's.
            clauses += 1
            if clauses > 1:
                return False
    return token.i == cue.i


def _attribute_direct(
    doc: Doc,
    q: QuotedText,
    inside: _Coverage,
    previous: tuple[QuotedText, _Attribution] | None,
) -> tuple[_Attribution, bool]:
    content = text_of(doc)[q.content_start : q.content_end]
    short = _words(content) <= SCARE_MAX_WORDS
    sents = _sentences_of(doc, q.start, q.end)
    # A reporting clause set off after the closing mark ("…,” he said.) may be parsed as a
    # sentence of its own; one ending in a colon may introduce the quote.
    after = [s for s in sentences(doc) if q.end <= s.start_char <= q.end + 3 and len(s) <= 14]
    before = [s for s in sentences(doc) if s.end_char <= q.start and q.start - s.end_char <= 3]
    # French sets the comma outside the closing guillemet: "« ... », a-t-il dit".
    after_mark = text_of(doc)[q.end : q.end + 3].lstrip()
    trails = content.rstrip().endswith((",", "?", "!", "—", "–")) or after_mark.startswith(",")
    frame = (
        sents
        + (after[:1] if trails else [])
        + [s for s in before[-1:] if s.text.rstrip().endswith(":")]
    )
    cues = [
        c
        for c in _reporting_cues(frame, inside)
        if _speaker_of_cue(c) is not None
        and (c.root.lemma_.lower() not in _NAMING or _governs(c.root, q, doc))
    ]
    if short:
        # Naming a thing with someone's term ("what it calls a ‘mission’") quotes no one.
        cues = [
            c for c in cues if c.root.lemma_.lower() not in _NAMING and _governs(c.root, q, doc)
        ]
        if not cues:
            return _Attribution(None, None), True
    if cues:
        cue = min(cues, key=lambda c: _distance(c, q))
        return _Attribution(_speaker_of_cue(cue), cue), False
    introduced = text_of(doc)[: q.start].rstrip().endswith(":")
    if introduced and sents:
        # "X opened the talks with a warning: “...”": the speaker is the clause's subject.
        subject = _person_subject(sents[0])
        if subject is not None:
            return _Attribution(subject, None, inherited=True, score=0.7), False
    # No reporting verb by the quote. When the quote opens its sentence, the speaker is the
    # one of the quote just before it, or the person named as subject of the sentence before.
    if not _opens_sentence(text_of(doc), q.start):
        return _Attribution(None, None), False
    if (
        previous is not None
        and previous[1].speaker is not None
        and _words(text_of(doc)[previous[0].end : q.start]) <= 10
    ):
        return _Attribution(previous[1].speaker, None, inherited=True, score=0.8), False
    prior = [s for s in sentences(doc) if s.end_char <= q.start]
    if prior:
        sent = prior[-1]
        sent_cues = [
            c
            for c in _reporting_cues([sent], inside)
            if _speaker_of_cue(c) is not None and c.root.lemma_.lower() not in _NAMING
        ]
        if sent_cues:
            return _Attribution(
                _speaker_of_cue(sent_cues[-1]), None, inherited=True, score=0.7
            ), False
        subject = _person_subject(sent)
        if subject is not None:
            return _Attribution(subject, None, inherited=True, score=0.6), False
    return _Attribution(None, None), False


def _person_subject(sent: Span) -> Token | None:
    """The sentence's main subject when it is a person (by name or by role)."""
    for child in sent.root.children:
        if child.dep_ == "nsubj" and (
            entity_type(child) == "PERSON"
            or child.lemma_.lower() in ROLE_NOUNS | french.ROLE_NOUNS
            or _named_by_apposition(child)
        ):
            return child
    return None


def _named_by_apposition(token: Token) -> bool:
    return any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in token.children)


def _opens_sentence(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip()
    return not before or before[-1] in '.!?:”"’»'


def _distance(cue: Span, q: QuotedText) -> int:
    if cue.end_char <= q.start:
        return q.start - cue.end_char
    return max(0, cue.start_char - q.end)


def _indirect(
    doc: Doc, inside: _Coverage, long_quotes: _Coverage
) -> Iterator[tuple[tuple[int, int], _Attribution]]:
    """Reported speech: "X said that ...", "X told the Times ...", "according to X, ..."."""
    if doc.lang_ == "fr":
        yield from _indirect_french(doc, inside, long_quotes)
        return
    for tok in doc:
        if tok.idx in inside or _in_compound_word(tok):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and tok.nbor().lower_ == "to":
            cue = doc[tok.i : tok.i + 2]
            speaker = _speaker_of_cue(cue)
            if speaker is None or _is_vague_source(speaker):
                continue
            phrase_end = speaker.right_edge.i + 1
            sent = tok.sent
            left = (
                sent.start_char,
                doc[tok.i - 1].idx + len(doc[tok.i - 1]) if tok.i > sent.start else sent.start_char,
            )
            right = (doc[phrase_end].idx if phrase_end < sent.end else sent.end_char, sent.end_char)
            content = _trim(text_of(doc), *max(left, right, key=lambda r: r[1] - r[0]))
            if content[1] > content[0] and not long_quotes.overlaps(*content):
                yield content, _Attribution(speaker, cue)
            continue
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in INDIRECT_VERBS:
            continue
        clause = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
        if clause is None:
            # "said in a statement that ...": the parser hangs the clause on the noun.
            clause = next(
                (
                    acl
                    for prep in tok.children
                    if prep.dep_ == "prep"
                    for pobj in prep.children
                    if pobj.dep_ == "pobj" and pobj.lemma_.lower() in _VENUE_NOUNS
                    for acl in pobj.children
                    if acl.dep_ in {"acl", "ccomp"}
                    and any(m.lower_ == "that" for m in acl.children)
                ),
                None,
            )
        if clause is None and _closes_sentence(tok):
            # "Twelve people died, officials said.": the attribution follows what it attributes.
            clause = next((c for c in tok.children if c.dep_ in {"ccomp", "parataxis"}), None)
            if clause is None and tok.dep_ == "parataxis" and tok.head.i < tok.i:
                clause = tok.head
        speaker = _speaker_of_verb(tok)
        if clause is None or speaker is None:
            continue
        start, end = clause.left_edge.idx, token_end(clause.right_edge)
        content = _trim(text_of(doc), start, end)
        if long_quotes.overlaps(start, end) or content[0] in inside:
            # Reported speech that is itself a quote is recorded once, as the direct quote.
            continue
        if content[1] > content[0]:
            yield content, _Attribution(speaker, doc[tok.i : tok.i + 1])


def _indirect_french(
    doc: Doc, inside: _Coverage, long_quotes: _Coverage
) -> Iterator[tuple[tuple[int, int], _Attribution]]:
    """ "X a affirmé que ...", "..., a indiqué X", "selon X, ..." in a French parse."""
    text = text_of(doc)
    for tok in doc:
        if tok.idx in inside:
            continue
        cue = french.according_cue(tok)
        if cue is not None:
            speaker = french.according_speaker(cue)
            if speaker is None or _is_vague_source(speaker):
                continue
            sent = tok.sent
            phrase_end = french.according_phrase_end(cue, speaker)
            if phrase_end >= sent.end and sent.end < len(doc):
                # "D'après Météo-Lesse, de nouvelles pluies ...": the parser ended the
                # sentence at the comma; what is reported is the next one.
                sent = doc[sent.start : doc[sent.end].sent.end]
            before_cue = (
                doc[tok.i - 1].idx + len(doc[tok.i - 1]) if tok.i > sent.start else sent.start_char
            )
            left = (sent.start_char, before_cue)
            right = (doc[phrase_end].idx if phrase_end < sent.end else sent.end_char, sent.end_char)
            content = _trim(text, *max(left, right, key=lambda r: r[1] - r[0]))
            if (
                content[1] > content[0]
                and not long_quotes.overlaps(*content)
                and content[0] not in inside
            ):
                yield content, _Attribution(speaker, cue)
            continue
        if not french.is_indirect(tok):
            continue
        speaker = french.speaker_of_verb(tok)
        if speaker is None:
            continue
        clause = french.que_clause(tok)
        if clause is not None:
            start = doc[french.clause_start(clause)].idx
            end = token_end(doc[french.clause_end(clause) - 1])
        elif french.trails_attribution(tok) and speaker.i > tok.i:
            # "La police a interpellé 41 personnes, a indiqué le procureur.": the
            # attribution follows what it attributes.
            comma = french.attribution_start(tok)
            first = french.statement_start(tok)
            if comma <= first:
                continue
            start, end = doc[first].idx, doc[comma].idx
        else:
            continue
        content = _trim(text, start, end)
        if long_quotes.overlaps(*content) or content[0] in inside:
            continue
        if content[1] > content[0]:
            yield content, _Attribution(speaker, doc[tok.i : tok.i + 1])


def _closes_sentence(verb: Token) -> bool:
    """Whether the reporting verb ends its sentence, after a comma ("..., police said.")."""
    sent = verb.sent
    tail = [t for t in sent if t.i > verb.i and not (t.is_punct or t.is_space)]
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i]
    clause_start = min([verb.i, *(c.left_edge.i for c in subjects)])
    before = verb.doc[clause_start - 1] if clause_start > sent.start else None
    return len(tail) <= 6 and before is not None and before.text in {",", "”", '"', "’"}


def _is_vague_source(token: Token) -> bool:
    return token.lemma_.lower() in {"report", "source", "rumour", "rumor"} | french.VAGUE_SOURCES


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _unattributed(
    doc: Doc, text: str, inside: _Coverage
) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    pattern = french.UNATTRIBUTED if doc.lang_ == "fr" else UNATTRIBUTED
    for sent in sentences(doc):
        for m in pattern.finditer(text, sent.start_char, sent.end_char):
            if m.start() in inside:
                continue
            content = _trim(text, sent.start_char, sent.end_char)
            if content[1] > content[0]:
                yield content, (m.start(), m.end())
            break


class _Writer:
    """Adds spans and quote records, reusing a span when the same stretch fills two roles."""

    def __init__(self, analysis: Analysis, analyzer: str, inside: _Coverage) -> None:
        self.analysis = analysis
        self.analyzer = analyzer
        self.inside = inside
        self._ids: dict[tuple[int, int, str], str] = {}
        # Named speakers so far, by offset: "they" and "it" refer back to one of them.
        self._speakers: list[tuple[int, Span]] = []

    def span(self, start: int, end: int, label: str) -> str:
        key = (start, end, label)
        if key not in self._ids:
            self._ids[key] = self.analysis.add_span(start, end, label, analyzer=self.analyzer).id
        return self._ids[key]

    def quote(
        self,
        *,
        content: tuple[int, int],
        attribution: _Attribution,
        direct: bool,
        scare: bool,
        unattributed_cue: tuple[int, int] | None = None,
    ) -> None:
        spans: dict[str, tuple[str, ...]] = {
            "content": (self.span(*content, "quote"),),
        }
        speaker_name: str | None = None
        anonymous = False
        if attribution.speaker is not None:
            speaker = attribution.speaker
            in_french = speaker.doc.lang_ == "fr"
            mention = french.name_span(speaker) if in_french else name_span(speaker)
            spans["speaker"] = (self.span(mention.start_char, mention.end_char, "speaker"),)
            speaker_name = strip_markup(mention.text)
            if french.is_pronoun(speaker) if in_french else is_pronoun(speaker):
                antecedent = self._antecedent(
                    attribution.speaker, min(content[0], mention.start_char)
                )
                if antecedent is not None:
                    spans["antecedent"] = (
                        self.span(antecedent.start_char, antecedent.end_char, "speaker"),
                    )
                    speaker_name = strip_markup(antecedent.text)
                else:
                    speaker_name = None
            else:
                self._speakers.append((mention.start_char, mention))
            anonymous = speaker.ent_type_ == "" and speaker.lemma_.lower() in {
                "source", "official", "insider", "diplomat", "witness", "resident", "member",
            } | french.ANONYMOUS_NOUNS  # fmt: skip
        if attribution.cue is not None:
            spans["cue"] = (self.span(attribution.cue.start_char, attribution.cue.end_char, "cue"),)
        elif unattributed_cue is not None:
            spans["cue"] = (self.span(*unattributed_cue, "cue"),)
        attrs: dict[str, object] = {
            "direct": direct,
            "speaker": speaker_name,
            "unattributed": unattributed_cue is not None,
            "scare_quote": scare,
            "inherited": attribution.inherited,
        }
        if anonymous:
            attrs["anonymous"] = True
        self.analysis.add_record(
            "quote", analyzer=self.analyzer, spans=spans, score=attribution.score, attrs=attrs
        )

    def _antecedent(self, pronoun: Token, anchor: int) -> Span | None:
        """Who a pronoun speaker is: a person for he/she, the last named speaker otherwise."""
        doc = pronoun.doc
        recent = [m for at, m in self._speakers if anchor - 600 <= at < anchor]
        if doc.lang_ == "fr" and pronoun.text.strip("-‑").lower() in {"il", "elle", "lui"}:
            # French "il" is a man or anything masculine (le ministère): the latest of the
            # person named before and the speaker named before.
            anchor_token = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
            before = anchor_token.start if anchor_token is not None else pronoun.i
            person = previous_person(doc, before, skip=self.inside.__contains__)
            if person is not None and (not recent or recent[-1].start_char < person.start_char):
                return person
            return recent[-1] if recent else None
        if pronoun.lower_ in {"he", "she", "him", "her"}:
            anchor_token = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
            before = anchor_token.start if anchor_token is not None else pronoun.i
            person = previous_person(doc, before, skip=self.inside.__contains__)
            # A person is "he"; a named speaker who is no entity ("a militia member") too.
            recent = [m for m in recent if m.root.ent_type_ in {"PERSON", ""}]
            if person is not None and (not recent or recent[-1].start_char < person.start_char):
                return person
        elif pronoun.lower_ == "it":
            recent = [m for m in recent if m.root.ent_type_ not in {"PERSON", "NORP"}]
        return recent[-1] if recent else None


__all__ = ["REPORTING_VERBS", "QuoteAnalyzer", "QuotedText", "find_quoted"]
