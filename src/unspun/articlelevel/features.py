"""Features of whole articles: word n-gram TF-IDF and a few dozen measures of style.

Training (with scikit-learn) and inference (numpy only) both call :func:`terms` and
:func:`style_vector`, so the two sides see the same features by construction; inference then
only has to look terms up in the exported vocabulary and apply the exported idf.

The style measures are what genre rests on when the topic mix changes: how much of the text
is attributed or quoted, who speaks (first and second person), questions, exclamations and
imperatives, evaluative and hedging words, the headline's shape. They are rates per sentence
or per word, so that long and short articles compare.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"\w+", re.UNICODE)
_SENT_END = re.compile(r"[.!?…]+[\"'”’»)]*(?:\s+|$)")
_QUOTE_CHARS = re.compile(r"[\"“”«»„]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,40}(?:\([A-Za-z ]+\))?\s*[-–—]\s")
_AGENCY = re.compile(r"\((?:Reuters|AP|AFP|UPI|Bloomberg|dpa|TASS|Xinhua|CNN)\)|\b(?:Reuters|Associated Press|AFP)\b")
_URL = re.compile(r"https?://|www\.")


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ATTRIBUTION = _lexicon(
    "said says told stated added noted explained announced reported confirmed according "
    "claimed spokesperson spokesman spokeswoman statement quoted cited reportedly insisted "
    "warned urged declined commented tweeted wrote acknowledged"
)
_FIRST_SG = _lexicon("i me my mine myself i'm i've i'd")
_FIRST_PL = _lexicon("we us our ours ourselves")
_SECOND = _lexicon("you your yours yourself yourselves")
_HEDGE = _lexicon(
    "perhaps maybe might may could seems seem apparently possibly probably likely arguably "
    "presumably suppose guess"
)
_MODAL_DUTY = _lexicon("should must ought need needs")
_EVALUATIVE = _lexicon(
    "absurd disgrace disgraceful shameful outrageous ridiculous stupid idiot idiots insane "
    "evil corrupt pathetic terrible horrible disaster disastrous incredible amazing "
    "wonderful great worst best awful lies liar liars truth hypocrisy hypocrite hypocrites "
    "tyranny tyrant treason traitor traitors propaganda elite elites globalist globalists "
    "sheep clowns fake radical radicals lunatic lunatics crazy massive huge totally utterly "
    "clearly obviously simply indeed frankly honestly sadly unfortunately"
)
_EMOTION = _lexicon(
    "fear afraid angry anger outrage hate hatred love shocking shocked horror horrific "
    "terrifying scary sad tragic tragedy disgusting furious rage panic hope hopeless"
)
_IMPERATIVE_START = _lexicon(
    "let let's imagine consider remember think look stop don't do take make ask read "
    "watch note join share tell listen wake get go"
)
_SATIRE = _lexicon(
    "area local sources satire satirical parody allegedly reportedly visibly confirmed "
    "excited thrilled devastated"
)
_TIME = _lexicon(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight "
    "january february march april june july august september october november december"
)

STYLE_FEATURES: tuple[str, ...] = (
    "log_words",
    "log_paragraphs",
    "words_per_sentence",
    "words_per_paragraph",
    "quotes_per_sentence",
    "quoted_share",
    "attribution_per_sentence",
    "according_to_per_sentence",
    "first_singular_rate",
    "first_plural_rate",
    "second_person_rate",
    "questions_per_sentence",
    "exclamations_per_sentence",
    "imperative_starts",
    "hedge_rate",
    "duty_modal_rate",
    "evaluative_rate",
    "emotion_rate",
    "satire_cue_rate",
    "numbers_per_sentence",
    "time_word_rate",
    "capitalised_rate",
    "dateline",
    "agency",
    "urls",
    "title_question",
    "title_exclamation",
    "title_quote",
    "title_colon",
    "title_log_words",
    "title_capitalised_share",
    "title_first_or_second_person",
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, digits and underscore runs, in any script)."""
    return _WORD.findall(text.lower())


def terms(text: str) -> list[str]:
    """Unigrams and bigrams of :func:`words`: the TF-IDF analyzer of every model here."""
    toks = words(text)
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


def split_title(text: str) -> tuple[str, str]:
    """The first non-empty line as the headline, the rest as the body."""
    stripped = text.lstrip()
    head, _, body = stripped.partition("\n")
    return head.strip(), body


def _sentences(text: str) -> list[str]:
    parts = [s.strip() for s in _SENT_END.split(text)]
    return [s for s in parts if s]


def _quoted_chars(text: str) -> int:
    total = 0
    open_at = -1
    for m in _QUOTE_CHARS.finditer(text):
        if open_at < 0:
            open_at = m.end()
        else:
            total += m.start() - open_at
            open_at = -1
    return total


def style_vector(text: str) -> npt.NDArray[np.float64]:
    """The :data:`STYLE_FEATURES` of an article whose first line is its headline."""
    title, body = split_title(text)
    body = body if body.strip() else title
    toks = words(body)
    n_words = max(len(toks), 1)
    sents = _sentences(body)
    n_sent = max(len(sents), 1)
    paras = [p for p in body.splitlines() if p.strip()]
    n_para = max(len(paras), 1)
    counts = Counter(toks)
    # Hedges are matched case-sensitively, so that the month "May" is not taken for a hedge.
    raw_counts = Counter(_WORD.findall(body))

    def rate(lex: frozenset[str]) -> float:
        return sum(counts[w] for w in lex) / n_words

    def per_sentence(n: float) -> float:
        return n / n_sent

    according = len(re.findall(r"\baccording to\b", body.lower()))
    imperative = sum(1 for s in sents if (w := words(s[:20])) and w[0] in _IMPERATIVE_START)
    caps = sum(1 for w in _WORD.findall(body) if w[:1].isupper())
    title_words = _WORD.findall(title)
    title_lower = [w.lower() for w in title_words]
    values: dict[str, float] = {
        "log_words": math.log1p(len(toks)),
        "log_paragraphs": math.log1p(len(paras)),
        "words_per_sentence": min(len(toks) / n_sent, 80.0) / 10.0,
        "words_per_paragraph": min(len(toks) / n_para, 300.0) / 50.0,
        "quotes_per_sentence": per_sentence(len(_QUOTE_CHARS.findall(body)) / 2),
        "quoted_share": _quoted_chars(body) / max(len(body), 1),
        "attribution_per_sentence": per_sentence(sum(counts[w] for w in _ATTRIBUTION)),
        "according_to_per_sentence": per_sentence(according),
        "first_singular_rate": rate(_FIRST_SG) * 20,
        "first_plural_rate": rate(_FIRST_PL) * 20,
        "second_person_rate": rate(_SECOND) * 20,
        "questions_per_sentence": per_sentence(body.count("?")),
        "exclamations_per_sentence": per_sentence(body.count("!")),
        "imperative_starts": per_sentence(imperative),
        "hedge_rate": sum(raw_counts[w] for w in _HEDGE) / n_words * 20,
        "duty_modal_rate": rate(_MODAL_DUTY) * 20,
        "evaluative_rate": rate(_EVALUATIVE) * 20,
        "emotion_rate": rate(_EMOTION) * 20,
        "satire_cue_rate": rate(_SATIRE) * 20,
        "numbers_per_sentence": per_sentence(len(_NUMBER.findall(body))),
        "time_word_rate": rate(_TIME) * 20,
        "capitalised_rate": caps / n_words,
        "dateline": 1.0 if paras and _DATELINE.match(paras[0].strip()) else 0.0,
        "agency": 1.0 if _AGENCY.search(body) else 0.0,
        "urls": min(len(_URL.findall(body)), 5) / 5,
        "title_question": 1.0 if title.rstrip().endswith("?") else 0.0,
        "title_exclamation": 1.0 if "!" in title else 0.0,
        "title_quote": 1.0 if _QUOTE_CHARS.search(title) or "'" in title[:1] else 0.0,
        "title_colon": 1.0 if ":" in title else 0.0,
        "title_log_words": math.log1p(len(title_words)),
        "title_capitalised_share": (
            sum(1 for w in title_words if w[:1].isupper()) / len(title_words) if title_words else 0.0
        ),
        "title_first_or_second_person": (
            1.0 if any(w in _FIRST_SG or w in _FIRST_PL or w in _SECOND for w in title_lower) else 0.0
        ),
    }
    return np.array([values[name] for name in STYLE_FEATURES], dtype=np.float64)


# Standardised style measures are clipped to this many standard deviations: a very short text
# has extreme rates, and a linear model should not extrapolate from them.
STYLE_CLIP = 3.0


def scale_style(raw: npt.NDArray[np.float64], mean: npt.NDArray[np.float64], scale: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Standardise style rows with the training mean and scale, clipped to +-STYLE_CLIP."""
    return np.asarray(np.clip((raw - mean) / scale, -STYLE_CLIP, STYLE_CLIP), dtype=np.float64)


def tfidf_vector(
    text: str, vocabulary: Mapping[str, int], idf: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Sublinear-tf TF-IDF, l2-normalised: what scikit-learn's TfidfVectorizer computes with
    ``sublinear_tf=True`` over the exported vocabulary and idf."""
    vec = np.zeros(len(idf), dtype=np.float64)
    counts = Counter(t for t in terms(text) if t in vocabulary)
    for term, n in counts.items():
        vec[vocabulary[term]] = (1.0 + math.log(n)) * idf[vocabulary[term]]
    norm = float(np.sqrt(vec @ vec))
    return vec / norm if norm > 0 else vec


def vocabulary_index(vocab: Sequence[str]) -> dict[str, int]:
    return {term: i for i, term in enumerate(vocab)}


__all__ = [
    "STYLE_CLIP",
    "STYLE_FEATURES",
    "scale_style",
    "split_title",
    "style_vector",
    "terms",
    "tfidf_vector",
    "vocabulary_index",
    "words",
]
