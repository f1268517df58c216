"""The indexed attribute ruler and the cached lemmatizer set exactly what the model's own
spaCy components set."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from unspun.substance.lemmatizer import CachedLemmatizer
from unspun.substance.nlp import MODEL_PACKAGE, _tokenize, load_model
from unspun.substance.ruler import IndexedAttributeRuler

# Invented; chosen to reach the ruler's special rules: contractions, "gon na", "y' all",
# "ai n't", expletive "there is", auxiliaries, whitespace tokens, odd spellings.
TEXTS = [
    "There is nothin' we ain't gonna do, y'all know it.\n\nThey're gonna win, aren't they?",
    "She has been told that the ministry would not comment.  It is what it is.\n \nOK",
    "Ol' Bob said: 'I'm doin' fine, goin' home' and 'em folks were somethin' else.",
    "The 42 dead and 170 wounded were counted by officials, who've said they'll check.",
    "",
    "   \n\t ",
]


def _before_ruler(nlp: Language, text: str) -> Doc:
    doc = _tokenize(nlp, text)
    for name, proc in nlp.pipeline:
        if name == "unspun_attribute_ruler":
            break
        doc = proc(doc)
    return doc


def _attributes(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def rulers() -> tuple[Language, object, IndexedAttributeRuler]:
    nlp = load_model()
    reference = spacy.load(MODEL_PACKAGE).get_pipe("attribute_ruler")
    return nlp, reference, IndexedAttributeRuler(reference)


def _check(rulers: tuple[Language, object, IndexedAttributeRuler], text: str) -> int:
    nlp, reference, indexed = rulers
    theirs = _before_ruler(nlp, text)
    ours = theirs.copy()
    reference(theirs)  # type: ignore[operator]
    indexed(ours)
    assert _attributes(ours) == _attributes(theirs)
    return len(ours)


def test_the_shared_pipeline_uses_the_indexed_ruler_and_the_cached_lemmatizer() -> None:
    names = load_model().pipe_names
    assert "attribute_ruler" not in names and "lemmatizer" not in names
    assert names.index("unspun_attribute_ruler") < names.index("unspun_lemmatizer")


def _parse(nlp: Language, text: str) -> Doc:
    doc = _tokenize(nlp, text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _stock() -> Language:
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("unspun_paragraph_breaks", before="parser")
    return nlp


def _everything(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.is_sent_start)
        for t in doc
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_the_whole_parse_is_the_stock_pipeline_s(text: str) -> None:
    # Twice: the second time the lemmatizer answers from what it kept.
    ours, stock = load_model(), _stock()
    for _ in range(2):
        assert _everything(_parse(ours, text)) == _everything(_parse(stock, text))


def test_the_whole_parse_of_the_samples_is_the_stock_pipeline_s(samples_dir: Path) -> None:
    ours, stock = load_model(), _stock()
    for path in sorted(samples_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert _everything(_parse(ours, text)) == _everything(_parse(stock, text)), path.name


def test_the_cached_lemmatizer_keeps_lemmas_the_ruler_set() -> None:
    nlp = load_model()
    doc = _before_ruler(nlp, "They're gonna go.")
    nlp.get_pipe("unspun_attribute_ruler")(doc)
    preset = [t.lemma_ for t in doc]
    wrapped = _stock().get_pipe("lemmatizer")
    assert isinstance(wrapped, spacy.pipeline.Lemmatizer)
    CachedLemmatizer(wrapped)(doc)
    assert [t.lemma_ for t in doc][: len(preset)] and all(
        before == after for before, after in zip(preset, (t.lemma_ for t in doc), strict=True) if before
    )


@pytest.mark.parametrize("text", TEXTS)
def test_same_attributes_as_spacy_on_invented_text(rulers: tuple[Language, object, IndexedAttributeRuler], text: str) -> None:
    _check(rulers, text)


def test_same_attributes_as_spacy_on_the_samples(rulers: tuple[Language, object, IndexedAttributeRuler], samples_dir: Path) -> None:
    tokens = sum(_check(rulers, p.read_text(encoding="utf-8")) for p in sorted(samples_dir.glob("*.txt")))
    assert tokens > 3000


def test_an_unknown_pattern_key_is_refused() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"SHAPE": "dd"}]], {"POS": "NUM"})  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="SHAPE"):
        IndexedAttributeRuler(ruler)  # type: ignore[arg-type]
