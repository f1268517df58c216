"""Milliseconds per article for the genre, frames and narratives analyzers, and load times.

Run: ``.venv/bin/python benchmarks/articlelevel_speed.py [--runs 5] [--articles DIR]``

The articles are the SemEval-2023 English test articles of subtask 1 when ../shared is
present (only their count and timings are printed, never their text), otherwise the
in-house test texts. Threads are limited to one.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from unspun.article import Analysis, Article  # noqa: E402
from unspun.articlelevel.analyzers import FramesAnalyzer, GenreAnalyzer, load_model  # noqa: E402
from unspun.narratives import NarrativesAnalyzer, load_narrative_model  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "semeval2023" / "en" / "test-articles-subtask-1"


def _texts(directory: Path) -> list[str]:
    if directory.is_dir():
        return [p.read_text(encoding="utf-8") for p in sorted(directory.glob("article*.txt"))]
    sys.path.insert(0, str(REPO))
    from tests.articlelevel._texts import ALL

    return list(ALL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=Path, default=DEFAULT)
    args = parser.parse_args()
    texts = _texts(args.articles)
    report: dict[str, object] = {"articles": len(texts)}
    start = time.perf_counter()
    load_model("genre")
    load_model("frames")
    load_narrative_model()
    report["load_ms"] = round((time.perf_counter() - start) * 1000, 1)
    articles = [Article.from_text(t) for t in texts]
    for analyzer in (GenreAnalyzer(), FramesAnalyzer(), NarrativesAnalyzer()):
        runs = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            for art in articles:
                analyzer(Analysis(article=art))
            runs.append((time.perf_counter() - t0) * 1000 / len(articles))
        report[f"{analyzer.name}_ms_per_article"] = round(statistics.median(runs), 2)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
