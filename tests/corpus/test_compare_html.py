"""The compare page shows linked events with each article's figures side by side."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from unspun.corpus.report import compare_html


def _figure(value: float, written: str, qualifier: str | None = None) -> dict[str, Any]:
    return {"value": value, "qualifier": qualifier, "as_written": written, "start": 0, "end": 1, "record": "r0"}


def _result() -> dict[str, Any]:
    return {
        "settings": {"window_days": 60, "min_score": 0.1, "category_bonus": 0.2, "date_slack_days": 3, "general_places": []},
        "articles": 2,
        "groups": [],
        "actors": [],
        "events": [
            {
                "place": "tarvik",
                "places": ["tarvik"],
                "types": ["ASSAULT"],
                "disagree": True,
                "disagreements": [{"category": "killed", "values": {"a1": [14.0], "a2": [19.0]}}],
                "articles": [
                    {"id": "a1", "title": "Gunmen <script>alert(1)</script> kill", "source": None, "outlet": "x",
                     "published": "2031-03-12", "place": "Tarvik", "types": ["ASSAULT"], "incidents": [],
                     "figures": {"killed": [_figure(14, "14", "at least")]}},
                    {"id": "a2", "title": "Toll rises", "source": None, "outlet": "y", "published": "2031-03-13",
                     "place": "Tarvik & district", "types": ["ASSAULT"], "incidents": [],
                     "figures": {"killed": [_figure(19, "19")], "wounded": [_figure(11, "Eleven")]}},
                ],
            }
        ],
    }


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_linked_events_table_shows_each_articles_figures_and_the_flag() -> None:
    page = compare_html(_result())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "Tarvik &amp; district" in page
    parsed = _Tables()
    parsed.feed(page)
    text = " ".join(" ".join(parsed.text).split())
    tables = [a for t, a in parsed.tags if t == "table" and a.get("data-event-place") == "tarvik"]
    assert len(tables) == 1
    assert any(t == "caption" for t, _ in parsed.tags)
    headers = [a for t, a in parsed.tags if t == "th"]
    scopes = [a.get("scope") for a in headers]
    # article, published, place as told, killed, wounded; one row header per article
    assert scopes.count("col") == 5 and scopes.count("row") == 2
    assert "figures disagree (killed)" in text
    assert "at least 14" in text and "19" in text and "Eleven" in text


def test_no_linked_event_says_so() -> None:
    result = _result()
    result["events"] = []
    assert "No incident is reported by two or more articles." in compare_html(result)
