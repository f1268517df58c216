"""What the role model sees of one entity mention, as named features in blocks.

Every feature is a string in a block; a block's counts become ``(1 + log tf) * idf``,
l2-normalised within the block and multiplied by the block's weight, so that a long
article-level block cannot drown the few words right next to the mention.

Blocks:

``ent``   the entity's words and the whole entity string ("putin", "=vladimir putin")
``win``   the words within ``WINDOW`` tokens left and right of the mention, and the one or
          two words right next to it, kept apart by side ("L1=by" in "killed by X")
``sent``  the words and word pairs of the sentence(s) holding the mention
``ctx``   the words of the other sentences of the article that name the same entity
``doc``   the words of the whole article (its topic: the war, the climate)
``dep``   for English, the mention's place in the dependency parse: its relation, the word
          it depends on ("nsubj>attack", "dobj>kill", "pobj>by>kill") and its adjectives
``cue``   counts of lexicon cues in the mention's sentence: victim words, aggression verbs,
          protection, deceit, corruption, incompetence, peace; and whether the mention sits
          in the headline

Tokens are lower-cased runs of letters and digits, Devanagari marks kept, so the features
work on every language of the task; the cue lexicons are English only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

BLOCKS: tuple[str, ...] = ("ent", "win", "sent", "ctx", "doc", "dep", "cue")

WINDOW = 8

_TOKEN = re.compile(r"[\w\u0900-\u097f]+", re.UNICODE)
_SENT_END = re.compile(r"(?<=[.!?।…])[\"'”’»)]*\s+|\n+")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


CUES: dict[str, frozenset[str]] = {
    "victim": _words(
        "victim victims killed wounded injured suffer suffered suffering civilians civilian "
        "refugees displaced hostage hostages innocent starving homeless dead died casualties "
        "shelled targeted persecuted abused exploited forgotten blamed scapegoat"
    ),
    "aggression": _words(
        "attack attacked attacks invade invaded invasion bomb bombed bombing shelling kill "
        "kills killing slaughter massacre destroy destroyed aggression aggressor threat "
        "threatens threatened provoke provoked escalate escalation war crimes occupy occupied "
        "terror terrorist terrorists brutal regime dictator"
    ),
    "protection": _words(
        "defend defended defending defence defense protect protected protecting protection "
        "support supported help helped aid rescue save saved hero heroes heroic brave courage "
        "resist resistance fight fighting freedom liberate"
    ),
    "deceit": _words(
        "lie lies lied lying propaganda fake hoax claim claimed claims alleged mislead "
        "misleading disinformation narrative scam fraud deceive deceived hypocrisy"
    ),
    "corruption": _words(
        "corrupt corruption bribe bribes profit profits billionaire billionaires elite elites "
        "greed money funded funding lobby lobbyists oligarch oligarchs"
    ),
    "incompetence": _words(
        "failed fail failure failures incompetent blunder disaster chaos weak inept mistake "
        "mistakes useless"
    ),
    "peace": _words(
        "peace negotiate negotiations talks ceasefire truce diplomacy dialogue mediate "
        "agreement deal"
    ),
}


def tokens(text: str) -> list[str]:
    return [m.group().lower() for m in _TOKEN.finditer(text)]


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentences as ``(start, end)`` offsets: split at end punctuation and line breaks."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.start() > pos and text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        out.append((pos, len(text)))
    return out


@dataclass(frozen=True)
class ParsedToken:
    """What the features use of a token of a dependency parse (spaCy's, for English)."""

    start: int
    end: int
    dep: str
    head: int
    lemma: str
    pos: str


@dataclass(frozen=True)
class ArticleView:
    """An article prepared once for all its mentions: sentences and tokens with offsets."""

    text: str
    sentences: tuple[tuple[int, int], ...]
    words: tuple[tuple[int, int, str], ...]
    doc_counts: Counter[str]
    parse: tuple[ParsedToken, ...] = ()

    @classmethod
    def of(cls, text: str, parse: Sequence[ParsedToken] = ()) -> ArticleView:
        words = tuple((m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text))
        return cls(
            text=text,
            sentences=tuple(sentence_bounds(text)),
            words=words,
            doc_counts=Counter("D=" + w for _, _, w in words),
            parse=tuple(parse),
        )

    def sentences_over(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences that overlap ``[start, end)``; the nearest one if none does."""
        hit = [(s, e) for s, e in self.sentences if s < end and start < e]
        if hit or not self.sentences:
            return hit
        return [min(self.sentences, key=lambda se: abs(se[0] - start))]


def mention_features(view: ArticleView, start: int, end: int) -> dict[str, Counter[str]]:
    """The features of the mention ``view.text[start:end]``, by block."""
    text = view.text
    entity = text[start:end]
    ent_words = tokens(entity)
    blocks: dict[str, Counter[str]] = {b: Counter() for b in BLOCKS}
    blocks["ent"].update("e=" + w for w in ent_words)
    blocks["ent"]["E=" + " ".join(ent_words)] += 1

    left = [w for s, _, w in view.words if s < start][-WINDOW:]
    right = [w for s, _, w in view.words if s >= end][:WINDOW]
    win = blocks["win"]
    win.update("L=" + w for w in left)
    win.update("R=" + w for w in right)
    if left:
        win["L1=" + left[-1]] += 1
    if len(left) > 1:
        win["L2=" + " ".join(left[-2:])] += 1
    if right:
        win["R1=" + right[0]] += 1
    if len(right) > 1:
        win["R2=" + " ".join(right[:2])] += 1

    own = view.sentences_over(start, end)
    sent_words: list[str] = []
    for s, e in own:
        sent_words += [w for ws, we, w in view.words if s <= ws and we <= e and not (start <= ws < end)]
    blocks["sent"].update("S=" + w for w in sent_words)
    blocks["sent"].update("S2=" + a + " " + b for a, b in pairwise(sent_words))

    # Other sentences naming the entity say how the article treats it as a whole.
    key = entity.strip().lower()
    others = [
        (s, e) for s, e in view.sentences if (s, e) not in own and key and key in text[s:e].lower()
    ]
    for s, e in others:
        blocks["ctx"].update("C=" + w for w in tokens(text[s:e]) if w not in ent_words)
    blocks["cue"]["n_other_sentences=" + str(min(len(others), 5))] += 1

    blocks["doc"] = Counter(view.doc_counts)
    blocks["dep"] = _dependency_features(view.parse, start, end)

    lowered = set(sent_words)
    for name, words in CUES.items():
        n = len(lowered & words)
        if n:
            blocks["cue"]["cue=" + name] += n
    if own and view.sentences and own[0] == view.sentences[0]:
        blocks["cue"]["in_headline"] += 1
    return blocks


def _dependency_features(parse: Sequence[ParsedToken], start: int, end: int) -> Counter[str]:
    out: Counter[str] = Counter()
    inside = [i for i, t in enumerate(parse) if start <= t.start and t.end <= end]
    if not inside:
        return out
    roots = [i for i in inside if parse[i].head not in inside or parse[i].head == i]
    root = roots[0] if roots else inside[-1]
    # "Russia and Belarus attacked": the second conjunct takes the first one's place.
    while parse[root].dep == "conj" and parse[root].head != root:
        root = parse[root].head
    tok = parse[root]
    head = parse[tok.head]
    out["dep=" + tok.dep] += 1
    out[f"dep>{tok.dep}>{head.lemma}"] += 1
    if tok.dep == "pobj" and head.head != tok.head:
        out[f"pobj>{head.lemma}>{parse[head.head].lemma}"] += 1
    if tok.dep == "poss" and head.head != tok.head:
        out[f"poss>{head.lemma}>{parse[head.head].lemma}"] += 1
    for i in inside:
        t = parse[i]
        if t.dep == "amod" and t.head in inside:
            out["amod=" + t.lemma] += 1
    for i, t in enumerate(parse):
        if t.head == root and i not in inside and t.dep in {"amod", "appos", "acl", "relcl"}:
            out[f"{t.dep}={t.lemma}"] += 1
    return out


def block_vector(
    blocks: dict[str, Counter[str]],
    index: dict[str, int],
    idf: Sequence[float],
    block_of: Sequence[int],
    weights: Sequence[float],
) -> dict[int, float]:
    """The sparse feature vector ``{column: value}`` of one mention (see the module doc)."""
    out: dict[int, float] = {}
    norms: dict[int, float] = {}
    for name in BLOCKS:
        for feat, tf in blocks.get(name, {}).items():
            j = index.get(feat)
            if j is None or tf <= 0:
                continue
            v = (1.0 + math.log(tf)) * idf[j]
            out[j] = v
            norms[block_of[j]] = norms.get(block_of[j], 0.0) + v * v
    for j, v in out.items():
        b = block_of[j]
        out[j] = v / math.sqrt(norms[b]) * weights[b]
    return out


__all__ = [
    "BLOCKS",
    "CUES",
    "WINDOW",
    "ArticleView",
    "ParsedToken",
    "block_vector",
    "mention_features",
    "sentence_bounds",
    "tokens",
]
