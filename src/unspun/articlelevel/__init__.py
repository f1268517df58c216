"""Article-level classifiers: genre (opinion, reporting, satire) and the 14 SemEval frames.

Linear models over word n-grams and measures of style, trained with scikit-learn and run with
numpy alone; each label points at the paragraphs that weigh most for it.
"""

from __future__ import annotations

from unspun.articlelevel.analyzers import FramesAnalyzer, GenreAnalyzer, add_evidence, load_model
from unspun.articlelevel.linear import LinearTextModel

__all__ = ["FramesAnalyzer", "GenreAnalyzer", "LinearTextModel", "add_evidence", "load_model"]
