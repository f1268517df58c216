"""unspun: read the news for what it is.

The public API is this module's ``__all__``; everything else is private and may change.
"""

from __future__ import annotations

from unspun._api import analyze, analyze_many, read
from unspun.article import (
    SCHEMA_VERSION,
    Analysis,
    AnalyzerRun,
    Article,
    ArticleMeta,
    Label,
    Paragraph,
    Problem,
    Record,
    Span,
)
from unspun.errors import AnalyzerError, InputError, PipelineError, UnspunError
from unspun.ingest.base import ReadOptions
from unspun.pipeline import Analyzer, BaseAnalyzer, Pipeline, register_analyzer

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "Analyzer",
    "AnalyzerError",
    "AnalyzerRun",
    "Article",
    "ArticleMeta",
    "BaseAnalyzer",
    "InputError",
    "Label",
    "Paragraph",
    "Pipeline",
    "PipelineError",
    "Problem",
    "ReadOptions",
    "Record",
    "Span",
    "UnspunError",
    "__version__",
    "analyze",
    "analyze_many",
    "read",
    "register_analyzer",
]
