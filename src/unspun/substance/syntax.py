"""Reading the dependency parse: who is the subject of a verb, what a mention is called.

Shared by the quote, source and actor analyzers, which all need to turn a token of the parse
into the stretch of text that names someone ("Ukrainian Interior Minister Arsen Avakov" is
named "Arsen Avakov"; "One military source" stays as written).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from unspun.substance.nlp import entities, entity_type, sentences

# Entity types that can speak, act or be cited.
NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them"})

# Nouns for people by role: a subject like this can be the speaker of the next quote.
ROLE_NOUNS = frozenset(
    {
        "commander", "spokesman", "spokeswoman", "spokesperson", "minister", "official",
        "president", "leader", "officer", "general", "chief", "head", "director", "governor",
        "mayor", "member", "resident", "witness", "source", "analyst", "expert", "ambassador",
        "diplomat", "secretary", "adviser", "advisor", "lawyer", "activist", "soldier",
        "fighter", "engineer", "teacher", "doctor", "priest", "chairman", "chairwoman",
        "prosecutor", "judge", "candidate", "founder", "owner", "manager", "representative",
        "negotiator", "envoy", "survivor", "organiser", "organizer", "counterpart",
    }
)  # fmt: skip

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})

# Dependency links a verb can hang from while its subject belongs to a verb above it
# ("..., saying", "..., adding", "he promised to ... saying").
_CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl", "dep", "prep", "ccomp"})


def strip_markup(text: str) -> str:
    """A name without the Markdown emphasis and stray punctuation around it."""
    return text.strip().strip("*_").strip().strip(",;:").strip()


def entity_of(token: Token, types: frozenset[str] = NAMED_TYPES) -> Span | None:
    """The named entity the token belongs to, if it is of one of ``types`` (by default the
    types that can act or speak)."""
    if entity_type(token) not in types:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def subject_of(verb: Token, *, max_hops: int = 4) -> Token | None:
    """The subject of ``verb``, or of the verb it hangs from when it has none of its own."""
    current = verb
    for _ in range(max_hops):
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if current.dep_ not in _CLIMB_DEPS or current.head.i == current.i:
            return None
        current = current.head
    return None


def name_span(token: Token) -> Span:
    """The stretch of text that names the mention headed by ``token``.

    A named entity wins ("Kremlin spokesman Dmitry Peskov" gives "Dmitry Peskov"); an
    apposition carrying a person's name wins over a common noun ("the president emeritus,
    Leslie Gelb"); otherwise the noun phrase up to its head, without relative clauses,
    prepositional tails or appositions.
    """
    ent = entity_of(token)
    if ent is not None:
        return ent
    if token.pos_ in {"NOUN", "PRON"}:
        # "a ministry spokesman, Colonel Ivo Strand," / "The owner, Halvard Energy,": the
        # name in apposition names the speaker better than the role does.
        for t in token.subtree:
            if t.dep_ == "appos" and t.pos_ == "PROPN" and t.i > token.i:
                return entity_of(t) or _proper_name(t)
    doc = token.doc
    start = token.i
    end = token.i + 1
    for child in token.lefts:
        if child.dep_ in {"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod"}:
            start = min(start, child.left_edge.i)
    if token.pos_ in {"NOUN", "PRON"}:
        # "a member of a local militia": the of-phrase is what identifies a common noun.
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                end = child.right_edge.i + 1
                break
    while start < token.i and doc[start].is_punct:
        start += 1
    while end > token.i + 1 and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end]


def _proper_name(token: Token) -> Span:
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
        start -= 1
    return doc[start : token.i + 1]


def is_pronoun(token: Token) -> bool:
    return token.pos_ == "PRON" and token.lower_ in PRONOUNS


def is_subject_mention(span: Span) -> bool:
    """Whether the mention lies inside a clause's subject, the likeliest antecedent.

    A name in apposition to a verbless sentence's root noun counts too: the parser makes
    "..., the president emeritus of X, Leslie Gelb, called for ..." such a fragment.
    """
    root = span.root
    if any(t.dep_ in SUBJECT_DEPS for t in [root, *root.ancestors]):
        return True
    return root.dep_ == "appos" and root.head.dep_ == "ROOT" and root.head.pos_ in {"NOUN", "PROPN"}


def previous_person(
    doc: Doc, before: int, *, window: int = 3, skip: Callable[[int], bool] | None = None
) -> Span | None:
    """The person a pronoun at token ``before`` most likely refers to.

    Looks back over the current and ``window`` previous sentences; a person who is a
    clause's subject is preferred over one who is only mentioned ("Leslie Gelb called for
    ... like President Bashar al-Assad. ... he said" is Gelb). A proper noun standing as a
    subject or its apposition counts as a person when the NER gave it no other type, and so
    does a singular role noun as subject ("The rebel commander"). ``skip`` rules out
    mentions by their character offset (those inside quotation marks).
    """
    sent_starts = [s.start for s in sentences(doc) if s.start <= before]
    floor = sent_starts[-(window + 1)] if len(sent_starts) > window else 0
    candidates = {
        (e.start, e.end): e
        for e in entities(doc)
        if entity_type(e) == "PERSON" and floor <= e.start and e.end <= before
    }
    for token in doc[floor:before]:
        if (
            token.pos_ == "PROPN"
            and token.dep_ in {"nsubj", "appos"}
            and entity_type(token) in {"", "PERSON"}
        ) or (token.dep_ == "nsubj" and token.tag_ == "NN" and token.lemma_.lower() in ROLE_NOUNS):
            # A proper name, or a person by role ("The rebel commander ... he said").
            span = name_span(token)
            if not any(s <= span.start and span.end <= e for s, e in candidates):
                candidates[(span.start, span.end)] = span
    persons = [
        candidates[k]
        for k in sorted(candidates)
        if skip is None or not skip(candidates[k].start_char)
    ]
    if not persons:
        return None
    subjects = [e for e in persons if is_subject_mention(e)]
    return (subjects or persons)[-1]


__all__ = [
    "NAMED_TYPES",
    "PRONOUNS",
    "ROLE_NOUNS",
    "entity_of",
    "is_pronoun",
    "is_subject_mention",
    "name_span",
    "previous_person",
    "strip_markup",
    "subject_of",
]
