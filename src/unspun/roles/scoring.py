"""Scoring subtask 1 as the task does: fine-role exact match, main-role accuracy.

Gold and predicted rows are matched on ``(file, start, end)``. A gold mention with no
predicted row counts as wrong; a predicted row for no gold mention is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from unspun.roles.files import Mention


@dataclass(frozen=True)
class RoleScores:
    """The task's measures over the gold mentions."""

    fine_exact_match: float
    main_accuracy: float
    fine_micro_precision: float
    fine_micro_recall: float
    fine_micro_f1: float
    mentions: int
    missing: int


def score_roles(gold: Sequence[Mention], pred: Sequence[Mention]) -> RoleScores:
    """Exact match of the fine-role sets (the task's ranking measure) and main-role accuracy."""
    by_key = {p.key: p for p in pred}
    exact = main = tp = n_pred = n_gold = missing = 0
    for g in gold:
        p = by_key.get(g.key)
        gold_fine = set(g.fine_roles)
        n_gold += len(gold_fine)
        if p is None:
            missing += 1
            continue
        pred_fine = set(p.fine_roles)
        exact += gold_fine == pred_fine
        main += g.main_role == p.main_role
        tp += len(gold_fine & pred_fine)
        n_pred += len(pred_fine)
    n = len(gold)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return RoleScores(
        fine_exact_match=exact / n if n else 0.0,
        main_accuracy=main / n if n else 0.0,
        fine_micro_precision=precision,
        fine_micro_recall=recall,
        fine_micro_f1=f1,
        mentions=n,
        missing=missing,
    )


__all__ = ["RoleScores", "score_roles"]
