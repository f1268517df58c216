"""Scorers for subtask 3, written in-house after the published definitions.

Paragraph level (the official subtask-3 measure): every paragraph carries a set of
techniques; micro-F1 pools all (paragraph, technique) decisions, macro-F1 averages the
per-technique F1 over the techniques that occur in the gold or the prediction.

Span level (the SemEval-2020 Task 11 measure with partial credit, made technique-aware as
in SemEval-2021 Task 6): a predicted span ``s`` earns ``|s ∩ t| / |s|`` of precision and a
gold span ``t`` earns ``|s ∩ t| / |t|`` of recall for every overlapping pair with the same
technique in the same article. Overlapping spans of one technique are merged first on both
sides, so a span annotated twice is not counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from unspun.semeval.data import GoldSpan


def f1_score(p: float, r: float) -> float:
    """The harmonic mean of precision and recall, 0 when both are 0."""
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


@dataclass(frozen=True)
class TechniqueScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class ParagraphScores:
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    paragraphs: int
    per_technique: dict[str, TechniqueScore] = field(default_factory=dict)


def score_paragraphs(
    gold: Mapping[tuple[str, int], Iterable[str]],
    pred: Mapping[tuple[str, int], Iterable[str]],
) -> ParagraphScores:
    """Score predicted technique sets against gold over the gold's paragraphs.

    A paragraph missing from ``pred`` counts as predicted empty; predictions for paragraphs
    that are not in ``gold`` are ignored (the official scorer rejects such files instead).
    """
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    for key, gold_labels in gold.items():
        g = set(gold_labels)
        p = set(pred.get(key, ()))
        for t in g & p:
            tp[t] += 1
        for t in p - g:
            fp[t] += 1
        for t in g - p:
            fn[t] += 1
    s_tp, s_fp, s_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = s_tp / (s_tp + s_fp) if s_tp + s_fp else 0.0
    micro_r = s_tp / (s_tp + s_fn) if s_tp + s_fn else 0.0
    per: dict[str, TechniqueScore] = {}
    for t in sorted(set(tp) | set(fp) | set(fn)):
        p_t = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r_t = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        per[t] = TechniqueScore(p_t, r_t, f1_score(p_t, r_t), tp[t] + fn[t])
    macro = sum(s.f1 for s in per.values()) / len(per) if per else 0.0
    return ParagraphScores(micro_p, micro_r, f1_score(micro_p, micro_r), macro, len(gold), per)


@dataclass(frozen=True)
class SpanScores:
    precision: float
    recall: float
    f1: float
    gold_spans: int
    pred_spans: int
    per_technique: dict[str, TechniqueScore] = field(default_factory=dict)


def _merge(spans: Iterable[GoldSpan]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    grouped: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        if s.end > s.start:
            grouped[(s.article_id, s.technique)].append((s.start, s.end))
    merged: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for key, items in grouped.items():
        items.sort()
        out = [items[0]]
        for start, end in items[1:]:
            if start < out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        merged[key] = out
    return merged


def _credit(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    """Sum over spans x in ``a`` of the share of x covered by spans of ``b``."""
    total = 0.0
    for s, e in a:
        covered = sum(max(0, min(e, be) - max(s, bs)) for bs, be in b)
        total += covered / (e - s)
    return total


def score_spans(gold: Iterable[GoldSpan], pred: Iterable[GoldSpan]) -> SpanScores:
    g = _merge(gold)
    p = _merge(pred)
    prec_credit: dict[str, float] = defaultdict(float)
    rec_credit: dict[str, float] = defaultdict(float)
    n_pred: dict[str, int] = defaultdict(int)
    n_gold: dict[str, int] = defaultdict(int)
    for key in set(g) | set(p):
        tech = key[1]
        gs, ps = g.get(key, []), p.get(key, [])
        n_gold[tech] += len(gs)
        n_pred[tech] += len(ps)
        if gs and ps:
            prec_credit[tech] += _credit(ps, gs)
            rec_credit[tech] += _credit(gs, ps)
    tot_p, tot_g = sum(n_pred.values()), sum(n_gold.values())
    precision = sum(prec_credit.values()) / tot_p if tot_p else 0.0
    recall = sum(rec_credit.values()) / tot_g if tot_g else 0.0
    per: dict[str, TechniqueScore] = {}
    for t in sorted(set(n_pred) | set(n_gold)):
        p_t = prec_credit[t] / n_pred[t] if n_pred[t] else 0.0
        r_t = rec_credit[t] / n_gold[t] if n_gold[t] else 0.0
        per[t] = TechniqueScore(p_t, r_t, f1_score(p_t, r_t), n_gold[t])
    return SpanScores(precision, recall, f1_score(precision, recall), tot_g, tot_p, per)


__all__ = ["ParagraphScores", "SpanScores", "TechniqueScore", "score_paragraphs", "score_spans"]
