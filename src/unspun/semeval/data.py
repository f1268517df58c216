"""Readers and writers for the subtask-3 files.

Articles are read with ``newline=""`` so that the character offsets of the span files, which
count every character of the file as stored, index the text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from unspun.article import Paragraph, paragraphs_from_lines

_ARTICLE_FILE = re.compile(r"^article(\w+)\.txt$")
_SPAN_FILE = re.compile(r"^article(\w+)-labels-subtask-3\.txt$")


@dataclass(frozen=True)
class SemevalArticle:
    """One article file: its id, its exact text and its non-empty lines as paragraphs."""

    id: str
    text: str
    paragraphs: tuple[Paragraph, ...]

    def paragraph_text(self, paragraph: Paragraph) -> str:
        return self.text[paragraph.start : paragraph.end]


@dataclass(frozen=True, order=True)
class GoldSpan:
    """A technique over ``text[start:end]`` of article ``article_id``."""

    article_id: str
    start: int
    end: int
    technique: str


def read_article(path: Path) -> SemevalArticle:
    m = _ARTICLE_FILE.match(path.name)
    if m is None:
        raise ValueError(f"{path}: not an article file (expected article<ID>.txt)")
    with path.open(encoding="utf-8", newline="") as fh:
        text = fh.read()
    return SemevalArticle(id=m.group(1), text=text, paragraphs=paragraphs_from_lines(text))


def read_articles(directory: Path) -> list[SemevalArticle]:
    """Every ``article<ID>.txt`` in ``directory``, ordered by id."""
    paths = [p for p in directory.iterdir() if _ARTICLE_FILE.match(p.name)]
    if not paths:
        raise FileNotFoundError(f"{directory}: no article<ID>.txt files")
    return sorted((read_article(p) for p in paths), key=lambda a: _id_key(a.id))


def _id_key(article_id: str) -> tuple[int, str]:
    return (int(article_id), article_id) if article_id.isdigit() else (-1, article_id)


def read_techniques(path: Path) -> list[str]:
    """The label list (one technique per line), in file order."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def tab_rows(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, row, tab-separated fields) of each non-blank line of a shared-task file."""
    with path.open(encoding="utf-8", newline="") as fh:
        for n, raw in enumerate(fh, start=1):
            row = raw.rstrip("\r\n")
            if row.strip():
                yield n, row, row.split("\t")


def read_paragraph_labels(path: Path) -> dict[tuple[str, int], frozenset[str]]:
    """``ID<TAB>line<TAB>tech,tech`` rows as {(article id, line): techniques}."""
    out: dict[tuple[str, int], frozenset[str]] = {}
    for n, row, parts in tab_rows(path):
        if len(parts) < 2:
            raise ValueError(f"{path}:{n}: expected ID<TAB>line<TAB>techniques, got {row!r}")
        techs = parts[2] if len(parts) > 2 else ""
        out[(parts[0], int(parts[1]))] = frozenset(t.strip() for t in techs.split(",") if t.strip())
    return out


def read_template(path: Path) -> list[tuple[str, int]]:
    """The (article id, line) keys of a ``.template`` file, in file order."""
    keys: list[tuple[str, int]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for raw in fh:
            parts = raw.rstrip("\r\n").split("\t")
            if len(parts) >= 2 and parts[1].strip().isdigit():
                keys.append((parts[0], int(parts[1])))
    return keys


def read_spans(source: Path) -> list[GoldSpan]:
    """Span rows ``ID<TAB>technique<TAB>start<TAB>end`` from one file or a directory of them."""
    files = (
        sorted(p for p in source.iterdir() if _SPAN_FILE.match(p.name))
        if source.is_dir()
        else [source]
    )
    spans: list[GoldSpan] = []
    for f in files:
        for n, _, parts in tab_rows(f):
            if len(parts) != 4:
                raise ValueError(f"{f}:{n}: expected ID<TAB>technique<TAB>start<TAB>end")
            spans.append(GoldSpan(parts[0], int(parts[2]), int(parts[3]), parts[1]))
    return spans


def write_paragraph_labels(
    path: Path,
    keys: Iterable[tuple[str, int]],
    labels: Mapping[tuple[str, int], Sequence[str]],
) -> int:
    """Write one row per key, in the given order; returns the number of rows."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        for key in keys:
            fh.write(f"{key[0]}\t{key[1]}\t{','.join(labels.get(key, ()))}\n")
            n += 1
    return n


def write_spans(directory: Path, spans: Iterable[GoldSpan], article_ids: Iterable[str]) -> None:
    """One ``article<ID>-labels-subtask-3.txt`` per article (empty when it has no spans)."""
    directory.mkdir(parents=True, exist_ok=True)
    by_article: dict[str, list[GoldSpan]] = {a: [] for a in article_ids}
    for s in spans:
        by_article.setdefault(s.article_id, []).append(s)
    for aid, items in by_article.items():
        with (directory / f"article{aid}-labels-subtask-3.txt").open(
            "w", encoding="utf-8", newline=""
        ) as fh:
            for s in sorted(items, key=lambda s: (s.start, s.end, s.technique)):
                fh.write(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n")


__all__ = [
    "GoldSpan",
    "SemevalArticle",
    "read_article",
    "read_articles",
    "read_paragraph_labels",
    "read_spans",
    "read_techniques",
    "read_template",
    "tab_rows",
    "write_paragraph_labels",
    "write_spans",
]
