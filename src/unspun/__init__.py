"""unspun: read the news for what it is.

The public API is this module's ``__all__``; everything else is private and may change.

The names are imported on first use (PEP 562): ``unspun --version`` and every command's
``--help`` import this package, and the data model alone (pydantic) costs more than the
whole start-up budget.
"""

from __future__ import annotations

import typing as _typing

from unspun._lazy import lazy_exports as _lazy_exports

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "analyze": "unspun._api",
    "analyze_many": "unspun._api",
    "read": "unspun._api",
    "SCHEMA_VERSION": "unspun.article",
    "Analysis": "unspun.article",
    "AnalyzerRun": "unspun.article",
    "Article": "unspun.article",
    "ArticleMeta": "unspun.article",
    "Label": "unspun.article",
    "Paragraph": "unspun.article",
    "Problem": "unspun.article",
    "Record": "unspun.article",
    "Span": "unspun.article",
    "AnalyzerError": "unspun.errors",
    "InputError": "unspun.errors",
    "PipelineError": "unspun.errors",
    "UnspunError": "unspun.errors",
    "ReadOptions": "unspun.ingest.base",
    "Analyzer": "unspun.pipeline",
    "BaseAnalyzer": "unspun.pipeline",
    "Pipeline": "unspun.pipeline",
    "register_analyzer": "unspun.pipeline",
}

if _typing.TYPE_CHECKING:
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


__getattr__ = _lazy_exports(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return sorted(__all__)


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
