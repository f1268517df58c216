"""The ``roles`` analyzer: how the article casts each actor (protagonist, antagonist, innocent).

For every ``actor`` record of the ``actors`` analyzer it adds one ``role`` record:

``spans``  ``mention``: the actor's mention spans (made by ``actors``); ``evidence``: up to
           two sentences, new spans labelled ``role-evidence``, whose mentions speak most
           for the chosen main role
``attrs``  ``actor`` (the actor record's id), ``name``, ``main_role``, ``fine_roles`` (one or
           more, all of the main role), ``main_scores`` and ``fine_scores`` (probabilities)
``score``  the probability of the main role

The roles are SemEval-2025 Task 10's; the model was fitted on its English training split,
mention by mention, and an actor's probabilities are the mean over its mentions. The
model is weak (see its MODEL_CARD.md): read the scores, not only the labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np

from unspun.article import Analysis
from unspun.roles.features import ArticleView
from unspun.roles.labels import MAIN_ROLES
from unspun.roles.model import RoleModel, load_model
from unspun.roles.parsing import parsed_tokens
from unspun.substance.nlp import ParsedAnalyzer, parse

EVIDENCE_SENTENCES = 2


class RoleAnalyzer(ParsedAnalyzer):
    """A main role and fine roles for every actor, with the sentences that weigh most."""

    name: ClassVar[str] = "roles"
    version: ClassVar[str] = "0.1.0"
    requires: ClassVar[tuple[str, ...]] = ("text", "records:actor")
    assigns: ClassVar[tuple[str, ...]] = ("records:role", "spans:role-evidence")
    # Off unless named: its accuracy is near the majority baseline (see the model card).
    default: ClassVar[bool] = False

    def __init__(self, model_dir: Path | None = None) -> None:
        self._model_dir = model_dir
        self._model: RoleModel | None = None

    @property
    def model(self) -> RoleModel:
        if self._model is None:
            self._model = load_model(self._model_dir)
        return self._model

    def __call__(self, analysis: Analysis) -> None:
        actors = [r for r in analysis.records if r.type == "actor"]
        if not actors:
            return
        model = self.model
        # The parse the actors analyzer made is cached; asking for it again costs nothing.
        view = ArticleView.of(analysis.text, parsed_tokens(parse(analysis)))
        for actor in actors:
            mention_ids = actor.spans.get("mention", ())
            spans = [analysis.span(i) for i in mention_ids]
            if not spans:
                continue
            bounds = [(s.start, s.end) for s in spans]
            x = model.vectors(view, bounds)
            main, fine = model.main_proba(x), model.fine_proba(x)
            pred = model.decide(main.mean(axis=0), fine.mean(axis=0))
            evidence = self._evidence(
                analysis, view, bounds, main[:, MAIN_ROLES.index(pred.main_role)]
            )
            analysis.add_record(
                "role",
                analyzer=self.name,
                spans={"mention": tuple(mention_ids), "evidence": evidence},
                score=pred.score,
                attrs={
                    "actor": actor.id,
                    "name": actor.attrs.get("name"),
                    "main_role": pred.main_role,
                    "fine_roles": list(pred.fine_roles),
                    "main_scores": {k: round(v, 4) for k, v in pred.main_scores.items()},
                    "fine_scores": {k: round(v, 4) for k, v in pred.fine_scores.items()},
                },
            )

    def _evidence(
        self,
        analysis: Analysis,
        view: ArticleView,
        bounds: list[tuple[int, int]],
        support: np.ndarray,
    ) -> tuple[str, ...]:
        """Spans over the sentences of the mentions that speak most for the chosen role."""
        chosen: list[tuple[int, int]] = []
        for i in np.argsort(-support, kind="stable"):
            for s, e in view.sentences_over(*bounds[int(i)]):
                body = analysis.text[s:e]
                s, e = s + len(body) - len(body.lstrip()), s + len(body.rstrip())
                if e > s and (s, e) not in chosen:
                    chosen.append((s, e))
            if len(chosen) >= EVIDENCE_SENTENCES:
                break
        ids = []
        for s, e in sorted(chosen[:EVIDENCE_SENTENCES]):
            existing = next(
                (
                    sp
                    for sp in analysis.spans
                    if sp.analyzer == self.name and sp.start == s and sp.end == e
                ),
                None,
            )
            span = existing or analysis.add_span(s, e, "role-evidence", analyzer=self.name)
            ids.append(span.id)
        return tuple(ids)


__all__ = ["RoleAnalyzer"]
