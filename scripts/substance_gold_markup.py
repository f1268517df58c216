"""Write the text and mention offsets of the actor gold from its marked-up text.

Run: ``.venv/bin/python scripts/substance_gold_markup.py``

Each ``src/unspun/resources/gold/substance/actors/*.json`` is written by hand with a
``marked`` field, the article with every actor mention marked ``[[words|key]]``, and an
``actors`` table (``key`` -> ``name``, ``type``, optional ``nationality``). Offsets are
error-prone to type; this script derives ``text`` (the marks removed) and, for each actor,
``mentions`` as ``[start, end, words]`` over ``text``, so the annotator edits ``marked`` only.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[1] / "src" / "unspun" / "resources" / "gold" / "substance"
MARK = re.compile(r"\[\[([^\]|]+)\|([^\]]+)\]\]")


def unmark(marked: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    """The text without marks, and each mark as (start, end, words, key) over that text."""
    out: list[str] = []
    mentions: list[tuple[int, int, str, str]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(marked):
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        words, key = m.group(1), m.group(2).strip()
        mentions.append((length, length + len(words), words, key))
        out.append(words)
        length += len(words)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), mentions


def build(gold: dict[str, Any]) -> dict[str, Any]:
    text, mentions = unmark(gold["marked"])
    table: dict[str, dict[str, Any]] = gold["actors"]
    unknown = {key for *_, key in mentions} - set(table)
    if unknown:
        raise SystemExit(f"{gold['id']}: marks with no entry in the actors table: {sorted(unknown)}")
    gold["text"] = text
    gold["expected"] = {
        "actors": [
            {**entry, "key": key, "mentions": [[s, e, w] for s, e, w, k in mentions if k == key]}
            for key, entry in table.items()
        ]
    }
    return gold


def main() -> int:
    for path in sorted((GOLD / "actors").glob("*.json")):
        gold = build(json.loads(path.read_text(encoding="utf-8")))
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(path.name, len(gold["expected"]["actors"]), "actors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
