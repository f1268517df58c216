"""unspun's two replacements in the spaCy pipeline against the model's own components.

    .venv/bin/python benchmarks/spacy_components.py [--articles DIR ...] [--limit N]

For every article (default: the SemEval-2023 English subtask-3 test articles; pass the
train folder too for the 446 more), the text is parsed up to the attribute ruler, copied,
and the copy and the original go through spaCy's ``attribute_ruler`` and unspun's
``IndexedAttributeRuler``, then spaCy's ``lemmatizer`` and unspun's ``CachedLemmatizer``,
interleaved, so that both sides see the same machine load. Prints milliseconds per article
for each and the number of tokens on which any attribute differs (the target is 0).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from unspun.substance.lemmatizer import CachedLemmatizer
from unspun.substance.nlp import MODEL_PACKAGE, _tokenize, load_model
from unspun.substance.ruler import IndexedAttributeRuler

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/semeval2023/en/test-articles-subtask-3"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=Path, action="append")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    paths = [p for d in (args.articles or [DEFAULT]) for p in sorted(d.glob("*.txt"))]
    if args.limit:
        paths = paths[: args.limit]
    nlp = load_model()
    stock = spacy.load(MODEL_PACKAGE)
    ruler, lemmatizer = stock.get_pipe("attribute_ruler"), stock.get_pipe("lemmatizer")
    ours_ruler = IndexedAttributeRuler(ruler)  # type: ignore[arg-type]
    ours_lemmatizer = CachedLemmatizer(lemmatizer)  # type: ignore[arg-type]
    before = [name for name, _ in nlp.pipeline][: nlp.pipe_names.index("unspun_attribute_ruler")]
    seconds = {"spacy attribute_ruler": 0.0, "unspun ruler": 0.0, "spacy lemmatizer": 0.0, "unspun lemmatizer": 0.0}
    tokens = differing = 0
    for path in paths:
        theirs = _tokenize(nlp, path.read_text(encoding="utf-8"))
        for name in before:
            theirs = nlp.get_pipe(name)(theirs)
        ours = theirs.copy()
        for label, component, doc in (
            ("spacy attribute_ruler", ruler, theirs),
            ("unspun ruler", ours_ruler, ours),
            ("spacy lemmatizer", lemmatizer, theirs),
            ("unspun lemmatizer", ours_lemmatizer, ours),
        ):
            start = time.perf_counter()
            component(doc)
            seconds[label] += time.perf_counter() - start
        tokens += len(ours)
        differing += sum(
            (a.pos_, a.tag_, str(a.morph), a.lemma_, a.dep_) != (b.pos_, b.tag_, str(b.morph), b.lemma_, b.dep_)
            for a, b in zip(theirs, ours, strict=True)
        )
    ms = {k: round(1000 * v / len(paths), 2) for k, v in seconds.items()}
    for label, value in ms.items():
        print(f"{label:22s} {value:7.2f} ms per article")
    print(f"{len(paths)} articles, {tokens} tokens; tokens with any attribute different: {differing}")
    print(json.dumps({"articles": len(paths), "tokens": tokens, "differing_tokens": differing, "ms_per_article": ms}))


if __name__ == "__main__":
    main()
