"""The English model's rule lemmatizer, with each answer kept as a string id per word form.

spaCy's ``Lemmatizer`` already remembers its answers, but it still builds a key object and
stores the lemma as a new string for every token, which made it about 14 ms of an
800-word article's parse. Here the answer for a (word, part of speech, morphology) is kept
as the lemma's id in the string store and set as that id. The lemmas themselves come from
the model's own lemmatizer, so they are the same; a test compares the two on real text.
"""

from __future__ import annotations

from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc


class CachedLemmatizer:
    """Callable spaCy component equivalent to the rule ``Lemmatizer`` it wraps."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self._lemmatizer = lemmatizer
        self._ids: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        ids = self._ids
        strings = doc.vocab.strings
        overwrite = self._lemmatizer.overwrite
        for token in doc:
            if not overwrite and token.lemma != 0:
                continue  # set by the attribute ruler, as spaCy's lemmatizer would leave it
            key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
            lemma = ids.get(key)
            if lemma is None:
                lemma = strings.add(self._lemmatizer.lemmatize(token)[0])
                ids[key] = lemma
            token.lemma = lemma
        return doc


__all__ = ["CachedLemmatizer"]
