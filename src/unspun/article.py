"""The one data model every layer uses: an immutable article, and what was found in it.

An :class:`Article` holds the text exactly as stored; it never changes after reading.
Everything an analyzer finds is a :class:`Span` over that text (``text[start:end]``), an
article-level :class:`Label`, or a :class:`Record` (quote, claim, actor, event, ...) whose
fields point at spans by id. An :class:`Analysis` gathers one article with all of these,
and serialises to JSON with a ``schema_version``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from unspun.errors import AnalyzerError

SCHEMA_VERSION = "1.0"

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form of a text that its id is computed from: NFC, whitespace folded, stripped.

    Two copies of an article that differ only in line endings, spacing or Unicode
    composition get the same id, so re-ingesting a corpus adds nothing.
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str) -> str:
    """The content hash that identifies an article: 16 hex digits of SHA-256."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paragraph(_Model):
    """A paragraph of the stored text, as character offsets."""

    start: int = Field(ge=0, description="Offset of the paragraph's first character.")
    end: int = Field(ge=0, description="Offset just past its last character (exclusive).")
    kind: Literal["title", "body"] = Field(
        "body", description="`title` for the headline when it is part of the text, else `body`."
    )
    line: int | None = Field(
        None,
        ge=1,
        description="1-based line of the source file where the paragraph starts, when known; "
        "for plain-text inputs this is the line as SemEval's templates number it.",
    )


class ArticleMeta(_Model):
    """What is known about an article besides its text."""

    outlet: str | None = Field(None, description="The outlet or site that published it.")
    author: str | None = Field(None, description="The byline, as written.")
    published: dt.date | None = Field(None, description="Publication date (ISO 8601).")
    url: str | None = Field(None, description="Where it was published, when known.")
    language: str | None = Field(
        None, description="ISO 639-1 code, given by the input or detected by an analyzer."
    )
    source: str | None = Field(
        None, description="Where unspun read it: a path, `-` for stdin, or `path:line` for a corpus row."
    )
    external_id: str | None = Field(
        None, description="The id the input gave it (a corpus id column, a SemEval article number)."
    )
    extra: dict[str, JsonValue] = Field(
        default_factory=dict, description="Any other fields the input carried, unchanged."
    )


class Problem(_Model):
    """An error recorded on an article (or on an input that yielded no article), or a
    warning (a W code) about what was repaired while reading it."""

    code: str = Field(description="The error code (see docs/errors.md).")
    message: str = Field(description="What went wrong, naming the file and line where it applies.")
    hint: str = Field("", description="What to do about it.")
    analyzer: str | None = Field(None, description="The analyzer that failed, if any.")
    source: str | None = Field(None, description="The input that failed, if any.")
    line: int | None = Field(None, description="The line of the input, if any.")


class Article(_Model):
    """An article: immutable text, its paragraphs and its metadata."""

    id: str = Field(description="16 hex digits of SHA-256 over the normalised text.")
    title: str | None = Field(None, description="The headline, if the input has one.")
    text: str = Field(description="The stored text. All offsets in unspun point into it.")
    paragraphs: tuple[Paragraph, ...] = Field(
        description="Non-empty paragraphs in order; their offsets slice `text` exactly."
    )
    meta: ArticleMeta = Field(default_factory=ArticleMeta, description="Metadata.")
    warnings: tuple[Problem, ...] = Field(
        (),
        description="What was repaired while reading (bytes that are not valid UTF-8, lone "
        "surrogates, markup nested too deep); the article was read all the same.",
    )

    @model_validator(mode="after")
    def _check_offsets(self) -> Article:
        n = len(self.text)
        last = 0
        for p in self.paragraphs:
            if not (last <= p.start < p.end <= n):
                raise ValueError(f"paragraph {p.start}-{p.end} is out of order or outside the text")
            last = p.end
        return self

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        title: str | None = None,
        paragraphs: tuple[Paragraph, ...] | None = None,
        meta: ArticleMeta | None = None,
        warnings: tuple[Problem, ...] = (),
    ) -> Article:
        """Build an article, computing its id and, unless given, its paragraphs (non-empty lines)."""
        if paragraphs is None:
            paragraphs = paragraphs_from_lines(text)
        return cls(
            id=article_id(text),
            title=title,
            text=text,
            paragraphs=paragraphs,
            meta=meta or ArticleMeta(),
            warnings=warnings,
        )

    def paragraph_text(self, paragraph: Paragraph) -> str:
        return self.text[paragraph.start : paragraph.end]


def paragraphs_from_lines(text: str, *, title_first: bool = False) -> tuple[Paragraph, ...]:
    """Every non-empty line as a paragraph, trimmed of surrounding whitespace.

    Line numbers count every line from 1, as SemEval's templates do. With ``title_first`` the
    first paragraph is marked as the title.
    """
    out: list[Paragraph] = []
    pos = 0
    for lineno, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + (len(body) - len(body.lstrip()))
            end = start + len(stripped)
            kind: Literal["title", "body"] = "title" if (title_first and not out) else "body"
            out.append(Paragraph(start=start, end=end, kind=kind, line=lineno))
        pos += len(line)
    return tuple(out)


class Span(_Model):
    """A finding over the text: ``article.text[start:end]``."""

    id: str = Field(description="Unique within the analysis; records point at spans by it.")
    start: int = Field(ge=0, description="Offset of the first character.")
    end: int = Field(ge=0, description="Offset just past the last character (exclusive).")
    label: str = Field(description="What the span is, in the analyzer's vocabulary.")
    score: float = Field(ge=0.0, le=1.0, description="Confidence in [0, 1]; 1.0 for rules.")
    analyzer: str = Field(description="Name of the analyzer that made it.")
    attrs: dict[str, JsonValue] = Field(
        default_factory=dict, description="Analyzer-specific attributes (category, definition ...)."
    )


class Label(_Model):
    """An article-level label: a genre, a frame, a narrative ..."""

    task: str = Field(description="What is labelled: `genre`, `frames`, `narratives`, `language` ...")
    label: str = Field(description="The label, spelled as in the task's label list.")
    score: float = Field(ge=0.0, le=1.0, description="Confidence in [0, 1].")
    analyzer: str = Field(description="Name of the analyzer that assigned it.")
    evidence: tuple[str, ...] = Field(
        (), description="Ids of the spans that weigh most for the label."
    )


class Record(_Model):
    """A structured finding (quote, claim, actor, event ...) whose fields point at spans."""

    id: str = Field(description="Unique within the analysis.")
    type: str = Field(description="`quote`, `claim`, `actor`, `event`, `source` ...")
    analyzer: str = Field(description="Name of the analyzer that made it.")
    score: float = Field(1.0, ge=0.0, le=1.0, description="Confidence in [0, 1].")
    spans: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Role (for example `speaker`, `content`) to the ids of the spans that fill it.",
    )
    attrs: dict[str, JsonValue] = Field(
        default_factory=dict, description="Typed values (a number, a date, a role ...)."
    )


class AnalyzerRun(_Model):
    """Which analyzer ran on the article, at which version."""

    name: str = Field(description="The analyzer's registered name.")
    version: str = Field(description="Its version; a new version's results sit beside the old.")
    status: Literal["ok", "failed", "skipped"] = Field(description="How it ended on this article.")


class Analysis(BaseModel):
    """One article and everything the pipeline found in it."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = Field(SCHEMA_VERSION, description="Version of this JSON layout.")
    article: Article = Field(description="The article analysed.")
    spans: list[Span] = Field(default_factory=list, description="All spans, in the order made.")
    labels: list[Label] = Field(default_factory=list, description="Article-level labels.")
    records: list[Record] = Field(default_factory=list, description="Structured findings.")
    runs: list[AnalyzerRun] = Field(
        default_factory=list, description="The analyzers that ran, in order, with versions."
    )
    errors: list[Problem] = Field(
        default_factory=list, description="Per-article failures; the run went on past them."
    )

    @property
    def text(self) -> str:
        return self.article.text

    def add_span(
        self,
        start: int,
        end: int,
        label: str,
        *,
        analyzer: str,
        score: float = 1.0,
        attrs: dict[str, Any] | None = None,
    ) -> Span:
        """Add a span, checking that it lies inside the text; returns it with its new id."""
        if not (0 <= start < end <= len(self.article.text)):
            raise AnalyzerError(
                "E303",
                f"{analyzer} made span {start}-{end} ({label!r}) over a text of "
                f"{len(self.article.text)} characters",
            )
        span = Span(
            id=f"s{len(self.spans)}",
            start=start,
            end=end,
            label=label,
            score=float(score),
            analyzer=analyzer,
            attrs=attrs or {},
        )
        self.spans.append(span)
        return span

    def add_label(
        self,
        task: str,
        label: str,
        score: float,
        *,
        analyzer: str,
        evidence: tuple[str, ...] = (),
    ) -> Label:
        item = Label(task=task, label=label, score=score, analyzer=analyzer, evidence=evidence)
        self.labels.append(item)
        return item

    def add_record(
        self,
        type: str,
        *,
        analyzer: str,
        spans: dict[str, tuple[str, ...]] | None = None,
        score: float = 1.0,
        attrs: dict[str, Any] | None = None,
    ) -> Record:
        known = {s.id for s in self.spans}
        for role, ids in (spans or {}).items():
            missing = [i for i in ids if i not in known]
            if missing:
                raise AnalyzerError("E303", f"{analyzer}: record role {role!r} points at unknown spans {missing}")
        record = Record(
            id=f"r{len(self.records)}",
            type=type,
            analyzer=analyzer,
            score=score,
            spans=spans or {},
            attrs=attrs or {},
        )
        self.records.append(record)
        return record

    def span_text(self, span: Span) -> str:
        return self.article.text[span.start : span.end]

    def spans_by(self, analyzer: str | None = None, label: str | None = None) -> list[Span]:
        return [
            s
            for s in self.spans
            if (analyzer is None or s.analyzer == analyzer) and (label is None or s.label == label)
        ]

    def span(self, span_id: str) -> Span:
        for s in self.spans:
            if s.id == span_id:
                return s
        raise KeyError(span_id)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> Analysis:
        return cls.model_validate_json(data)


__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "AnalyzerRun",
    "Article",
    "ArticleMeta",
    "Label",
    "Paragraph",
    "Problem",
    "Record",
    "Span",
    "article_id",
    "normalise_text",
    "paragraphs_from_lines",
]
