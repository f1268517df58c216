"""The terminal summary: what an article does, in one screen at 80 columns.

Its lead; genre, frames and narratives; the persuasion techniques with their phrases, grouped by
paragraph; quotes by speaker; the key numbers; actors and sources. Every line is plain text
that wraps under its heading, so nothing is cut to an ellipsis however narrow the terminal.
Long lists stop after a few rows and say how many more there are; ``--spans`` shows them all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from unspun.article import Analysis, Record, Span
from unspun.render.segments import colour
from unspun.taxonomy import TECHNIQUES

#: rows a list shows before it says how many more there are
PARAGRAPH_ROWS = 5
PHRASES_PER_PARAGRAPH = 4
SPEAKER_ROWS = 4
QUOTES_PER_SPEAKER = 1
NUMBER_ROWS = 3
ACTORS = 6


def _name(label: str) -> str:
    return label.replace("_", " ").replace("-", " / ")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(text: str, limit: int) -> str:
    return f"“{_clip(text, limit)}”"


def _labels(analysis: Analysis, task: str) -> list[tuple[str, float]]:
    found = [(lb.label, lb.score) for lb in analysis.labels if lb.task == task]
    return sorted(found, key=lambda x: -x[1])


def _scored(items: Iterable[tuple[str, float]]) -> str:
    return " · ".join(f"{_name(label)} {score:.2f}" for label, score in items)


def _paragraph_of(analysis: Analysis, span: Span) -> int:
    for i, p in enumerate(analysis.article.paragraphs):
        if p.start <= span.start < p.end:
            return i
    return -1


def _paragraph_heading(analysis: Analysis, index: int) -> str:
    paragraphs = analysis.article.paragraphs
    if index < 0:
        return "  ¶?"
    if paragraphs[index].kind == "title":
        return "  title"
    # Numbered as a reader counts them: the title is not a paragraph of the body.
    body = sum(1 for p in paragraphs[: index + 1] if p.kind == "body")
    return f"  ¶{body}"


def _techniques(analysis: Analysis) -> list[tuple[str, Text]]:
    spans = [s for s in analysis.spans if s.label in TECHNIQUES]
    if not spans:
        return [("techniques", Text(_none(analysis, "persuasion"), style="dim"))]
    by_paragraph: dict[int, list[Span]] = defaultdict(list)
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        by_paragraph[_paragraph_of(analysis, s)].append(s)
    counts = Counter(s.label for s in spans)
    head = Text(
        f"{len(spans)} phrase(s) in {len(by_paragraph)} of {len(analysis.article.paragraphs)} paragraphs: "
    )
    head.append(" · ".join(f"{_name(label)} {n}" for label, n in counts.most_common()))
    rows: list[tuple[str, Text]] = [("techniques", head)]
    # The paragraphs with the most phrases, in reading order.
    densest = sorted(by_paragraph, key=lambda i: (-len(by_paragraph[i]), i))[:PARAGRAPH_ROWS]
    for index in sorted(densest):
        line = Text()
        shown = by_paragraph[index][:PHRASES_PER_PARAGRAPH]
        by_label: dict[str, list[Span]] = defaultdict(list)
        for s in shown:
            by_label[s.label].append(s)
        for i, (label, group) in enumerate(by_label.items()):
            if i:
                line.append(" · ")
            line.append(_name(label), style=f"bold {colour(group[0])}")
            line.append(" " + ", ".join(_quoted(analysis.span_text(s), 100) for s in group))
        if len(by_paragraph[index]) > len(shown):
            line.append(f" · +{len(by_paragraph[index]) - len(shown)} more", style="dim")
        rows.append((_paragraph_heading(analysis, index), line))
    more = len(by_paragraph) - len(densest)
    if more > 0:
        rows.append(("", Text(f"… and {more} more paragraph(s) with techniques (--spans)", style="dim")))
    return rows


def _ran(analysis: Analysis, name: str) -> bool:
    return any(r.name == name for r in analysis.runs)


def _none(analysis: Analysis, name: str) -> str:
    """What to say where an analyzer found nothing: that, or that it failed or was skipped."""
    status = next((r.status for r in analysis.runs if r.name == name), None)
    if status is None:
        return "not analysed"
    return "none found" if status == "ok" else f"{status} (see below)" if status == "failed" else status


def _records(analysis: Analysis, kind: str) -> list[Record]:
    return [r for r in analysis.records if r.type == kind]


def _first_text(analysis: Analysis, record: Record, role: str) -> str:
    ids = record.spans.get(role) or ()
    return analysis.span_text(analysis.span(ids[0])) if ids else ""


def _quotes(analysis: Analysis) -> list[tuple[str, Text]]:
    # Scare quotes ("so-called" words) are the writer's, not a speaker's.
    quotes = [q for q in _records(analysis, "quote") if not q.attrs.get("scare_quote")]
    if not quotes:
        return []
    by_speaker: dict[str, list[Record]] = defaultdict(list)
    for q in quotes:
        speaker = q.attrs.get("speaker")
        by_speaker[str(speaker) if speaker and not q.attrs.get("unattributed") else "(no speaker)"].append(q)
    rows: list[tuple[str, Text]] = [("quotes", Text(f"{len(quotes)} from {len(by_speaker)} speaker(s)"))]
    # Named speakers first, the most quoted first; each with a direct quote where there is one.
    ordered = sorted(by_speaker.items(), key=lambda kv: (kv[0] == "(no speaker)", -len(kv[1])))
    for speaker, said in ordered[:SPEAKER_ROWS]:
        line = Text(f"{_clip(speaker, 40)} ({len(said)}): ", style="bold")
        said = sorted(said, key=lambda q: not q.attrs.get("direct"))
        for i, q in enumerate(said[:QUOTES_PER_SPEAKER]):
            if i:
                line.append("; ")
            content = _first_text(analysis, q, "content")
            line.append(_quoted(content, 110) if q.attrs.get("direct") else f"reported: {_clip(content, 100)}")
        if len(said) > QUOTES_PER_SPEAKER:
            line.append(f"; +{len(said) - QUOTES_PER_SPEAKER} more", style="dim")
        rows.append(("", line))
    if len(ordered) > SPEAKER_ROWS:
        rows.append(("", Text(f"… and {len(ordered) - SPEAKER_ROWS} more speaker(s)", style="dim")))
    return rows


def _number(claim: Record) -> str:
    a = claim.attrs
    counted = a.get("counted")
    category = a.get("category")
    unit = a.get("unit")
    words = [a.get("qualifier"), a.get("value"), unit, counted if counted not in ("other", category) else None, category]
    where = [str(x) for x in (a.get("place"), a.get("date")) if x]
    text = " ".join(str(w) for w in words if w not in (None, ""))
    return text + (f" ({', '.join(where)})" if where else "")


def _numbers(analysis: Analysis) -> list[tuple[str, Text]]:
    claims = _records(analysis, "claim")
    if not claims:
        return []
    rows: list[tuple[str, Text]] = []
    for i, claim in enumerate(claims[:NUMBER_ROWS]):
        line = Text(_number(claim))
        evidence = _first_text(analysis, claim, "value")
        if evidence:
            ids = claim.spans.get("value") or ()
            line.append(f"  {_paragraph_heading(analysis, _paragraph_of(analysis, analysis.span(ids[0]))).strip()}", style="dim")
        rows.append(("key numbers" if i == 0 else "", line))
    if len(claims) > NUMBER_ROWS:
        rows.append(("", Text(f"… and {len(claims) - NUMBER_ROWS} more", style="dim")))
    return rows


def _actors_and_sources(analysis: Analysis) -> list[tuple[str, Text]]:
    rows: list[tuple[str, Text]] = []
    actors = sorted(_records(analysis, "actor"), key=lambda r: -int(str(r.attrs.get("mentions") or 1)))
    if actors:
        names = [f"{_clip(str(r.attrs.get('name')), 40)} ({str(r.attrs.get('type', '')).lower()}, {r.attrs.get('mentions', 1)})" for r in actors[:ACTORS]]
        more = f" · +{len(actors) - ACTORS} more" if len(actors) > ACTORS else ""
        rows.append(("actors", Text(" · ".join(names) + more)))
    sources = _records(analysis, "source")
    if sources:
        rows.append(("sources", Text(" · ".join(f"{_clip(str(r.attrs.get('name')), 40)} ({r.attrs.get('kind')})" for r in sources[:ACTORS]))))
    return rows


def summary(analysis: Analysis, *, all_spans: int) -> RenderableType:
    """The article's summary; ``all_spans`` is how many spans ``--spans`` would list."""
    a = analysis.article
    head = Text(a.title or "(untitled)", style="bold")
    meta = a.meta
    bits = [str(b) for b in (meta.outlet, meta.author, meta.published and meta.published.isoformat(), meta.source) if b]
    head.append(f"\nid {a.id}" + ("  ·  " + " · ".join(bits) if bits else ""), style="dim")

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True, min_width=11)
    grid.add_column(ratio=1)
    rows: list[tuple[str, Text]] = []
    lead = next((p for p in a.paragraphs if p.kind == "body"), None)
    if lead is not None:
        rows.append(("lead", Text(_clip(a.paragraph_text(lead), 150), style="italic")))
    genre = _labels(analysis, "genre")[:1]
    language = _labels(analysis, "language")[:1]
    facts = Text(_scored(genre) if genre else "—")
    if language:
        facts.append(f" · language {language[0][0]}")
    facts.append(f" · {len(a.paragraphs)} paragraphs, {len(a.text.split())} words", style="dim")
    rows.append(("genre", facts))
    if _ran(analysis, "frames") or _labels(analysis, "frames"):
        rows.append(("frames", Text(_scored(_labels(analysis, "frames")) or _none(analysis, "frames"))))
    narratives = _labels(analysis, "narratives")
    if _ran(analysis, "narratives") or narratives:
        rows.append(("narratives", Text(_scored(narratives[:5]) or _none(analysis, "narratives"))))
        subs = _labels(analysis, "subnarratives")
        if subs:
            rows.append(("", Text(_scored(subs[:5]), style="dim")))
    rows += _techniques(analysis)
    rows += _quotes(analysis)
    rows += _numbers(analysis)
    rows += _actors_and_sources(analysis)
    for e in analysis.errors:
        rows.append(("error", Text(f"{e.code} {e.analyzer or ''}: {_clip(e.message, 160)}", style="red")))
    for heading, content in rows:
        grid.add_row(Text(heading), content)
    runs = ", ".join(f"{r.name}@{r.version}" + ("" if r.status == "ok" else f" ({r.status})") for r in analysis.runs)
    footer = Text(
        f"analyzers: {runs or 'none'}\n{all_spans} span(s) in all: --spans shows the highlighted "
        "text and lists them; -f html writes a page to read them in.",
        style="dim",
    )
    return Group(head, grid, footer)


__all__ = ["summary"]
