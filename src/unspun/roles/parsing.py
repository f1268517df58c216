"""The dependency parse the role features read, from the spaCy pipeline the analyzers share."""

from __future__ import annotations

from spacy.tokens import Doc

from unspun.article import Analysis, Article
from unspun.roles.features import ParsedToken
from unspun.substance.nlp import parse


def parsed_tokens(doc: Doc) -> tuple[ParsedToken, ...]:
    """Every token of a spaCy parse, with offsets into its text and its head as an index."""
    return tuple(
        ParsedToken(t.idx, t.idx + len(t.text), t.dep_, t.head.i, t.lemma_.lower(), t.pos_)
        for t in doc
    )


def parse_text(text: str) -> tuple[ParsedToken, ...]:
    """Parse ``text`` with the shared English pipeline (offsets stay offsets into ``text``)."""
    return parsed_tokens(parse(Analysis(article=Article.from_text(text))))


__all__ = ["parse_text", "parsed_tokens"]
