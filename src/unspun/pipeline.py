"""Analyzers, their registry, and the pipeline that runs them.

An analyzer is a small named component: it declares what it ``requires`` and what it
``assigns`` (strings such as ``"spans:sentence"`` or ``"labels:language"``), carries a
``version``, and is called on an :class:`~unspun.article.Analysis`, adding spans, labels or
records to it. The pipeline checks the declarations before it runs anything, runs each
analyzer on each article under its own error handler, and records a failure on the article
instead of stopping the run.

unspun's own analyzers register through the ``unspun.analyzers`` entry-point group, exactly
as a third-party plugin would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import entry_points
from typing import ClassVar, Literal, Protocol, runtime_checkable

from unspun.article import Analysis, AnalyzerRun, Article, Problem
from unspun.errors import CODES, AnalyzerError, PipelineError

ENTRY_POINT_GROUP = "unspun.analyzers"

# What every article brings before any analyzer runs.
ARTICLE_PROVIDES: frozenset[str] = frozenset({"text", "paragraphs", "meta"})


@runtime_checkable
class Analyzer(Protocol):
    """The contract every analyzer follows (see docs/analyzers.md)."""

    # Read-only members, so class-level constants (BaseAnalyzer's ClassVars) satisfy it.
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def requires(self) -> tuple[str, ...]: ...
    @property
    def assigns(self) -> tuple[str, ...]: ...

    def __call__(self, analysis: Analysis) -> None: ...


class BaseAnalyzer:
    """Convenience base: subclasses set the four class attributes and implement ``__call__``."""

    name: ClassVar[str]
    version: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ("text",)
    assigns: ClassVar[tuple[str, ...]] = ()
    #: what it reads when present but does without: the pipeline runs the analyzers that
    #: add these first, when they are in it (see :func:`order_analyzers`)
    reads: ClassVar[tuple[str, ...]] = ()
    #: whether `unspun analyze` runs it when no analyzers are named
    default: ClassVar[bool] = True

    def __call__(self, analysis: Analysis) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}@{self.version}>"

    def skip_language(self, analysis: Analysis, language: str, languages: Sequence[str]) -> None:
        """Record that this analyzer adds nothing to ``analysis`` because its model does not
        read ``language`` (E304): nothing rather than noise."""
        analysis.errors.append(
            Problem(
                code="E304",
                message=f"{self.name} skipped article {analysis.article.id}: it is in {language!r}, "
                f"and the model reads {', '.join(languages)}",
                hint=CODES["E304"].hint,
                analyzer=self.name,
            )
        )


AnalyzerFactory = Callable[[], Analyzer]

# Analyzers registered in-process (tests, notebooks); they sit beside the entry points.
_LOCAL: dict[str, AnalyzerFactory] = {}


def register_analyzer(name: str, factory: AnalyzerFactory) -> None:
    """Register an analyzer factory under ``name`` for this process."""
    _LOCAL[name] = factory


def unregister_analyzer(name: str) -> None:
    _LOCAL.pop(name, None)


def available_analyzers() -> dict[str, AnalyzerFactory]:
    """Every analyzer that can be named: installed entry points, then in-process ones."""
    found: dict[str, AnalyzerFactory] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = _lazy(ep.name, ep.load)
    found.update(_LOCAL)
    return found


def _lazy(name: str, load: Callable[[], object]) -> AnalyzerFactory:
    def build() -> Analyzer:
        try:
            factory = load()
            obj = factory() if callable(factory) else factory
        except Exception as exc:  # an import or build failure in a plugin
            raise PipelineError("E205", f"analyzer {name!r} could not be loaded: {exc}") from exc
        return obj  # type: ignore[return-value]

    return build


def load_analyzer(name: str) -> Analyzer:
    factories = available_analyzers()
    if name not in factories:
        raise PipelineError(
            "E201",
            f"no analyzer named {name!r}; installed: {', '.join(sorted(factories)) or 'none'}",
        )
    return _check_contract(factories[name]())


def _check_contract(obj: object) -> Analyzer:
    for attr in ("name", "version", "requires", "assigns"):
        if not hasattr(obj, attr):
            raise PipelineError("E204", f"{obj!r} has no {attr!r}")
    if not callable(obj):
        raise PipelineError("E204", f"{obj!r} is not callable")
    return obj  # type: ignore[return-value]


def default_analyzers() -> list[Analyzer]:
    """The analyzers `unspun analyze` runs when none are named, built, in a valid order."""
    chosen: list[Analyzer] = []
    for _name, factory in sorted(available_analyzers().items()):
        analyzer = _check_contract(factory())
        if getattr(analyzer, "default", True):
            chosen.append(analyzer)
    return order_analyzers(chosen)


def default_analyzer_names() -> list[str]:
    return [a.name for a in default_analyzers()]


def order_analyzers(analyzers: Sequence[Analyzer]) -> list[Analyzer]:
    """Order analyzers so each comes after those that provide what it requires, and after
    those in the pipeline that add what it ``reads`` (optional inputs).

    Stable: among analyzers whose needs are met, the given order is kept.
    """
    pending = list(analyzers)
    have = set(ARTICLE_PROVIDES)
    out: list[Analyzer] = []
    while pending:
        for i, a in enumerate(pending):
            waits = set(getattr(a, "reads", ())) & {x for b in pending if b is not a for x in b.assigns}
            if set(a.requires) <= have and not waits:
                out.append(a)
                have.update(a.assigns)
                del pending[i]
                break
        else:
            # Nothing can run next: report through the same validation a user would hit.
            validate(out + pending)
    return out


def _installed_providers(requirement: str) -> str:
    """Which installed analyzers add ``requirement``, said for an E202 message."""
    names = []
    for name, factory in sorted(available_analyzers().items()):
        try:
            if requirement in factory().assigns:
                names.append(name)
        except Exception:  # an analyzer that cannot load provides nothing here
            continue
    if not names:
        return "added by no analyzer in the pipeline, nor by any installed one"
    return f"added by no analyzer in the pipeline; add {' or '.join(names)} before it"


def validate(analyzers: Sequence[Analyzer]) -> None:
    """Raise :class:`PipelineError` unless every analyzer's needs are met by earlier ones."""
    have = set(ARTICLE_PROVIDES)
    seen: set[str] = set()
    for a in analyzers:
        _check_contract(a)
        if a.name in seen:
            raise PipelineError("E203", f"analyzer {a.name!r} appears twice")
        seen.add(a.name)
        missing = [r for r in a.requires if r not in have]
        if missing:
            providers = {r: [b.name for b in analyzers if r in b.assigns] for r in missing}
            detail = "; ".join(
                f"{r!r} ({'added by ' + ', '.join(p) + ', which comes later' if p else _installed_providers(r)})"
                for r, p in providers.items()
            )
            raise PipelineError("E202", f"analyzer {a.name!r} requires {detail}")
        have.update(a.assigns)


class Pipeline:
    """An ordered, validated list of analyzers."""

    def __init__(self, analyzers: Sequence[Analyzer]) -> None:
        validate(analyzers)
        self.analyzers: tuple[Analyzer, ...] = tuple(analyzers)

    @classmethod
    def from_names(cls, names: Iterable[str] | None = None) -> Pipeline:
        """Build from registered names; ``None`` gives the default pipeline."""
        if names is None:
            return cls(default_analyzers())
        return cls([load_analyzer(n) for n in names])

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.analyzers]

    def __call__(self, article: Article) -> Analysis:
        return self.run([article])[0]

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Analysis]:
        """Analyse ``articles`` lazily, ``batch_size`` at a time (see :meth:`run`)."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self.run(batch)
                batch = []
        if batch:
            yield from self.run(batch)

    def run(self, articles: Sequence[Article]) -> list[Analysis]:
        """Analyse a batch: each analyzer sees every article before the next one starts.

        An analyzer with a ``pipe(analyses)`` method gets the whole batch in one call, which
        lets a model fill its batches across articles. If that call raises, its output is
        taken back and the analyzer runs article by article, so one bad article fails alone.
        """
        analyses = [Analysis(article=a) for a in articles]
        failed: list[set[str]] = [set() for _ in analyses]
        for a in self.analyzers:
            ready: list[int] = []
            for i, analysis in enumerate(analyses):
                missing = failed[i] & set(a.requires)
                if missing:
                    self._skip(a, analysis, missing)
                    failed[i].update(a.assigns)
                else:
                    ready.append(i)
            pipe = getattr(a, "pipe", None)
            if callable(pipe) and len(ready) > 1:
                marks = [_mark(analyses[i]) for i in ready]
                try:
                    pipe([analyses[i] for i in ready])
                except Exception:
                    for i, mark in zip(ready, marks, strict=True):
                        _undo(analyses[i], mark)
                else:
                    for i in ready:
                        analyses[i].runs.append(
                            AnalyzerRun(name=a.name, version=a.version, status=_status(a, analyses[i]))
                        )
                    continue
            for i in ready:
                if not self._run_one(a, analyses[i]):
                    failed[i].update(a.assigns)
        return analyses

    @staticmethod
    def _skip(a: Analyzer, analysis: Analysis, missing: set[str]) -> None:
        code = "E302"
        analysis.errors.append(
            Problem(
                code=code,
                message=f"{a.name} skipped: it needs {', '.join(sorted(missing))}, which failed",
                hint=CODES[code].hint,
                analyzer=a.name,
            )
        )
        analysis.runs.append(AnalyzerRun(name=a.name, version=a.version, status="skipped"))

    @staticmethod
    def _run_one(a: Analyzer, analysis: Analysis) -> bool:
        mark = _mark(analysis)
        try:
            a(analysis)
        except Exception as exc:
            # Undo partial output so a failed analyzer leaves nothing half-made.
            _undo(analysis, mark)
            code = exc.code if isinstance(exc, AnalyzerError) else "E301"
            analysis.errors.append(
                Problem(
                    code=code,
                    message=f"{a.name} failed on article {analysis.article.id}: "
                    f"{type(exc).__name__}: {exc}",
                    hint=CODES[code].hint if code in CODES else "",
                    analyzer=a.name,
                )
            )
            analysis.runs.append(AnalyzerRun(name=a.name, version=a.version, status="failed"))
            return False
        analysis.runs.append(AnalyzerRun(name=a.name, version=a.version, status=_status(a, analysis)))
        return True


#: problems with which an analyzer says it declined an article (it did not fail)
DECLINED = frozenset({"E304"})


def _status(a: Analyzer, analysis: Analysis) -> Literal["ok", "skipped"]:
    declined = any(p.analyzer == a.name and p.code in DECLINED for p in analysis.errors)
    return "skipped" if declined else "ok"


def _mark(analysis: Analysis) -> tuple[int, int, int]:
    return len(analysis.spans), len(analysis.labels), len(analysis.records)


def _undo(analysis: Analysis, mark: tuple[int, int, int]) -> None:
    n_spans, n_labels, n_records = mark
    del analysis.spans[n_spans:]
    del analysis.labels[n_labels:]
    del analysis.records[n_records:]


__all__ = [
    "ARTICLE_PROVIDES",
    "Analyzer",
    "BaseAnalyzer",
    "Pipeline",
    "available_analyzers",
    "default_analyzer_names",
    "default_analyzers",
    "load_analyzer",
    "order_analyzers",
    "register_analyzer",
    "unregister_analyzer",
    "validate",
]
