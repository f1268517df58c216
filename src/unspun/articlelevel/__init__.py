"""Article-level readings: genre (opinion, reporting, satire) and the 14 SemEval frames.

Small linear heads over what the shared encoder and the persuasion model already computed
for the article (:mod:`unspun.articlelevel.heads`), trained with scikit-learn and run with
numpy alone; each label points at the paragraphs that weigh most for it.
"""

from __future__ import annotations

from unspun.articlelevel.analyzers import FramesAnalyzer, GenreAnalyzer, add_evidence
from unspun.articlelevel.heads import ArticleHead, load_head
from unspun.articlelevel.linear import LinearTextModel

__all__ = ["ArticleHead", "FramesAnalyzer", "GenreAnalyzer", "LinearTextModel", "add_evidence", "load_head"]
