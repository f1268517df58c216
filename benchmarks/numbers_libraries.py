"""quantulum3 against unspun's own figure reader on the English numbers gold.

Run: ``.venv/bin/python benchmarks/numbers_libraries.py``

Why unspun reads figures itself (``unspun.substance.numbers``) rather than through
quantulum3: this scores both on the figures and units of the English ``num_*`` gold
articles (a figure is right when its value and normalised unit agree with a gold claim;
every other figure the reader returns counts against its precision, years and dates
included, since neither reader is asked to tell them apart here) and times them per
article on one core. quantulum3 runs without its unit classifier: that classifier is a
pickled scikit-learn model, which unspun never loads (and which the installed scikit-learn
cannot load). French is not compared: quantulum3 reads English only. quantulum3 is not a
dependency of unspun; the script says so and stops when it is missing.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from unspun.substance.numbers import find_figures

GOLD = Path(__file__).resolve().parents[1] / "src" / "unspun" / "resources" / "gold" / "substance"

# quantulum3's unit names to unspun's codes; any other unit counts as no unit.
QUANTULUM_UNITS = {
    "euro": "EUR", "dollar": "USD", "united states dollar": "USD", "pound sterling": "GBP",
    "kilometre": "km", "mile": "mi", "metre": "m", "square kilometre": "km2",
    "square mile": "mi2", "hectare": "ha", "tonne": "t", "kilogram": "kg", "litre": "l",
    "minute": "minute", "hour": "hour", "day": "day", "week": "week", "month": "month",
    "year": "year", "percentage": "percent",
}  # fmt: skip


def english_gold() -> list[dict[str, Any]]:
    out = []
    for path in sorted(GOLD.glob("num_*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("language", "en") == "en":
            out.append(gold)
    return out


def score(found: list[list[tuple[float, str | None]]], golds: list[dict[str, Any]]) -> str:
    tp = predicted = expected = 0
    for figures, gold in zip(found, golds, strict=True):
        wanted = [(float(c["value"]), c["unit"]) for c in gold["expected"]["claims"]]
        expected += len(wanted)
        predicted += len(figures)
        left = list(figures)
        for value, unit in wanted:
            hit = next(
                (f for f in left if abs(f[0] - value) <= 1e-6 * max(1.0, value) and f[1] == unit),
                None,
            )
            if hit is not None:
                tp += 1
                left.remove(hit)
    return f"P={tp / predicted:.2f} ({tp}/{predicted})  R={tp / expected:.2f} ({tp}/{expected})"


def timed(read: Any, texts: list[str], runs: int = 5) -> float:
    per_run = []
    for _ in range(runs):
        start = time.process_time()
        for text in texts:
            read(text)
        per_run.append((time.process_time() - start) / len(texts))
    return 1000 * statistics.median(per_run)


def ours(text: str) -> list[tuple[float, str | None]]:
    return [(float(f.value), f.unit_code) for f in find_figures(text, "en")]


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    golds = english_gold()
    texts = [g["text"] for g in golds]
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"{len(golds)} English numbers gold articles, {words:.0f} words each on average")
    print(f"unspun.substance.numbers  {score([ours(t) for t in texts], golds)}  "
          f"cpu {timed(ours, texts):.2f} ms per article")  # fmt: skip
    try:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import classifier, parser  # type: ignore[import-untyped]
        classifier.USE_CLF = False
        loaded = time.perf_counter() - start
    except ImportError:
        print("quantulum3 is not installed: pip install quantulum3 to compare")
        return 0

    def theirs(text: str) -> list[tuple[float, str | None]]:
        return [(float(q.value), QUANTULUM_UNITS.get(q.unit.name)) for q in parser.parse(text)]

    start = time.perf_counter()
    theirs(texts[0])
    first = time.perf_counter() - start
    print(f"quantulum3 (no classifier) {score([theirs(t) for t in texts], golds)}  "
          f"cpu {timed(theirs, texts):.2f} ms per article; import {1000 * loaded:.0f} ms, "
          f"first call {1000 * first:.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
