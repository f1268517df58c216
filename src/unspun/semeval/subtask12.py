"""SemEval-2023 Task 3 subtasks 1 (genre) and 2 (frames): prediction files and scorers.

Files are ``ID<TAB>genre`` and ``ID<TAB>frame,frame,...``, ids taken from the
``article<ID>.txt`` names. The scorers follow the official definitions: macro-F1 over the
genres present in gold or prediction for subtask 1, micro-F1 over all (article, frame)
decisions for subtask 2. An article of the gold missing from the prediction counts as
predicted empty (the official scorer refuses such files instead); predictions for articles
not in the gold are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from unspun.articlelevel.heads import ArticleHead, load_head
from unspun.semeval.data import read_articles
from unspun.semeval.scoring import TechniqueScore, f1_score


def predict_labels(articles_dir: Path, head: ArticleHead, language: str | None = None) -> dict[str, list[str]]:
    """The head's labels for every ``article<ID>.txt`` in ``articles_dir``, by id.

    The articles are read as in training (:mod:`unspun.articlelevel.corpus`): the persuasion
    model over their lines with the thresholds of ``language`` (detected per article when
    not given), and the shared encoder's vectors.
    """
    from unspun.articlelevel.corpus import ArticleSet, compute_features
    from unspun.articlelevel.head_training import feature_blocks
    from unspun.semeval.predict import article_language

    arts = read_articles(articles_dir)
    if not arts:
        return {}
    data = ArticleSet(
        ids=[a.id for a in arts],
        language=[language or article_language(a.text) or "en" for a in arts],
        split=["predict"] * len(arts),
        genre=[""] * len(arts),
        frames=[None] * len(arts),
        texts=[a.text for a in arts],
    )
    compute_features(data)
    return dict(zip(data.ids, head.predict(feature_blocks(data)), strict=True))


def write_labels(path: Path, labels: Mapping[str, list[str]]) -> int:
    """One ``ID<TAB>label,label`` row per article, in the given order; returns the row count."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        for art, labs in labels.items():
            fh.write(f"{art}\t{','.join(labs)}\n")
    return len(labels)


def predict_article_level(
    subtask: int, articles_dir: Path, out: Path, *, model_dir: Path | None = None, language: str | None = None
) -> int:
    """Predict subtask 1 (genre) or 2 (frames) for a directory of articles into ``out``."""
    kind = {1: "genre", 2: "frames"}.get(subtask)
    if kind is None:
        raise ValueError(f"subtask {subtask} is not article-level (1 or 2)")
    return write_labels(out, predict_labels(articles_dir, load_head(kind, model_dir), language))


def read_labels(path: Path) -> dict[str, frozenset[str]]:
    """``ID<TAB>label,label`` rows as {id: labels}; a row with no second column has none."""
    out: dict[str, frozenset[str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for n, raw in enumerate(fh, start=1):
            row = raw.rstrip("\r\n")
            if not row.strip():
                continue
            art, _, labs = row.partition("\t")
            if not art.strip():
                raise ValueError(f"{path}:{n}: expected ID<TAB>labels, got {row!r}")
            out[art.strip()] = frozenset(x.strip() for x in labs.split(",") if x.strip())
    return out


@dataclass(frozen=True)
class ArticleScores:
    """Scores of article-level labels: micro over all decisions and macro over labels."""

    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    articles: int
    per_label: dict[str, TechniqueScore] = field(default_factory=dict)


def score_labels(
    gold: Mapping[str, frozenset[str]], pred: Mapping[str, frozenset[str]]
) -> ArticleScores:
    """Micro- and macro-F1 of predicted label sets against gold, over the gold's articles.

    For single-label tasks (genre) micro-F1 equals accuracy and macro-F1 is the official
    subtask-1 measure; for frames micro-F1 is the official subtask-2 measure.
    """
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for art, g in gold.items():
        p = pred.get(art, frozenset())
        for lab in g | p:
            tp.setdefault(lab, 0)
            fp.setdefault(lab, 0)
            fn.setdefault(lab, 0)
        for lab in g & p:
            tp[lab] += 1
        for lab in p - g:
            fp[lab] += 1
        for lab in g - p:
            fn[lab] += 1
    s_tp, s_fp, s_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = s_tp / (s_tp + s_fp) if s_tp + s_fp else 0.0
    micro_r = s_tp / (s_tp + s_fn) if s_tp + s_fn else 0.0
    per: dict[str, TechniqueScore] = {}
    for lab in sorted(tp):
        p_l = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        r_l = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        per[lab] = TechniqueScore(p_l, r_l, f1_score(p_l, r_l), tp[lab] + fn[lab])
    macro = sum(s.f1 for s in per.values()) / len(per) if per else 0.0
    return ArticleScores(micro_p, micro_r, f1_score(micro_p, micro_r), macro, len(gold), per)


def score_files(subtask: int, gold: Path, pred: Path) -> ArticleScores:
    if subtask not in (1, 2):
        raise ValueError(f"subtask {subtask} is not article-level (1 or 2)")
    return score_labels(read_labels(gold), read_labels(pred))


__all__ = [
    "ArticleScores",
    "TechniqueScore",
    "predict_article_level",
    "predict_labels",
    "read_labels",
    "score_files",
    "score_labels",
    "write_labels",
]
