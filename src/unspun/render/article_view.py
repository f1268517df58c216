"""The article view's data: one JSON-able structure that the HTML templates render and the
web app also serves as the article page's JSON twin.

Every finding stays tied to its characters: each span keeps its own ``start`` and ``end``
(the page draws it whole, in its own lane, however it overlaps others), and each side-panel
entry points back at the spans that are its evidence. Spans are grouped into layers: the six
persuasion categories first (shown), then the substance layers (quotes, numbers, sources,
actors, events) and article-level evidence, hidden until the reader asks for them.

Colours are Paul Tol's colour-blind-safe palettes (muted for persuasion, vibrant and
medium-contrast for the rest), each at least 3:1 against the white page, and every layer
also has its own underline pattern and short label, so colour is never the only cue.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from unspun.article import Analysis, Record, Span
from unspun.render.segments import STRUCTURAL_LABELS
from unspun.taxonomy import FRAMES, GENRES, TECHNIQUES

VIEW_SCHEMA = "unspun.article_view/1"


@dataclass(frozen=True)
class Layer:
    key: str
    name: str
    group: str
    colour: str
    pattern: str
    short: str
    on: bool


LAYERS: tuple[Layer, ...] = (
    # Tol muted: rose, indigo, olive, green, purple, wine.
    Layer("attack", "Attack on Reputation", "persuasion", "#CC6677", "solid", "AR", True),
    Layer("justification", "Justification", "persuasion", "#332288", "double", "JU", True),
    Layer("simplification", "Simplification", "persuasion", "#999933", "dashed", "SI", True),
    Layer("distraction", "Distraction", "persuasion", "#117733", "dotted", "DI", True),
    Layer("call", "Call", "persuasion", "#AA4499", "dashdot", "CA", True),
    Layer("wording", "Manipulative Wording", "persuasion", "#882255", "hatched", "MW", True),
    # Tol vibrant blue, teal, magenta, red; medium-contrast dark yellow; a dark grey.
    Layer("quotes", "Quotes and speakers", "substance", "#0077BB", "solid", "Q", False),
    Layer("claims", "Numeric claims", "substance", "#009988", "double", "#", False),
    Layer("sources", "Sources", "substance", "#EE3377", "dashed", "SRC", False),
    Layer("actors", "Actors", "substance", "#CC3311", "dotted", "ACT", False),
    Layer("events", "Events", "substance", "#997700", "dashdot", "EV", False),
    Layer("evidence", "Evidence for genre, frames, narratives, roles", "evidence", "#555555", "hatched", "EVI", False),
    Layer("other", "Other findings", "other", "#555555", "dotted", "…", False),
)
LAYER_BY_KEY = {layer.key: layer for layer in LAYERS}

CATEGORY_LAYER: dict[str, str] = {
    "Attack on Reputation": "attack",
    "Justification": "justification",
    "Simplification": "simplification",
    "Distraction": "distraction",
    "Call": "call",
    "Manipulative Wording": "wording",
}
_ANALYZER_LAYER = {
    "quotes": "quotes",
    "claims": "claims",
    "sources": "sources",
    "actors": "actors",
    "events": "events",
    "genre": "evidence",
    "frames": "evidence",
    "narratives": "evidence",
    "roles": "evidence",
}

# What a substance span is, for the span's details (techniques carry their own definition).
_SUBSTANCE_DEFINITIONS = {
    "quote": "Words the article attributes to someone, directly or reported.",
    "speaker": "Who the quote is attributed to.",
    "cue": "The verb or phrase that introduces a quote.",
    "portrayal": "How the article describes an actor: a label, epithet or characterisation.",
    "source": "A source the article cites.",
    "source.cue": "The words that cite the source.",
    "claim.value": "A number the article states.",
    "claim.qualifier": "A word that hedges or inflates the number (at least, some, over).",
    "claim.counted": "What the number counts.",
    "claim.predicate": "What happened to what was counted.",
    "claim.place": "Where the counted thing happened.",
    "claim.date": "When the counted thing happened.",
}
_ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "GROUP", "FAC", "OUTLET", "AGENCY"}
_ACTOR_TYPE_WORDS = {
    "OUTLET": "a news outlet",
    "AGENCY": "a news agency",
    "GROUP": "a group (armed, national or partisan)",
}


def _words(label: str) -> str:
    return label.replace("_", " ").replace("-", " / ")


def _layer_of(span: Span) -> str:
    technique = TECHNIQUES.get(span.label)
    if technique is not None:
        category = span.attrs.get("category")
        if isinstance(category, str) and category in CATEGORY_LAYER:
            return CATEGORY_LAYER[category]
        return CATEGORY_LAYER[technique.category]
    return _ANALYZER_LAYER.get(span.analyzer, "other")


def _name(span: Span, layer: str) -> str:
    label = span.label
    if label in TECHNIQUES:
        return _words(label)
    if layer == "actors":
        return "portrayal" if label == "portrayal" else f"actor ({label})"
    if label.startswith("event."):
        role = label.removeprefix("event.")
        return f"event: {role.lower()}" if role.isupper() else f"event {role}"
    if label.startswith(("evidence:", "explanation:")):
        kind, _, rest = label.partition(":")
        task, _, what = rest.partition(":")
        return f"{kind} for {task}: {_words(what)}"
    return label.replace(".", " ").replace("_", " ")


def _definition(span: Span) -> str:
    given = span.attrs.get("definition")
    if isinstance(given, str) and given:
        return given
    technique = TECHNIQUES.get(span.label)
    if technique is not None:
        return technique.definition
    if span.label in _SUBSTANCE_DEFINITIONS:
        return _SUBSTANCE_DEFINITIONS[span.label]
    if span.label in _ACTOR_TYPES:
        what = _ACTOR_TYPE_WORDS.get(span.label)
        return f"A mention of {what} ({span.label})." if what else f"A mention of a named actor ({span.label})."
    if span.label.startswith("event."):
        role = span.label.removeprefix("event.")
        return f"The word that reports an event of type {role}." if role.isupper() else f"The event's {role}."
    if span.label.startswith("evidence:"):
        return "A passage that weighs most for this article-level label."
    if span.label.startswith("explanation:"):
        return "A sentence that explains the article-level label."
    return ""


def _category(span: Span) -> str:
    category = span.attrs.get("category")
    if isinstance(category, str):
        return category
    technique = TECHNIQUES.get(span.label)
    return technique.category if technique else LAYER_BY_KEY[_layer_of(span)].name


def _dom_key(analysis: Analysis, key: str | None) -> str:
    # An id attribute that CSS selectors and URL fragments take without escaping.
    return re.sub(r"[^A-Za-z0-9_-]", "-", key) if key else f"a{analysis.article.id}"


def _pieces(analysis: Analysis) -> list[dict[str, Any]]:
    """The text cut at paragraph bounds only (spans never cut it), each piece with its offset."""
    text = analysis.article.text
    out: list[dict[str, Any]] = []
    pos = 0
    for p in analysis.article.paragraphs:
        if p.start > pos:
            out.append({"start": pos, "end": p.start, "kind": "gap", "text": text[pos : p.start]})
        out.append({"start": p.start, "end": p.end, "kind": p.kind, "text": text[p.start : p.end]})
        pos = p.end
    if pos < len(text) or not out:
        out.append({"start": pos, "end": len(text), "kind": "gap", "text": text[pos:]})
    return out


def _labels(analysis: Analysis, task: str, spans: dict[str, Span], definitions: dict[str, str]) -> list[dict[str, Any]]:
    found = sorted((lb for lb in analysis.labels if lb.task == task), key=lambda lb: -lb.score)
    return [
        {
            "label": lb.label,
            "name": _words(lb.label),
            "score": round(lb.score, 4),
            "analyzer": lb.analyzer,
            "definition": definitions.get(lb.label, ""),
            "evidence": _evidence(lb.evidence, spans, analysis),
        }
        for lb in found
    ]


def _evidence(ids: tuple[str, ...] | list[str], spans: dict[str, Span], analysis: Analysis) -> list[dict[str, Any]]:
    return [{"span": i, "text": _clip(analysis.span_text(spans[i]), 160)} for i in ids if i in spans]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _first(record: Record, role: str) -> str | None:
    ids = record.spans.get(role) or ()
    return ids[0] if ids else None


def _actors(analysis: Analysis, records: list[Record], spans: dict[str, Span]) -> list[dict[str, Any]]:
    roles = {str(r.attrs.get("actor")): r for r in analysis.records if r.type == "role"}
    out = []
    for r in sorted(records, key=lambda r: -int(str(r.attrs.get("mentions") or 1))):
        role = roles.get(r.id)
        out.append(
            {
                "id": r.id,
                "name": r.attrs.get("name"),
                "type": r.attrs.get("type"),
                "mentions": _evidence(r.spans.get("mention", ()), spans, analysis),
                "portrayal": _evidence(r.spans.get("portrayal", ()), spans, analysis),
                "role": None
                if role is None
                else {
                    "main": role.attrs.get("main_role"),
                    "fine": role.attrs.get("fine_roles") or [],
                    "score": round(role.score, 4),
                    "evidence": _evidence(role.spans.get("evidence", ()), spans, analysis),
                },
            }
        )
    return out


def _quotes(analysis: Analysis, records: list[Record], spans: dict[str, Span]) -> list[dict[str, Any]]:
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in records:
        scare = bool(q.attrs.get("scare_quote"))
        speaker = q.attrs.get("speaker")
        who = (
            "(scare quotes: the writer's)"
            if scare
            else str(speaker)
            if speaker and not q.attrs.get("unattributed")
            else "(no speaker)"
        )
        content = _first(q, "content")
        by_speaker[who].append(
            {
                "span": content,
                "text": _clip(analysis.span_text(spans[content]), 300) if content in spans else "",
                "direct": bool(q.attrs.get("direct")),
                "speaker_span": _first(q, "speaker"),
                "cue": _first(q, "cue"),
            }
        )
    ordered = sorted(by_speaker.items(), key=lambda kv: (kv[0].startswith("("), -len(kv[1]), kv[0]))
    return [{"speaker": who, "quotes": said} for who, said in ordered]


def _plain(record: Record, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: record.attrs.get(k) for k in keys}


def _claims(records: list[Record]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        item = _plain(r, ("value", "low", "high", "qualifier", "category", "counted", "vague", "place", "date"))
        item["span"] = _first(r, "value")
        out.append(item)
    return out


def _events(records: list[Record]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        item = _plain(r, ("type", "actor", "target", "place", "date_text", "date", "killed", "wounded"))
        item["span"] = _first(r, "trigger")
        out.append(item)
    return out


def _sources(records: list[Record]) -> list[dict[str, Any]]:
    return [{**_plain(r, ("name", "kind", "known", "cited")), "span": _first(r, "mention")} for r in records]


def article_view_model(analysis: Analysis, *, key: str | None = None) -> dict[str, Any]:
    """The article view of ``analysis``: text pieces, layers, spans and side panels.

    ``key`` prefixes every element id (several articles can share one page); it defaults to
    ``a`` plus the article id. The result holds only JSON types.
    """
    a = analysis.article
    dom = _dom_key(analysis, key)
    versions = {r.name: r.version for r in analysis.runs}
    by_id = {s.id: s for s in analysis.spans}
    shown = sorted(
        (s for s in analysis.spans if s.label not in STRUCTURAL_LABELS),
        key=lambda s: (s.start, -s.end, s.id),
    )
    spans = []
    for s in shown:
        layer = _layer_of(s)
        spans.append(
            {
                "id": s.id,
                "dom_id": f"{dom}-{s.id}",
                "start": s.start,
                "end": s.end,
                "text": analysis.span_text(s),
                "layer": layer,
                "short": LAYER_BY_KEY[layer].short,
                "label": s.label,
                "name": _name(s, layer),
                "category": _category(s),
                "definition": _definition(s),
                "score": round(s.score, 4),
                "analyzer": s.analyzer,
                "version": versions.get(s.analyzer, ""),
            }
        )
    counts = Counter(s["layer"] for s in spans)
    layers = [
        {**asdict(layer), "count": counts[layer.key]}
        for layer in LAYERS
        if counts[layer.key] or layer.group == "persuasion"
    ]
    records: dict[str, list[Record]] = defaultdict(list)
    for r in analysis.records:
        records[r.type].append(r)
    genres = {k: g.definition for k, g in GENRES.items()}
    frames = {k: f.definition for k, f in FRAMES.items()}
    meta = a.meta
    return {
        "schema": VIEW_SCHEMA,
        "key": dom,
        "article": {
            "id": a.id,
            "title": a.title,
            "text": a.text,
            "meta": {
                "outlet": meta.outlet,
                "author": meta.author,
                "published": meta.published.isoformat() if meta.published else None,
                "url": meta.url,
                "language": meta.language,
                "source": meta.source,
            },
            "words": len(a.text.split()),
            "paragraphs": len(a.paragraphs),
        },
        "pieces": _pieces(analysis),
        "layers": layers,
        "spans": spans,
        "panels": {
            "genre": _labels(analysis, "genre", by_id, genres),
            "language": _labels(analysis, "language", by_id, {}),
            "frames": _labels(analysis, "frames", by_id, frames),
            "narratives": _labels(analysis, "narratives", by_id, {}),
            "subnarratives": _labels(analysis, "subnarratives", by_id, {}),
            "actors": _actors(analysis, records["actor"], by_id),
            "quotes": _quotes(analysis, records["quote"], by_id),
            "sources": _sources(records["source"]),
            "claims": _claims(records["claim"]),
            "events": _events(records["event"]),
        },
        "runs": [{"name": r.name, "version": r.version, "status": r.status} for r in analysis.runs],
        "errors": [e.model_dump(mode="json") for e in analysis.errors],
        "warnings": [w.model_dump(mode="json") for w in a.warnings],
    }


__all__ = ["LAYERS", "VIEW_SCHEMA", "Layer", "article_view_model"]
